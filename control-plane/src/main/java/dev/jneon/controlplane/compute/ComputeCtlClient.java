package dev.jneon.controlplane.compute;

import dev.jneon.controlplane.client.JsonClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Calls to compute-ctl's HTTP API (spec A.11): {@code /status}, {@code /configure},
 * {@code /terminate}. Thread-safe.
 */
public final class ComputeCtlClient {

    private final JsonClient http;

    public ComputeCtlClient(JsonClient http) {
        this.http = http;
    }

    /**
     * What {@code GET /status} says.
     *
     * @param status     compute-ctl state ({@code running}, {@code failed}, ...)
     * @param startTime  when it got its spec
     * @param lastActive last user activity, or null
     * @param error      why it failed, or null
     */
    public record Status(String status, Instant startTime, Instant lastActive, String error) {

        public boolean running() {
            return status.equals("running");
        }

        /** Last activity, or the start when there was none yet. */
        public Instant activeSince() {
            return lastActive != null && (startTime == null || lastActive.isAfter(startTime)) ? lastActive : startTime;
        }
    }

    /** The compute's status, or empty if it does not answer. */
    public Optional<Status> status(String api) {
        try {
            JsonNode s = http.get(api + "/status", Duration.ofSeconds(5));
            return Optional.of(new Status(s.path("status").asString("unknown"), instant(s.path("start_time")),
                    instant(s.path("last_active")), s.path("error").isString() ? s.get("error").asString() : null));
        } catch (RuntimeException unreachable) {
            return Optional.empty();
        }
    }

    /** {@code POST /configure}: blocks until the compute runs the new spec. */
    public void configure(String api, Map<String, Object> config) {
        http.call("POST", api + "/configure", config, Duration.ofMinutes(2));
    }

    /** {@code POST /terminate}; false if the compute refused or did not answer. */
    public boolean terminate(String api, boolean immediate) {
        try {
            http.call("POST", api + "/terminate?mode=" + (immediate ? "immediate" : "fast"), null,
                    Duration.ofSeconds(60));
            return true;
        } catch (RuntimeException refusedOrGone) {
            return false;
        }
    }

    private static Instant instant(JsonNode n) {
        return n.isString() ? Instant.parse(n.asString()) : null;
    }
}

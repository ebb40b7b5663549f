package dev.jneon.cli.endpoint;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jneon.cli.http.JsonHttp;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TimelineId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * One endpoint of the local stack as the CLI records it in {@code <stack>/endpoints/<name>/endpoint.json}:
 * the timeline it runs on, its mode (primary, or static at {@code lsn}) and the ports picked at
 * creation, kept across restarts so its connection string never changes. Immutable.
 *
 * @param lsn null for a primary; the LSN of a static (read-only) endpoint
 * @param autoprewarm true: each start reloads the buffer list last offloaded to endpoint storage
 * @param offloadIntervalSeconds null, or how often the running compute offloads its buffer list
 */
public record Endpoint(
        @JsonProperty("name") String name,
        @JsonProperty("tenant_id") TenantId tenant,
        @JsonProperty("timeline_id") TimelineId timeline,
        @JsonProperty("branch_name") String branch,
        @JsonProperty("lsn") Lsn lsn,
        @JsonProperty("pg_port") int pgPort,
        @JsonProperty("http_port") int httpPort,
        @JsonProperty("autoprewarm") boolean autoprewarm,
        @JsonProperty("offload_lfc_interval_seconds") Long offloadIntervalSeconds) {

    public Endpoint {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
            throw new IllegalArgumentException("endpoint name '" + name
                    + "' must be lowercase letters, digits, '-' or '_' (at most 63)");
        }
        Objects.requireNonNull(tenant, "tenant_id");
        Objects.requireNonNull(timeline, "timeline_id");
        if (offloadIntervalSeconds != null && offloadIntervalSeconds <= 0) {
            throw new IllegalArgumentException("the offload interval must be a positive number of seconds");
        }
    }

    public boolean isStatic() {
        return lsn != null;
    }

    public String mode() {
        return isStatic() ? "static@" + lsn : "primary";
    }

    /** The superuser connection string, as compute-ctl also uses for itself. */
    public String connstr() {
        return "postgresql://cloud_admin@127.0.0.1:" + pgPort + "/postgres";
    }

    public static Path dir(Path stackDir, String name) {
        return stackDir.resolve("endpoints").resolve(name);
    }

    public static Endpoint load(Path dir) {
        return JsonHttp.JSON.readValue(dir.resolve("endpoint.json").toFile(), Endpoint.class);
    }

    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("endpoint.json.tmp");
            Files.writeString(tmp, JsonHttp.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this));
            Files.move(tmp, dir.resolve("endpoint.json"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

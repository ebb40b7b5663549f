package dev.jneon.safekeeper.recovery;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.service.ApiError;
import dev.jneon.safekeeper.timeline.Timelines;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Copies a timeline this safekeeper lacks from a peer (spec I {@code pull_timeline}): asks every
 * given peer for the timeline's status, needs at least {@code max(n - 1, 1)} answers, picks the one
 * with the highest {@code (last_log_term, flush_lsn, term, commit_lsn)}, streams its
 * {@link TimelineSnapshot} into a temp directory under the data directory and installs it with a
 * durable rename ({@link Timelines#install}). A timeline that exists already is left alone. Peers'
 * HTTP APIs must not require a JWT (this client sends none). Thread-safe (stateless apart from the
 * HTTP client).
 */
public final class PullTimeline {

    private static final Logger log = LoggerFactory.getLogger(PullTimeline.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(10);

    private record Candidate(URI host, long lastLogTerm, Lsn flush, long term, Lsn commit) {}

    private final Timelines timelines;
    private final NodeId self;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public PullTimeline(Timelines timelines, NodeId self) {
        this.timelines = timelines;
        this.self = self;
    }

    /**
     * Pulls {@code ttid} from the best of {@code hosts} ({@code http://host:port}); returns the
     * donor, or empty if the timeline exists here.
     *
     * @throws ApiError.Unavailable if too few peers answered or the copy failed
     */
    public Optional<URI> pull(TenantTimelineId ttid, List<URI> hosts) {
        if (timelines.get(ttid).isPresent()) {
            return Optional.empty();
        }
        if (hosts.isEmpty()) {
            throw new ApiError.BadRequest("pull_timeline needs at least one host in http_hosts");
        }
        List<Candidate> answers = new ArrayList<>();
        for (URI host : hosts) {
            status(host, ttid).ifPresent(answers::add);
        }
        int needed = Math.max(hosts.size() - 1, 1);
        if (answers.size() < needed) {
            throw new ApiError.Unavailable("only " + answers.size() + " of " + hosts.size()
                    + " safekeepers answered with timeline " + ttid + ", need " + needed);
        }
        Candidate donor = answers.stream().max(Comparator.comparingLong(Candidate::lastLogTerm)
                .thenComparing(Candidate::flush).thenComparingLong(Candidate::term)
                .thenComparing(Candidate::commit)).orElseThrow();
        try {
            copyFrom(donor, ttid);
        } catch (IOException e) {
            throw new ApiError.Unavailable("copying timeline " + ttid + " from " + donor.host() + " failed: "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError.Unavailable("interrupted while copying timeline " + ttid);
        }
        return Optional.of(donor.host());
    }

    private Optional<Candidate> status(URI host, TenantTimelineId ttid) {
        try {
            var request = HttpRequest.newBuilder(host.resolve("/v1/tenant/" + ttid.tenantId() + "/timeline/"
                    + ttid.timelineId())).timeout(STATUS_TIMEOUT).GET().build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                log.info("pull of {}: {} answered {}", ttid, host, response.statusCode());
                return Optional.empty();
            }
            JsonNode s = JSON.readTree(response.body());
            JsonNode acceptor = s.get("acceptor_state");
            return Optional.of(new Candidate(host, acceptor.get("epoch").asLong(), Lsn.parse(s.get("flush_lsn").asString()),
                    acceptor.get("term").asLong(), Lsn.parse(s.get("commit_lsn").asString())));
        } catch (IOException | RuntimeException e) {
            log.info("pull of {}: no status from {}: {}", ttid, host, e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void copyFrom(Candidate donor, TenantTimelineId ttid) throws IOException, InterruptedException {
        Path tmp = timelines.newTempDir(ttid);
        try {
            var request = HttpRequest.newBuilder(donor.host().resolve("/v1/tenant/" + ttid.tenantId() + "/timeline/"
                    + ttid.timelineId() + "/snapshot/" + self.value())).GET().build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("snapshot request answered " + response.statusCode() + ": "
                            + new String(in.readNBytes(1000), StandardCharsets.UTF_8));
                }
                var state = TimelineSnapshot.receive(in, tmp);
                if (!state.ttid().equals(ttid)) {
                    throw new IOException("the snapshot holds timeline " + state.ttid());
                }
            }
            if (timelines.install(ttid, tmp).isPresent()) {
                log.info("pulled timeline {} from {} (flush {}, commit {})", ttid, donor.host(), donor.flush(),
                        donor.commit());
            }
        } finally {
            Timelines.deleteDirectory(tmp);
        }
    }
}

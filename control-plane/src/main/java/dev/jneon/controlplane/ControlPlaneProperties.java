package dev.jneon.controlplane;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Typed configuration {@code jneon.control-plane.*}, validated when the service starts. Immutable.
 *
 * @param storage         where the storage services of the stack listen
 * @param compute         how computes are launched
 * @param endpointStorage endpoint storage for prewarm state (optional)
 * @param suspend         the scale-to-zero loop
 * @param wakeHold        how long {@code wake_compute} holds a request for a starting compute before
 *                        answering 503 {@code RUNNING_OPERATIONS}
 */
@ConfigurationProperties("jneon.control-plane")
public record ControlPlaneProperties(Storage storage, Compute compute, EndpointStorage endpointStorage,
        Suspend suspend, @DefaultValue("60s") Duration wakeHold) {

    public ControlPlaneProperties {
        storage = storage == null ? new Storage(null, null, 1, List.of(), List.of()) : storage;
        compute = compute == null ? new Compute(null, null, 55432, 400, Duration.ofSeconds(120), "256m") : compute;
        endpointStorage = endpointStorage == null ? new EndpointStorage(null, null) : endpointStorage;
        suspend = suspend == null ? new Suspend(Duration.ofSeconds(5), 300) : suspend;
        if (wakeHold.isNegative() || wakeHold.isZero()) {
            throw new IllegalArgumentException("jneon.control-plane.wake-hold must be positive, got " + wakeHold);
        }
    }

    /**
     * @param pageserverHttp  pageserver management API base URL, e.g. {@code http://127.0.0.1:9898}
     * @param pageserverGrpc  pageserver gRPC page service {@code host:port} (computes fetch basebackups there)
     * @param pageserverId    the pageserver's node id, written into compute specs
     * @param safekeeperHttp  every safekeeper's management API base URL, in node id order
     * @param safekeeperGrpc  every safekeeper's gRPC {@code host:port}, same order and length as {@code safekeeperHttp}
     */
    public record Storage(String pageserverHttp, String pageserverGrpc, @DefaultValue("1") long pageserverId,
            List<String> safekeeperHttp, List<String> safekeeperGrpc) {

        public Storage {
            safekeeperHttp = safekeeperHttp == null ? List.of() : List.copyOf(safekeeperHttp);
            safekeeperGrpc = safekeeperGrpc == null ? List.of() : List.copyOf(safekeeperGrpc);
            if (safekeeperHttp.size() != safekeeperGrpc.size()) {
                throw new IllegalArgumentException("jneon.control-plane.storage.safekeeper-http and -grpc must list"
                        + " the same safekeepers: " + safekeeperHttp + " vs " + safekeeperGrpc);
            }
        }
    }

    /**
     * @param jar          compute-ctl's jar (the local launcher runs it with this JVM's {@code java})
     * @param dir          directory under which each endpoint gets {@code <id>/} (PGDATA, config.json, log, pid)
     * @param firstPort    first port of the range computes' Postgres and HTTP ports are allocated from
     * @param portCount    size of that range (two ports per endpoint)
     * @param startTimeout how long a start may take until compute-ctl reports {@code running}
     * @param maxHeap      {@code -Xmx} of each compute-ctl JVM
     */
    public record Compute(Path jar, Path dir, @DefaultValue("55432") int firstPort, @DefaultValue("400") int portCount,
            @DefaultValue("120s") Duration startTimeout, @DefaultValue("256m") String maxHeap) {

        public Compute {
            if (firstPort < 1024 || portCount < 2 || firstPort + portCount > 65536) {
                throw new IllegalArgumentException("jneon.control-plane.compute port range " + firstPort + "+"
                        + portCount + " is not within 1024..65535");
            }
        }
    }

    /**
     * @param addr       endpoint storage {@code host:port}; empty = computes get no endpoint storage
     * @param privateKey Ed25519 private key (PKCS#8 PEM) that signs endpoint storage tokens
     */
    public record EndpointStorage(String addr, Path privateKey) {}

    /**
     * @param checkInterval          how often each active compute's {@code /status} is polled
     * @param defaultTimeoutSeconds  suspend timeout of endpoints created without one
     */
    public record Suspend(@DefaultValue("5s") Duration checkInterval, @DefaultValue("300") long defaultTimeoutSeconds) {}
}

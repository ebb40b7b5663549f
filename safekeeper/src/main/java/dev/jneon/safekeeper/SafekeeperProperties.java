package dev.jneon.safekeeper;

import dev.jneon.common.remote.RemoteStorageKeys;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Safekeeper settings ({@code jneon.safekeeper.*}).
 *
 * @param dataDir directory holding {@code <tenant_id>/<timeline_id>/} of every timeline; created if
 *     missing; default {@code ./safekeeper-data}
 * @param advertiseHost host name peers, pageservers and the broker's readers use to reach this node;
 *     default 127.0.0.1
 * @param broker where per-timeline state is published
 * @param authPublicKey PEM file of the Ed25519 public key that verifies JWTs on the HTTP API and
 *     gRPC; unset = no authentication
 * @param remoteStorage where WAL is offloaded; unset = no offload
 * @param backup offload and removal timing
 * @param recovery automatic recovery of timelines this node lacks
 */
@ConfigurationProperties("jneon.safekeeper")
public record SafekeeperProperties(Path dataDir, String advertiseHost, Broker broker, Path authPublicKey,
        RemoteStorageKeys remoteStorage, Backup backup, Recovery recovery) {

    public SafekeeperProperties {
        dataDir = dataDir != null ? dataDir : Path.of("safekeeper-data");
        advertiseHost = advertiseHost != null ? advertiseHost : "127.0.0.1";
        broker = broker != null ? broker : new Broker(null, null);
        remoteStorage = remoteStorage != null ? remoteStorage : RemoteStorageKeys.NONE;
        backup = backup != null ? backup : new Backup(null, null, null);
        recovery = recovery != null ? recovery : new Recovery(null, null);
    }

    /**
     * @param interval how often each timeline's offload (with remote storage) and WAL removal are
     *     checked; default 1 s
     * @param partialBackupTimeout how long the current partial segment may stay changed before it is
     *     uploaded again; default 15 min (Neon's)
     * @param maxOffloaderLag how far behind the most advanced commit LSN a safekeeper may be and still
     *     be elected offloader; default 128 MiB
     */
    public record Backup(Duration interval, Duration partialBackupTimeout, DataSize maxOffloaderLag) {

        public Backup {
            interval = positive(interval, Duration.ofSeconds(1), "backup.interval");
            partialBackupTimeout = positive(partialBackupTimeout, Duration.ofMinutes(15), "backup.partial-backup-timeout");
            maxOffloaderLag = maxOffloaderLag != null ? maxOffloaderLag : DataSize.ofMegabytes(128);
        }
    }

    /**
     * @param enabled whether a timeline that peers publish on the broker but this node lacks (a wiped
     *     disk, a missed creation) is pulled from them; default true
     * @param interval how often the broker's view is checked for such timelines; default 2 s
     */
    public record Recovery(Boolean enabled, Duration interval) {

        public Recovery {
            enabled = enabled == null || enabled;
            interval = positive(interval, Duration.ofSeconds(2), "recovery.interval");
        }
    }

    private static Duration positive(Duration value, Duration fallback, String key) {
        Duration d = value != null ? value : fallback;
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("jneon.safekeeper." + key + " must be positive");
        }
        return d;
    }

    /**
     * @param endpoint the storage broker's gRPC address {@code host:port}; unset = do not publish
     * @param publishInterval how often each active timeline's state is pushed; default 1 s
     */
    public record Broker(String endpoint, Duration publishInterval) {

        public Broker {
            publishInterval = publishInterval != null ? publishInterval : Duration.ofSeconds(1);
            if (publishInterval.isNegative() || publishInterval.isZero()) {
                throw new IllegalArgumentException("jneon.safekeeper.broker.publish-interval must be positive");
            }
            if (endpoint != null && !endpoint.matches("[^:/]+:\\d{1,5}")) {
                throw new IllegalArgumentException("jneon.safekeeper.broker.endpoint must be host:port, got " + endpoint);
            }
        }
    }
}

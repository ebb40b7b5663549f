package dev.jneon.compute.walproposer;

import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.PgVersionId;
import java.time.Duration;
import java.util.Set;

/**
 * {@code sync-safekeepers} as a process (safekeeper-broker.md C contract): prints the agreed end of
 * WAL as {@code %X/%X} on stdout, logs on stderr, exits 0; on failure prints the reason on stderr
 * and exits 1 (2 for bad arguments).
 *
 * <p>{@code --tenant-id <hex> --timeline-id <hex> --safekeepers host:port,... --pg-version 15
 * [--timeout <seconds>, default 60] [--wal-seg-size <bytes>, default 16 MiB]}
 */
public final class SyncSafekeepersCommand {

    private SyncSafekeepersCommand() {
    }

    public static void main(String[] argv) {
        CommandArgs.logToStderr();
        CommandArgs args;
        TenantTimelineId ttid;
        try {
            args = CommandArgs.parse(argv, Set.of("tenant-id", "timeline-id", "safekeepers", "pg-version", "timeout",
                    "wal-seg-size"));
            ttid = new TenantTimelineId(TenantId.parse(args.required("tenant-id")),
                    TimelineId.parse(args.required("timeline-id")));
        } catch (IllegalArgumentException e) {
            System.err.println("sync-safekeepers: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            var lsn = SyncSafekeepers.run(ttid, SafekeeperAddress.parseList(args.required("safekeepers")),
                    PgVersionId.of(PgMajorVersion.of(Integer.parseInt(args.required("pg-version")))),
                    Integer.parseInt(args.optional("wal-seg-size", Integer.toString(16 << 20))),
                    Duration.ofSeconds(Long.parseLong(args.optional("timeout", "60"))));
            System.out.println(lsn);
            System.out.flush();
            System.exit(0);
        } catch (Exception e) {
            System.err.println("sync-safekeepers failed: " + e.getMessage());
            System.exit(1);
        }
    }
}

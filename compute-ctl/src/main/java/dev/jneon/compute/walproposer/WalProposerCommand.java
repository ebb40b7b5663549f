package dev.jneon.compute.walproposer;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.PgVersionId;
import dev.jneon.compute.walproposer.pg.WalStreamer;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * The walproposer as a process next to a running Postgres (DESIGN D2): replication client of the
 * local Postgres, proposer towards the safekeepers. Runs until it fails; exits 1 with the reason
 * on stderr (e.g. "another proposer holds term N"), 2 for bad arguments.
 *
 * <p>{@code --pg-connstr postgresql://user[:password]@host:port} (or {@code --pg-port <port>} with
 * {@code --pg-host} default 127.0.0.1, {@code --pg-user} default cloud_admin; a host starting with
 * {@code /} is a Unix socket directory), {@code --tenant-id --timeline-id --safekeepers
 * host:port,...}, {@code [--start-lsn X/Y]} (the basebackup LSN the elected term must start at),
 * {@code [--pg-version 15] [--slot walproposer] [--buffer-mib 64] [--wal-seg-size bytes]}.
 */
public final class WalProposerCommand {

    /** What one walproposer run needs. */
    public record Options(String pgHost, int pgPort, String pgUser, String pgPassword, String slot,
            TenantTimelineId ttid, List<SafekeeperAddress> safekeepers, PgVersionId pgVersion, int walSegSize,
            Lsn startLsn, long bufferBytes) {

        static Options parse(String[] argv) {
            var args = CommandArgs.parse(argv, Set.of("pg-connstr", "pg-host", "pg-port", "pg-user", "tenant-id",
                    "timeline-id", "safekeepers", "start-lsn", "pg-version", "slot", "buffer-mib", "wal-seg-size"));
            String host = args.optional("pg-host", "127.0.0.1");
            String user = args.optional("pg-user", "cloud_admin");
            String password = null;
            int port;
            if (args.values().containsKey("pg-connstr")) {
                URI uri = URI.create(args.required("pg-connstr"));
                host = uri.getHost();
                port = uri.getPort() < 0 ? 5432 : uri.getPort();
                String info = uri.getUserInfo();
                if (info != null) {
                    int colon = info.indexOf(':');
                    user = colon < 0 ? info : info.substring(0, colon);
                    password = colon < 0 ? null : info.substring(colon + 1);
                }
            } else {
                port = Integer.parseInt(args.required("pg-port"));
            }
            return new Options(host, port, user, password, args.optional("slot", "walproposer"),
                    new TenantTimelineId(TenantId.parse(args.required("tenant-id")),
                            TimelineId.parse(args.required("timeline-id"))),
                    SafekeeperAddress.parseList(args.required("safekeepers")),
                    PgVersionId.of(PgMajorVersion.of(Integer.parseInt(args.optional("pg-version", "15")))),
                    Integer.parseInt(args.optional("wal-seg-size", Integer.toString(16 << 20))),
                    args.values().containsKey("start-lsn") ? Lsn.parse(args.required("start-lsn")) : Lsn.INVALID,
                    Long.parseLong(args.optional("buffer-mib", "64")) << 20);
        }
    }

    private WalProposerCommand() {
    }

    /**
     * Runs the walproposer until it fails ({@link ProposerFailedException}), Postgres' connection
     * breaks (IOException) or the thread is interrupted.
     */
    public static void run(Options o) throws IOException, InterruptedException {
        try (WalStreamer pg = WalStreamer.connect(o.pgHost(), o.pgPort(), o.pgUser(), o.pgPassword(), o.slot())) {
            long systemId = pg.systemId();
            var config = new ProposerConfig(o.ttid(), o.safekeepers().size(), o.pgVersion(), systemId, o.walSegSize(),
                    false, o.startLsn(), 0, ProposerConfig.DEFAULT_MAX_IN_FLIGHT_BYTES);
            var buffer = new WalBuffer(o.bufferBytes());
            try (WalProposer wp = WalProposer.start(config, o.safekeepers(), buffer, pg.commitListener())) {
                ProposerAction.Elected elected;
                try {
                    elected = wp.elected().get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof ProposerFailedException f ? f : new IllegalStateException(e.getCause());
                }
                pg.stream(wp, buffer, elected.termStartLsn());
            }
        }
    }

    public static void main(String[] argv) {
        CommandArgs.logToStderr();
        Options options;
        try {
            options = Options.parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("walproposer: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            run(options);
            System.exit(0);
        } catch (Exception e) {
            System.err.println("walproposer failed: " + e.getMessage());
            System.exit(1);
        }
    }
}

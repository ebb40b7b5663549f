package dev.jneon.compute.node;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.PgVersionId;
import dev.jneon.compute.basebackup.BasebackupFetcher;
import dev.jneon.compute.postgres.PgHbaConf;
import dev.jneon.compute.postgres.PostgresConf;
import dev.jneon.compute.postgres.PostgresProcess;
import dev.jneon.compute.postgres.SpecApplier;
import dev.jneon.compute.prewarm.LfcPrewarm;
import dev.jneon.compute.spec.ComputeMode;
import dev.jneon.compute.spec.ComputeSpec;
import dev.jneon.compute.walproposer.ProposerFailedException;
import dev.jneon.compute.walproposer.SyncSafekeepers;
import dev.jneon.compute.walproposer.WalProposerCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up flow of one compute (spec A.5), step by step on the caller's thread: wipe and create
 * PGDATA; with {@code autoprewarm}, the download of the saved buffer list (spec D.2) in the
 * background, written as {@code autoprewarm.blocks} after the basebackup; the start LSN (primary: sync-safekeepers, {@value #SYNC_ATTEMPTS} attempts with backoff;
 * static: the spec's LSN); full basebackup at that LSN from the pageserver; {@code postgresql.conf},
 * {@code pg_hba.conf}, the empty temp-override file and, for a static endpoint, {@code standby.signal};
 * start Postgres (its output also goes to {@link LfcPrewarm#onPostgresLog}); on a primary create the {@code walproposer} replication role if missing, start the
 * walproposer from the LSN and wait until Postgres lists it as its synchronous standby, then apply
 * the spec's roles and databases. Each step's duration goes into {@code timings} (ms, names of
 * {@code /metrics.json}). Whatever it started is handed back in {@link Started} (or stopped if a
 * later step fails). Not thread-safe: one start per instance.
 */
final class ComputeStartup {

    static final int SYNC_ATTEMPTS = 5;
    static final int WAL_SEG_SIZE = 16 << 20;
    static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);
    static final Duration SYNC_STANDBY_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(ComputeStartup.class);

    private final ComputeOptions options;
    private final Path socketDir;
    private final Map<String, Long> timings;
    private final LfcPrewarm prewarm;

    /** What a successful start leaves running. {@code walproposer} is null for a static endpoint. */
    record Started(Lsn startLsn, PostgresProcess postgres, WalProposerTask walproposer) {}

    ComputeStartup(ComputeOptions options, Path socketDir, Map<String, Long> timings, LfcPrewarm prewarm) {
        this.options = options;
        this.socketDir = socketDir;
        this.timings = timings;
        this.prewarm = prewarm;
    }

    /**
     * Runs the whole flow. {@code onPostgres} hears the Postgres process as soon as it runs (so that
     * its death can be watched during the later steps).
     */
    Started run(ComputeSpec spec, java.util.function.Consumer<PostgresProcess> onPostgres) throws Exception {
        long t0 = System.nanoTime();
        LfcPrewarm.StartupDownload download = spec.autoprewarm() ? prewarm.beginStartup(spec) : null;
        resetDataDir();
        Lsn lsn = switch (spec.mode()) {
            case ComputeMode.Primary p -> timed("sync_safekeepers_ms", () -> syncSafekeepers(spec));
            case ComputeMode.Static s -> s.lsn();
            case ComputeMode.Replica r -> throw new IllegalArgumentException("replicas are not supported");
        };
        log.info("starting compute {} ({}) on {} at {}", options.computeId(), spec.mode().label(), spec.ttid(), lsn);
        var fetched = timed("basebackup_ms", () -> BasebackupFetcher.fetch(spec.pageserverAddress(), spec.ttid(), lsn,
                !spec.isPrimary(), spec.storageAuthToken(), options.pgdata()));
        timings.put("basebackup_bytes", fetched.compressedBytes());
        log.info("basebackup at {}: {} files, {} bytes ({} on the wire, {} attempt(s))", lsn, fetched.files(),
                fetched.bytes(), fetched.compressedBytes(), fetched.attempts());
        writeConfig(spec);
        if (download != null) {
            prewarm.writeStartupFile(download, options.pgdata());
        }
        options.binaries().handOver(options.pgdata());
        options.binaries().handOver(socketDir);

        PostgresProcess pg = timed("start_postgres_ms", () -> PostgresProcess.start(options.binaries(), options.pgdata(),
                prewarm::onPostgresLog));
        onPostgres.accept(pg);
        prewarm.postgresStarted();
        WalProposerTask wp = null;
        try {
            var applier = new SpecApplier(options.port(), options.privilegedRole());
            if (spec.isPrimary()) {
                wp = startWalProposer(spec, lsn, applier);
                if (!spec.skipPgCatalogUpdates()) {
                    timed("config_ms", () -> applier.apply(spec));
                }
            }
            timings.put("total_startup_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            return new Started(lsn, pg, wp);
        } catch (Exception | Error e) {
            if (wp != null) {
                wp.stop();
            }
            pg.stop("immediate");
            throw e;
        }
    }

    private void resetDataDir() throws IOException {
        Path pgdata = options.pgdata();
        if (Files.exists(pgdata)) {
            try (Stream<Path> all = Files.walk(pgdata)) {
                for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(pgdata, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private Lsn syncSafekeepers(ComputeSpec spec) throws Exception {
        long backoff = 500;
        for (int attempt = 1; ; attempt++) {
            try {
                Lsn lsn = SyncSafekeepers.run(spec.ttid(), spec.safekeepers(), PgVersionId.of(options.binaries().version()),
                        WAL_SEG_SIZE, SYNC_TIMEOUT);
                log.info("sync-safekeepers: end of WAL {}", lsn);
                return lsn;
            } catch (ProposerFailedException | TimeoutException e) {
                if (attempt >= SYNC_ATTEMPTS) {
                    throw new IOException("sync-safekeepers failed " + attempt + " times, last: " + e.getMessage(), e);
                }
                log.warn("sync-safekeepers attempt {} failed: {}; retrying in {} ms", attempt, e.getMessage(), backoff);
                Thread.sleep(backoff);
                backoff *= 2;
            }
        }
    }

    /** Writes postgresql.conf, pg_hba.conf, the temp override and (static) standby.signal. */
    void writeConfig(ComputeSpec spec) throws IOException {
        Path pgdata = options.pgdata();
        Files.writeString(pgdata.resolve("postgresql.conf"), PostgresConf.render(spec, options.port(), socketDir));
        Files.writeString(pgdata.resolve("pg_hba.conf"), PgHbaConf.render());
        Path override = pgdata.resolve(PostgresConf.TEMP_OVERRIDE);
        Files.writeString(override, "");
        if (!spec.isPrimary()) {
            Files.writeString(pgdata.resolve("standby.signal"), "");
        }
    }

    private WalProposerTask startWalProposer(ComputeSpec spec, Lsn lsn, SpecApplier applier) throws Exception {
        try (Connection c = applier.connect("postgres"); Statement st = c.createStatement()) {
            // the walproposer is not the sync standby yet: this one commit must not wait for it
            st.execute("SET synchronous_commit = local");
            st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '"
                    + PgHbaConf.WALPROPOSER_ROLE + "') THEN CREATE ROLE " + PgHbaConf.WALPROPOSER_ROLE
                    + " LOGIN REPLICATION; END IF; END $$");
        }
        var wpOptions = new WalProposerCommand.Options(socketDir.toString(), options.port(), PgHbaConf.WALPROPOSER_ROLE,
                null, "walproposer", spec.ttid(), spec.safekeepers(), PgVersionId.of(options.binaries().version()),
                WAL_SEG_SIZE, lsn, 64L << 20);
        var wp = new WalProposerTask(wpOptions);
        long deadline = System.nanoTime() + SYNC_STANDBY_TIMEOUT.toNanos();
        try (Connection c = applier.connect("postgres"); Statement st = c.createStatement()) {
            while (true) {
                if (!wp.isRunning()) {
                    throw new IOException("walproposer stopped before becoming the synchronous standby: "
                            + wp.stopped().getNow(null));
                }
                try (ResultSet rs = st.executeQuery("SELECT sync_state FROM pg_catalog.pg_stat_replication"
                        + " WHERE application_name = 'walproposer'")) {
                    if (rs.next() && "sync".equals(rs.getString(1))) {
                        log.info("walproposer is Postgres' synchronous standby");
                        return wp;
                    }
                }
                if (System.nanoTime() > deadline) {
                    wp.stop();
                    throw new IOException("walproposer did not become the synchronous standby in "
                            + SYNC_STANDBY_TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(100);
            }
        } catch (SQLException | IOException | InterruptedException e) {
            if (wp.isRunning()) {
                wp.stop();
            }
            throw e;
        }
    }

    /** A step that may throw anything. */
    interface Step<T> {
        T run() throws Exception;
    }

    private <T> T timed(String metric, Step<T> step) throws Exception {
        long t = System.nanoTime();
        T result = step.run();
        timings.put(metric, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t));
        return result;
    }
}

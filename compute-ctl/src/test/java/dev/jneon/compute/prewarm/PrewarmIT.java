package dev.jneon.compute.prewarm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.common.testing.ServiceProcess;
import dev.jneon.compute.postgres.PostgresProcess;
import dev.jneon.compute.postgres.SpecApplier;
import dev.jneon.compute.spec.ComputeSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Offload and prewarm against a real PostgreSQL 15 with pg_prewarm and the real endpoint-storage jar
 * ({@link ServiceProcess}): a table read into shared buffers is offloaded as {@code lfc_state}; after
 * a restart with an empty cache, an on-demand prewarm loads all its blocks again, and so does the
 * start-up path (file written before Postgres starts, the leader's log line read from its output);
 * no saved state is {@code skipped}, another endpoint's state can be used, a token the service does
 * not accept is {@code failed}; a visibility map page failing its checksum (as the pageserver's
 * basebackup can hold) does not stop the start-up prewarm.
 */
class PrewarmIT {

    private static Path base;
    private static ServiceProcess storage;
    private static EndpointStorageTokens tokens;
    private static PgCluster cluster;
    private static SpecApplier sql;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        base = Files.createTempDirectory("jneon-prewarm-it");
        tokens = EndpointStorageTokens.generate();
        storage = new ServiceProcess("endpoint-storage", "endpoint-storage", base)
                .with("--jneon.endpoint-storage.pemfile=" + tokens.writePublicPem(base.resolve("auth_public.pem")),
                        "--jneon.endpoint-storage.local-path=" + base.resolve("objects"))
                .start();
        var binaries = PgBinaries.of(PgMajorVersion.PG15);
        cluster = new PgCluster(binaries, base.resolve("pgdata"));
        cluster.initdb(java.util.List.of());
        port = ServiceProcess.freePort();
        cluster.configure(Map.of("shared_preload_libraries", "'pg_prewarm'", "pg_prewarm.autoprewarm", "on",
                "pg_prewarm.autoprewarm_interval", "0", "shared_buffers", "64MB", "port", Integer.toString(port),
                "listen_addresses", "'127.0.0.1'", "unix_socket_directories", "'" + base.resolve("pgdata") + "'"));
        cluster.start(port);
        sql = new SpecApplier(port, "neon_superuser");
        cluster.psql("postgres", "create extension pg_prewarm; create extension pg_buffercache;"
                + " create table t as select g as id, repeat('x', 200) as payload from generate_series(1, 20000) g");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.stop("immediate");
        }
        if (storage != null) {
            storage.close();
        }
        try (Stream<Path> all = Files.walk(base)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static ComputeSpec spec(String endpoint) throws Exception {
        return Specs.endpointStorage("127.0.0.1:" + storage.httpPort(),
                tokens.token(Specs.TENANT, Specs.TIMELINE, endpoint), endpoint);
    }

    private static long query(String text) throws Exception {
        try (Connection c = sql.connect("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(text)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long tableBlocks() throws Exception {
        return query("select pg_relation_size('public.t') / 8192");
    }

    private static long cachedTableBlocks() throws Exception {
        return query("select count(*) from public.pg_buffercache where relforknumber = 0"
                + " and relfilenode = pg_relation_filenode('public.t')"
                + " and reldatabase = (select oid from pg_database where datname = current_database())");
    }

    /** Restarts Postgres with nothing in shared buffers (the leader's shutdown dump removed). */
    private static void coldRestart() throws Exception {
        cluster.stop("fast");
        Files.deleteIfExists(cluster.dataDir().resolve(PrewarmBlocks.FILE_NAME));
        cluster.start(port);
    }

    private static OffloadState offloadAndWait(LfcOffload offload, ComputeSpec spec) throws Exception {
        assertThat(offload.request(spec)).isTrue();
        return LfcOffloadTest.awaitEnd(offload);
    }

    private static PrewarmState prewarmAndWait(ComputeSpec spec, String from) throws Exception {
        var prewarm = new LfcPrewarm(sql::connect);
        assertThat(prewarm.request(spec, from)).isTrue();
        return LfcPrewarmTest.awaitEnd(prewarm);
    }

    @Test
    void offloadThenPrewarmOnDemandAndAtStartup() throws Exception {
        long blocks = tableBlocks();
        assertThat(blocks).as("a table of some MB, under a quarter of shared_buffers").isBetween(500L, 2000L);
        query("select count(*) from public.t");
        assertThat(cachedTableBlocks()).isEqualTo(blocks);

        var offload = new LfcOffload(sql::connect, cluster.dataDir());
        assertThat(offloadAndWait(offload, spec("ep-a"))).isInstanceOf(OffloadState.Completed.class);
        byte[] object = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(storage.httpBase() + "/"
                        + Specs.TENANT + "/" + Specs.TIMELINE + "/ep-a/lfc_state"))
                .header("Authorization", "Bearer " + tokens.token(Specs.TENANT, Specs.TIMELINE, "ep-a")).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        long relfilenode = query("select pg_relation_filenode('public.t')");
        assertThat(LfcStateCodec.decode(object).blocks().stream()
                .filter(b -> Integer.toUnsignedLong(b.relfilenode()) == relfilenode && b.fork() == 0).count())
                .as("every block of the table is in the saved state").isEqualTo(blocks);

        coldRestart();
        long cold = cachedTableBlocks();
        assertThat(cold).as("cold cache after a restart").isLessThan(blocks / 10);
        assertThat(prewarmAndWait(spec("ep-a"), null)).isInstanceOfSatisfying(PrewarmState.Completed.class, c -> {
            assertThat(c.prewarmed()).isGreaterThanOrEqualTo(blocks);
            assertThat(c.prewarmed() + c.skipped()).isEqualTo(c.total());
        });
        assertThat(cachedTableBlocks()).isEqualTo(blocks);

        cluster.stop("fast");
        Files.deleteIfExists(cluster.dataDir().resolve(PrewarmBlocks.FILE_NAME));
        var startup = new LfcPrewarm(sql::connect);
        var download = startup.beginStartup(spec("ep-a"));
        startup.writeStartupFile(download, cluster.dataDir());
        assertThat(cluster.dataDir().resolve(PrewarmBlocks.FILE_NAME)).exists();
        cluster.binaries().handOver(cluster.dataDir()); // as ComputeStartup does before starting Postgres
        PostgresProcess pg = PostgresProcess.start(cluster.binaries(), cluster.dataDir(), startup::onPostgresLog);
        try {
            startup.postgresStarted();
            assertThat(LfcPrewarmTest.awaitEnd(startup)).isInstanceOfSatisfying(PrewarmState.Completed.class,
                    c -> assertThat(c.prewarmed()).isGreaterThanOrEqualTo(blocks));
            assertThat(cachedTableBlocks()).as("loaded by Postgres' autoprewarm leader").isEqualTo(blocks);
        } finally {
            pg.stop("fast");
        }
        assertThat(startup.state()).as("Postgres stopping after completion changes nothing")
                .isInstanceOf(PrewarmState.Completed.class);
        cluster.start(port);
    }

    @Test
    void noSavedStateIsSkippedAnotherEndpointsStateCanBeUsedAndABadTokenFails() throws Exception {
        query("select count(*) from public.t");
        var offload = new LfcOffload(sql::connect, cluster.dataDir());
        assertThat(offloadAndWait(offload, spec("ep-source"))).isInstanceOf(OffloadState.Completed.class);

        assertThat(prewarmAndWait(spec("ep-never-saved"), null)).isInstanceOf(PrewarmState.Skipped.class);
        assertThat(prewarmAndWait(spec("ep-never-saved"), "ep-source")).isInstanceOf(PrewarmState.Completed.class);

        ComputeSpec forged = Specs.endpointStorage("127.0.0.1:" + storage.httpPort(),
                EndpointStorageTokens.generate().token(Specs.TENANT, Specs.TIMELINE, "ep-source"), "ep-source");
        assertThat(prewarmAndWait(forged, null)).isInstanceOfSatisfying(PrewarmState.Failed.class,
                f -> assertThat(f.error()).contains("answered GET ep-source/lfc_state with 401"));
        assertThat(offloadAndWait(offload, forged)).isInstanceOfSatisfying(OffloadState.Failed.class,
                f -> assertThat(f.error()).contains("answered PUT ep-source/lfc_state with 401"));
    }

    @Test
    void aMapPageFailingItsChecksumDoesNotStopTheStartupPrewarm() throws Exception {
        var checked = new PgCluster(cluster.binaries(), base.resolve("pgdata-checksums"));
        checked.initdb(java.util.List.of("--data-checksums"));
        int checkedPort = ServiceProcess.freePort();
        checked.configure(Map.of("shared_preload_libraries", "'pg_prewarm'", "pg_prewarm.autoprewarm_interval", "0",
                "shared_buffers", "64MB", "port", Integer.toString(checkedPort), "listen_addresses", "'127.0.0.1'",
                "unix_socket_directories", "'" + checked.dataDir() + "'"));
        checked.start(checkedPort);
        var checkedSql = new SpecApplier(checkedPort, "neon_superuser");
        PostgresProcess pg = null;
        try {
            checked.psql("postgres", "vacuum pg_authid");
            checked.psql("postgres", "create extension pg_prewarm; create extension pg_buffercache;"
                    + " create table u as select g from generate_series(1, 100000) g; select count(*) from u");
            long blocks = Long.parseLong(checked.psql("postgres", "select pg_relation_size('u') / 8192").strip());
            String authidVm = checked.psql("postgres", "select pg_relation_filepath('pg_authid')").strip() + "_vm";
            assertThat(checked.psql("postgres", "select count(*) from public.pg_buffercache where relforknumber = 2"
                    + " and relfilenode = pg_relation_filenode('pg_authid')").strip())
                    .as("pg_authid's visibility map page is cached, so it is in the saved state").isEqualTo("1");
            var offload = new LfcOffload(checkedSql::connect, checked.dataDir());
            assertThat(offloadAndWait(offload, spec("ep-checksums"))).isInstanceOf(OffloadState.Completed.class);
            checked.stop("fast");
            Files.deleteIfExists(checked.dataDir().resolve(PrewarmBlocks.FILE_NAME));
            try (var file = new java.io.RandomAccessFile(checked.dataDir().resolve(authidVm).toFile(), "rw")) {
                file.seek(100); // inside the page: the checksum no longer matches
                file.write(file.read() ^ 0xFF);
            }

            var startup = new LfcPrewarm(checkedSql::connect);
            var download = startup.beginStartup(spec("ep-checksums"));
            startup.writeStartupFile(download, checked.dataDir());
            checked.binaries().handOver(checked.dataDir());
            pg = PostgresProcess.start(checked.binaries(), checked.dataDir(), startup::onPostgresLog);
            startup.postgresStarted();
            assertThat(LfcPrewarmTest.awaitEnd(startup)).isInstanceOfSatisfying(PrewarmState.Completed.class,
                    c -> assertThat(c.prewarmed()).isGreaterThanOrEqualTo(blocks));
            assertThat(checked.psql("postgres", "select count(*) from public.pg_buffercache where relforknumber = 0"
                    + " and relfilenode = pg_relation_filenode('u')").strip()).isEqualTo(Long.toString(blocks));
        } finally {
            if (pg != null) {
                pg.stop("immediate");
            } else {
                checked.stop("immediate");
            }
        }
    }
}

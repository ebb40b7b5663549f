package dev.jneon.compute.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.common.testing.ServiceProcess;
import dev.jneon.compute.spec.ComputeSpec;
import dev.jneon.compute.spec.SpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PostgresProcess} on a data directory configured by {@link PostgresConf} for a static
 * endpoint: a cleanly shut down PG15 (what a basebackup looks like) with {@code standby.signal}
 * and {@code recovery_target_lsn} at its checkpoint starts as a hot standby, reads work, writes are
 * refused, and its death is seen through {@link PostgresProcess#exited()}.
 */
class StaticPostgresIT {

    private Path base;
    private PostgresProcess pg;

    @AfterEach
    void cleanUp() throws Exception {
        if (pg != null && pg.isAlive()) {
            pg.stop("immediate");
        }
        try (Stream<Path> all = Files.walk(base)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void staticEndpointStartsReadOnlyAtItsLsn() throws Exception {
        base = Files.createTempDirectory("jneon-static-it");
        var binaries = PgBinaries.of(PgMajorVersion.PG15);
        var cluster = new PgCluster(binaries, base.resolve("pgdata"));
        cluster.initdb(List.of());
        cluster.start(ServiceProcess.freePort());
        cluster.psql("postgres", "create table t as select generate_series(1, 10) x");
        cluster.stop("fast");
        String checkpoint = PgCluster.run(binaries.command("pg_controldata", List.of(cluster.dataDir().toString())),
                Duration.ofMinutes(1)).lines().filter(l -> l.startsWith("Latest checkpoint location:"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElseThrow();

        String json = new String(StaticPostgresIT.class.getResourceAsStream("/spec/neon-shaped-config.json")
                .readAllBytes()).replace("\"mode\": \"Primary\"", "\"mode\": {\"Static\": \"" + checkpoint + "\"}");
        ComputeSpec spec = SpecParser.parse(json).spec();
        int port = ServiceProcess.freePort();
        Path socketDir = Files.createDirectories(base.resolve("sock"));
        Files.writeString(cluster.dataDir().resolve("postgresql.conf"), PostgresConf.render(spec, port, socketDir));
        Files.writeString(cluster.dataDir().resolve("pg_hba.conf"), PgHbaConf.render());
        Files.writeString(cluster.dataDir().resolve("standby.signal"), "");
        binaries.handOver(base);

        pg = PostgresProcess.start(binaries, cluster.dataDir());
        var sql = new SpecApplier(port, "neon_superuser");
        try (var c = sql.connect("postgres"); var st = c.createStatement()) {
            try (var rs = st.executeQuery("select pg_is_in_recovery(), (select count(*) from public.t)")) {
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
                assertThat(rs.getLong(2)).isEqualTo(10);
            }
            assertThatThrownBy(() -> st.execute("insert into public.t values (11)"))
                    .hasMessageContaining("read-only transaction");
            assertThatThrownBy(() -> st.execute("create table public.u (x int)"))
                    .hasMessageContaining("read-only transaction");
        }
        assertThat(pg.exited()).isNotDone();
        pg.stop("immediate");
        assertThat(pg.exited().get()).as("exit code after SIGQUIT").isNotNull();
        assertThat(pg.isAlive()).isFalse();
    }
}

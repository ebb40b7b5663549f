package dev.jneon.compute.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.compute.spec.ComputeSpec;
import dev.jneon.compute.spec.SpecParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresConfTest {

    private static ComputeSpec spec(String mode) throws Exception {
        String json = new String(PostgresConfTest.class.getResourceAsStream("/spec/neon-shaped-config.json")
                .readAllBytes()).replace("\"mode\": \"Primary\"", "\"mode\": " + mode);
        return SpecParser.parse(json).spec();
    }

    @Test
    void primaryConfigHasTheSpecThenWhatJneonForcesInOrder() throws Exception {
        String conf = PostgresConf.render(spec("\"Primary\""), 55433, Path.of("/run/jneon sock"));
        List<String> lines = conf.lines().toList();
        assertThat(lines.getFirst()).isEqualTo("# from the control plane");
        assertThat(lines).containsSubsequence("shared_buffers = 32MB", "lc_messages = 'C.UTF-8'",
                "# Managed by compute_ctl: begin", "max_connections = 100", "fsync = off",
                "application_name = 'it''s a \\\\test'", "# Managed by compute_ctl: end",
                "listen_addresses = '127.0.0.1'", "port = 55433", "unix_socket_directories = '/run/jneon sock'",
                "restart_after_crash = off", "wal_consistency_checking = 'all'", "wal_compression = lz4",
                "synchronous_standby_names = 'walproposer'", "synchronous_commit = on", "wal_keep_size = 0",
                "max_slot_wal_keep_size = '4GB'");
        assertThat(lines.getLast()).isEqualTo("include_if_exists = 'compute_ctl_temp_override.conf'");
        assertThat(conf).as("storage GUCs of Neon's extension are left out").doesNotContain("neon.tenant_id")
                .doesNotContain("recovery_target");
    }

    @Test
    void staticConfigIsAHotStandbyStoppingAtItsLsnWithoutWalproposer() throws Exception {
        String conf = PostgresConf.render(spec("{\"Static\": \"0/2A3B4C8\"}"), 5432, Path.of("/tmp/s"));
        assertThat(conf.lines()).contains("hot_standby = on", "recovery_target_lsn = '0/2A3B4C8'",
                "recovery_target_action = 'pause'", "wal_consistency_checking = 'all'");
        assertThat(conf).doesNotContain("synchronous_standby_names");
    }

    @Test
    void hbaLetsOnlyTheWalproposerReplicateAndEveryoneElseUseScram() {
        List<String> rules = PgHbaConf.render().lines().filter(l -> !l.startsWith("#"))
                .map(l -> String.join(" ", l.trim().split("\\s+"))).toList();
        assertThat(rules).containsExactly("local all cloud_admin trust", "host all cloud_admin 127.0.0.1/32 trust",
                "host all cloud_admin ::1/128 trust", "local replication walproposer trust",
                "local all all scram-sha-256", "host all all all scram-sha-256");
    }

    @Test
    void pgPrewarmIsPreloadedInsteadOfNeonsLibrariesAndDumpsOnlyOnRequest() throws Exception {
        assertThat(PostgresConf.preloadLibraries("'neon,pg_stat_statements, neon_rmgr,pg_prewarm'"))
                .isEqualTo("pg_stat_statements,pg_prewarm");
        assertThat(PostgresConf.preloadLibraries(null)).isEqualTo("pg_prewarm");
        List<String> lines = PostgresConf.render(spec("\"Primary\""), 5432, Path.of("/tmp/s")).lines().toList();
        assertThat(lines).containsSubsequence("shared_preload_libraries = 'pg_prewarm'", "pg_prewarm.autoprewarm = on",
                "pg_prewarm.autoprewarm_interval = 0", "include_if_exists = 'compute_ctl_temp_override.conf'");
    }
}

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
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Spec apply against a real PostgreSQL 15: roles and databases created, altered, renamed and dropped. */
class SpecApplierIT {

    private Path base;
    private PgCluster cluster;
    private SpecApplier applier;

    @BeforeEach
    void startPostgres() throws Exception {
        base = Files.createTempDirectory("jneon-spec-apply-it");
        cluster = new PgCluster(PgBinaries.of(PgMajorVersion.PG15), base.resolve("pgdata"));
        cluster.initdb(List.of());
        Files.writeString(cluster.dataDir().resolve("pg_hba.conf"), PgHbaConf.render());
        cluster.configure(java.util.Map.of("password_encryption", "'scram-sha-256'", "fsync", "off"));
        cluster.start(ServiceProcess.freePort());
        applier = new SpecApplier(cluster.port(), "neon_superuser");
    }

    @AfterEach
    void stopPostgres() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        try (Stream<Path> all = Files.walk(base)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String config() throws Exception {
        return new String(SpecApplierIT.class.getResourceAsStream("/spec/neon-shaped-config.json").readAllBytes());
    }

    private String psql(String db, String sql) {
        return cluster.psql(db, sql);
    }

    private void login(String user, String password, String db) throws SQLException {
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + cluster.port() + "/" + db, user,
                password)) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @Test
    void createsAltersRenamesAndDropsRolesAndDatabases() throws Exception {
        ComputeSpec first = SpecParser.parse(config()).spec();
        assertThat(applier.apply(first).statements()).hasSize(7);
        assertThat(psql("postgres", "select rolname from pg_roles where rolname in ('alice', 'bob \"the\" builder',"
                + " 'neon_superuser') order by 1")).isEqualTo("alice\nbob \"the\" builder\nneon_superuser");
        assertThat(psql("postgres", "select rolcreatedb and rolcreaterole and rolbypassrls and rolcanlogin"
                + " and not rolreplication and not rolsuper from pg_roles where rolname = 'alice'")).isEqualTo("t");
        assertThat(psql("postgres", "select rolconnlimit from pg_roles where rolname = 'bob \"the\" builder'")).isEqualTo("5");
        assertThat(psql("postgres", "select pg_has_role('alice', 'neon_superuser', 'member')")).isEqualTo("t");
        assertThat(psql("postgres", "select datname || ':' || pg_get_userbyid(datdba) from pg_database where datname"
                + " in ('appdb', 'bob''s db') order by 1")).isEqualTo("appdb:alice\nbob's db:bob \"the\" builder");
        login("alice", "alice-secret", "appdb");
        assertThatThrownBy(() -> login("alice", "wrong", "appdb")).hasMessageContaining("password authentication failed");
        assertThat(applier.apply(first).statements()).as("applying the same spec again changes nothing").isEmpty();

        // mallory owns objects in two databases; carol is to be renamed
        psql("postgres", "create role mallory login; create role carol login");
        psql("appdb", "create table mallory_t (x int); alter table mallory_t owner to mallory");
        psql("postgres", "create table mallory_p (x int); alter table mallory_p owner to mallory");
        String second = config()
                .replace("SCRAM-SHA-256$4096:MDEyMzQ1Njc4OWFiY2RlZg==$m8lGoSUhzwi9YHfc8DS3Ek3NZenZ+UGZOFtUTYgeVr4=:"
                        + "v+oJ1PNoIs9QFCpX/eZFaqojJhVr8JWoRFaLmDK/bvk=", "SCRAM-SHA-256$4096:YWFhYWJiYmJjY2NjZGRkZA==$"
                        + "bPIbG6ZXpoLB95cHiwqm4gP4sdYLfvDk4fHD6TsikXE=:wUgh0ngMlTaX/PxnImVOxMllPEo1uJvPyzkzhvwdpW0=")
                .replace("\"owner\": \"bob \\\"the\\\" builder\", \"options\"", "\"owner\": \"alice\", \"options\"")
                .replace("{\"action\": \"delete_db\", \"name\": \"olddb\"}",
                        "{\"action\": \"rename_db\", \"name\": \"bob's db\", \"new_name\": \"robs db\"}");
        ComputeSpec changed = SpecParser.parse(second).spec();
        applier.apply(changed);
        login("alice", "alice-new", "appdb");
        assertThatThrownBy(() -> login("alice", "alice-secret", "appdb")).hasMessageContaining("password authentication");
        assertThat(psql("postgres", "select string_agg(rolname, ',' order by rolname) from pg_roles where rolname in"
                + " ('carol', 'caroline', 'mallory')")).isEqualTo("caroline");
        assertThat(psql("appdb", "select tableowner from pg_tables where tablename = 'mallory_t'")).isEqualTo("alice");
        assertThat(psql("postgres", "select tableowner from pg_tables where tablename = 'mallory_p'")).isEqualTo("cloud_admin");
        assertThat(psql("postgres", "select string_agg(datname || ':' || pg_get_userbyid(datdba), ',' order by datname)"
                + " from pg_database where datname in ('appdb', 'bob''s db', 'robs db')"))
                .as("bob's db renamed to robs db, then the spec's bob's db created again, owned by alice")
                .isEqualTo("appdb:alice,bob's db:alice,robs db:bob \"the\" builder");

        String drop = second.replace("{\"action\": \"rename_db\", \"name\": \"bob's db\", \"new_name\": \"robs db\"}",
                "{\"action\": \"delete_db\", \"name\": \"robs db\"}");
        applier.apply(SpecParser.parse(drop).spec());
        assertThat(psql("postgres", "select count(*) from pg_database where datname = 'robs db'")).isEqualTo("0");
    }
}

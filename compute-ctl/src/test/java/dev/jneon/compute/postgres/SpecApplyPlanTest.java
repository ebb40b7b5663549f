package dev.jneon.compute.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.compute.spec.ComputeSpec;
import dev.jneon.compute.spec.SpecParser;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecApplyPlanTest {

    static final String ALICE = "SCRAM-SHA-256$4096:MDEyMzQ1Njc4OWFiY2RlZg==$m8lGoSUhzwi9YHfc8DS3Ek3NZenZ+UGZOFtUTYgeVr4="
            + ":v+oJ1PNoIs9QFCpX/eZFaqojJhVr8JWoRFaLmDK/bvk=";

    private static ComputeSpec spec() throws Exception {
        return SpecParser.parse(new String(SpecApplyPlanTest.class.getResourceAsStream("/spec/neon-shaped-config.json")
                .readAllBytes())).spec();
    }

    private static Catalog fresh() {
        Map<String, String> roles = new HashMap<>();
        roles.put("cloud_admin", null);
        roles.put("pg_read_all_data", null);
        return new Catalog(roles, Map.of("postgres", new Catalog.DatabaseInfo("cloud_admin", false, false),
                "template0", new Catalog.DatabaseInfo("cloud_admin", true, false),
                "template1", new Catalog.DatabaseInfo("cloud_admin", false, false)));
    }

    private static List<String> sql(SpecApplyPlan plan) {
        return plan.statements().stream().map(s -> s.database() + ": " + s.sql()).toList();
    }

    @Test
    void freshClusterGetsThePrivilegedRoleThenRolesThenDatabases() throws Exception {
        assertThat(sql(SpecApplyPlan.of(spec(), fresh(), "neon_superuser"))).containsExactly(
                "postgres: CREATE ROLE \"neon_superuser\" CREATEDB CREATEROLE NOLOGIN BYPASSRLS IN ROLE"
                        + " pg_read_all_data, pg_write_all_data",
                "postgres: CREATE ROLE \"alice\" INHERIT CREATEROLE CREATEDB BYPASSRLS IN ROLE \"neon_superuser\""
                        + " LOGIN PASSWORD '" + ALICE + "'",
                "postgres: CREATE ROLE \"bob \"\"the\"\" builder\" INHERIT CREATEROLE CREATEDB BYPASSRLS IN ROLE"
                        + " \"neon_superuser\" CONNECTION LIMIT 5 LOGIN PASSWORD NULL",
                "postgres: CREATE DATABASE \"appdb\" OWNER \"alice\"",
                "postgres: GRANT ALL PRIVILEGES ON DATABASE \"appdb\" TO \"neon_superuser\"",
                "postgres: CREATE DATABASE \"bob's db\" ENCODING 'UTF8' OWNER \"bob \"\"the\"\" builder\"",
                "postgres: GRANT ALL PRIVILEGES ON DATABASE \"bob's db\" TO \"neon_superuser\"");
    }

    @Test
    void existingClusterGetsOnlyTheDifferenceAndTheDeltaOperations() throws Exception {
        Map<String, String> roles = new HashMap<>(fresh().rolePasswords());
        roles.put("neon_superuser", null);
        roles.put("alice", "SCRAM-SHA-256$4096:old");
        roles.put("bob \"the\" builder", null);
        roles.put("carol", ALICE);
        roles.put("mallory", null);
        Map<String, Catalog.DatabaseInfo> dbs = new HashMap<>(fresh().databases());
        dbs.put("appdb", new Catalog.DatabaseInfo("mallory", false, false));
        dbs.put("bob's db", new Catalog.DatabaseInfo("bob \"the\" builder", false, false));
        dbs.put("olddb", new Catalog.DatabaseInfo("alice", false, false));
        dbs.put("broken", new Catalog.DatabaseInfo("alice", false, true));
        assertThat(sql(SpecApplyPlan.of(spec(), new Catalog(roles, dbs), "neon_superuser"))).containsExactly(
                "postgres: DROP DATABASE IF EXISTS \"broken\"",
                "postgres: ALTER ROLE \"carol\" RENAME TO \"caroline\"",
                "postgres: ALTER ROLE \"alice\" LOGIN PASSWORD '" + ALICE + "'",
                "postgres: ALTER DATABASE \"olddb\" IS_TEMPLATE false",
                "postgres: DROP DATABASE IF EXISTS \"olddb\" WITH (FORCE)",
                "postgres: ALTER DATABASE \"appdb\" OWNER TO \"alice\"",
                "appdb: REASSIGN OWNED BY \"mallory\" TO \"alice\"",
                "appdb: DROP OWNED BY \"mallory\"",
                "bob's db: REASSIGN OWNED BY \"mallory\" TO \"bob \"\"the\"\" builder\"",
                "bob's db: DROP OWNED BY \"mallory\"",
                "postgres: REASSIGN OWNED BY \"mallory\" TO \"cloud_admin\"",
                "postgres: DROP OWNED BY \"mallory\"",
                "postgres: DROP ROLE IF EXISTS \"mallory\"");
    }

    @Test
    void appliedSpecPlansNothing() throws Exception {
        Map<String, String> roles = new HashMap<>(fresh().rolePasswords());
        roles.put("neon_superuser", null);
        roles.put("alice", ALICE);
        roles.put("bob \"the\" builder", null);
        Map<String, Catalog.DatabaseInfo> dbs = new HashMap<>(fresh().databases());
        dbs.put("appdb", new Catalog.DatabaseInfo("alice", false, false));
        dbs.put("bob's db", new Catalog.DatabaseInfo("bob \"the\" builder", false, false));
        assertThat(SpecApplyPlan.of(spec(), new Catalog(roles, dbs), "neon_superuser").statements()).isEmpty();
    }

    @Test
    void reservedRolesAreRefused() throws Exception {
        String json = new String(SpecApplyPlanTest.class.getResourceAsStream("/spec/neon-shaped-config.json")
                .readAllBytes()).replace("\"name\": \"alice\"", "\"name\": \"cloud_admin\"")
                .replace("\"owner\": \"alice\"", "\"owner\": \"cloud_admin\"");
        assertThatThrownBy(() -> SpecApplyPlan.of(SpecParser.parse(json).spec(), fresh(), "neon_superuser"))
                .hasMessageContaining("reserved role 'cloud_admin'");
    }

    @Test
    void quotingDoublesQuotes() {
        assertThat(SqlText.ident("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(SqlText.literal("it's")).isEqualTo("'it''s'");
        assertThat(SqlText.confString("a\\b'c")).isEqualTo("'a\\\\b''c'");
        assertThat(SpecApplier.redact("ALTER ROLE \"x\" LOGIN PASSWORD 'SCRAM-SHA-256$secret'"))
                .isEqualTo("ALTER ROLE \"x\" LOGIN PASSWORD '<redacted>'");
    }
}

package dev.jneon.controlplane.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.controlplane.RegistryDatabase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The registry's schema and every record kind round trip through a real PostgreSQL 15. */
class RegistryIT {

    @RegisterExtension
    static final RegistryDatabase DB = new RegistryDatabase();

    private static PGSimpleDataSource dataSource;
    private static Registry registry;

    @BeforeAll
    static void migrate() {
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(DB.jdbcUrl());
        dataSource.setUser("cloud_admin");
        assertThat(new RegistrySchema(dataSource).ensureCurrent()).isEqualTo(RegistrySchema.CURRENT_VERSION);
        registry = new Registry(JdbcClient.create(dataSource));
    }

    private static Endpoint endpoint(String id, String project, String branch, int port) {
        return new Endpoint(id, project, branch, 5, true, List.of("10.0.0.0/8", "127.0.0.1"), false,
                EndpointState.IDLE, "127.0.0.1", port, port + 1, null, null, null, null, null);
    }

    @Test
    void migrationIsIdempotentAndANewerDatabaseIsRefused() {
        assertThat(new RegistrySchema(dataSource).ensureCurrent()).isEqualTo(1);
        assertThat(DB.psql("select count(*) from registry_version").trim()).isEqualTo("1");
        DB.psql("insert into registry_version (version) values (99)");
        try {
            assertThatThrownBy(() -> new RegistrySchema(dataSource).ensureCurrent())
                    .hasMessageContaining("newer than this build");
        } finally {
            DB.psql("delete from registry_version where version = 99");
        }
    }

    @Test
    void projectsBranchesEndpointsRolesAndDatabasesRoundTrip() {
        var project = new Project("p-round", TenantId.generate(), 15, null);
        registry.insertProject(project);
        var main = new Branch("br-round", "p-round", "main", TimelineId.generate(), null);
        registry.insertBranch(main);
        registry.insertEndpoint(endpoint("ep-round", "p-round", "br-round", 40000));
        registry.setDefaultEndpoint("p-round", "ep-round");

        assertThat(registry.project("p-round")).contains(new Project("p-round", project.tenant(), 15, "ep-round"));
        assertThat(registry.branchByName("p-round", "main")).contains(main);
        Endpoint e = registry.endpoint("ep-round").orElseThrow();
        assertThat(e).isEqualTo(endpoint("ep-round", "p-round", "br-round", 40000));
        assertThat(registry.usedPorts()).contains(40000, 40001);

        Instant started = Instant.now().truncatedTo(ChronoUnit.MICROS);
        registry.transition("ep-round", EndpointState.ACTIVE, "compute-1", 1234L, started, null);
        registry.touchLastActive("ep-round", started.plusSeconds(5));
        registry.touchLastActive("ep-round", started.plusSeconds(1));
        e = registry.endpoint("ep-round").orElseThrow();
        assertThat(e.state()).isEqualTo(EndpointState.ACTIVE);
        assertThat(e.pid()).isEqualTo(1234L);
        assertThat(e.startedAt()).isEqualTo(started);
        assertThat(e.lastActive()).as("last_active only increases").isEqualTo(started.plusSeconds(5));
        registry.transition("ep-round", EndpointState.IDLE, null, null, null, "gone");
        e = registry.endpoint("ep-round").orElseThrow();
        assertThat(e.computeId()).as("kept when not given").isEqualTo("compute-1");
        assertThat(e.pid()).isNull();
        assertThat(e.lastError()).isEqualTo("gone");

        registry.putRole(new Role("br-round", "alice", "SCRAM-SHA-256$4096:a$b:c", false));
        registry.putDatabase(new Database("br-round", "appdb", "alice", false));
        assertThat(registry.deleteRole("br-round", "alice")).isTrue();
        assertThat(registry.deleteRole("br-round", "alice")).as("already deleted").isFalse();
        assertThat(registry.roles("br-round")).containsExactly(new Role("br-round", "alice", "SCRAM-SHA-256$4096:a$b:c",
                true));
        assertThat(registry.role("br-round", "alice")).isEmpty();
        registry.putRole(new Role("br-round", "alice", "SCRAM-SHA-256$4096:x$y:z", false));
        assertThat(registry.role("br-round", "alice").orElseThrow().secret()).isEqualTo("SCRAM-SHA-256$4096:x$y:z");
        assertThat(registry.databases("br-round")).containsExactly(new Database("br-round", "appdb", "alice", false));

        registry.deleteEndpoint("ep-round");
        assertThat(registry.project("p-round").orElseThrow().defaultEndpointId()).isNull();
        registry.deleteProject("p-round");
        assertThat(registry.branch("br-round")).isEmpty();
        assertThat(registry.roles("br-round")).isEmpty();
    }

    @Test
    void aBranchHasAtMostOnePrimaryEndpointAndPortsAreUnique() {
        registry.insertProject(new Project("p-one", TenantId.generate(), 15, null));
        registry.insertBranch(new Branch("br-one", "p-one", "main", TimelineId.generate(), null));
        registry.insertBranch(new Branch("br-two", "p-one", "dev", TimelineId.generate(), "br-one"));
        registry.insertEndpoint(endpoint("ep-one", "p-one", "br-one", 41000));
        assertThatThrownBy(() -> registry.insertEndpoint(endpoint("ep-two", "p-one", "br-one", 41010)))
                .hasMessageContaining("endpoints_one_primary_per_branch");
        assertThatThrownBy(() -> registry.insertEndpoint(endpoint("ep-two", "p-one", "br-two", 41000)))
                .hasMessageContaining("pg_port");
    }

    @Test
    void recordsRefuseInvalidValues() {
        assertThatThrownBy(() -> endpoint("EP_1", "p", "b", 1)).hasMessageContaining("[a-z0-9-]+");
        assertThatThrownBy(() -> new Project("p", TenantId.generate(), 14, null)).hasMessageContaining("15");
        assertThatThrownBy(() -> new Role("b", "cloud_admin", "SCRAM-SHA-256$x", false)).hasMessageContaining("reserved");
        assertThatThrownBy(() -> new Role("b", "bob", "md5abc", false)).hasMessageContaining("SCRAM");
        assertThat(Ids.generate("ep")).matches("ep-[a-z0-9]{12}");
    }
}

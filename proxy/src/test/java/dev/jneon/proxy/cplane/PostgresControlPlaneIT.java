package dev.jneon.proxy.cplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.testing.ScratchPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The {@code postgres} auth backend against a real PostgreSQL 15, wired as the service wires it. */
class PostgresControlPlaneIT {

    static ScratchPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = ScratchPostgres.start("pgcp", List.of());
        postgres.cluster().psql("postgres", "CREATE ROLE alice LOGIN PASSWORD 'wonder land'; CREATE ROLE nopass LOGIN;"
                + "SET password_encryption = 'md5'; CREATE ROLE oldie LOGIN PASSWORD 'x';"
                + "CREATE SCHEMA neon_control_plane;"
                + "CREATE TABLE neon_control_plane.endpoints (endpoint_id text PRIMARY KEY, allowed_ips text);"
                + "INSERT INTO neon_control_plane.endpoints VALUES ('ep-locked', '10.0.0.0/8, 192.168.1.1')");
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    static String url() {
        return postgres.superuserUrl();
    }

    @Test
    void readsSecretsAndAllowlistsAndWakesItself() throws Exception {
        var cp = new PostgresControlPlane(PostgresUrl.parse(url()));
        var ctx = CallContext.newSession();
        EndpointAccess alice = cp.accessControl(new EndpointId("ep-any"), "alice", ctx);
        assertThat(alice.roleSecret().orElseThrow().verifyPassword("wonder land")).isTrue();
        assertThat(alice.allowedIps().allowsEveryone()).isTrue();
        assertThat(cp.accessControl(new EndpointId("ep-any"), "nopass", ctx).roleSecret()).isEmpty();
        assertThat(cp.accessControl(new EndpointId("ep-any"), "oldie", ctx).roleSecret()).as("md5").isEmpty();
        assertThat(cp.accessControl(new EndpointId("ep-any"), "ghost", ctx).roleSecret()).isEmpty();
        AllowedIps locked = cp.accessControl(new EndpointId("ep-locked-pooler"), "alice", ctx).allowedIps();
        assertThat(locked.allows(InetAddress.ofLiteral("10.2.3.4"))).isTrue();
        assertThat(locked.allows(InetAddress.ofLiteral("127.0.0.1"))).isFalse();
        NodeInfo node = cp.wakeCompute(new EndpointId("ep-any"), NeonOptions.none(), ctx);
        assertThat(node.address()).isEqualTo("127.0.0.1:" + postgres.port());
        assertThat(node.serverName()).isEmpty();
        assertThat(node.aux().coldStart()).isEqualTo(ComputeAux.ColdStart.WARM);
    }

    @Test
    void unreachablePostgresIsARetriableTransportError() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var cp = new PostgresControlPlane(PostgresUrl.parse("postgres://x@127.0.0.1:" + port + "/postgres"));
        assertThatThrownBy(() -> cp.accessControl(new EndpointId("ep"), "alice", CallContext.newSession()))
                .isInstanceOfSatisfying(ControlPlaneError.class, e -> assertThat(e.isRetriable()).isTrue());
    }

    @Test
    void springWiresTheCachingClientForTheConfiguredBackend() {
        new ApplicationContextRunner()
                .withUserConfiguration(ControlPlaneConfiguration.class)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("jneon.proxy.auth-backend=postgres", "jneon.proxy.auth-endpoint=" + url(),
                        "jneon.proxy.control-plane.node-cache.idle-ttl=1m")
                .run(context -> {
                    assertThat(context).hasSingleBean(CachingControlPlane.class);
                    assertThat(context.getBean(ControlPlane.class)).isInstanceOf(TimedControlPlane.class);
                    var access = context.getBean(CachingControlPlane.class)
                            .accessControl(new EndpointId("ep-x"), "alice", CallContext.newSession());
                    assertThat(access.roleSecret()).isPresent();
                    var timer = context.getBean(MeterRegistry.class).find("proxy.console.request.latency")
                            .tag("request", "get_endpoint_access_control").tag("outcome", "ok").timer();
                    assertThat(timer.count()).isEqualTo(1);
                });
        new ApplicationContextRunner().withUserConfiguration(ControlPlaneConfiguration.class)
                .run(context -> assertThat(context).doesNotHaveBean(CachingControlPlane.class));
    }
}

package dev.jneon.proxy.cplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.scram.ScramSecret;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** B.8 cache rules with a manual clock. */
class CacheRulesTest {

    static final ComputeAux AUX = new ComputeAux("ep-a", "p", "b", "c", ComputeAux.ColdStart.WARM);
    static final NodeInfo NODE_1 = NodeInfo.at("127.0.0.1:5001", Optional.empty(), AUX);
    static final NodeInfo NODE_2 = NodeInfo.at("127.0.0.1:5002", Optional.empty(), AUX);

    final ManualTicker ticker = new ManualTicker();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final NodeInfoCache nodes = new NodeInfoCache(100, Duration.ofMinutes(4), ticker, registry);

    double count(String cache, String outcome) {
        var c = registry.find("proxy.cache.requests").tag("cache", cache).tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void nodeInfoIdleTtlRestartsOnEveryHit() throws Exception {
        nodes.store("ep-a", NODE_1);
        for (int i = 0; i < 3; i++) {
            ticker.advance(Duration.ofMinutes(3));
            var hit = nodes.lookup("ep-a").orElseThrow();
            assertThat(hit.fromCache()).isTrue();
            assertThat(hit.node().aux().coldStart()).isEqualTo(ComputeAux.ColdStart.WARM_CACHED);
        }
        ticker.advance(Duration.ofMinutes(4).plusSeconds(1));
        assertThat(nodes.lookup("ep-a")).isEmpty();
        assertThat(count("node_info", "hit")).isEqualTo(3);
        assertThat(count("node_info", "miss")).isEqualTo(1);
    }

    @Test
    void invalidationNeverRemovesANewerEntry() throws Exception {
        nodes.store("ep-a", NODE_1);
        var stale = nodes.lookup("ep-a").orElseThrow();
        var fresh = nodes.store("ep-a", NODE_2);
        assertThat(nodes.invalidate(stale)).isFalse();
        assertThat(nodes.lookup("ep-a").orElseThrow().node().port()).isEqualTo(5002);
        assertThat(count("node_info", "spurious_hit")).isEqualTo(1);
        assertThat(nodes.invalidate(fresh)).isTrue();
        assertThat(nodes.lookup("ep-a")).isEmpty();
        assertThat(nodes.invalidate(fresh)).isFalse();
    }

    @Test
    void errorsAreCachedOnlyWhenAllowedAndForTheirDelay() throws Exception {
        var retriableNoDelay = ControlPlaneError.answer(503, "busy", Optional.of("RUNNING_OPERATIONS"),
                Optional.empty(), Optional.empty());
        nodes.storeError("ep-a", retriableNoDelay);
        assertThat(nodes.lookup("ep-a")).isEmpty();
        nodes.storeError("ep-a", ControlPlaneError.transport("refused", true));
        assertThat(nodes.lookup("ep-a")).isEmpty();

        var withDelay = ControlPlaneError.answer(503, "busy", Optional.of("RUNNING_OPERATIONS"),
                Optional.of(Duration.ofSeconds(2)), Optional.empty());
        nodes.storeError("ep-a", withDelay);
        assertThatThrownBy(() -> nodes.lookup("ep-a")).isSameAs(withDelay);
        ticker.advance(Duration.ofMillis(1500));
        assertThatThrownBy(() -> nodes.lookup("ep-a")).isSameAs(withDelay);
        ticker.advance(Duration.ofMillis(600));
        assertThat(nodes.lookup("ep-a")).isEmpty();

        var notFound = ControlPlaneError.answer(404, "nope", Optional.of("ENDPOINT_NOT_FOUND"), Optional.empty(),
                Optional.empty());
        nodes.storeError("ep-b", notFound);
        ticker.advance(Duration.ofSeconds(29));
        assertThatThrownBy(() -> nodes.lookup("ep-b")).isSameAs(notFound);
        ticker.advance(Duration.ofSeconds(2));
        assertThat(nodes.lookup("ep-b")).isEmpty();
    }

    @Test
    void endpointInvalidationDropsEveryOptionVariant() throws Exception {
        nodes.store("ep-a", NODE_1);
        nodes.store("ep-a neon_lsn:0/1", NODE_2);
        nodes.store("ep-ab", NODE_2);
        nodes.invalidateEndpoint(new EndpointId("ep-a"));
        assertThat(nodes.lookup("ep-a")).isEmpty();
        assertThat(nodes.lookup("ep-a neon_lsn:0/1")).isEmpty();
        assertThat(nodes.lookup("ep-ab")).isPresent();
    }

    @Test
    void projectInfoKeepsRolesPerNormalizedEndpointWithinTheTtl() throws Exception {
        var projects = new ProjectInfoCache(100, Duration.ofMinutes(4), 2, ticker, registry);
        ScramSecret alice = ScramSecret.generate("a", 16, 16);
        ScramSecret bob = ScramSecret.generate("b", 16, 16);
        var rules = new AllowedIps(java.util.List.of("10.0.0.0/8"));
        projects.store(new EndpointId("ep-a"), "alice", EndpointAccess.of(Optional.of(alice), rules));
        ticker.advance(Duration.ofMinutes(2));
        projects.store(new EndpointId("ep-a-pooler"), "bob", EndpointAccess.of(Optional.of(bob), rules));
        projects.store(new EndpointId("ep-a"), "nobody", EndpointAccess.of(Optional.empty(), rules));
        var pooled = projects.lookup(new EndpointId("ep-a-pooler"), "nobody").orElseThrow();
        assertThat(pooled.roleSecret()).isEmpty();
        assertThat(pooled.allowedIps()).isEqualTo(rules);
        assertThat(projects.lookup(new EndpointId("ep-a"), "bob").orElseThrow().roleSecret()).contains(bob);
        assertThat(projects.lookup(new EndpointId("ep-a"), "alice")).as("oldest of 3 roles dropped, max 2").isEmpty();
        ticker.advance(Duration.ofMinutes(2).plusSeconds(1));
        assertThat(projects.lookup(new EndpointId("ep-a"), "bob")).as("expires 4 min after the first store").isEmpty();
        assertThat(count("project_info", "hit")).isEqualTo(2);
    }

    @Test
    void projectInfoErrorsAndInvalidation() throws Exception {
        var projects = new ProjectInfoCache(100, Duration.ofMinutes(4), 10, ticker, registry);
        var ep = new EndpointId("ep-a");
        var disabled = ControlPlaneError.answer(406, "disabled", Optional.of("ENDPOINT_DISABLED"), Optional.empty(),
                Optional.empty());
        projects.storeError(ep, "alice", disabled);
        assertThatThrownBy(() -> projects.lookup(ep, "alice")).isSameAs(disabled);
        assertThat(projects.lookup(ep, "bob")).isEmpty();
        projects.store(ep, "bob", EndpointAccess.of(Optional.empty(), AllowedIps.all()));
        projects.invalidateRole(ep, "bob");
        assertThat(projects.lookup(ep, "bob")).isEmpty();
        projects.invalidateEndpoint(ep);
        assertThat(projects.lookup(ep, "alice")).isEmpty();
    }
}

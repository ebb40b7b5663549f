package dev.jneon.proxy.cplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Endpoint ids, neon options, compute addresses and postgres URLs. */
class NamesAndUrlsTest {

    @Test
    void endpointIdsAreValidatedAndNormalized() {
        assertThat(new EndpointId("ep-cool-42-pooler").normalized()).isEqualTo("ep-cool-42");
        assertThat(new EndpointId("ep-cool-42-local-proxy").normalized()).isEqualTo("ep-cool-42");
        assertThat(new EndpointId("ep-cool-42").normalized()).isEqualTo("ep-cool-42");
        assertThatThrownBy(() -> new EndpointId("ep_x")).hasMessage(
                "Project name ('ep_x') must contain only alphanumeric characters and hyphen.");
    }

    @Test
    void neonOptionsAreSortedIntoTheCacheKey() {
        var options = NeonOptions.parse("-c search_path=a\\ b neon_lsn:0/16B3748 endpoint=ep-x neon_endpoint_type:ro");
        assertThat(options.values()).containsExactly(java.util.Map.entry("neon_endpoint_type", "ro"),
                java.util.Map.entry("neon_lsn", "0/16B3748"));
        assertThat(options.cacheKey(new EndpointId("ep-x"))).isEqualTo("ep-x neon_endpoint_type:ro neon_lsn:0/16B3748");
        assertThat(NeonOptions.parse(null).cacheKey(new EndpointId("ep-x"))).isEqualTo("ep-x");
        assertThat(NeonOptions.tokens("-c search_path=a\\ b")).containsExactly("-c", "search_path=a b");
    }

    @Test
    void computeAddressesParse() {
        var aux = new ComputeAux(null, null, null, null, null);
        NodeInfo v4 = NodeInfo.at("127.0.0.1:55432", Optional.empty(), aux);
        assertThat(v4.host()).isEqualTo("127.0.0.1");
        assertThat(v4.port()).isEqualTo(55432);
        NodeInfo v6 = NodeInfo.at("[::1]:5432", Optional.of("ep.local"), aux);
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6.address()).isEqualTo("[::1]:5432");
        assertThatThrownBy(() -> NodeInfo.at("nohost", Optional.empty(), aux)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ComputeAux.ColdStart.fromJson("pool_hit")).isEqualTo(ComputeAux.ColdStart.POOL_HIT);
        assertThat(ComputeAux.ColdStart.fromJson("bogus")).isEqualTo(ComputeAux.ColdStart.UNKNOWN);
    }

    @Test
    void postgresUrlsDecode() {
        var url = PostgresUrl.parse("postgresql://al%40ice:p%3Aw%2Fd@ep-x.local.jneon.dev:4432/my%20db?options=endpoint%3Dep-x&sslmode=require");
        assertThat(url.user()).isEqualTo("al@ice");
        assertThat(url.password()).isEqualTo("p:w/d");
        assertThat(url.host()).isEqualTo("ep-x.local.jneon.dev");
        assertThat(url.port()).isEqualTo(4432);
        assertThat(url.database()).isEqualTo("my db");
        assertThat(url.parameters()).containsEntry("options", "endpoint=ep-x").containsEntry("sslmode", "require");
        assertThat(url.toString()).doesNotContain("p:w/d");
        var plain = PostgresUrl.parse("postgres://bob@[::1]");
        assertThat(plain.host()).isEqualTo("::1");
        assertThat(plain.port()).isEqualTo(5432);
        assertThat(plain.database()).isEqualTo("bob");
        assertThat(plain.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/bob");
        assertThatThrownBy(() -> PostgresUrl.parse("mysql://x")).isInstanceOf(IllegalArgumentException.class);
    }
}

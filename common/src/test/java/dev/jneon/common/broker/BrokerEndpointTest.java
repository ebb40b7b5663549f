package dev.jneon.common.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The small values of the broker client: endpoint, backoff and filter. */
class BrokerEndpointTest {

    @Test
    void acceptsHttpAndHttpsWithHostAndPort() {
        assertThat(BrokerEndpoint.of("http://127.0.0.1:50051", List.of()).tls()).isFalse();
        assertThat(BrokerEndpoint.of("https://broker:50051", List.of(Path.of("ca.pem"))).tls()).isTrue();
        assertThatThrownBy(() -> BrokerEndpoint.of("grpc://broker:50051", List.of())).hasMessageContaining("http://");
        assertThatThrownBy(() -> BrokerEndpoint.of("http://broker", List.of())).hasMessageContaining("port");
        assertThatThrownBy(() -> BrokerEndpoint.of("http://broker:1", List.of(Path.of("ca.pem"))))
                .hasMessageContaining("https://");
    }

    @RepeatedTest(20)
    void backoffGrowsToItsCapWithinTenPercentJitter() {
        var backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(15));
        assertThat(backoff.delayAfter(1).toMillis()).isBetween(90L, 110L);
        assertThat(backoff.delayAfter(3).toMillis()).isBetween(202L, 248L); // 225 ms
        assertThat(backoff.delayAfter(100).toMillis()).isBetween(13_500L, 16_500L);
        assertThat(Backoff.fixed(Duration.ofSeconds(1)).delayAfter(50).toMillis()).isBetween(900L, 1100L);
    }

    @Test
    void backoffRejectsNonsense() {
        assertThatThrownBy(() -> Backoff.fixed(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void filterMatchesByTypeAndTimeline() {
        var a = dev.jneon.common.id.TenantTimelineId.generate();
        var b = dev.jneon.common.id.TenantTimelineId.generate();
        var requestA = new SafekeeperDiscoveryRequest(a);
        var requestB = new SafekeeperDiscoveryRequest(b);

        assertThat(new MessageFilter(Set.of(MessageType.SAFEKEEPER_DISCOVERY_REQUEST), Optional.of(a)).matches(requestA)).isTrue();
        assertThat(new MessageFilter(Set.of(MessageType.SAFEKEEPER_DISCOVERY_REQUEST), Optional.of(a)).matches(requestB)).isFalse();
        assertThat(MessageFilter.allTimelineInfos().matches(requestA)).isFalse();
        assertThat(new MessageFilter(Set.of(), Optional.empty()).matches(requestA)).isFalse();
    }
}

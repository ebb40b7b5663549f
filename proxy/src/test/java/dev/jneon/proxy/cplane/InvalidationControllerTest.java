package dev.jneon.proxy.cplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.jneon.common.service.ApiErrorHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** {@code POST /v1/invalidate} drops cached addresses and secrets. */
class InvalidationControllerTest {

    final ManualTicker ticker = new ManualTicker();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final NodeInfoCache nodes = new NodeInfoCache(100, Duration.ofMinutes(4), ticker, registry);
    final ProjectInfoCache projects = new ProjectInfoCache(100, Duration.ofMinutes(4), 10, ticker, registry);
    final CachingControlPlane controlPlane = new CachingControlPlane(null, nodes, projects,
            new WakeRateLimiter(WakeRateLimiter.DEFAULT, ticker), RetryPolicy.WAKE, d -> { });
    final MockMvc mvc = MockMvcBuilders.standaloneSetup(new InvalidationController(controlPlane))
            .setControllerAdvice(new ApiErrorHandler()).build();

    @Test
    void dropsTheEndpointsAddressesAndSecrets() throws Exception {
        var ep = new EndpointId("ep-a");
        nodes.store("ep-a", CacheRulesTest.NODE_1);
        nodes.store("ep-b", CacheRulesTest.NODE_2);
        projects.store(ep, "alice", EndpointAccess.of(Optional.empty(), AllowedIps.all()));
        projects.store(ep, "bob", EndpointAccess.of(Optional.empty(), AllowedIps.all()));
        mvc.perform(post("/v1/invalidate").param("endpoint", "ep-a").param("role", "alice"))
                .andExpect(status().isOk()).andExpect(content().json("{\"endpoint\": \"ep-a\", \"role\": \"alice\"}"));
        assertThat(nodes.lookup("ep-a")).isEmpty();
        assertThat(nodes.lookup("ep-b")).isPresent();
        assertThat(projects.lookup(ep, "alice")).isEmpty();
        assertThat(projects.lookup(ep, "bob")).isPresent();
        mvc.perform(post("/v1/invalidate").param("endpoint", "ep-a")).andExpect(status().isOk());
        assertThat(projects.lookup(ep, "bob")).isEmpty();
    }

    @Test
    void refusesBadEndpointIds() throws Exception {
        mvc.perform(post("/v1/invalidate").param("endpoint", "ep_a")).andExpect(status().isBadRequest())
                .andExpect(content().json("{\"msg\": \"Project name ('ep_a') must contain only alphanumeric characters and hyphen.\"}"));
    }
}

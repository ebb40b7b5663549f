package dev.jneon.safekeeper;

import dev.jneon.common.id.NodeId;
import dev.jneon.common.service.NodeProperties;
import dev.jneon.safekeeper.timeline.Timelines;
import java.io.IOException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the safekeeper: its timelines, loaded from the data directory at start-up. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SafekeeperProperties.class)
class SafekeeperConfiguration {

    @Bean(destroyMethod = "close")
    Timelines timelines(NodeProperties node, SafekeeperProperties properties) throws IOException {
        return new Timelines(NodeId.of(node.id()), properties.dataDir());
    }
}

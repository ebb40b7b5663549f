package dev.jneon.common.service;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Identity of one service process, shared by every jneon service.
 *
 * @param id the node id this process reports (safekeeper and pageserver ids come from the operator
 *     or the storage controller; other services use it only to tell instances apart)
 * @param service the service name reported by {@code /v1/status}; defaults to {@code spring.application.name}
 */
@ConfigurationProperties("jneon.node")
public record NodeProperties(long id, String service) {

    public NodeProperties {
        if (id < 0) {
            throw new IllegalArgumentException("jneon.node.id must not be negative, got " + id);
        }
    }
}

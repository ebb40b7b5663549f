package dev.jneon.controlplane.registry;

import dev.jneon.common.id.TenantId;
import java.util.Objects;

/**
 * A project: one tenant on the pageserver. Immutable.
 *
 * @param id                {@code [a-z0-9-]+}
 * @param tenant            its tenant
 * @param pgVersion         Postgres major version of its timelines
 * @param defaultEndpointId the endpoint a project id resolves to for the proxy, or null
 */
public record Project(String id, TenantId tenant, int pgVersion, String defaultEndpointId) {

    public Project {
        Ids.check("project", id);
        Objects.requireNonNull(tenant, "tenant");
        if (pgVersion != 15) {
            throw new IllegalArgumentException("pg_version must be 15 (the only Postgres jneon runs), got " + pgVersion);
        }
    }
}

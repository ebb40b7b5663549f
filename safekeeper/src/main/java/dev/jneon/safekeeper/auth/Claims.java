package dev.jneon.safekeeper.auth;

import dev.jneon.common.id.TenantId;
import java.util.Optional;

/**
 * The claims of a verified token: a lower-case scope and, for scope {@code tenant}, the tenant it
 * is limited to. Immutable.
 */
public record Claims(String scope, Optional<TenantId> tenantId) {

    public static final String SAFEKEEPER_DATA = "safekeeperdata";
    public static final String TENANT = "tenant";

    /** Whether these claims allow access to {@code tenant} (spec I: safekeeperdata all, tenant only its own). */
    public boolean allows(TenantId tenant) {
        return SAFEKEEPER_DATA.equals(scope) || (TENANT.equals(scope) && tenantId.filter(tenant::equals).isPresent());
    }

    /** Whether these claims allow routes that name no tenant. */
    public boolean allowsAllTenants() {
        return SAFEKEEPER_DATA.equals(scope);
    }
}

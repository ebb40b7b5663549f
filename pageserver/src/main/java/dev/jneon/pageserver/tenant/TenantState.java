package dev.jneon.pageserver.tenant;

/** Life cycle of an attached tenant shard (spec D.1), with Neon's API slugs. */
public enum TenantState {
    ACTIVE("Active"),
    STOPPING("Stopping"),
    BROKEN("Broken");

    private final String slug;

    TenantState(String slug) {
        this.slug = slug;
    }

    public String slug() {
        return slug;
    }
}

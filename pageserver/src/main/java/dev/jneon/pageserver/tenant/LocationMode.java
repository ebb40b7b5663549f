package dev.jneon.pageserver.tenant;

/** How this pageserver holds a tenant shard (spec F.2 LocationConfig {@code mode}). */
public enum LocationMode {
    AttachedSingle,
    AttachedMulti,
    AttachedStale,
    Secondary,
    Detached;

    public boolean isAttached() {
        return this == AttachedSingle || this == AttachedMulti || this == AttachedStale;
    }

    public static LocationMode parse(String text) {
        for (LocationMode m : values()) {
            if (m.name().equals(text)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown location mode '" + text + "'");
    }
}

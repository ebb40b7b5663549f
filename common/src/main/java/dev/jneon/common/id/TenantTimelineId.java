package dev.jneon.common.id;

/**
 * A timeline together with its tenant: the key most maps and logs use. Text form is
 * {@code <tenant>/<timeline>}; JSON form is {@code {"tenant_id": ..., "timeline_id": ...}}.
 * Ordered by tenant, then timeline. Immutable.
 */
public record TenantTimelineId(TenantId tenantId, TimelineId timelineId) implements Comparable<TenantTimelineId> {

    public TenantTimelineId {
        if (tenantId == null || timelineId == null) {
            throw new IllegalArgumentException("tenant id and timeline id must not be null");
        }
    }

    public static TenantTimelineId generate() {
        return new TenantTimelineId(TenantId.generate(), TimelineId.generate());
    }

    /** Parses {@code <tenant>/<timeline>}; throws {@link IllegalArgumentException} naming the bad input. */
    public static TenantTimelineId parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("malformed TenantTimelineId '" + text + "': expected <tenant>/<timeline>");
        }
        return new TenantTimelineId(TenantId.parse(text.substring(0, slash)), TimelineId.parse(text.substring(slash + 1)));
    }

    @Override
    public int compareTo(TenantTimelineId o) {
        int c = tenantId.compareTo(o.tenantId);
        return c != 0 ? c : timelineId.compareTo(o.timelineId);
    }

    @Override
    public String toString() {
        return tenantId + "/" + timelineId;
    }
}

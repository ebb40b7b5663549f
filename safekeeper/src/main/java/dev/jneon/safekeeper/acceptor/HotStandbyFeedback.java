package dev.jneon.safekeeper.acceptor;

/**
 * Hot-standby feedback of read replicas: a timestamp (µs since the Unix epoch) and full 64-bit
 * xmin / catalog_xmin, 0 = none. Immutable.
 */
public record HotStandbyFeedback(long ts, long xmin, long catalogXmin) {

    public static final HotStandbyFeedback EMPTY = new HotStandbyFeedback(0, 0, 0);
}

package dev.jneon.pageserver.walreceiver;

import java.time.Duration;

/**
 * Thresholds of safekeeper switching (spec safekeeper-broker.md H; Neon's tenant knobs of the same
 * names and defaults). Immutable; validated here.
 *
 * @param connectTimeout switch away from a connection with no status update for this long
 *     (Neon's walreceiver_connect_timeout, 10 s)
 * @param laggingWalTimeout candidates silent this long are forgotten; a connection that receives
 *     no new WAL this long while another safekeeper has more is replaced (10 s)
 * @param maxLsnWalLag switch when the best candidate's commit LSN is this many bytes ahead of the
 *     current safekeeper's (Neon's max_lsn_wal_lag, 1 GiB)
 */
public record WalReceiverConf(Duration connectTimeout, Duration laggingWalTimeout, long maxLsnWalLag) {

    public static final WalReceiverConf DEFAULTS = new WalReceiverConf(Duration.ofSeconds(10), Duration.ofSeconds(10),
            1L << 30);

    public WalReceiverConf {
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()
                || laggingWalTimeout == null || laggingWalTimeout.isNegative() || laggingWalTimeout.isZero()) {
            throw new IllegalArgumentException("walreceiver timeouts must be positive, got " + connectTimeout + ", "
                    + laggingWalTimeout);
        }
        if (maxLsnWalLag <= 0) {
            throw new IllegalArgumentException("max_lsn_wal_lag must be positive, got " + maxLsnWalLag);
        }
    }
}

package dev.jneon.pageserver.walreceiver;

/** Why the WAL receiver (re)connects (spec safekeeper-broker.md H, Neon's ReconnectReason names). */
public enum SwitchReason {
    /** No connection: connect to the best candidate. */
    NO_EXISTING_CONNECTION("NoExistingConnection"),
    /** The connection gave no status update for walreceiver_connect_timeout. */
    NO_KEEP_ALIVES("NoKeepAlives"),
    /** The best candidate is max_lsn_wal_lag or more ahead of the current safekeeper. */
    LAGGING_WAL("LaggingWal"),
    /** WAL is known to exist but none arrived for lagging_wal_timeout. */
    NO_WAL_TIMEOUT("NoWalTimeout");

    private final String neonName;

    SwitchReason(String neonName) {
        this.neonName = neonName;
    }

    /** Neon's name of the reason, used as the metric label. */
    public String neonName() {
        return neonName;
    }
}

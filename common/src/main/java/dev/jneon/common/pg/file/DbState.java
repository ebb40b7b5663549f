package dev.jneon.common.pg.file;

/** pg_control's {@code state} (PostgreSQL 13–17 DBState; stored as an i32 ordinal). */
public enum DbState {
    STARTUP,
    SHUTDOWNED,
    SHUTDOWNED_IN_RECOVERY,
    SHUTDOWNING,
    IN_CRASH_RECOVERY,
    IN_ARCHIVE_RECOVERY,
    IN_PRODUCTION;

    public static DbState of(int code) {
        if (code < 0 || code >= values().length) {
            throw new IllegalArgumentException("unknown pg_control state " + code + " (valid: 0.." + (values().length - 1) + ")");
        }
        return values()[code];
    }

    public int code() {
        return ordinal();
    }
}

package dev.jneon.proxy.compute;

import dev.jneon.proxy.wire.ErrorFields;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.util.Set;

/**
 * Connecting or authenticating to a compute failed (B.9). Either an I/O error (refused, timed out,
 * reset) or an ErrorResponse from Postgres ({@link #postgresError()}). It decides the retry loop's
 * two questions: {@link #wakeWorthy()} — could the cached address be stale, so wake again? — and
 * {@link #retriable()} — is trying the same address again useful? Immutable.
 */
public final class ComputeFailure extends IOException {

    /** SQLSTATEs that come from a live, right compute: re-waking would not help (B.9). */
    private static final Set<String> NOT_WAKE_WORTHY = Set.of("53300", "53200", "42601", "40001", "3D000",
            "3F000", "22023");

    /** pgbouncer's answer when its max_client_conn is reached: waking again only hammers the control plane. */
    static final String PGBOUNCER_MAX_CLIENT_CONN = "no more connections allowed (max_client_conn)";

    private final transient ErrorFields postgresError;

    public ComputeFailure(String message, IOException cause) {
        super(message + ": " + cause.getMessage(), cause);
        this.postgresError = null;
    }

    public ComputeFailure(ErrorFields postgresError) {
        super("compute refused the connection: " + postgresError);
        this.postgresError = postgresError;
    }

    /** The compute's ErrorResponse, or null for an I/O failure. */
    public ErrorFields postgresError() {
        return postgresError;
    }

    /** Whether the compute at this address may be gone or replaced, so the node cache entry is suspect. */
    public boolean wakeWorthy() {
        if (postgresError == null) {
            return true;
        }
        String state = postgresError.sqlState();
        if (NOT_WAKE_WORTHY.contains(state)) {
            return false;
        }
        return !(state.equals("08P01") && postgresError.message().contains(PGBOUNCER_MAX_CLIENT_CONN));
    }

    /** Whether connecting to the same address again may succeed: refused, unreachable or timed out. */
    public boolean retriable() {
        Throwable cause = getCause();
        return cause instanceof ConnectException || cause instanceof NoRouteToHostException
                || cause instanceof SocketTimeoutException;
    }
}

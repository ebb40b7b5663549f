package dev.jneon.safekeeper.disk;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the process after a local-disk write or fsync failure (STYLE.md 13): after a failed fsync
 * the kernel may have dropped the dirty pages, so retrying and then acknowledging could ack WAL
 * that is not on disk. The process halts without running shutdown hooks (which might persist
 * more state); on restart the start-up scan finds what really is on disk. Stateless.
 */
public final class FailStop {

    private static final Logger log = LoggerFactory.getLogger(FailStop.class);

    private FailStop() {
    }

    /** Logs {@code what} and halts the JVM with exit code 2. Never returns. */
    public static Error halt(String what, IOException cause) {
        log.error("FATAL local disk failure, stopping the process: {}", what, cause);
        System.err.println("FATAL local disk failure, stopping the process: " + what + ": " + cause);
        System.err.flush();
        Runtime.getRuntime().halt(2);
        return new AssertionError("unreachable");
    }
}

package dev.jneon.proxy.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The proxy's signals (B.15): SIGTERM closes the Spring context (listeners stop accepting and
 * drain their sessions, see {@link dev.jneon.proxy.frontend.ClientListener}) and then exits 0
 * — the JVM's default would exit 143 — and SIGHUP reloads certificates. Installed once from
 * {@code main}; the handlers run on the JVM's signal thread and hand work to a new thread.
 */
public final class SignalHandlers {

    private static final Logger log = LoggerFactory.getLogger(SignalHandlers.class);

    private SignalHandlers() {
    }

    /** On SIGTERM, runs {@code shutdown} (which returns the exit code) and exits with its result. */
    public static void onTerminate(java.util.function.IntSupplier shutdown) {
        Signal.handle(new Signal("TERM"), signal -> new Thread(() -> {
            log.info("terminating: SIGTERM received");
            System.exit(shutdown.getAsInt());
        }, "sigterm").start());
    }

    static void onHangup(Runnable reload) {
        Signal.handle(new Signal("HUP"), signal -> Thread.ofVirtual().start(() -> {
            log.info("SIGHUP: checking TLS certificates");
            reload.run();
        }));
    }
}

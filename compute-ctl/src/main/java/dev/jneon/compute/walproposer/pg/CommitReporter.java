package dev.jneon.compute.walproposer.pg;

import dev.jneon.common.id.Lsn;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells Postgres how far the safekeepers have durably committed: a standby status update with
 * write = flush = apply = the quorum commit LSN (never above it, safekeeper-broker.md K.5), sent
 * on each commit advance, when Postgres asks for a reply, and at least every second. Sends nothing
 * before the first commit and nothing once {@code stopped} says the proposer has stopped.
 * Thread-safe: {@link #commitAdvanced} and {@link #replyRequested} may be called from any thread;
 * one reporting thread sends.
 */
final class CommitReporter {

    private static final Logger log = LoggerFactory.getLogger(CommitReporter.class);
    private static final long INTERVAL_MILLIS = 1000;

    private final ReplicationConnection connection;
    private final BooleanSupplier stopped;
    private Lsn commit = Lsn.INVALID;
    private Lsn reported = Lsn.INVALID;
    private boolean replyRequested;
    private Thread thread;

    CommitReporter(ReplicationConnection connection, BooleanSupplier stopped) {
        this.connection = connection;
        this.stopped = stopped;
    }

    synchronized void commitAdvanced(Lsn lsn) {
        if (lsn.isAfter(commit)) {
            commit = lsn;
            notifyAll();
        }
    }

    synchronized void replyRequested() {
        replyRequested = true;
        notifyAll();
    }

    void start() {
        thread = Thread.ofVirtual().name("wp-report").start(this::run);
    }

    void stop() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void run() {
        try {
            while (true) {
                Lsn toSend;
                synchronized (this) {
                    long deadline = System.currentTimeMillis() + INTERVAL_MILLIS;
                    while (!replyRequested && commit.equals(reported) && System.currentTimeMillis() < deadline) {
                        wait(Math.max(1, deadline - System.currentTimeMillis()));
                    }
                    replyRequested = false;
                    toSend = commit;
                }
                if (stopped.getAsBoolean()) {
                    return;
                }
                if (toSend.isValid()) {
                    connection.sendStatus(toSend, toSend, toSend);
                    synchronized (this) {
                        reported = toSend;
                    }
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (IOException e) {
            log.warn("cannot report to Postgres: {}", e.getMessage());
        }
    }
}

package dev.jneon.compute.node;

import dev.jneon.compute.walproposer.WalProposerCommand;
import java.util.concurrent.CompletableFuture;

/**
 * The walproposer library run in this process next to the compute's Postgres (DESIGN D2), on its
 * own virtual thread. {@link #stopped()} completes with the reason when it ends on its own (failed
 * election, lost Postgres connection...), or with null after {@link #stop()}.
 *
 * <p>Thread-safe.
 */
final class WalProposerTask {

    private final CompletableFuture<String> stopped = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean stopping;

    WalProposerTask(WalProposerCommand.Options options) {
        this.thread = Thread.ofVirtual().name("walproposer").start(() -> {
            String reason;
            try {
                WalProposerCommand.run(options);
                reason = "walproposer returned";
            } catch (InterruptedException e) {
                reason = "walproposer interrupted";
            } catch (Exception | Error e) {
                reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            stopped.complete(stopping ? null : reason);
        });
    }

    /** Completes when the walproposer ends: the reason, or null if {@link #stop()} ended it. */
    CompletableFuture<String> stopped() {
        return stopped;
    }

    boolean isRunning() {
        return !stopped.isDone();
    }

    /** Interrupts the walproposer and waits up to 30 s for it to end. */
    void stop() throws InterruptedException {
        stopping = true;
        thread.interrupt();
        thread.join(30_000);
    }
}

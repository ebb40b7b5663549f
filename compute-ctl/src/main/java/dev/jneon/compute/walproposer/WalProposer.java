package dev.jneon.compute.walproposer;

import dev.jneon.common.id.Lsn;
import dev.jneon.compute.walproposer.grpc.SafekeeperChannels;
import dev.jneon.compute.walproposer.grpc.WalPushStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Proposer} against real safekeepers: one WalPush stream per safekeeper, reconnected
 * {@value #RECONNECT_MILLIS} ms after it breaks, dropped after {@value #SILENCE_MILLIS} ms without a
 * message, and sent an empty append after {@value #HEARTBEAT_MILLIS} ms of idleness when ACTIVE
 * (safekeeper-broker.md B.4). WAL comes from a {@link WalBuffer} the caller fills (then calls
 * {@link #walAppended}); WAL below the buffer is read from a safekeeper of our term (B.6).
 *
 * <p>Threads: per safekeeper a link thread (connect, wait, reconnect) and, per open stream, a
 * sender thread ({@link SafekeeperSession}); one ticker for timeouts and heartbeats; gRPC's executor
 * delivers responses. Thread-safe: the core and the session table are guarded by {@link #lock},
 * which is never held across network I/O (senders take their work from queues).
 */
public final class WalProposer implements AutoCloseable {

    static final long RECONNECT_MILLIS = 1000;
    static final long SILENCE_MILLIS = 10_000;
    static final long HEARTBEAT_MILLIS = 1000;

    private static final Logger log = LoggerFactory.getLogger(WalProposer.class);

    final ProposerConfig config;
    final SafekeeperChannels channels;
    final WalBuffer buffer;
    final ReentrantLock lock = new ReentrantLock();
    private final Proposer core;
    private final SafekeeperSession[] sessions;
    private final Consumer<Lsn> onCommit;
    private final CompletableFuture<ProposerAction.Elected> elected = new CompletableFuture<>();
    private final CompletableFuture<Lsn> synced = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;
    private volatile ProposerFailedException failure;

    private WalProposer(ProposerConfig config, List<SafekeeperAddress> safekeepers, WalBuffer buffer,
            Consumer<Lsn> onCommit) {
        if (safekeepers.size() != config.safekeeperCount()) {
            throw new IllegalArgumentException(safekeepers.size() + " safekeeper addresses for a proposer configured"
                    + " with " + config.safekeeperCount());
        }
        this.config = config;
        this.channels = new SafekeeperChannels(safekeepers);
        this.buffer = buffer;
        this.core = new Proposer(config);
        this.sessions = new SafekeeperSession[safekeepers.size()];
        this.onCommit = onCommit;
    }

    /**
     * Starts connecting to {@code safekeepers} (indexed like the proposer's slots). {@code onCommit}
     * hears each quorum commit advance; it runs under the proposer's lock and must not block.
     */
    public static WalProposer start(ProposerConfig config, List<SafekeeperAddress> safekeepers, WalBuffer buffer,
            Consumer<Lsn> onCommit) {
        WalProposer wp = new WalProposer(config, safekeepers, buffer, onCommit);
        for (int sk = 0; sk < safekeepers.size(); sk++) {
            int index = sk;
            wp.threads.add(Thread.ofVirtual().name("wp-link-" + sk).start(() -> wp.link(index)));
        }
        wp.threads.add(Thread.ofVirtual().name("wp-ticker").start(wp::tick));
        return wp;
    }

    /** Completes when elected; fails with {@link ProposerFailedException} if the proposer stops first. */
    public CompletableFuture<ProposerAction.Elected> elected() {
        return elected;
    }

    /** sync mode: the agreed end of WAL; fails with {@link ProposerFailedException}. */
    public CompletableFuture<Lsn> synced() {
        return synced;
    }

    /** Completes when the proposer stops: normally after sync or close, exceptionally on failure. */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    public Lsn commitLsn() {
        lock.lock();
        try {
            return core.commitLsn();
        } finally {
            lock.unlock();
        }
    }

    /** The buffer now ends at {@code end}: stream it. */
    public void walAppended(Lsn end) {
        lock.lock();
        try {
            if (running) {
                dispatch(core.onWalAvailable(end));
            }
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ connections

    private void link(int sk) {
        while (running) {
            var session = new SafekeeperSession(this, sk);
            lock.lock();
            try {
                if (!running) {
                    return;
                }
                sessions[sk] = session;
                session.stream = WalPushStream.open(channels, sk, session);
                session.startSender();
                dispatch(core.onConnected(sk));
            } finally {
                lock.unlock();
            }
            try {
                session.awaitClosed();
            } catch (InterruptedException e) {
                session.stream.cancel("walproposer stopping");
                session.stopSender();
                return;
            }
            lock.lock();
            try {
                if (sessions[sk] == session) {
                    sessions[sk] = null;
                    dispatch(core.onDisconnected(sk));
                }
            } finally {
                lock.unlock();
            }
            session.stopSender();
            if (running) {
                log.info("safekeeper {} disconnected: {}; reconnecting in {} ms", channels.address(sk),
                        session.closeReason(), RECONNECT_MILLIS);
            }
            try {
                Thread.sleep(RECONNECT_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A message on {@code session}'s stream (gRPC thread). */
    void received(SafekeeperSession session, AcceptorMessage message) {
        lock.lock();
        try {
            if (sessions[session.sk] == session && running) {
                session.lastReceivedNanos = System.nanoTime();
                dispatch(core.onMessage(session.sk, message));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Which safekeeper to read WAL below the buffer from, or -1. */
    int walSourceFor(Lsn end, int except) {
        lock.lock();
        try {
            return core.walSourceFor(end, except).orElse(-1);
        } finally {
            lock.unlock();
        }
    }

    private void tick() {
        while (running) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            lock.lock();
            try {
                for (SafekeeperSession s : sessions) {
                    if (s == null || !running) {
                        continue;
                    }
                    if (now - s.lastReceivedNanos > TimeUnit.MILLISECONDS.toNanos(SILENCE_MILLIS)) {
                        s.stream.cancel("no message for " + SILENCE_MILLIS + " ms");
                    } else if (now - s.lastSentNanos > TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MILLIS)) {
                        dispatch(core.heartbeat(s.sk));
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Carries out the core's decisions; called with {@link #lock} held. */
    private void dispatch(List<ProposerAction> actions) {
        for (ProposerAction action : actions) {
            switch (action) {
                case ProposerAction.Send s -> enqueue(s.sk(), action);
                case ProposerAction.SendWal w -> enqueue(w.sk(), action);
                case ProposerAction.Disconnect d -> {
                    SafekeeperSession s = sessions[d.sk()];
                    if (s != null) {
                        s.stream.cancel(d.reason());
                    }
                }
                case ProposerAction.Elected e -> {
                    log.info("elected in term {}, WAL of this term starts at {}, history {}", e.term(),
                            e.termStartLsn(), e.history());
                    if (!config.sync()) {
                        buffer.reset(e.termStartLsn());
                    }
                    elected.complete(e);
                }
                case ProposerAction.CommitAdvanced c -> {
                    buffer.committed(c.commitLsn());
                    onCommit.accept(c.commitLsn());
                }
                case ProposerAction.Synced s -> {
                    log.info("safekeepers agree on end of WAL {} in term {}", s.endOfWal(), core.term());
                    synced.complete(s.endOfWal());
                    elected.completeExceptionally(new ProposerFailedException("synced without election"));
                    shutdownLater(null);
                }
                case ProposerAction.Failed f -> {
                    log.error("walproposer stops: {}", f.reason());
                    var failure = new ProposerFailedException(f.reason());
                    elected.completeExceptionally(failure);
                    synced.completeExceptionally(failure);
                    shutdownLater(failure);
                }
            }
        }
    }

    private void enqueue(int sk, ProposerAction action) {
        SafekeeperSession s = sessions[sk];
        if (s != null) {
            s.outbox.add(action);
        }
    }

    /** Stops from a callback thread: the final messages already queued get a moment to leave. */
    private void shutdownLater(ProposerFailedException reason) {
        running = false;
        failure = reason;
        Thread.ofVirtual().name("wp-shutdown").start(() -> {
            List<SafekeeperSession> open = sessionsSnapshot();
            for (SafekeeperSession s : open) {
                s.drain(500);
            }
            if (reason == null) {
                // sync finished: half-close so the final append (carrying truncate_lsn) is processed
                try {
                    for (SafekeeperSession s : open) {
                        s.stopSenderAndWait();
                        s.stream.finish();
                    }
                    for (SafekeeperSession s : open) {
                        s.awaitClosed(1000);
                    }
                } catch (InterruptedException | RuntimeException e) {
                    log.debug("final half-close interrupted: {}", e.toString());
                }
            }
            close();
        });
    }

    private List<SafekeeperSession> sessionsSnapshot() {
        lock.lock();
        try {
            List<SafekeeperSession> list = new ArrayList<>();
            for (SafekeeperSession s : sessions) {
                if (s != null) {
                    list.add(s);
                }
            }
            return list;
        } finally {
            lock.unlock();
        }
    }

    /** Stops all threads and streams and closes the channels. Idempotent. */
    @Override
    public void close() {
        running = false;
        for (SafekeeperSession s : sessionsSnapshot()) {
            s.stream.cancel("walproposer stopping");
        }
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        channels.close();
        elected.completeExceptionally(new ProposerFailedException("walproposer closed"));
        synced.completeExceptionally(new ProposerFailedException("walproposer closed"));
        if (failure != null) {
            stopped.completeExceptionally(failure);
        } else {
            stopped.complete(null);
        }
    }
}

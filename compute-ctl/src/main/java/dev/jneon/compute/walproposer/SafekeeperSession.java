package dev.jneon.compute.walproposer;

import dev.jneon.common.id.Lsn;
import dev.jneon.compute.walproposer.grpc.DonorWalReader;
import dev.jneon.compute.walproposer.grpc.WalPushStream;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One open WalPush stream of a {@link WalProposer} to one safekeeper, and the sender thread that
 * turns the core's Send/SendWal actions into messages, in order. WAL bytes come from the proposer's
 * {@link WalBuffer}, or, below it, from another safekeeper of our term through a
 * {@link DonorWalReader}; a failure to get them ends the stream (the link reconnects).
 * Thread-safety: the outbox is a concurrent queue; timestamps are volatile; the stream is sent on
 * only by the sender thread.
 */
final class SafekeeperSession implements WalPushStream.Listener {

    final int sk;
    final LinkedBlockingQueue<ProposerAction> outbox = new LinkedBlockingQueue<>();
    volatile WalPushStream stream;
    volatile long lastReceivedNanos = System.nanoTime();
    volatile long lastSentNanos = System.nanoTime();
    private final WalProposer owner;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile String closeReason = "";
    private Thread sender;
    private DonorWalReader donor;

    SafekeeperSession(WalProposer owner, int sk) {
        this.owner = owner;
        this.sk = sk;
    }

    @Override
    public void message(AcceptorMessage message) {
        owner.received(this, message);
    }

    @Override
    public void closed(String reason) {
        closeReason = reason;
        closed.countDown();
    }

    void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** Waits up to {@code millis} for the stream to end; true if it did. */
    boolean awaitClosed(long millis) throws InterruptedException {
        return closed.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    String closeReason() {
        return closeReason;
    }

    void startSender() {
        sender = Thread.ofVirtual().name("wp-send-" + sk).start(this::sendLoop);
    }

    void stopSender() {
        if (sender != null) {
            sender.interrupt();
        }
    }

    /** Stops the sender and waits for it, so the caller may use the stream afterwards. */
    void stopSenderAndWait() throws InterruptedException {
        stopSender();
        if (sender != null) {
            sender.join(1000);
        }
    }

    /** Waits up to {@code millis} for the outbox to empty (final messages before shutdown). */
    void drain(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        while (!outbox.isEmpty() && closed.getCount() > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void sendLoop() {
        try {
            while (true) {
                ProposerAction action = outbox.take();
                switch (action) {
                    case ProposerAction.Send s -> stream.send(s.message());
                    case ProposerAction.SendWal w -> stream.send(new ProposerMessage.Append(w.generation(), w.term(),
                            w.begin(), w.end(), w.commit(), w.truncate(), walBytes(w.term(), w.begin(), w.end())));
                    default -> throw new IllegalStateException("not a send action: " + action);
                }
                lastSentNanos = System.nanoTime();
            }
        } catch (InterruptedException e) {
            // stream closed or proposer stopping
        } catch (IOException | RuntimeException e) {
            stream.cancel("cannot send to safekeeper: " + e.getMessage());
        } finally {
            if (donor != null) {
                donor.close();
            }
        }
    }

    /** WAL {@code [begin, end)}: from the buffer, else the part below it from a safekeeper of our term. */
    private byte[] walBytes(long term, Lsn begin, Lsn end) throws IOException, InterruptedException {
        byte[] out = new byte[(int) end.minus(begin)];
        Lsn at = begin;
        while (at.isBefore(end)) {
            Lsn bufferStart = owner.buffer.start();
            byte[] part;
            Lsn partEnd;
            if (!at.isBefore(bufferStart) && bufferStart.isValid()) {
                partEnd = end;
                part = owner.buffer.read(at, partEnd);
                if (part == null) {
                    if (owner.buffer.end().isBefore(partEnd)) {
                        throw new IOException("WAL up to " + partEnd + " is not in the buffer ending at "
                                + owner.buffer.end());
                    }
                    continue; // evicted meanwhile: read it remotely
                }
            } else {
                partEnd = bufferStart.isValid() && bufferStart.isBefore(end) && bufferStart.isAfter(at) ? bufferStart : end;
                int source = owner.walSourceFor(partEnd, sk);
                if (source < 0) {
                    throw new IOException("no safekeeper of our term holds WAL up to " + partEnd);
                }
                if (donor == null) {
                    donor = new DonorWalReader(owner.channels, owner.config.ttid(), term, "walproposer");
                }
                part = donor.read(source, at, partEnd);
            }
            System.arraycopy(part, 0, out, (int) at.minus(begin), part.length);
            at = partEnd;
        }
        return out;
    }
}

package dev.jneon.compute.walproposer.grpc;

import dev.jneon.api.safekeeper.SafekeeperWalGrpc;
import dev.jneon.api.safekeeper.StreamStart;
import dev.jneon.api.safekeeper.StreamWalClientMessage;
import dev.jneon.api.safekeeper.StreamWalServerMessage;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads WAL the proposer no longer (or never) held from a safekeeper of its term, over
 * {@code StreamWal(start, term = propTerm)} (safekeeper-broker.md B.6, E.1-E.2): the safekeeper
 * serves up to its flush LSN while its term equals ours, and fails the stream if the term moves.
 * Keeps one stream open while reads are sequential and reopens it when the position or the source
 * changes. Inbound flow control is manual (one message requested at a time), so a fast donor cannot
 * fill memory. Not thread-safe; owned by one connection's sender thread.
 */
public final class DonorWalReader implements AutoCloseable {

    private static final long READ_TIMEOUT_MILLIS = 10_000;

    private final SafekeeperChannels channels;
    private final TenantTimelineId ttid;
    private final long term;
    private final String applicationName;
    private int source = -1;
    private Lsn position = Lsn.INVALID;
    private ClientCallStreamObserver<StreamWalClientMessage> call;
    private LinkedBlockingQueue<Object> inbox;
    private byte[] pending = new byte[0];
    private int pendingOffset;

    public DonorWalReader(SafekeeperChannels channels, TenantTimelineId ttid, long term, String applicationName) {
        this.channels = channels;
        this.ttid = ttid;
        this.term = term;
        this.applicationName = applicationName;
    }

    /** WAL {@code [begin, end)} from safekeeper {@code sk}; throws IOException if it cannot serve it. */
    public byte[] read(int sk, Lsn begin, Lsn end) throws IOException, InterruptedException {
        if (sk != source || !begin.equals(position)) {
            open(sk, begin);
        }
        byte[] out = new byte[(int) end.minus(begin)];
        int filled = 0;
        while (filled < out.length) {
            if (pendingOffset == pending.length) {
                nextChunk();
                continue;
            }
            int n = Math.min(out.length - filled, pending.length - pendingOffset);
            System.arraycopy(pending, pendingOffset, out, filled, n);
            pendingOffset += n;
            filled += n;
        }
        position = end;
        return out;
    }

    private void nextChunk() throws IOException, InterruptedException {
        Object next = inbox.poll(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        if (next == null) {
            throw fail("no WAL from safekeeper " + channels.address(source) + " for " + READ_TIMEOUT_MILLIS + " ms");
        }
        call.request(1);
        switch (next) {
            case StreamWalServerMessage m when m.hasWalData() -> {
                Lsn start = Lsn.of(m.getWalData().getWalStart());
                Lsn expected = position.plus(pending.length - pendingOffset);
                if (!start.equals(expected)) {
                    throw fail("safekeeper " + channels.address(source) + " sent WAL at " + start + ", expected " + expected);
                }
                pending = m.getWalData().getData().toByteArray();
                pendingOffset = 0;
            }
            case StreamWalServerMessage m when m.hasEnd() -> throw fail("safekeeper " + channels.address(source)
                    + " ended the WAL stream: " + m.getEnd().getReason());
            case StreamWalServerMessage m -> {
                // keep-alive: nothing to read yet
            }
            case Status s -> throw fail("WAL stream from safekeeper " + channels.address(source) + " failed: " + s);
            default -> throw new IllegalStateException("unexpected inbox item " + next);
        }
    }

    private void open(int sk, Lsn begin) {
        close();
        source = sk;
        position = begin;
        pending = new byte[0];
        pendingOffset = 0;
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        inbox = queue;
        var observer = new ClientResponseObserver<StreamWalClientMessage, StreamWalServerMessage>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<StreamWalClientMessage> stream) {
                call = stream;
                stream.disableAutoRequestWithInitial(1);
            }

            @Override
            public void onNext(StreamWalServerMessage value) {
                queue.add(value);
            }

            @Override
            public void onError(Throwable t) {
                queue.add(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                queue.add(Status.UNAVAILABLE.withDescription("stream completed"));
            }
        };
        SafekeeperWalGrpc.newStub(channels.channel(sk)).streamWal(observer);
        call.onNext(StreamWalClientMessage.newBuilder().setStart(StreamStart.newBuilder()
                .setTtid(WalPushCodec.ttid(ttid)).setStartLsn(begin.value()).setTerm(term)
                .setApplicationName(applicationName)).build());
    }

    private IOException fail(String message) {
        close();
        return new IOException(message);
    }

    @Override
    public void close() {
        if (call != null) {
            call.cancel("reader closed", null);
            call = null;
        }
        source = -1;
    }
}

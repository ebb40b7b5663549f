package dev.jneon.pageserver.grpc;

import com.google.protobuf.ByteString;
import dev.jneon.api.page.GetBaseBackupResponseChunk;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * The GetBaseBackup response as an {@link OutputStream}: bytes are cut into
 * {@link #CHUNK_SIZE}-byte GetBaseBackupResponseChunk messages, and each message waits until the
 * transport is ready for it, so a slow client holds back the producer instead of the server
 * buffering the whole backup. A cancelled call fails the next write. {@link #close} sends the last
 * partial chunk; the caller completes the call. Must be written by one thread, which must not be
 * the call's own callback thread (onReady is delivered there); onReady/onCancel may come from any.
 */
final class BasebackupChunks extends OutputStream {

    static final int CHUNK_SIZE = 256 * 1024;

    private final ServerCallStreamObserver<GetBaseBackupResponseChunk> response;
    private final Object ready = new Object();
    private final byte[] buffer = new byte[CHUNK_SIZE];
    private int filled;
    private volatile boolean cancelled;

    /** Registers the ready and cancel handlers; call before the service method returns. */
    BasebackupChunks(ServerCallStreamObserver<GetBaseBackupResponseChunk> response) {
        this.response = response;
        response.setOnReadyHandler(this::wake);
        response.setOnCancelHandler(() -> {
            cancelled = true;
            wake();
        });
    }

    boolean cancelled() {
        return cancelled;
    }

    private void wake() {
        synchronized (ready) {
            ready.notifyAll();
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, CHUNK_SIZE - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == CHUNK_SIZE) {
                send();
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (filled > 0) {
            send();
        }
    }

    private void send() throws IOException {
        try {
            synchronized (ready) {
                while (!cancelled && !response.isReady()) {
                    ready.wait(1000); // isReady is re-checked in case a wake-up was missed
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("basebackup interrupted");
        }
        if (cancelled) {
            throw new IOException(Status.CANCELLED.withDescription("the client cancelled the basebackup").asException());
        }
        response.onNext(GetBaseBackupResponseChunk.newBuilder().setChunk(ByteString.copyFrom(buffer, 0, filled)).build());
        filled = 0;
    }
}

package dev.jneon.proxy.compute;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies bytes both ways between a client and its compute (B.10) until either side closes or
 * fails, then closes both. One virtual thread per direction; each write is flushed at once so
 * small protocol messages are not held back. The client-to-compute direction starts from the
 * client's buffered stream, so bytes the client pipelined behind its authentication are kept.
 * Thread-safe: the two directions share only the close and the byte counters.
 */
public final class Pump {

    private final AtomicLong toCompute = new AtomicLong();
    private final AtomicLong toClient = new AtomicLong();

    /** Runs until the session ends; returns after both directions stopped. */
    public void run(InputStream clientIn, OutputStream clientOut, Closeable client,
            InputStream computeIn, OutputStream computeOut, Closeable compute) throws InterruptedException {
        Runnable closeBoth = () -> {
            quietly(client);
            quietly(compute);
        };
        Thread up = Thread.ofVirtual().name("pump-up").start(() -> copy(clientIn, computeOut, toCompute, closeBoth));
        copy(computeIn, clientOut, toClient, closeBoth);
        up.join();
    }

    public long bytesToCompute() {
        return toCompute.get();
    }

    public long bytesToClient() {
        return toClient.get();
    }

    private static void copy(InputStream in, OutputStream out, AtomicLong counter, Runnable closeBoth) {
        byte[] buffer = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
                counter.addAndGet(n);
            }
        } catch (IOException endOfSession) {
            // one side closed or broke: the session is over either way
        } finally {
            closeBoth.run();
        }
    }

    private static void quietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}

package dev.jneon.common.remote;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A large upload source that never holds the object in memory: {@code length} pseudo-random bytes
 * derived from {@code seed} (byte {@code i} depends only on seed and {@code i}, so any range can be
 * recomputed), streamed on every {@link #open}. Optionally, the first stream stops once after
 * {@code pauseAt} bytes, counts down {@link #paused} and waits for {@link #resume} before going on,
 * so a test can break the server at a known point of an upload. Thread-safe.
 */
final class GeneratedSource implements ObjectSource {

    private final long seed;
    private final long length;
    private final long pauseAt;
    private final CountDownLatch paused = new CountDownLatch(1);
    private final CountDownLatch resumed = new CountDownLatch(1);
    private final AtomicInteger opened = new AtomicInteger();
    private volatile boolean fullyRead;

    GeneratedSource(long seed, long length, long pauseAt) {
        this.seed = seed;
        this.length = length;
        this.pauseAt = pauseAt;
    }

    GeneratedSource(long seed, long length) {
        this(seed, length, -1);
    }

    long length() {
        return length;
    }

    /** How many times the source was opened (one per upload attempt). */
    int opened() {
        return opened.get();
    }

    /** Whether some stream has handed out the last byte (so an upload may be completing). */
    boolean fullyRead() {
        return fullyRead;
    }

    CountDownLatch paused() {
        return paused;
    }

    void resume() {
        resumed.countDown();
    }

    /** Byte {@code i} of the content. */
    byte byteAt(long i) {
        long x = (seed + (i >>> 3)) * 0x9E3779B97F4A7C15L;
        x ^= x >>> 29;
        x *= 0xBF58476D1CE4E5B9L;
        x ^= x >>> 32;
        return (byte) (x >>> ((i & 7) * 8));
    }

    /** The bytes {@code [from, to)}. */
    byte[] bytes(long from, long to) {
        byte[] out = new byte[Math.toIntExact(to - from)];
        for (int k = 0; k < out.length; k++) {
            out[k] = byteAt(from + k);
        }
        return out;
    }

    /** SHA-256 of the whole content, in hex. */
    String sha256() throws IOException {
        try (InputStream in = new Stream(false)) {
            return sha256(in);
        }
    }

    static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public InputStream open() {
        return new Stream(pauseAt >= 0 && opened.incrementAndGet() == 1);
    }

    private final class Stream extends InputStream {
        private final boolean pauses;
        private long position;

        Stream(boolean pauses) {
            this.pauses = pauses;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= length) {
                return -1;
            }
            if (pauses && position == pauseAt) {
                paused.countDown();
                try {
                    resumed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted in paused upload source");
                }
            }
            long end = Math.min(length, position + len);
            if (pauses && position < pauseAt) {
                end = Math.min(end, pauseAt);
            }
            int n = (int) (end - position);
            for (int k = 0; k < n; k++) {
                b[off + k] = byteAt(position + k);
            }
            position = end;
            fullyRead |= position == length;
            return n;
        }
    }
}

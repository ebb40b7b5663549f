package dev.jneon.common.wal.record;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.wal.WalDecodeException;
import dev.jneon.common.wal.WalRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounds-checked little-endian cursor over a record's main data for the typed parsers: every
 * read and every count-sized list is checked against the bytes left first, and a shortfall is a
 * {@link WalDecodeException} of kind {@link WalDecodeException.Kind#BAD_MAIN_DATA}. Not
 * thread-safe; one per parse.
 */
final class MainData {

    private final ByteBuffer buf;
    private final Lsn lsn;
    private final String what;

    private MainData(ByteBuffer buf, Lsn lsn, String what) {
        this.buf = buf;
        this.lsn = lsn;
        this.what = what;
    }

    static MainData of(WalRecord record, String what) {
        return new MainData(record.mainData(), record.lsn(), what);
    }

    int remaining() {
        return buf.remaining();
    }

    int position() {
        return buf.position();
    }

    void position(int newPosition) throws WalDecodeException {
        if (newPosition < 0 || newPosition > buf.limit()) {
            throw bad("offset " + newPosition + " beyond " + buf.limit() + " bytes");
        }
        buf.position(newPosition);
    }

    void need(long bytes) throws WalDecodeException {
        if (bytes < 0 || bytes > buf.remaining()) {
            throw bad("needs " + bytes + " more bytes, has " + buf.remaining());
        }
    }

    /** Requires at least {@code bytes} in total (a fixed struct size). */
    MainData atLeast(int bytes) throws WalDecodeException {
        if (buf.limit() < bytes) {
            throw bad(buf.limit() + " bytes, expected at least " + bytes);
        }
        return this;
    }

    MainData exactly(int bytes) throws WalDecodeException {
        if (buf.limit() != bytes) {
            throw bad(buf.limit() + " bytes, expected " + bytes);
        }
        return this;
    }

    int u8() throws WalDecodeException {
        need(1);
        return buf.get() & 0xFF;
    }

    int u16() throws WalDecodeException {
        need(2);
        return buf.getShort() & 0xFFFF;
    }

    int i32() throws WalDecodeException {
        need(4);
        return buf.getInt();
    }

    long i64() throws WalDecodeException {
        need(8);
        return buf.getLong();
    }

    void skip(int bytes) throws WalDecodeException {
        need(bytes);
        buf.position(buf.position() + bytes);
    }

    /** A count read from the record: non-negative, and {@code count * unit} bytes must remain. */
    int count(int unit) throws WalDecodeException {
        int n = i32();
        if (n < 0) {
            throw bad("negative count " + n);
        }
        need((long) n * unit);
        return n;
    }

    List<Integer> u32s(int n) throws WalDecodeException {
        need((long) n * 4);
        List<Integer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(buf.getInt());
        }
        return List.copyOf(out);
    }

    List<RelFileNode> relFileNodes(int n) throws WalDecodeException {
        need((long) n * RelFileNode.SIZE);
        List<RelFileNode> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new RelFileNode(buf.getInt(), buf.getInt(), buf.getInt()));
        }
        return List.copyOf(out);
    }

    ByteBuffer slice(int n) throws WalDecodeException {
        need(n);
        ByteBuffer s = buf.slice(buf.position(), n).order(buf.order());
        buf.position(buf.position() + n);
        return s;
    }

    /** A NUL-terminated string of at most {@code max} bytes before the NUL. */
    String cString(int max) throws WalDecodeException {
        int start = buf.position();
        int limit = Math.min(buf.limit(), start + max + 1);
        for (int i = start; i < limit; i++) {
            if (buf.get(i) == 0) {
                byte[] b = new byte[i - start];
                buf.get(b);
                buf.get();
                return new String(b, StandardCharsets.UTF_8);
            }
        }
        throw bad("unterminated string");
    }

    WalDecodeException bad(String reason) {
        return new WalDecodeException(lsn, WalDecodeException.Kind.BAD_MAIN_DATA, what + ": " + reason);
    }
}

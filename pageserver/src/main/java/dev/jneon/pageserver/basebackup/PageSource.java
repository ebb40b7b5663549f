package dev.jneon.pageserver.basebackup;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.Key;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.read.MissingKeyException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntFunction;

/**
 * Reads what a basebackup ships from one timeline at one LSN: values, u32 little-endian sizes and
 * runs of 8 KiB pages copied straight into a tar entry, a page at a time, so no file is ever held
 * whole in memory. A page without a value (a block below the size that was never written, or an
 * SLRU page never zeroed) is shipped as zeros. A CLOG page value may carry a trailer after its 8192
 * bytes (the last commit's timestamp, see NeonRedo); files get only the first 8192. Stateless apart from the timeline and LSN; used by
 * one basebackup thread.
 */
final class PageSource {

    static final int PAGE = 8192;
    private static final byte[] ZERO_PAGE = new byte[PAGE];

    private final Timeline timeline;
    private final Lsn lsn;

    PageSource(Timeline timeline, Lsn lsn) {
        this.timeline = timeline;
        this.lsn = lsn;
    }

    Lsn lsn() {
        return lsn;
    }

    byte[] get(Key key) {
        return timeline.get(key, lsn);
    }

    /** The value of {@code key}, or null when it has none at this LSN. */
    byte[] find(Key key) {
        try {
            return timeline.get(key, lsn);
        } catch (MissingKeyException e) {
            return null;
        }
    }

    int u32(Key key) {
        return ByteBuffer.wrap(get(key)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /**
     * Writes a file {@code name} of {@code count} pages: page i is the value of
     * {@code keyOfPage.apply(first + i)} when {@code first + i < stored}, zeros otherwise.
     * {@code slru}: values may be longer than a page (trailer cut off); otherwise exactly a page.
     */
    void writePages(TarWriter tar, String name, int first, int count, int stored, boolean slru,
            IntFunction<Key> keyOfPage) throws IOException {
        tar.beginFile(name, (long) count * PAGE);
        for (int i = 0; i < count; i++) {
            int page = first + i;
            byte[] content = Integer.compareUnsigned(page, stored) < 0 ? find(keyOfPage.apply(page)) : null;
            if (content != null && (content.length < PAGE || content.length > PAGE && !slru)) {
                throw new IllegalStateException("page " + page + " of " + name + " at " + lsn + " is " + content.length
                        + " bytes, not " + PAGE);
            }
            tar.write(content == null ? ZERO_PAGE : content, 0, PAGE);
        }
        tar.endFile();
    }
}

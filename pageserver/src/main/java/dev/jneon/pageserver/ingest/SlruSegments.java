package dev.jneon.pageserver.ingest;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.KeyRange;
import dev.jneon.common.key.SlruSegmentDirectory;
import dev.jneon.common.pg.SlruKind;
import dev.jneon.common.pg.file.SlruPage;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineWriter;
import dev.jneon.pageserver.value.NeonWalRecord;
import dev.jneon.pageserver.value.Value;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * The SLRU side of ingest (spec B, I.3): pages are keyed by (kind, segment = page / 32, block =
 * page % 32); a segment exists once listed in the kind's SlruSegmentDirectory and its size key (u32
 * LE page count) covers every page written so far. Directory and sizes are cached here, read from
 * the timeline at first use. Page numbers are unsigned. Not thread-safe: owned by one
 * {@link WalIngest}.
 */
final class SlruSegments {

    private static final int SEGMENT = SlruKind.PAGES_PER_SEGMENT;

    private final Timeline timeline;
    private final TimelineWriter writer;
    private final Map<SlruKind, SlruSegmentDirectory> dirs = new EnumMap<>(SlruKind.class);
    private final Map<Key, Integer> sizes = new TreeMap<>();

    SlruSegments(Timeline timeline, TimelineWriter writer) {
        this.timeline = timeline;
        this.writer = writer;
    }

    /** Stores a zeroed page, creating or extending its segment (zeroing any pages skipped before it). */
    void zeroPage(SlruKind kind, int pageNo, Lsn lsn) {
        extendTo(kind, pageNo, lsn);
        writer.put(key(kind, pageNo), lsn, Value.image(new byte[SlruPage.SIZE]));
    }

    /** Applies {@code update} to a page; a page that was never zeroed is zeroed first. */
    void update(SlruKind kind, int pageNo, NeonWalRecord update, Lsn lsn) {
        if (!exists(kind, pageNo)) {
            zeroPage(kind, pageNo, lsn);
        }
        writer.put(key(kind, pageNo), lsn, Value.record(update));
    }

    boolean exists(SlruKind kind, int pageNo) {
        int segment = Integer.divideUnsigned(pageNo, SEGMENT);
        return dir(kind).contains(segment)
                && Integer.compareUnsigned(Integer.remainderUnsigned(pageNo, SEGMENT), size(kind, segment)) < 0;
    }

    /** Deletes every segment of {@code kind} for which {@code doomed} holds. */
    void dropSegments(SlruKind kind, IntPredicate doomed, Lsn lsn) {
        SlruSegmentDirectory dir = dir(kind);
        List<Integer> drop = dir.segments().stream().filter(doomed::test).toList();
        if (drop.isEmpty()) {
            return;
        }
        for (int segment : drop) {
            dir = dir.without(segment);
            sizes.remove(Key.slruSegSize(kind, segment));
            writer.delete(KeyRange.slruSegment(kind, segment), lsn);
        }
        dirs.put(kind, dir);
        writer.put(Key.slruDir(kind), lsn, Value.image(dir.encode()));
    }

    private void extendTo(SlruKind kind, int pageNo, Lsn lsn) {
        int segment = Integer.divideUnsigned(pageNo, SEGMENT);
        int block = Integer.remainderUnsigned(pageNo, SEGMENT);
        SlruSegmentDirectory dir = dir(kind);
        int size = 0;
        if (!dir.contains(segment)) {
            dirs.put(kind, dir.with(segment));
            writer.put(Key.slruDir(kind), lsn, Value.image(dir.with(segment).encode()));
        } else {
            size = size(kind, segment);
        }
        for (int gap = size; gap < block; gap++) {
            writer.put(Key.slruBlock(kind, segment, gap), lsn, Value.image(new byte[SlruPage.SIZE]));
        }
        if (block >= size) {
            sizes.put(Key.slruSegSize(kind, segment), block + 1);
            writer.put(Key.slruSegSize(kind, segment), lsn, Value.image(WalIngest.u32le(block + 1)));
        }
    }

    private SlruSegmentDirectory dir(SlruKind kind) {
        return dirs.computeIfAbsent(kind,
                k -> SlruSegmentDirectory.decode(timeline.get(Key.slruDir(k), timeline.lastRecordLsn())));
    }

    private int size(SlruKind kind, int segment) {
        return sizes.computeIfAbsent(Key.slruSegSize(kind, segment),
                k -> WalIngest.u32le(timeline.get(k, timeline.lastRecordLsn())));
    }

    private static Key key(SlruKind kind, int pageNo) {
        return Key.slruBlock(kind, Integer.divideUnsigned(pageNo, SEGMENT), Integer.remainderUnsigned(pageNo, SEGMENT));
    }
}

package dev.jneon.pageserver.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.Key;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import dev.jneon.pageserver.value.Value;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** What a timeline should answer: every key's content by LSN, fed by the same writes. Not thread-safe. */
final class PageModel {

    static final RelTag REL = new RelTag(1663, 5, 16384, ForkNumber.MAIN);
    static final int BLOCKS = 10;

    private final Map<Key, TreeMap<Lsn, byte[]>> versions = new HashMap<>();

    void put(Timeline t, Key key, Lsn lsn, byte[] content) {
        t.writer().put(key, lsn, Value.image(content));
        versions.computeIfAbsent(key, k -> new TreeMap<>()).put(lsn, content);
    }

    byte[] expected(Key key, Lsn lsn) {
        var e = versions.get(key).floorEntry(lsn);
        return e == null ? null : e.getValue();
    }

    java.util.Set<Key> keys() {
        return versions.keySet();
    }

    /** initdb image of {@link #BLOCKS} blocks, then records 0x100, 0x108, ... each rewriting one block; returns the last LSN. */
    Lsn bootstrapAndWrite(Timeline t, int records) throws InterruptedException {
        for (int b = 0; b < BLOCKS; b++) {
            put(t, Key.relBlock(REL, b), TimelineFixture.INITDB, TimelineFixture.page(Key.relBlock(REL, b), 0));
        }
        put(t, Key.relSize(REL), TimelineFixture.INITDB, new byte[] {BLOCKS, 0, 0, 0});
        t.writer().finishWrite(TimelineFixture.INITDB);
        t.activate();
        t.checkpoint();
        return write(t, Lsn.of(0x100), 1, records);
    }

    /** Records {@code first..last} at {@code from}, {@code from + 8}, ...; returns the last LSN written. */
    Lsn write(Timeline t, Lsn from, int first, int last) {
        Lsn lsn = from;
        for (int i = first; i <= last; i++) {
            Key key = Key.relBlock(REL, i % BLOCKS);
            put(t, key, lsn, TimelineFixture.page(key, i));
            t.writer().finishWrite(lsn);
            lsn = lsn.plus(8);
        }
        return lsn.plus(-8);
    }

    void checkAllReads(Timeline t, Lsn from, Lsn to) {
        for (Lsn at = from; at.compareTo(to) <= 0; at = at.plus(8)) {
            for (Key key : versions.keySet()) {
                assertThat(t.get(key, at)).as("%s at %s", key, at).isEqualTo(expected(key, at));
            }
        }
    }
}

package dev.jneon.pageserver.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.KeyRange;
import dev.jneon.pageserver.layer.DeltaLayer;
import dev.jneon.pageserver.layer.PersistentLayer;
import dev.jneon.pageserver.timeline.read.MissingKeyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** L0 deltas are merged into an L1 after a flush once compaction_threshold is reached (spec D.5). */
class L0CompactionTest {

    @TempDir
    Path dir;
    @TempDir
    Path saved;

    private static List<PersistentLayer> level0(Timeline t) {
        return t.layers().level0();
    }

    @Test
    void l0sAreMergedIntoOneL1AndEverythingReadsTheSame() throws Exception {
        PageModel model = new PageModel();
        Timeline t = TimelineFixture.root(dir, TimelineId.generate(), TimelineFixture.conf(64 * 1024).withCompactionThreshold(100));
        Lsn last = model.bootstrapAndWrite(t, 50);
        Lsn deleted = last.plus(8);
        t.writer().delete(KeyRange.of(Key.relBlock(PageModel.REL, 3)), deleted);
        t.writer().finishWrite(deleted);
        t.checkpoint();
        List<PersistentLayer> before = level0(t);
        assertThat(before).hasSizeGreaterThanOrEqualTo(5);
        for (PersistentLayer l : before) { // keep copies to replay a crash between L1 rename and L0 deletes
            Files.copy(l.path(), saved.resolve(l.path().getFileName()));
        }

        t.setConf(t.conf().withCompactionThreshold(3));
        Lsn end = model.write(t, deleted.plus(8), 51, 60);
        t.checkpoint();
        assertThat(level0(t)).hasSizeLessThan(3);
        List<PersistentLayer> l1 = t.layers().historic().stream().filter(l -> l instanceof DeltaLayer d && !d.name().isL0()).toList();
        assertThat(l1).singleElement().satisfies(l -> assertThat(l.lsnRange().start()).isEqualTo(before.getFirst().lsnRange().start()));
        for (PersistentLayer l : before) {
            assertThat(l.path()).doesNotExist();
        }
        model.checkAllReads(t, TimelineFixture.INITDB, last);
        assertThat(t.get(Key.relBlock(PageModel.REL, 3), last)).isEqualTo(model.expected(Key.relBlock(PageModel.REL, 3), last));
        assertThatThrownBy(() -> t.get(Key.relBlock(PageModel.REL, 3), deleted)).isInstanceOf(MissingKeyException.class);
        t.shutdown(false);

        // crash replay: the old L0s are back next to the L1 that replaced them
        try (var files = Files.list(saved)) {
            for (Path f : files.toList()) {
                Files.copy(f, t.dir().resolve(f.getFileName()));
            }
        }
        Timeline reloaded = TimelineFixture.reload(t, null);
        reloaded.activate();
        for (PersistentLayer l : before) {
            assertThat(t.dir().resolve(l.path().getFileName())).doesNotExist();
        }
        model.checkAllReads(reloaded, TimelineFixture.INITDB, last);
        assertThat(reloaded.get(Key.relBlock(PageModel.REL, 1), end)).isEqualTo(model.expected(Key.relBlock(PageModel.REL, 1), end));
        assertThatThrownBy(() -> reloaded.get(Key.relBlock(PageModel.REL, 3), deleted)).isInstanceOf(MissingKeyException.class);
        reloaded.shutdown(false);
    }

    @Test
    void readersKeepGoingWhileCompactionReplacesLayers() throws Exception {
        PageModel model = new PageModel();
        Timeline t = TimelineFixture.root(dir, TimelineId.generate(), TimelineFixture.conf(16 * 1024).withCompactionThreshold(4));
        Lsn last = model.bootstrapAndWrite(t, 20);
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                while (!stop.get()) {
                    model.checkAllReads(t, last.plus(-64), last);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        // more flushes and compactions under the reader; writes go to keys above the reader's LSNs
        Lsn lsn = last.plus(8);
        for (int i = 0; i < 200; i++) {
            Key key = Key.relBlock(PageModel.REL.withFork(dev.jneon.common.pg.ForkNumber.FSM), i % 7);
            t.writer().put(key, lsn, dev.jneon.pageserver.value.Value.image(TimelineFixture.page(key, i)));
            t.writer().finishWrite(lsn);
            lsn = lsn.plus(8);
        }
        t.checkpoint();
        stop.set(true);
        reader.join();
        assertThat(failure.get()).isNull();
        assertThat(t.layers().historic()).anyMatch(l -> l instanceof DeltaLayer d && !d.name().isL0());
        t.shutdown(false);
    }
}

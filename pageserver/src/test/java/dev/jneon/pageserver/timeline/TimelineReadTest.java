package dev.jneon.pageserver.timeline;

import static dev.jneon.pageserver.timeline.TimelineFixture.INITDB;
import static dev.jneon.pageserver.timeline.TimelineFixture.page;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.KeyRange;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import dev.jneon.pageserver.layer.DeltaLayer;
import dev.jneon.pageserver.layer.ImageLayer;
import dev.jneon.pageserver.timeline.read.MissingKeyException;
import dev.jneon.pageserver.value.NeonWalRecord;
import dev.jneon.pageserver.value.NeonRedo;
import dev.jneon.pageserver.value.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes through {@link TimelineWriter} and reads back at many LSNs against a model, with the data
 * spread over the initdb image layer, L0 deltas, frozen and open in-memory layers, and an ancestor.
 */
class TimelineReadTest {

    private static final RelTag REL = PageModel.REL;
    private static final int BLOCKS = PageModel.BLOCKS;

    @TempDir
    Path dir;
    private final List<Timeline> started = new ArrayList<>();
    private final PageModel model = new PageModel();

    @AfterEach
    void stop() {
        started.reversed().forEach(t -> t.shutdown(false));
    }

    private Timeline track(Timeline t) {
        started.add(t);
        return t;
    }

    private void put(Timeline t, Key key, Lsn lsn, byte[] content) {
        model.put(t, key, lsn, content);
    }

    private byte[] expected(Key key, Lsn lsn) {
        return model.expected(key, lsn);
    }

    private Lsn bootstrapAndWrite(Timeline t, int records) throws InterruptedException {
        return model.bootstrapAndWrite(t, records);
    }

    private void checkAllReads(Timeline t, Lsn from, Lsn to) {
        model.checkAllReads(t, from, to);
    }

    @Test
    void readsAreRightAcrossImageL0FrozenAndOpenLayers() throws InterruptedException {
        Timeline t = track(TimelineFixture.root(dir, TimelineId.generate(), TimelineFixture.conf(64 * 1024)));
        Lsn last = bootstrapAndWrite(t, 60);
        assertThat(t.layers().historic()).anyMatch(l -> l instanceof ImageLayer i && i.lsn().equals(INITDB));
        checkAllReads(t, INITDB, last);
        t.checkpoint();
        assertThat(t.layers().frozen()).isEmpty();
        assertThat(t.layers().historic()).filteredOn(l -> l instanceof DeltaLayer d && d.name().isL0()).hasSizeGreaterThan(3);
        assertThat(t.diskConsistentLsn()).isEqualTo(last);
        checkAllReads(t, INITDB, last);
        assertThat(t.getVectored(List.of(Key.relSize(REL), Key.relBlock(REL, 3)), last))
                .containsEntry(Key.relSize(REL), new byte[] {BLOCKS, 0, 0, 0});
    }

    @Test
    void frozenLayersWaitingForTheFlusherAreRead() throws InterruptedException {
        Timeline t = track(TimelineFixture.root(dir, TimelineId.generate(), TimelineFixture.conf(64 * 1024)));
        Lsn last = bootstrapAndWrite(t, 0);
        t.shutdown(false); // no flusher: frozen layers stay in memory
        Timeline loaded = track(TimelineFixture.reload(t, null));
        Lsn end = model.write(loaded, last.plus(0x100), 1, 40);
        assertThat(loaded.layers().frozen()).hasSizeGreaterThan(1);
        assertThat(loaded.layers().open()).isNotNull();
        checkAllReads(loaded, INITDB, end);
    }

    @Test
    void recordsAreAppliedOnTopOfImagesAndDeletesHideKeys() throws InterruptedException {
        Timeline t = track(TimelineFixture.root(dir, TimelineId.generate(), TimelineFixture.conf(1 << 20)));
        Lsn last = bootstrapAndWrite(t, 0);
        Key vm = Key.relBlock(REL.withFork(ForkNumber.VISIBILITY_MAP), 0);
        byte[] vmPage = new byte[8192];
        java.util.Arrays.fill(vmPage, 24, 8192, (byte) 0xFF);
        vmPage[14] = 1;
        Lsn a = last.plus(8);
        t.writer().put(vm, a, Value.image(vmPage));
        t.writer().finishWrite(a);
        t.checkpoint(); // the image is in an L0, the record in the open layer
        Lsn b = a.plus(8);
        t.writer().put(vm, b, Value.record(new NeonWalRecord.ClearVisibilityMapFlags(0, null, 1)));
        t.writer().finishWrite(b);
        byte[] expected = NeonRedo.apply(vm, vmPage, new NeonWalRecord.ClearVisibilityMapFlags(0, null, 1), b);
        assertThat(t.get(vm, b)).isEqualTo(expected);
        assertThat(t.get(vm, a)).isEqualTo(vmPage);

        Lsn c = b.plus(8);
        t.writer().delete(KeyRange.relationBlocks(REL), c);
        t.writer().finishWrite(c);
        assertThatThrownBy(() -> t.get(Key.relBlock(REL, 2), c)).isInstanceOf(MissingKeyException.class);
        assertThat(t.get(Key.relBlock(REL, 2), b)).isEqualTo(expected(Key.relBlock(REL, 2), b));
        t.checkpoint(); // the tombstone survives the flush
        assertThatThrownBy(() -> t.get(Key.relBlock(REL, 2), c)).isInstanceOf(MissingKeyException.class);
        assertThat(t.get(Key.relSize(REL), c)).isEqualTo(new byte[] {BLOCKS, 0, 0, 0});
        assertThatThrownBy(() -> t.get(Key.relBlock(REL.withFork(ForkNumber.FSM), 0), c)).hasMessageContaining("is missing");
    }

    @Test
    void branchesReadTheirAncestorBelowTheBranchPoint() throws InterruptedException {
        Timeline parent = track(TimelineFixture.root(dir, TimelineId.generate(), TimelineFixture.conf(64 * 1024)));
        Lsn last = bootstrapAndWrite(parent, 20);
        Lsn branchAt = Lsn.of(0x100 + 8 * 9); // after record 10
        Timeline child = track(TimelineFixture.branch(dir, TimelineId.generate(), parent, branchAt, TimelineFixture.conf(64 * 1024)));
        child.activate();
        Key k1 = Key.relBlock(REL, 1);
        Lsn childWrite = last.plus(0x1000);
        child.writer().put(k1, childWrite, Value.image(page(k1, 999)));
        child.writer().finishWrite(childWrite);
        for (Key key : model.keys()) {
            assertThat(child.get(key, branchAt)).as("%s", key).isEqualTo(expected(key, branchAt));
            if (!key.equals(k1)) { // parent's later writes are invisible on the child
                assertThat(child.get(key, childWrite)).as("%s", key).isEqualTo(expected(key, branchAt));
            }
        }
        assertThat(child.get(k1, childWrite)).isEqualTo(page(k1, 999));
        assertThat(parent.get(k1, childWrite)).isEqualTo(expected(k1, last));
        // grandchild: continues through two ancestors
        child.checkpoint();
        Timeline grandchild = track(TimelineFixture.branch(dir, TimelineId.generate(), child, childWrite, TimelineFixture.conf(64 * 1024)));
        assertThat(grandchild.get(k1, childWrite)).isEqualTo(page(k1, 999));
        assertThat(grandchild.get(Key.relBlock(REL, 5), childWrite)).isEqualTo(expected(Key.relBlock(REL, 5), branchAt));
    }

    @Test
    void restartKeepsEverythingUpToDiskConsistentLsn() throws InterruptedException {
        TimelineId id = TimelineId.generate();
        Timeline t = track(TimelineFixture.root(dir, id, TimelineFixture.conf(64 * 1024)));
        Lsn last = bootstrapAndWrite(t, 30);
        t.checkpoint();
        Lsn durable = t.diskConsistentLsn();
        assertThat(durable).isEqualTo(last);
        Key k = Key.relBlock(REL, 4);
        Lsn lost = last.plus(8);
        t.writer().put(k, lost, Value.image(page(k, 12345)));
        t.writer().finishWrite(lost);
        assertThat(t.get(k, lost)).isEqualTo(page(k, 12345));
        t.shutdown(false); // the in-memory part is dropped, as in a crash

        Timeline loaded = track(TimelineFixture.reload(t, null));
        loaded.activate();
        assertThat(loaded.diskConsistentLsn()).isEqualTo(durable);
        assertThat(loaded.lastRecordLsn()).isEqualTo(durable);
        assertThat(loaded.recordLsn().prev()).isEqualTo(durable.plus(-8));
        checkAllReads(loaded, INITDB, durable);
        assertThat(loaded.get(k, lost)).isEqualTo(expected(k, durable));
        // ingest resumes above disk_consistent_lsn
        loaded.writer().put(k, lost, Value.image(page(k, 777)));
        loaded.writer().finishWrite(lost);
        assertThat(loaded.get(k, lost)).isEqualTo(page(k, 777));
    }
}

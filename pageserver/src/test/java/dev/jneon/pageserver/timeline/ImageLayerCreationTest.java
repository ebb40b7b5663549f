package dev.jneon.pageserver.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.KeyRange;
import dev.jneon.pageserver.layer.ImageLayer;
import dev.jneon.pageserver.layer.PersistentLayer;
import dev.jneon.pageserver.timeline.read.MissingKeyException;
import dev.jneon.pageserver.value.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image layers appear once enough deltas pile up, hold every live key, and reads stay the same. */
class ImageLayerCreationTest {

    @TempDir
    Path dir;

    private static List<ImageLayer> images(Timeline t) {
        List<ImageLayer> out = new ArrayList<>();
        for (PersistentLayer l : t.layers().historic()) {
            if (l instanceof ImageLayer i) {
                out.add(i);
            }
        }
        return out;
    }

    @Test
    void imagesAreCreatedAboveDeltaStacksAndReadsStayTheSame() throws Exception {
        PageModel model = new PageModel();
        Timeline t = TimelineFixture.root(dir, TimelineId.generate(), TimelineFixture.conf(16 * 1024).withCompactionThreshold(100).withImageCreation(3, 0));
        Lsn last = model.bootstrapAndWrite(t, 40);
        Lsn deleted = last.plus(8);
        t.writer().delete(KeyRange.of(Key.relBlock(PageModel.REL, 7)), deleted);
        t.writer().finishWrite(deleted);
        Lsn end = model.write(t, deleted.plus(8), 41, 44); // none of these touch block 7
        t.checkpoint();
        List<ImageLayer> images = images(t);
        assertThat(images).hasSizeGreaterThan(1); // initdb image plus at least one created
        ImageLayer newest = images.stream().max((a, b) -> a.lsn().compareTo(b.lsn())).orElseThrow();
        assertThat(newest.lsn()).isGreaterThan(TimelineFixture.INITDB);
        model.checkAllReads(t, TimelineFixture.INITDB, last);
        if (newest.lsn().compareTo(deleted) >= 0) { // the deleted key is simply absent from the image
            assertThat(newest.file().versions(Key.relBlock(PageModel.REL, 7), newest.lsn(), newest.lsn().plus(1))).isEmpty();
        }
        assertThatThrownBy(() -> t.get(Key.relBlock(PageModel.REL, 7), end)).isInstanceOf(MissingKeyException.class);
        t.shutdown(false);
    }

    @Test
    void aBranchImageCarriesTheKeysItInherits() throws Exception {
        PageModel model = new PageModel();
        Timeline parent = TimelineFixture.root(dir, TimelineId.generate(), TimelineFixture.conf(1 << 20));
        Lsn branchAt = model.bootstrapAndWrite(parent, 10);
        parent.checkpoint();
        Timeline child = TimelineFixture.branch(dir, TimelineId.generate(), parent, branchAt,
                TimelineFixture.conf(16 * 1024).withImageCreation(2, 0));
        child.activate();
        Key own = Key.relBlock(PageModel.REL.withFork(dev.jneon.common.pg.ForkNumber.FSM), 0);
        Lsn lsn = branchAt.plus(8);
        for (int i = 0; i < 30; i++) {
            child.writer().put(own, lsn, Value.image(TimelineFixture.page(own, i)));
            child.writer().finishWrite(lsn);
            lsn = lsn.plus(8);
        }
        child.checkpoint();
        ImageLayer image = images(child).stream().findFirst().orElseThrow();
        for (int b = 0; b < PageModel.BLOCKS; b++) {
            Key k = Key.relBlock(PageModel.REL, b);
            assertThat(image.file().versions(k, image.lsn(), image.lsn().plus(1))).as("inherited %s", k).hasSize(1);
            assertThat(child.get(k, lsn.plus(-8))).isEqualTo(model.expected(k, branchAt));
        }
        assertThat(child.get(own, lsn.plus(-8))).isEqualTo(TimelineFixture.page(own, 29));
        child.shutdown(false);
        parent.shutdown(false);
    }
}

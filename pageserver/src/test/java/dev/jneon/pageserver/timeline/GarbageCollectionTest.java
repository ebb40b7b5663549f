package dev.jneon.pageserver.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.layer.PersistentLayer;
import dev.jneon.pageserver.timeline.gc.GcResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GC (spec D.6): layers below the cutoff that a newer image covers go; branch points and reads above the cutoff are kept. */
class GarbageCollectionTest {

    @TempDir
    Path dir;

    private static TenantConf conf() {
        return TimelineFixture.conf(16 * 1024).withCompactionThreshold(100).withImageCreation(3, 0).withGc(0, Duration.ZERO);
    }

    @Test
    void collectsCoveredLayersBelowTheCutoffAndRefusesReadsThere() throws Exception {
        PageModel model = new PageModel();
        Timeline t = TimelineFixture.root(dir, TimelineId.generate(), conf());
        Lsn last = model.bootstrapAndWrite(t, 80);
        t.checkpoint();
        List<PersistentLayer> before = t.layers().historic();
        GcResult result = t.gc(64, List.of());
        Lsn cutoff = last.plus(-64);
        assertThat(t.gcCutoffLsn()).isEqualTo(cutoff);
        assertThat(result.layersTotal()).isEqualTo(before.size());
        assertThat(result.layersRemoved()).isPositive();
        assertThat(t.layers().historic()).hasSize(before.size() - (int) result.layersRemoved());
        model.checkAllReads(t, cutoff, last);
        assertThatThrownBy(() -> t.get(Key.relSize(PageModel.REL), cutoff.plus(-8))).hasMessageContaining("GC cutoff");
        assertThat(t.gc(64, List.of())).isEqualTo(GcResult.unchanged(t.layers().historic().size()));
        t.shutdown(false);

        Timeline reloaded = TimelineFixture.reload(t, null);
        reloaded.activate();
        assertThat(reloaded.gcCutoffLsn()).isEqualTo(cutoff);
        model.checkAllReads(reloaded, cutoff, last);
        reloaded.shutdown(false);
    }

    @Test
    void branchPointsKeepTheirLayersAndPitrStopsGc() throws Exception {
        PageModel model = new PageModel();
        Timeline parent = TimelineFixture.root(dir, TimelineId.generate(), conf().withGc(0, Duration.ofDays(7)));
        Lsn last = model.bootstrapAndWrite(parent, 80);
        parent.checkpoint();
        int layers = parent.layers().historic().size();
        assertThat(parent.gc(0, List.of())).isEqualTo(GcResult.keptForPitr(layers));

        parent.setConf(conf());
        Lsn branchAt = Lsn.of(0x100 + 8 * 20);
        Timeline child = TimelineFixture.branch(dir, TimelineId.generate(), parent, branchAt, conf());
        GcResult result = parent.gc(0, List.of(branchAt));
        assertThat(result.layersNeededByBranches()).isPositive();
        for (Key key : model.keys()) {
            assertThat(child.get(key, branchAt)).as("%s", key).isEqualTo(model.expected(key, branchAt));
            assertThat(parent.get(key, last)).isEqualTo(model.expected(key, last));
        }
        for (PersistentLayer l : parent.layers().historic()) {
            if (l.lsnRange().start().compareTo(branchAt) <= 0) {
                assertThat(l.path()).exists();
            }
        }
        child.shutdown(false);
        parent.shutdown(false);
    }
}

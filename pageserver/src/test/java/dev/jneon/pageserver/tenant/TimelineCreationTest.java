package dev.jneon.pageserver.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.service.ApiError;
import dev.jneon.pageserver.timeline.Timeline;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The branch rules of spec F.3 against the GC cutoff, the parent's WAL and existing ids. */
class TimelineCreationTest {

    private static final Lsn INITDB = TenantFixture.INITDB;

    @TempDir
    Path dir;
    private TenantShard tenant;

    @AfterEach
    void stop() {
        tenant.shutdown(false);
    }

    /** A tenant with a root timeline holding records up to 0x28 + 8 * records, GC allowed. */
    private Timeline root(int records) {
        tenant = TenantShard.create(dir.resolve("tenant"), TenantShardId.unsharded(TenantId.generate()),
                new LocationConf(LocationMode.AttachedSingle, Generation.of(1), 2048, Map.of("pitr_interval", "0")), Clock.systemUTC());
        Timeline t = TenantFixture.root(tenant, records);
        tenant.addTimeline(t);
        return t;
    }

    @Test
    void branchPointsBelowTheCutoffOrBeyondTheWalAreRejected() throws Exception {
        Timeline parent = root(20);
        parent.checkpoint();
        parent.gc(8 * 10, List.of());
        Lsn cutoff = parent.gcCutoffLsn();
        assertThat(cutoff).isEqualTo(INITDB.plus(8 * 10));
        var creation = new TimelineCreation(dir, false, Duration.ofMillis(50));

        assertThatThrownBy(() -> creation.branch(tenant, TimelineId.generate(), parent.timelineId(), cutoff.plus(-8)))
                .isInstanceOf(BranchPointRejected.class).hasMessageContaining("GC cutoff");
        assertThatThrownBy(() -> creation.branch(tenant, TimelineId.generate(), parent.timelineId(), parent.lastRecordLsn().plus(8)))
                .isInstanceOf(BranchPointRejected.class).hasMessageContaining("beyond the WAL");
        Timeline child = creation.branch(tenant, TimelineId.generate(), parent.timelineId(), cutoff.plus(3)); // aligned up
        assertThat(child.ancestorLsn()).isEqualTo(cutoff.plus(8));
        assertThat(child.gcCutoffLsn()).isEqualTo(cutoff);
        assertThat(child.recordLsn().prev()).isEqualTo(Lsn.INVALID); // not the parent's last record
        // below the child's own branch point, a grandchild is refused
        assertThatThrownBy(() -> creation.branch(tenant, TimelineId.generate(), child.timelineId(), cutoff))
                .isInstanceOf(BranchPointRejected.class).hasMessageContaining("ancestor lsn");
        // same id and point again: the existing timeline; another point: conflict
        assertThat(creation.branch(tenant, child.timelineId(), parent.timelineId(), cutoff.plus(8))).isSameAs(child);
        assertThatThrownBy(() -> creation.branch(tenant, child.timelineId(), parent.timelineId(), cutoff.plus(16)))
                .isInstanceOf(ApiError.Conflict.class);
        assertThatThrownBy(() -> creation.branch(tenant, TimelineId.generate(), TimelineId.generate(), null))
                .isInstanceOf(ApiError.NotFound.class);
    }

    @Test
    void aBranchAtTheTipTakesTheParentsPrevRecord() throws Exception {
        Timeline parent = root(3);
        var creation = new TimelineCreation(dir, false, Duration.ofMillis(50));
        Timeline child = creation.branch(tenant, TimelineId.generate(), parent.timelineId(), null);
        assertThat(child.ancestorLsn()).isEqualTo(parent.lastRecordLsn());
        assertThat(child.recordLsn().prev()).isEqualTo(parent.recordLsn().prev());
        assertThat(child.diskConsistentLsn()).isEqualTo(parent.lastRecordLsn());
    }
}

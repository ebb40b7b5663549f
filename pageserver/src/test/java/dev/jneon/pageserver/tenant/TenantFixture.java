package dev.jneon.pageserver.tenant;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineLoader;
import dev.jneon.pageserver.timeline.TimelineMetadata;
import dev.jneon.pageserver.value.Value;
import java.time.Clock;

/** Timelines for tenant tests: a root whose records each rewrite the Checkpoint key. */
final class TenantFixture {

    static final Lsn INITDB = Lsn.of(0x28);

    private TenantFixture() {}

    /** An active root timeline of {@code tenant} with records at INITDB + 8, + 16, ... (not yet added to the tenant). */
    static Timeline root(TenantShard tenant, int records) {
        TimelineId id = TimelineId.generate();
        var metadata = new TimelineMetadata(Lsn.INVALID, null, null, Lsn.INVALID, Lsn.INVALID, INITDB, PgMajorVersion.PG15);
        Timeline t = TimelineLoader.create(tenant.timelineDir(id), tenant.id(), id, Generation.of(1), null, metadata,
                tenant.location().engineConf(), Clock.systemUTC());
        t.writer().put(Key.CHECKPOINT, INITDB, Value.image(new byte[88]));
        t.writer().finishWrite(INITDB);
        t.activate();
        for (int i = 1; i <= records; i++) {
            Lsn lsn = INITDB.plus(8L * i);
            t.writer().put(Key.CHECKPOINT, lsn, Value.image(new byte[88]));
            t.writer().finishWrite(lsn);
        }
        return t;
    }
}

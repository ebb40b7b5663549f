package dev.jneon.pageserver.timeline;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.pageserver.config.TenantConf;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

/** Builds timelines in a temp directory for engine tests. */
final class TimelineFixture {

    static final TenantShardId TENANT = TenantShardId.unsharded(TenantId.parse("11111111111111111111111111111111"));
    static final Lsn INITDB = Lsn.of(0x28);

    private TimelineFixture() {}

    static TenantConf conf(long checkpointDistance) {
        return TenantConf.of(checkpointDistance, Duration.ofMinutes(10));
    }

    /** A root timeline that has not been bootstrapped yet: first layer at {@link #INITDB}. */
    static Timeline root(Path tenantDir, TimelineId id, TenantConf conf) {
        var metadata = new TimelineMetadata(Lsn.INVALID, null, null, Lsn.INVALID, Lsn.INVALID, INITDB, PgMajorVersion.PG15);
        return TimelineLoader.create(tenantDir.resolve(id.toString()), TENANT, id, Generation.of(1), null, metadata, conf,
                Clock.systemUTC());
    }

    static Timeline branch(Path tenantDir, TimelineId id, Timeline parent, Lsn at, TenantConf conf) {
        var metadata = new TimelineMetadata(at, null, parent.timelineId(), at, Lsn.INVALID, parent.initdbLsn(), parent.pgVersion());
        return TimelineLoader.create(tenantDir.resolve(id.toString()), TENANT, id, Generation.of(1), parent, metadata, conf,
                Clock.systemUTC());
    }

    static Timeline reload(Timeline old, Timeline ancestor) {
        return TimelineLoader.load(old.dir(), TENANT, old.timelineId(), Generation.of(1), ancestor, old.conf(), Clock.systemUTC());
    }

    /** An 8 KiB page whose bytes say which key and version it is. */
    static byte[] page(Key key, long version) {
        byte[] p = new byte[8192];
        Arrays.fill(p, (byte) (version * 31 + key.field6()));
        p[0] = (byte) version;
        p[1] = (byte) (version >>> 8);
        return p;
    }
}

package dev.jneon.broker;

import dev.jneon.common.broker.SafekeeperTimelineInfo;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantTimelineId;
import java.util.Optional;

/** Timeline infos for tests: the commit LSN doubles as a sequence number. */
public final class TestInfos {

    private TestInfos() {
    }

    public static SafekeeperTimelineInfo info(TenantTimelineId ttid, long safekeeper, long commitLsn) {
        return info(ttid, safekeeper, commitLsn, "127.0.0.1:5454");
    }

    public static SafekeeperTimelineInfo info(TenantTimelineId ttid, long safekeeper, long commitLsn, String connstr) {
        return new SafekeeperTimelineInfo(NodeId.of(safekeeper), ttid, 3, 2, Lsn.of(commitLsn + 8), Lsn.of(commitLsn),
                Lsn.of(0x1000000), Lsn.of(0x100), Lsn.of(0x200), Lsn.of(0x300), Lsn.INVALID, connstr,
                "127.0.0.1:7676", Optional.empty(), Optional.of("az-" + safekeeper));
    }
}

package dev.jneon.common.wal.cli;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.CheckPoint;
import dev.jneon.common.wal.WalRecord;
import dev.jneon.common.wal.record.ClogBody;
import dev.jneon.common.wal.record.DbaseBody;
import dev.jneon.common.wal.record.MultiXactBody;
import dev.jneon.common.wal.record.RecordBody;
import dev.jneon.common.wal.record.RelFileNode;
import dev.jneon.common.wal.record.RelMapBody;
import dev.jneon.common.wal.record.RelPaths;
import dev.jneon.common.wal.record.SmgrBody;
import dev.jneon.common.wal.record.StandbyBody;
import dev.jneon.common.wal.record.XactBody;
import dev.jneon.common.wal.record.XlogBody;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The text after the record type in pg_waldump's {@code desc:} column, for the typed records
 * (PostgreSQL 15's rmgrdesc wording; times in UTC). Unclassified records get an empty text.
 * Stateless.
 */
final class RecordDescription {

    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final String[] WAL_LEVELS = {"minimal", "replica", "logical"};

    private RecordDescription() {}

    static String of(WalRecord record, RecordBody body) {
        return switch (body) {
            case XlogBody x -> xlog(x);
            case XactBody x -> xact(x);
            case SmgrBody.Create c -> RelPaths.path(c.rel());
            case SmgrBody.Truncate t -> t.rel().path() + " to " + u(t.blockCount()) + " blocks flags " + t.flags();
            case ClogBody.ZeroPage z -> "page " + z.pageNo();
            case ClogBody.Truncate t -> "page " + t.pageNo() + "; oldestXact " + u(t.oldestXact());
            case DbaseBody.CreateFileCopy c -> "copy dir " + u(c.srcTablespaceId()) + "/" + u(c.srcDbId()) + " to "
                    + u(c.tablespaceId()) + "/" + u(c.dbId());
            case DbaseBody.CreateWalLog c -> "create dir " + u(c.tablespaceId()) + "/" + u(c.dbId());
            case DbaseBody.Drop d -> {
                StringBuilder sb = new StringBuilder("dir");
                d.tablespaceIds().forEach(ts -> sb.append(' ').append(u(ts)).append('/').append(u(d.dbId())));
                yield sb.toString();
            }
            case MultiXactBody m -> multixact(m);
            case RelMapBody.Update u -> "database " + u(u.dbId()) + " tablespace " + u(u.tsId()) + " size "
                    + u.map().remaining();
            case StandbyBody.RunningXacts r -> runningXacts(r);
            case RecordBody.Unclassified un -> "";
        };
    }

    private static String xlog(XlogBody x) {
        return switch (x) {
            case XlogBody.Checkpoint c -> checkpoint(c.checkPoint(), c.shutdown());
            case XlogBody.NextOid n -> u(n.nextOid());
            case XlogBody.Switch s -> "";
            case XlogBody.FullPageImages f -> "";
            case XlogBody.ParameterChange p -> "max_connections=" + p.maxConnections() + " max_worker_processes="
                    + p.maxWorkerProcesses() + " max_wal_senders=" + p.maxWalSenders() + " max_prepared_xacts="
                    + p.maxPreparedXacts() + " max_locks_per_xact=" + p.maxLocksPerXact() + " wal_level="
                    + (p.walLevel() >= 0 && p.walLevel() < 3 ? WAL_LEVELS[p.walLevel()] : "?") + " wal_log_hints="
                    + onOff(p.walLogHints()) + " track_commit_timestamp=" + onOff(p.trackCommitTimestamp());
            case XlogBody.EndOfRecovery e -> "tli " + u(e.thisTimeLineId()) + "; prev tli " + u(e.prevTimeLineId())
                    + "; time " + time(e.endTime());
        };
    }

    private static String checkpoint(CheckPoint c, boolean shutdown) {
        return "redo " + Lsn.of(c.redo()) + "; tli " + u(c.thisTimeLineId()) + "; prev tli " + u(c.prevTimeLineId())
                + "; fpw " + c.fullPageWrites() + "; xid " + u((int) (c.nextFullXid() >>> 32)) + ":" + u(c.nextXid())
                + "; oid " + u(c.nextOid()) + "; multi " + u(c.nextMulti()) + "; offset " + u(c.nextMultiOffset())
                + "; oldest xid " + u(c.oldestXid()) + " in DB " + u(c.oldestXidDb()) + "; oldest multi "
                + u(c.oldestMulti()) + " in DB " + u(c.oldestMultiDb()) + "; oldest/newest commit timestamp xid: "
                + u(c.oldestCommitTsXid()) + "/" + u(c.newestCommitTsXid()) + "; oldest running xid "
                + u(c.oldestActiveXid()) + "; " + (shutdown ? "shutdown" : "online");
    }

    private static String xact(XactBody x) {
        return switch (x) {
            case XactBody.Commit c -> completion(c.details(), true);
            case XactBody.Abort a -> completion(a.details(), false);
            case XactBody.Prepare p -> "gid " + p.gid() + ": " + time(p.preparedAt());
            case XactBody.Assignment a -> "xtop " + u(a.topXid()) + ": subxacts:" + xids(a.subxacts());
        };
    }

    private static String completion(XactBody.XactDetails d, boolean commit) {
        StringBuilder sb = new StringBuilder();
        if ((d.xinfo() & XactBody.XINFO_HAS_TWOPHASE) != 0) {
            sb.append(u(d.twophaseXid())).append(": ");
        }
        sb.append(time(d.xactTime()));
        if (!d.rels().isEmpty()) {
            sb.append("; rels:");
            for (RelFileNode r : d.rels()) {
                sb.append(' ').append(r.path());
            }
        }
        if (!d.subxacts().isEmpty()) {
            sb.append("; subxacts:").append(xids(d.subxacts()));
        }
        if (!d.droppedStats().isEmpty()) {
            sb.append("; dropped stats:");
            d.droppedStats().forEach(s -> sb.append(' ').append(s.kind()).append('/').append(u(s.dbOid())).append('/')
                    .append(u(s.objOid())));
        }
        if (commit && d.invalidationCount() > 0) {
            sb.append("; inval msgs:");
            ByteBuffer inv = d.invalidations();
            for (int i = 0; i < d.invalidationCount(); i++) {
                sb.append(invalidation(inv, i * XactBody.XactDetails.INVALIDATION_SIZE));
            }
        }
        if (commit && (d.xinfo() & XactBody.XINFO_FORCE_SYNC_COMMIT) != 0) {
            sb.append("; sync");
        }
        return sb.toString();
    }

    private static String invalidation(ByteBuffer inv, int at) {
        int id = inv.get(at);
        return switch (id) {
            case -1 -> " catalog " + u(inv.getInt(at + 8));
            case -2 -> " relcache " + u(inv.getInt(at + 8));
            case -3 -> " smgr";
            case -4 -> " relmap";
            case -5 -> " snapshot " + u(inv.getInt(at + 8));
            default -> id >= 0 ? " catcache " + id : " unrecognized id " + id;
        };
    }

    private static String multixact(MultiXactBody m) {
        return switch (m) {
            case MultiXactBody.ZeroPage z -> Integer.toString(z.pageNo());
            case MultiXactBody.Create c -> {
                StringBuilder sb = new StringBuilder(u(c.multiXactId()) + " offset " + u(c.firstOffset())
                        + " nmembers " + c.members().size() + ": ");
                c.members().forEach(mb -> sb.append(u(mb.xid())).append(" (").append(mb.status().pgName()).append(") "));
                yield sb.toString();
            }
            case MultiXactBody.Truncate t -> "offsets [" + u(t.startTruncOff()) + ", " + u(t.endTruncOff())
                    + "), members [" + u(t.startTruncMemb()) + ", " + u(t.endTruncMemb()) + ")";
        };
    }

    private static String runningXacts(StandbyBody.RunningXacts r) {
        StringBuilder sb = new StringBuilder("nextXid " + u(r.nextXid()) + " latestCompletedXid "
                + u(r.latestCompletedXid()) + " oldestRunningXid " + u(r.oldestRunningXid()));
        if (!r.xids().isEmpty()) {
            sb.append("; ").append(r.xids().size()).append(" xacts:").append(xids(r.xids()));
        }
        if (r.subxidOverflow()) {
            sb.append("; subxid overflowed");
        }
        if (!r.subxids().isEmpty()) {
            sb.append("; ").append(r.subxids().size()).append(" subxacts:").append(xids(r.subxids()));
        }
        return sb.toString();
    }

    private static String xids(List<Integer> xids) {
        StringBuilder sb = new StringBuilder();
        xids.forEach(x -> sb.append(' ').append(u(x)));
        return sb.toString();
    }

    /** A PostgreSQL timestamp (µs since 2000-01-01 UTC) as timestamptz_to_str prints it in UTC. */
    static String time(long pgMicros) {
        long micros = pgMicros + PG_EPOCH_MICROS;
        return TIME.format(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1000));
    }

    private static String onOff(boolean b) {
        return b ? "on" : "off";
    }

    private static String u(int v) {
        return Integer.toUnsignedString(v);
    }
}

package dev.jneon.pageserver.ingest;

import dev.jneon.common.pg.CheckPoint;

/**
 * Copies of a {@link CheckPoint} with the fields WAL records move (postgres-formats C, XLOG):
 * nextXid, nextOid, nextMulti/nextMultiOffset, oldestXid/DB, oldestMulti/DB, oldestActiveXid. The
 * rest (redo, timelines, fullPageWrites, time, commit-ts xids) comes only from checkpoint records.
 * Stateless.
 */
final class CheckPoints {

    private CheckPoints() {}

    static CheckPoint with(CheckPoint c, long nextFullXid, int nextOid, int nextMulti, int nextMultiOffset,
            int oldestXid, int oldestXidDb, int oldestMulti, int oldestMultiDb, int oldestActiveXid) {
        return new CheckPoint(c.redo(), c.thisTimeLineId(), c.prevTimeLineId(), c.fullPageWrites(), nextFullXid,
                nextOid, nextMulti, nextMultiOffset, oldestXid, oldestXidDb, oldestMulti, oldestMultiDb, c.time(),
                c.oldestCommitTsXid(), c.newestCommitTsXid(), oldestActiveXid);
    }

    static CheckPoint withNextOid(CheckPoint c, int nextOid) {
        return with(c, c.nextFullXid(), nextOid, c.nextMulti(), c.nextMultiOffset(), c.oldestXid(), c.oldestXidDb(),
                c.oldestMulti(), c.oldestMultiDb(), c.oldestActiveXid());
    }

    static CheckPoint withNextFullXid(CheckPoint c, long nextFullXid) {
        return with(c, nextFullXid, c.nextOid(), c.nextMulti(), c.nextMultiOffset(), c.oldestXid(), c.oldestXidDb(),
                c.oldestMulti(), c.oldestMultiDb(), c.oldestActiveXid());
    }
}

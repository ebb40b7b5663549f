package dev.jneon.pageserver.timeline;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.KeyRange;
import dev.jneon.pageserver.value.Value;

/**
 * The ingest-facing write API of one timeline (spec D.2). For each WAL record, the ingest step
 * puts and deletes at the record's end LSN, then calls {@link #finishWrite} with that LSN; values
 * of one key must come in LSN order and LSNs never go below the last finished record. Values
 * become readable at once, durable once flushed.
 *
 * <p>Not thread-safe: one ingest task per timeline owns the writer ({@link Timeline#writer()}).
 */
public final class TimelineWriter {

    private final Timeline timeline;

    TimelineWriter(Timeline timeline) {
        this.timeline = timeline;
    }

    /** Stores {@code value} for {@code key} at {@code lsn}. May roll the open layer and wait for a flush (backpressure). */
    public void put(Key key, Lsn lsn, Value value) {
        timeline.put(key, lsn, value);
    }

    /** Deletes every key of {@code keys} at {@code lsn} (values put at the same LSN survive). */
    public void delete(KeyRange keys, Lsn lsn) {
        timeline.delete(keys, lsn);
    }

    /** Marks the record ending at {@code recordEnd} as fully ingested: last_record_lsn advances to it. */
    public void finishWrite(Lsn recordEnd) {
        timeline.finishWrite(recordEnd);
    }
}

package dev.jneon.common.wal.record;

import dev.jneon.common.wal.ResourceManager;
import dev.jneon.common.wal.WalDecodeException;
import dev.jneon.common.wal.WalRecord;

/**
 * The meaning of a record's main data, for the records the pageserver interprets: one sealed
 * family per resource manager, and {@link Unclassified} (rmgr and info only) for everything else.
 * {@link #of(WalRecord)} parses; malformed main data is a {@link WalDecodeException} of kind
 * {@link WalDecodeException.Kind#BAD_MAIN_DATA}. All implementations are immutable records.
 */
public sealed interface RecordBody
        permits XlogBody, XactBody, SmgrBody, ClogBody, DbaseBody, MultiXactBody, RelMapBody, StandbyBody,
                RecordBody.Unclassified {

    /** A record this package does not interpret; its rmgr and xl_info say what it is. */
    record Unclassified(ResourceManager rmgr, int info) implements RecordBody {}

    static RecordBody of(WalRecord record) throws WalDecodeException {
        return switch (record.rmgr()) {
            case XLOG -> XlogBody.parse(record);
            case TRANSACTION -> XactBody.parse(record);
            case STORAGE -> SmgrBody.parse(record);
            case CLOG -> ClogBody.parse(record);
            case DATABASE -> DbaseBody.parse(record);
            case MULTIXACT -> MultiXactBody.parse(record);
            case RELMAP -> RelMapBody.parse(record);
            case STANDBY -> StandbyBody.parse(record);
            default -> unclassified(record);
        };
    }

    static Unclassified unclassified(WalRecord record) {
        return new Unclassified(record.rmgr(), record.info());
    }
}

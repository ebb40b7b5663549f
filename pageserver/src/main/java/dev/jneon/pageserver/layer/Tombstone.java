package dev.jneon.pageserver.layer;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.KeyRange;

/**
 * A range delete: every key in {@code keys} stops existing at {@code lsn}. A value written at the
 * same LSN is newer than the delete. Immutable.
 */
public record Tombstone(KeyRange keys, Lsn lsn) {
    public Tombstone {
        if (keys == null || lsn == null) {
            throw new IllegalArgumentException("tombstone needs keys and an LSN");
        }
    }
}

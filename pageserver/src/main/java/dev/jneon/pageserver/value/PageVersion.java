package dev.jneon.pageserver.value;

import dev.jneon.common.id.Lsn;

/** One stored version of a key: the value written at {@code lsn}. Immutable. */
public record PageVersion(Lsn lsn, Value value) {
    public PageVersion {
        if (lsn == null || value == null) {
            throw new IllegalArgumentException("lsn and value must not be null");
        }
    }
}

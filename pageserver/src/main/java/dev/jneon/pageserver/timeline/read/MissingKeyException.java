package dev.jneon.pageserver.timeline.read;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.Key;

/** A key has no value at the requested LSN on this timeline or its ancestors (deleted, never written, or corrupt). */
public final class MissingKeyException extends RuntimeException {

    private final transient Key key;

    public MissingKeyException(Key key, Lsn lsn, String why) {
        super("key " + key + " (" + key.kind() + ") is missing at " + lsn + ": " + why);
        this.key = key;
    }

    public Key key() {
        return key;
    }
}

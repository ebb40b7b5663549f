package dev.jneon.safekeeper.acceptor;

import dev.jneon.common.id.Lsn;

/**
 * The Postgres cluster whose WAL a timeline holds: {@code PG_VERSION_NUM} (e.g. 150013; 0 unknown),
 * the pg_control system identifier (0 unknown) and the WAL segment size. Immutable.
 */
public record ServerInfo(int pgVersion, long systemId, int walSegSize) {

    public ServerInfo {
        if (pgVersion < 0) {
            throw new IllegalArgumentException("pg_version must not be negative, got " + pgVersion);
        }
        Lsn.ofSegment(0, walSegSize); // validates: a power of two of at least one WAL page
    }

    /** The major version (15 for 150013). */
    public int pgMajor() {
        return pgVersion / 10000;
    }

    public ServerInfo withSystemId(long id) {
        return new ServerInfo(pgVersion, id, walSegSize);
    }
}

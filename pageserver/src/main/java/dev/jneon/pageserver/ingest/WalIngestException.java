package dev.jneon.pageserver.ingest;

import dev.jneon.common.id.Lsn;

/**
 * Ingest cannot continue at record {@code lsn}: the record needs a page the pageserver does not
 * have as an image (DESIGN D4: the WAL must carry full-page images of every modified block of an
 * imaged resource manager), or its content is malformed. The timeline must not advance past it.
 */
public final class WalIngestException extends RuntimeException {

    private final Lsn lsn;

    public WalIngestException(Lsn lsn, String reason, Throwable cause) {
        super("cannot ingest the WAL record at " + lsn + ": " + reason, cause);
        this.lsn = lsn;
    }

    public Lsn lsn() {
        return lsn;
    }
}

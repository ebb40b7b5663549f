package dev.jneon.pageserver.ingest;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.wal.SegmentDirectory;
import dev.jneon.common.wal.WalDecodeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Feeds the WAL of a {@code pg_wal} directory (PostgreSQL's segment files) through the decoder
 * into a {@link WalIngest}, from a record start up to an end LSN or the end of the files. Used
 * by tests and by bootstraps from a data directory; the WAL service replaces it for running
 * computes. Stateless apart from its directory; one run per call on the caller's thread.
 */
public final class PgWalSource {

    /**
     * What one run ingested: the number of records, the end LSN of the last one, and the decode
     * error that ended the run (null when it reached {@code end} or the end of the files).
     */
    public record Ingested(long records, Lsn end, WalDecodeException stoppedBy) {}

    private final SegmentDirectory segments;

    public PgWalSource(Path pgWal, int segmentSize) {
        this.segments = new SegmentDirectory(pgWal, segmentSize);
    }

    /**
     * Ingests every complete record from {@code start} to {@code end} ({@link Lsn#MAX}: to the
     * end of the files). A decode error (torn or invalid record) ends the run at the last
     * complete record, as end of WAL; an ingest error propagates.
     */
    public Ingested ingest(Lsn start, Lsn end, WalIngest ingest) {
        try {
            SegmentDirectory.Outcome outcome = segments.decode(start, end, ingest::ingest);
            return new Ingested(outcome.records(), outcome.end(), outcome.error());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read WAL in " + segments.dir(), e);
        }
    }
}

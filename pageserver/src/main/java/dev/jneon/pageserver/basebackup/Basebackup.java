package dev.jneon.pageserver.basebackup;

import dev.jneon.common.key.DbDirectory;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.TwoPhaseDirectory;
import dev.jneon.common.pg.CheckPoint;
import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.pg.file.PgControl;
import dev.jneon.common.wal.write.SyntheticCheckpoint;
import dev.jneon.common.wal.write.WalSegmentFile;
import dev.jneon.pageserver.timeline.Timeline;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A full basebackup of a timeline at LSN X for vanilla PostgreSQL 15 (DESIGN D3; spec pageserver H,
 * postgres-formats F–H): the tar of a data directory that PostgreSQL starts from without recovery.
 *
 * <p>Entries, in this order (directories 0700 before their files, files 0600):
 * <ol>
 *   <li>the directories PostgreSQL needs, all empty except those filled below ({@link #DIRECTORIES});
 *   <li>{@code PG_VERSION}, a {@code pg_hba.conf} (local and loopback trust, elsewhere SCRAM), empty
 *       {@code pg_ident.conf} and {@code postgresql.auto.conf}; {@code postgresql.conf} is not
 *       shipped (the compute writes it);
 *   <li>SLRUs ({@link SlruFiles});
 *   <li>per database of the DbDir: {@code base/<db>/}, its {@code PG_VERSION}, {@code pg_filenode.map}
 *       (the global one as {@code global/pg_filenode.map}) and its relation files ({@link RelationFiles});
 *   <li>{@code pg_twophase/%08X} per prepared transaction: the stored state file plus its CRC-32C (u32 LE);
 *   <li>{@code global/pg_control}: the stored control file patched for a clean shutdown at
 *       C = normalize(X) (state SHUTDOWNED, checkPoint C, checkPointCopy = the synthetic checkpoint);
 *   <li>{@code pg_wal/<segment>}: one or two 16 MiB segment files holding only the synthetic shutdown
 *       checkpoint record at C ({@link SyntheticCheckpoint}).
 * </ol>
 * pg_control and pg_wal come last, so a truncated tar cannot start. Everything is read at X and
 * streamed a page at a time. Not thread-safe; one instance per basebackup.
 */
public final class Basebackup {

    /** Directories of a PostgreSQL 15 data directory, parents first. */
    static final List<String> DIRECTORIES = List.of("global", "base", "pg_commit_ts", "pg_dynshmem", "pg_logical",
            "pg_logical/mappings", "pg_logical/snapshots", "pg_multixact", "pg_multixact/members",
            "pg_multixact/offsets", "pg_notify", "pg_replslot", "pg_serial", "pg_snapshots", "pg_stat", "pg_stat_tmp",
            "pg_subtrans", "pg_tblspc", "pg_twophase", "pg_wal", "pg_wal/archive_status", "pg_xact");

    static final String PG_HBA = """
            # written by the jneon pageserver basebackup; compute-ctl may replace it
            # TYPE  DATABASE  USER  ADDRESS       METHOD
            local   all       all                 trust
            host    all       all   127.0.0.1/32  trust
            host    all       all   ::1/128       trust
            host    all       all   0.0.0.0/0     scram-sha-256
            host    all       all   ::/0          scram-sha-256
            """;

    /** What was written: the synthetic checkpoint (C, its record end) and the relation and SLRU pages. */
    public record Summary(SyntheticCheckpoint checkpoint, long relationPages, long slruPages) {}

    private final Timeline timeline;
    private final BasebackupLsn at;
    private final PageSource source;
    private final Instant now;

    public Basebackup(Timeline timeline, BasebackupLsn at, Instant now) {
        this.timeline = timeline;
        this.at = at;
        this.source = new PageSource(timeline, at.lsn());
        this.now = now;
    }

    /** Writes the whole tar to {@code out} (uncompressed; the caller wraps {@code out} to compress). */
    public Summary writeTo(OutputStream out) throws IOException {
        PgControl control = PgControl.parse(source.get(Key.CONTROL_FILE));
        CheckPoint tracked = CheckPoint.decode(source.get(Key.CHECKPOINT), 0);
        SyntheticCheckpoint checkpoint = SyntheticCheckpoint.build(at.lsn(), at.prev(), tracked,
                control.systemIdentifier(), control.build().xlogSegSize(), now);
        byte[] version = timeline.pgVersion().versionFileContents().getBytes(StandardCharsets.US_ASCII);

        TarWriter tar = new TarWriter(out, now.getEpochSecond());
        for (String dir : DIRECTORIES) {
            tar.directory(dir);
        }
        tar.file("PG_VERSION", version);
        tar.file("pg_hba.conf", PG_HBA.getBytes(StandardCharsets.US_ASCII));
        tar.file("pg_ident.conf", new byte[0]);
        tar.file("postgresql.auto.conf", new byte[0]);
        long slruPages = SlruFiles.write(tar, source, tracked);
        long relationPages = 0;
        for (Map.Entry<DbTag, Boolean> db : DbDirectory.decode(source.get(Key.DB_DIR)).databases().entrySet()) {
            relationPages += writeDatabase(tar, db.getKey(), db.getValue(), version, control.build().relsegSize());
        }
        writeTwoPhase(tar);
        tar.file("global/pg_control", control.patchForShutdownCheckpoint(checkpoint.checkpointLsn(),
                checkpoint.checkPoint(), now));
        for (WalSegmentFile segment : checkpoint.segments()) {
            tar.file("pg_wal/" + segment.name(), segment.content());
        }
        tar.finish();
        return new Summary(checkpoint, relationPages, slruPages);
    }

    private long writeDatabase(TarWriter tar, DbTag db, boolean hasRelMap, byte[] version, int relsegSize)
            throws IOException {
        String dir;
        if (db.equals(DbTag.GLOBAL)) {
            dir = "global/";
        } else if (db.spcNode() == RelTag.DEFAULT_TABLESPACE) {
            dir = "base/" + Integer.toUnsignedString(db.dbNode()) + "/";
            tar.directory(dir);
            tar.file(dir + "PG_VERSION", version);
        } else {
            throw new IllegalStateException("database " + db + " is in tablespace "
                    + Integer.toUnsignedString(db.spcNode()) + "; user tablespaces are not supported by jneon");
        }
        if (hasRelMap) {
            tar.file(dir + "pg_filenode.map", source.get(Key.relMap(db)));
        }
        return RelationFiles.write(tar, source, db, dir, relsegSize);
    }

    private void writeTwoPhase(TarWriter tar) throws IOException {
        byte[] dirValue = source.find(Key.TWO_PHASE_DIR);
        if (dirValue == null) {
            return;
        }
        for (long xid : TwoPhaseDirectory.decode(dirValue, timeline.pgVersion()).xids()) {
            byte[] state = source.get(Key.twoPhaseFile(xid));
            CRC32C crc = new CRC32C();
            crc.update(state);
            byte[] file = ByteBuffer.allocate(state.length + 4).order(ByteOrder.LITTLE_ENDIAN).put(state)
                    .putInt((int) crc.getValue()).array();
            tar.file("pg_twophase/" + String.format("%08X", xid), file);
        }
    }
}

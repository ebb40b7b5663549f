package dev.jneon.common.pg.file;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.CheckPoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * {@code global/pg_control} of PostgreSQL 13–15 (PG_CONTROL_VERSION {@value #FORMAT_VERSION}). 8192 bytes, little-endian: ControlFileData (296 bytes) then zeros.
 *
 * <pre>
 *   @0 u64 system_identifier      @8 u32 pg_control_version   @12 u32 catalog_version_no
 *  @16 i32 state (DbState)        @24 i64 time (s since 1970) @32 u64 checkPoint
 *  @40 CheckPoint (88 bytes)     @128 u64 unloggedLSN
 * @136 u64 minRecoveryPoint      @144 u32 minRecoveryPointTLI @152 u64 backupStartPoint
 * @160 u64 backupEndPoint        @168 u8 backupEndRequired
 * @172 i32 wal_level @176 u8 wal_log_hints @180 i32 MaxConnections @184 i32 max_worker_processes
 * @188 i32 max_wal_senders @192 i32 max_prepared_xacts @196 i32 max_locks_per_xact
 * @200 u8 track_commit_timestamp
 * @204 u32 maxAlign @208 f64 floatFormat @216 u32 blcksz @220 relseg_size @224 xlog_blcksz
 * @228 xlog_seg_size @232 nameDataLen @236 indexMaxKeys @240 toast_max_chunk_size @244 loblksize
 * @248 u8 float8ByVal            @252 u32 data_checksum_version @256 32-byte mock_authentication_nonce
 * @288 u32 crc = CRC-32C of bytes [0, 288)
 * </pre>
 *
 * Pad bytes are zero (PostgreSQL zeroes the struct before filling it), so {@link #encode()} of a
 * parsed file reproduces it byte for byte. The file is rewritten whole; a torn write is caught by
 * the CRC, which {@link #parse} checks.
 *
 * <p>Version history: v1 ({@code golden/pg_control/v1}) = PG_CONTROL_VERSION 1300 (PostgreSQL 13 to
 * 15); other versions are rejected. Immutable.
 */
public record PgControl(
        long systemIdentifier,
        int pgControlVersion,
        int catalogVersionNo,
        DbState state,
        long time,
        Lsn checkPoint,
        CheckPoint checkPointCopy,
        Lsn unloggedLsn,
        Lsn minRecoveryPoint,
        int minRecoveryPointTli,
        Lsn backupStartPoint,
        Lsn backupEndPoint,
        boolean backupEndRequired,
        ServerSettings settings,
        BuildParameters build,
        int dataChecksumVersion,
        byte[] mockAuthenticationNonce) {

    /** PG_CONTROL_VERSION this layout belongs to. */
    public static final int FORMAT_VERSION = 1300;
    public static final int FILE_SIZE = 8192;
    public static final int CRC_OFFSET = 288;
    public static final int NONCE_LENGTH = 32;
    /** FirstNormalUnloggedLSN, what pg_resetwal writes into unloggedLSN. */
    public static final Lsn FIRST_NORMAL_UNLOGGED_LSN = Lsn.of(1000);

    /**
     * The server settings pg_control records for WAL consumers (last PARAMETER_CHANGE or initdb's).
     * wal_level: 0 minimal, 1 replica, 2 logical.
     */
    public record ServerSettings(int walLevel, boolean walLogHints, int maxConnections, int maxWorkerProcesses,
            int maxWalSenders, int maxPreparedXacts, int maxLocksPerXact, boolean trackCommitTimestamp) {}

    /** Compile-time constants of the server that created the cluster; the server checks them at start. */
    public record BuildParameters(int maxAlign, double floatFormat, int blcksz, int relsegSize, int xlogBlcksz,
            int xlogSegSize, int nameDataLen, int indexMaxKeys, int toastMaxChunkSize, int loblksize,
            boolean float8ByVal) {}

    public PgControl {
        if (mockAuthenticationNonce == null || mockAuthenticationNonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("mock_authentication_nonce must be " + NONCE_LENGTH + " bytes");
        }
        mockAuthenticationNonce = mockAuthenticationNonce.clone();
    }

    @Override
    public byte[] mockAuthenticationNonce() {
        return mockAuthenticationNonce.clone();
    }

    /** Parses a pg_control file; rejects a wrong size, a bad CRC or another format version. */
    public static PgControl parse(byte[] file) {
        if (file.length != FILE_SIZE) {
            throw new IllegalArgumentException("pg_control must be " + FILE_SIZE + " bytes, got " + file.length);
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int stored = b.getInt(CRC_OFFSET);
        int computed = crc(file);
        if (stored != computed) {
            throw new IllegalArgumentException(String.format(
                    "pg_control CRC mismatch: stored 0x%08X, computed 0x%08X over bytes [0, %d); the file is corrupt",
                    stored, computed, CRC_OFFSET));
        }
        int version = b.getInt(8);
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("pg_control_version " + version + " is not supported (expected "
                    + FORMAT_VERSION + ", PostgreSQL 13-15)");
        }
        var settings = new ServerSettings(b.getInt(172), b.get(176) != 0, b.getInt(180), b.getInt(184), b.getInt(188),
                b.getInt(192), b.getInt(196), b.get(200) != 0);
        var build = new BuildParameters(b.getInt(204), b.getDouble(208), b.getInt(216), b.getInt(220), b.getInt(224),
                b.getInt(228), b.getInt(232), b.getInt(236), b.getInt(240), b.getInt(244), b.get(248) != 0);
        return new PgControl(b.getLong(0), version, b.getInt(12), DbState.of(b.getInt(16)), b.getLong(24),
                Lsn.of(b.getLong(32)), CheckPoint.decode(file, 40), Lsn.of(b.getLong(128)), Lsn.of(b.getLong(136)),
                b.getInt(144), Lsn.of(b.getLong(152)), Lsn.of(b.getLong(160)), b.get(168) != 0, settings, build,
                b.getInt(252), Arrays.copyOfRange(file, 256, 256 + NONCE_LENGTH));
    }

    /** The 8192-byte file, CRC computed, pad and tail zero. */
    public byte[] encode() {
        byte[] file = new byte[FILE_SIZE];
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, systemIdentifier).putInt(8, pgControlVersion).putInt(12, catalogVersionNo)
                .putInt(16, state.code()).putLong(24, time).putLong(32, checkPoint.value())
                .put(40, checkPointCopy.encode()).putLong(128, unloggedLsn.value())
                .putLong(136, minRecoveryPoint.value()).putInt(144, minRecoveryPointTli)
                .putLong(152, backupStartPoint.value()).putLong(160, backupEndPoint.value())
                .put(168, flag(backupEndRequired));
        b.putInt(172, settings.walLevel()).put(176, flag(settings.walLogHints())).putInt(180, settings.maxConnections())
                .putInt(184, settings.maxWorkerProcesses()).putInt(188, settings.maxWalSenders())
                .putInt(192, settings.maxPreparedXacts()).putInt(196, settings.maxLocksPerXact())
                .put(200, flag(settings.trackCommitTimestamp()));
        b.putInt(204, build.maxAlign()).putDouble(208, build.floatFormat()).putInt(216, build.blcksz())
                .putInt(220, build.relsegSize()).putInt(224, build.xlogBlcksz()).putInt(228, build.xlogSegSize())
                .putInt(232, build.nameDataLen()).putInt(236, build.indexMaxKeys())
                .putInt(240, build.toastMaxChunkSize()).putInt(244, build.loblksize()).put(248, flag(build.float8ByVal()))
                .putInt(252, dataChecksumVersion).put(256, mockAuthenticationNonce);
        b.putInt(CRC_OFFSET, crc(file));
        return file;
    }

    /**
     * This control file as after a clean shutdown whose checkpoint record is at {@code c} (what
     * pg_resetwal writes): state SHUTDOWNED, time {@code now}, checkPoint C and its CheckPoint,
     * unloggedLSN 1000, recovery and backup points cleared. Everything else is kept.
     */
    public PgControl withShutdownCheckpoint(Lsn c, CheckPoint checkPoint, Instant now) {
        if (checkPoint.redo() != c.value()) {
            throw new IllegalArgumentException("a shutdown checkpoint at " + c + " must have redo = " + c + ", got "
                    + Lsn.of(checkPoint.redo()));
        }
        return new PgControl(systemIdentifier, pgControlVersion, catalogVersionNo, DbState.SHUTDOWNED,
                now.getEpochSecond(), c, checkPoint, FIRST_NORMAL_UNLOGGED_LSN, Lsn.INVALID, 0, Lsn.INVALID,
                Lsn.INVALID, false, settings, build, dataChecksumVersion, mockAuthenticationNonce);
    }

    /** {@link #withShutdownCheckpoint} encoded: the bytes to write as global/pg_control. */
    public byte[] patchForShutdownCheckpoint(Lsn c, CheckPoint checkPoint, Instant now) {
        return withShutdownCheckpoint(c, checkPoint, now).encode();
    }

    private static int crc(byte[] file) {
        CRC32C crc = new CRC32C();
        crc.update(file, 0, CRC_OFFSET);
        return (int) crc.getValue();
    }

    private static byte flag(boolean value) {
        return (byte) (value ? 1 : 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PgControl other && Arrays.equals(encode(), other.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "PgControl[sysid=" + Long.toUnsignedString(systemIdentifier) + ", state=" + state + ", checkPoint="
                + checkPoint + ", " + checkPointCopy + ", dataChecksumVersion=" + dataChecksumVersion + "]";
    }
}

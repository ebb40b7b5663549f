package dev.jneon.common.pg.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.CheckPoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** v1 golden: global/pg_control written by PostgreSQL 15.18's initdb --data-checksums. */
class PgControlGoldenTest {

    static byte[] golden(String path) throws IOException {
        try (InputStream in = PgControlGoldenTest.class.getResourceAsStream("/golden/" + path)) {
            if (in == null) {
                throw new IOException("missing golden file " + path);
            }
            return in.readAllBytes();
        }
    }

    @Test
    void parsesEveryFieldAsPgControldataShowsThem() throws IOException {
        PgControl c = PgControl.parse(golden("pg_control/v1/pg_control"));
        assertThat(c.systemIdentifier()).isEqualTo(7711320149741478572L);
        assertThat(c.pgControlVersion()).isEqualTo(1300);
        assertThat(c.catalogVersionNo()).isEqualTo(202209061);
        assertThat(c.state()).isEqualTo(DbState.SHUTDOWNED);
        assertThat(c.time()).isEqualTo(0x6B041CD2L);
        assertThat(c.checkPoint()).isEqualTo(Lsn.parse("0/17529B0"));
        assertThat(c.checkPointCopy()).isEqualTo(new CheckPoint(0x17529B0L, 1, 1, true, 724, 13573, 1, 0, 716, 1, 1, 1,
                0x6B041CD2L, 0, 0, 0));
        assertThat(c.unloggedLsn()).isEqualTo(Lsn.of(1000));
        assertThat(c.minRecoveryPoint()).isEqualTo(Lsn.INVALID);
        assertThat(c.minRecoveryPointTli()).isZero();
        assertThat(c.backupStartPoint()).isEqualTo(Lsn.INVALID);
        assertThat(c.backupEndPoint()).isEqualTo(Lsn.INVALID);
        assertThat(c.backupEndRequired()).isFalse();
        assertThat(c.settings()).isEqualTo(new PgControl.ServerSettings(1, false, 100, 8, 10, 0, 64, false));
        assertThat(c.build()).isEqualTo(new PgControl.BuildParameters(8, 1234567.0, 8192, 131072, 8192, 16777216, 64, 32,
                1996, 2048, true));
        assertThat(c.dataChecksumVersion()).isEqualTo(1);
        assertThat(HexFormat.of().formatHex(c.mockAuthenticationNonce()))
                .isEqualTo("3830d65dc71f8a0045ab866e259ea5dc3bff832a6a5e99097450eee27700aaa3");
    }

    @Test
    void reserialisesByteIdentically() throws IOException {
        byte[] file = golden("pg_control/v1/pg_control");
        assertThat(PgControl.parse(file).encode()).isEqualTo(file);
    }

    @Test
    void rejectsACorruptFileWithAClearError() throws IOException {
        byte[] file = golden("pg_control/v1/pg_control");
        file[60] ^= 0x10;
        assertThatThrownBy(() -> PgControl.parse(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pg_control CRC mismatch").hasMessageContaining("corrupt");
        assertThatThrownBy(() -> PgControl.parse(new byte[512])).hasMessageContaining("must be 8192 bytes");
    }

    @Test
    void patchForShutdownCheckpointRewritesOnlyTheCheckpointFields() throws IOException {
        byte[] file = golden("pg_control/v1/pg_control");
        PgControl before = PgControl.parse(file);
        Lsn c = Lsn.parse("0/5000028");
        CheckPoint cp = new CheckPoint(c.value(), 1, 1, true, (2L << 32) | 900, 20000, 5, 17, 716, 1, 1, 1, 1_800_000_000L,
                0, 0, 0);
        Instant now = Instant.ofEpochSecond(1_800_000_123L);
        byte[] patched = before.patchForShutdownCheckpoint(c, cp, now);
        assertThat(patched).hasSize(8192);
        PgControl after = PgControl.parse(patched);
        assertThat(after.state()).isEqualTo(DbState.SHUTDOWNED);
        assertThat(after.time()).isEqualTo(1_800_000_123L);
        assertThat(after.checkPoint()).isEqualTo(c);
        assertThat(after.checkPointCopy()).isEqualTo(cp);
        assertThat(after.unloggedLsn()).isEqualTo(Lsn.of(1000));
        ByteBuffer b = ByteBuffer.wrap(patched).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getLong(32)).isEqualTo(0x5000028L);
        assertThat(b.getLong(40)).isEqualTo(0x5000028L);
        for (int i = 136; i < 172; i++) {
            assertThat(patched[i]).as("recovery/backup byte %d", i).isZero();
        }
        for (int i = 172; i < 288; i++) {
            assertThat(patched[i]).as("kept byte %d", i).isEqualTo(file[i]);
        }
        for (int i = 0; i < 16; i++) {
            assertThat(patched[i]).as("kept byte %d", i).isEqualTo(file[i]);
        }
        assertThatThrownBy(() -> before.patchForShutdownCheckpoint(Lsn.of(0x6000028L), cp, now))
                .hasMessageContaining("must have redo = 0/6000028");
    }

    @Test
    void patchClearsRecoveryStateLeftByACrash() throws IOException {
        byte[] file = golden("pg_control/v1/pg_control");
        PgControl golden = PgControl.parse(file);
        PgControl crashed = new PgControl(golden.systemIdentifier(), 1300, golden.catalogVersionNo(),
                DbState.IN_PRODUCTION, 5, golden.checkPoint(), golden.checkPointCopy(), Lsn.of(77777),
                Lsn.of(0x900_0000L), 1, Lsn.of(0x800_0000L), Lsn.of(0x880_0000L), true, golden.settings(),
                golden.build(), 1, golden.mockAuthenticationNonce());
        Lsn c = Lsn.parse("0/5000028");
        PgControl clean = crashed.withShutdownCheckpoint(c, golden.checkPointCopy().withRedo(c.value()),
                Instant.ofEpochSecond(9));
        assertThat(clean.state()).isEqualTo(DbState.SHUTDOWNED);
        assertThat(clean.minRecoveryPoint()).isEqualTo(Lsn.INVALID);
        assertThat(clean.minRecoveryPointTli()).isZero();
        assertThat(clean.backupStartPoint()).isEqualTo(Lsn.INVALID);
        assertThat(clean.backupEndPoint()).isEqualTo(Lsn.INVALID);
        assertThat(clean.backupEndRequired()).isFalse();
        assertThat(clean.unloggedLsn()).isEqualTo(Lsn.of(1000));
        assertThat(PgControl.parse(clean.encode())).isEqualTo(clean);
    }
}

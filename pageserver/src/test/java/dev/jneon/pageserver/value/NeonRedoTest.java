package dev.jneon.pageserver.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.Key;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.pg.SlruKind;
import dev.jneon.common.pg.file.Clog;
import dev.jneon.common.pg.file.MultiXactMembers;
import dev.jneon.common.pg.file.MultiXactOffsets;
import dev.jneon.common.pg.file.PageChecksum;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NeonRedoTest {

    private static final Key VM = Key.relBlock(new RelTag(1663, 5, 16384, ForkNumber.VISIBILITY_MAP), 0);
    private static final Lsn LSN = Lsn.parse("1/2345678");

    private static byte[] usedPage(int fill) {
        byte[] page = new byte[8192];
        Arrays.fill(page, 24, 8192, (byte) fill);
        page[14] = 0x20; // pd_upper != 0: not a new page
        return page;
    }

    @Test
    void clearVisibilityMapFlagsClearsBothBlocksAndStampsTheLsn() {
        byte[] page = usedPage(0xFF);
        // heap block 5: byte 24 + 5/4 = 25, shift 2; heap block 32672 + 2 wraps to byte 24, shift 4
        byte[] out = NeonRedo.apply(VM, page, new NeonWalRecord.ClearVisibilityMapFlags(5, 32674, 0x3), LSN);
        assertThat(out[25] & 0xFF).isEqualTo(0xFF & ~(0x3 << 2));
        assertThat(out[24] & 0xFF).isEqualTo(0xFF & ~(0x3 << 4));
        assertThat(out[26]).isEqualTo((byte) 0xFF);
        ByteBuffer header = ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(header.getInt(0)).isEqualTo(1);
        assertThat(header.getInt(4)).isEqualTo(0x2345678);
        assertThat(page[25]).isEqualTo((byte) 0xFF); // input untouched
    }

    @Test
    void aChecksummedVisibilityMapPageKeepsAValidChecksum() {
        Key vmBlock7 = Key.relBlock(new RelTag(1663, 5, 16384, ForkNumber.VISIBILITY_MAP), 7);
        byte[] page = usedPage(0xFF);
        PageChecksum.set(page, 7);
        byte[] cleared = NeonRedo.apply(vmBlock7, page, new NeonWalRecord.ClearVisibilityMapFlags(5, null, 0x3), LSN);
        byte[] truncated = NeonRedo.apply(vmBlock7, page, new NeonWalRecord.TruncateVisibilityMap(10, 2), LSN);
        for (byte[] out : List.of(cleared, truncated)) {
            assertThat(PageChecksum.stored(out)).isEqualTo(PageChecksum.compute(out, 7));
        }
        byte[] unchecksummed = NeonRedo.apply(vmBlock7, usedPage(0xFF), new NeonWalRecord.ClearVisibilityMapFlags(5, null, 0x3), LSN);
        assertThat(PageChecksum.stored(unchecksummed)).isZero();
    }

    @Test
    void clearVisibilityMapFlagsLeavesTheLsnOfANewPage() {
        byte[] page = new byte[8192];
        Arrays.fill(page, 24, 8192, (byte) 0xFF);
        byte[] out = NeonRedo.apply(VM, page, new NeonWalRecord.ClearVisibilityMapFlags(null, 0, 0x1), LSN);
        assertThat(out[24] & 0xFF).isEqualTo(0xFE);
        assertThat(Arrays.copyOf(out, 8)).containsOnly(0);
    }

    @Test
    void clogCommitSetsStatusAndAppendsTheTimestampTrailer() {
        Key clog = Key.slruBlock(SlruKind.CLOG, 0, 1); // page 1 holds xids 32768..65535
        byte[] out = NeonRedo.apply(clog, new byte[8192], new NeonWalRecord.ClogSetCommitted(List.of(32768, 32771), 0x0102030405060708L), LSN);
        assertThat(out).hasSize(8200);
        byte[] page = Arrays.copyOf(out, 8192);
        assertThat(Clog.status(page, 32768)).isEqualTo(Clog.XidStatus.COMMITTED);
        assertThat(Clog.status(page, 32771)).isEqualTo(Clog.XidStatus.COMMITTED);
        assertThat(Clog.status(page, 32769)).isEqualTo(Clog.XidStatus.IN_PROGRESS);
        assertThat(out[0] & 0xFF).isEqualTo(0b01_00_00_01); // xid 32771 at shift 6, 32768 at shift 0
        assertThat(Arrays.copyOfRange(out, 8192, 8200)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        // a second commit replaces the trailer rather than growing the page
        byte[] again = NeonRedo.apply(clog, out, new NeonWalRecord.ClogSetCommitted(List.of(32769), 9L), LSN);
        assertThat(again).hasSize(8200);
        assertThat(again[8199]).isEqualTo((byte) 9);
    }

    @Test
    void clogAbortSetsStatusTenAndKeepsTheTrailer() {
        Key clog = Key.slruBlock(SlruKind.CLOG, 0, 0);
        byte[] withTrailer = Arrays.copyOf(new byte[8192], 8200);
        withTrailer[8199] = 5;
        byte[] out = NeonRedo.apply(clog, withTrailer, new NeonWalRecord.ClogSetAborted(List.of(3)), LSN);
        assertThat(Clog.status(Arrays.copyOf(out, 8192), 3)).isEqualTo(Clog.XidStatus.ABORTED);
        assertThat((out[0] >>> 6) & 0x3).isEqualTo(0b10);
        assertThat(out[8199]).isEqualTo((byte) 5);
        assertThatThrownBy(() -> NeonRedo.apply(clog, new byte[8192], new NeonWalRecord.ClogSetAborted(List.of(40000)), LSN))
                .hasMessageContaining("not on CLOG page");
    }

    @Test
    void multixactOffsetCreateWritesTheLittleEndianOffset() {
        Key offsets = Key.slruBlock(SlruKind.MULTIXACT_OFFSETS, 0, 0);
        byte[] out = NeonRedo.apply(offsets, new byte[8192], new NeonWalRecord.MultixactOffsetCreate(2049 + 2048, 0x0A0B0C0D), LSN);
        assertThat(MultiXactOffsets.offset(out, 1)).isEqualTo(0x0A0B0C0D);
        assertThat(Arrays.copyOfRange(out, 4, 8)).containsExactly(0x0D, 0x0C, 0x0B, 0x0A);
    }

    @Test
    void multixactMembersCreateWritesOnlyMembersOfThisPage() {
        Key page1 = Key.slruBlock(SlruKind.MULTIXACT_MEMBERS, 0, 1); // members 1636..3271
        var record = new NeonWalRecord.MultixactMembersCreate(1634,
                List.of(new NeonWalRecord.Member(10, 0), new NeonWalRecord.Member(11, 1), new NeonWalRecord.Member(12, 4)));
        byte[] out = NeonRedo.apply(page1, new byte[8192], record, LSN);
        assertThat(MultiXactMembers.member(out, 1636)).isEqualTo(new MultiXactMembers.Member(12, MultiXactMembers.Status.NO_KEY_UPDATE));
        assertThat(out[0]).isEqualTo((byte) 4); // status byte of slot 0, group 0
        assertThat(Arrays.copyOfRange(out, 4, 8)).containsExactly(12, 0, 0, 0);
        assertThat(Arrays.copyOfRange(out, 20, 8192)).containsOnly(0);
    }

    @Test
    void truncateVisibilityMapKeepsOnlyTheBitsBeforeTheCut() {
        byte[] out = NeonRedo.apply(VM, usedPage(0xFF), new NeonWalRecord.TruncateVisibilityMap(10, 3), LSN);
        assertThat(Arrays.copyOfRange(out, 24, 34)).containsOnly(0xFF);
        assertThat(out[34]).isEqualTo((byte) 0b111);
        assertThat(Arrays.copyOfRange(out, 35, 8192)).containsOnly(0);
    }

    @Test
    void postgresRecordsAreRefused() {
        assertThatThrownBy(() -> NeonRedo.apply(VM, new byte[8192], new NeonWalRecord.Postgres(false, new byte[1]), LSN))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void reconstructionAppliesRecordsOldestFirstOnTheNewestImage() {
        Key clog = Key.slruBlock(SlruKind.CLOG, 0, 0);
        List<PageVersion> newestFirst = List.of(
                new PageVersion(Lsn.of(300), Value.record(new NeonWalRecord.ClogSetAborted(List.of(1)))),
                new PageVersion(Lsn.of(200), Value.record(new NeonWalRecord.ClogSetCommitted(List.of(0, 1), 5))),
                new PageVersion(Lsn.of(100), Value.image(new byte[8192])),
                new PageVersion(Lsn.of(50), Value.image(usedPage(0x55))));
        byte[] page = Reconstruction.reconstruct(clog, newestFirst);
        byte[] base = Arrays.copyOf(page, 8192);
        assertThat(Clog.status(base, 0)).isEqualTo(Clog.XidStatus.COMMITTED);
        assertThat(Clog.status(base, 1)).isEqualTo(Clog.XidStatus.ABORTED);
        assertThat(page).hasSize(8200);
        assertThat(base[100]).isZero(); // the older image at 50 was not used
        assertThatThrownBy(() -> Reconstruction.reconstruct(clog, newestFirst.subList(0, 2))).hasMessageContaining("no image");
    }
}

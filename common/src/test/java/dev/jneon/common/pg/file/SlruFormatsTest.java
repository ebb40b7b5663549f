package dev.jneon.common.pg.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.pg.file.Clog.XidStatus;
import dev.jneon.common.pg.file.MultiXactMembers.Member;
import dev.jneon.common.pg.file.MultiXactMembers.Status;
import org.junit.jupiter.api.Test;

class SlruFormatsTest {

    @Test
    void segmentNumberingAndNames() {
        assertThat(SlruPage.segmentOf(31)).isZero();
        assertThat(SlruPage.segmentOf(32)).isEqualTo(1);
        assertThat(SlruPage.offsetInSegment(33)).isEqualTo(8192);
        assertThat(SlruPage.segmentFileName(0)).isEqualTo("0000");
        assertThat(SlruPage.segmentFileName(0xAB)).isEqualTo("00AB");
        assertThat(SlruPage.segmentFileName(0x14078)).isEqualTo("14078");
        assertThat(SlruPage.parseSegmentFileName("14078")).isEqualTo(0x14078);
        assertThatThrownBy(() -> SlruPage.parseSegmentFileName("00ab")).hasMessageContaining("not an SLRU segment");
        assertThatThrownBy(() -> SlruPage.segmentOf(-1)).hasMessageContaining("negative");
    }

    @Test
    void clogTwoBitsPerXid() {
        assertThat(Clog.pageOf(32767)).isZero();
        assertThat(Clog.pageOf(32768)).isEqualTo(1);
        assertThat(Clog.pageOf(-1)).isEqualTo(0xFFFFFFFFL / 32768);
        byte[] page = new byte[8192];
        Clog.setStatus(page, 32768 + 5, XidStatus.COMMITTED);
        Clog.setStatus(page, 32768 + 6, XidStatus.ABORTED);
        Clog.setStatus(page, 32768 + 7, XidStatus.SUB_COMMITTED);
        assertThat(page[1]).isEqualTo((byte) (0x1 << 2 | 0x2 << 4 | 0x3 << 6));
        assertThat(Clog.status(page, 32768 + 4)).isEqualTo(XidStatus.IN_PROGRESS);
        assertThat(Clog.status(page, 5)).isEqualTo(XidStatus.COMMITTED);
        Clog.setStatus(page, 6, XidStatus.COMMITTED);
        assertThat(Clog.status(page, 6)).isEqualTo(XidStatus.COMMITTED);
        assertThat(Clog.status(page, 7)).isEqualTo(XidStatus.SUB_COMMITTED);
    }

    @Test
    void multixactOffsets() {
        assertThat(MultiXactOffsets.pageOf(2047)).isZero();
        assertThat(MultiXactOffsets.pageOf(2048)).isEqualTo(1);
        byte[] page = new byte[8192];
        MultiXactOffsets.setOffset(page, 2048 + 3, 0xFFFFFFF0);
        assertThat(page[12] & 0xFF).isEqualTo(0xF0);
        assertThat(MultiXactOffsets.offset(page, 3)).isEqualTo(0xFFFFFFF0);
        assertThat(MultiXactOffsets.next(5)).isEqualTo(6);
        assertThat(MultiXactOffsets.next(-1)).isEqualTo(1);
    }

    @Test
    void multixactMembersInTwentyByteGroups() {
        assertThat(MultiXactMembers.PER_PAGE).isEqualTo(1636);
        assertThat(MultiXactMembers.pageOf(1635)).isZero();
        assertThat(MultiXactMembers.pageOf(1636)).isEqualTo(1);
        byte[] page = new byte[8192];
        int offset = 1636 + 4 * 10 + 2; // page 1, group 10, slot 2
        MultiXactMembers.setMember(page, offset, new Member(0x01020304, Status.NO_KEY_UPDATE));
        assertThat(page[200 + 2]).isEqualTo((byte) 4);
        assertThat(page[200 + 4 + 8]).isEqualTo((byte) 0x04);
        assertThat(page[200 + 4 + 11]).isEqualTo((byte) 0x01);
        assertThat(MultiXactMembers.member(page, offset)).isEqualTo(new Member(0x01020304, Status.NO_KEY_UPDATE));
        MultiXactMembers.setMember(page, 1636 * 2 - 1, new Member(9, Status.UPDATE)); // last member of a page
        assertThat(page[408 * 20 + 3]).isEqualTo((byte) 5);
        assertThat(page[8180]).isZero();
        assertThatThrownBy(() -> Status.of(6)).hasMessageContaining("unknown");
    }
}

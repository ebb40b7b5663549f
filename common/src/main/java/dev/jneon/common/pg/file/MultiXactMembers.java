package dev.jneon.common.pg.file;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code pg_multixact/members}, an SLRU (see {@link SlruPage}) holding the (xid, lock status) of each
 * multixact member offset. Members come in 20-byte groups of four: 4 status bytes (member o % 4 in
 * byte o % 4), then 4 little-endian u32 xids. 409 groups fill a page (1636 members; bytes
 * 8180..8191 unused), so offset o is on page o / 1636, group g = (o / 4) % 409 at byte 20g, status
 * at 20g + o % 4, xid at 20g + 4 + 4 · (o % 4). Offsets and xids are u32 held in ints. Stateless;
 * the page arrays belong to the caller.
 */
public final class MultiXactMembers {

    public static final int GROUP_SIZE = 20;
    public static final int MEMBERS_PER_GROUP = 4;
    public static final int GROUPS_PER_PAGE = SlruPage.SIZE / GROUP_SIZE;
    public static final int PER_PAGE = GROUPS_PER_PAGE * MEMBERS_PER_GROUP;

    /** How a member holds the tuple (PostgreSQL's MultiXactStatus, stored as one byte). */
    public enum Status {
        FOR_KEY_SHARE,
        FOR_SHARE,
        FOR_NO_KEY_UPDATE,
        FOR_UPDATE,
        NO_KEY_UPDATE,
        UPDATE;

        public static Status of(int code) {
            if (code < 0 || code >= values().length) {
                throw new IllegalArgumentException("unknown multixact member status " + code);
            }
            return values()[code];
        }
    }

    /** One member of a multixact. */
    public record Member(int xid, Status status) {}

    private MultiXactMembers() {}

    public static long pageOf(int memberOffset) {
        return Integer.toUnsignedLong(memberOffset) / PER_PAGE;
    }

    public static Member member(byte[] page, int memberOffset) {
        SlruPage.checkPageBytes(page);
        int group = groupStart(memberOffset);
        int slot = slot(memberOffset);
        int xid = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN).getInt(group + 4 + 4 * slot);
        return new Member(xid, Status.of(page[group + slot]));
    }

    public static void setMember(byte[] page, int memberOffset, Member member) {
        SlruPage.checkPageBytes(page);
        int group = groupStart(memberOffset);
        int slot = slot(memberOffset);
        page[group + slot] = (byte) member.status().ordinal();
        ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN).putInt(group + 4 + 4 * slot, member.xid());
    }

    private static int groupStart(int memberOffset) {
        return (int) ((Integer.toUnsignedLong(memberOffset) / MEMBERS_PER_GROUP) % GROUPS_PER_PAGE) * GROUP_SIZE;
    }

    private static int slot(int memberOffset) {
        return (int) (Integer.toUnsignedLong(memberOffset) % MEMBERS_PER_GROUP);
    }
}

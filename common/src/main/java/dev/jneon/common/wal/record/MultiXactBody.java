package dev.jneon.common.wal.record;

import dev.jneon.common.wal.WalDecodeException;
import dev.jneon.common.wal.WalRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * MultiXact rmgr (6) records. ZERO_OFF_PAGE 0x00 / ZERO_MEM_PAGE 0x10: i32 page number.
 * CREATE_ID 0x20: u32 multixact id, u32 first member offset, i32 n, n x (u32 xid, u32 status).
 * TRUNCATE_ID 0x30: u32 oldestMultiDB, u32 startTruncOff, u32 endTruncOff, u32 startTruncMemb,
 * u32 endTruncMemb (20 bytes).
 */
public sealed interface MultiXactBody extends RecordBody {

    /** Which multixact SLRU a zeroed page belongs to. */
    enum Slru { OFFSETS, MEMBERS }

    /** Lock strength of a member, numbered as MultiXactStatus; names as pg_waldump prints them. */
    enum MemberStatus {
        FOR_KEY_SHARE("keysh"), FOR_SHARE("sh"), FOR_NO_KEY_UPDATE("fornokeyupd"), FOR_UPDATE("forupd"),
        NO_KEY_UPDATE("nokeyupd"), UPDATE("upd");

        private final String pgName;

        MemberStatus(String pgName) {
            this.pgName = pgName;
        }

        public String pgName() {
            return pgName;
        }
    }

    record Member(int xid, MemberStatus status) {}

    record ZeroPage(Slru slru, int pageNo) implements MultiXactBody {}

    record Create(int multiXactId, int firstOffset, List<Member> members) implements MultiXactBody {}

    record Truncate(int oldestMultiDb, int startTruncOff, int endTruncOff, int startTruncMemb, int endTruncMemb)
            implements MultiXactBody {}

    static RecordBody parse(WalRecord r) throws WalDecodeException {
        return switch (r.rmgrInfo()) {
            case 0x00, 0x10 -> new ZeroPage(r.rmgrInfo() == 0x00 ? Slru.OFFSETS : Slru.MEMBERS,
                    MainData.of(r, "MULTIXACT ZERO PAGE").atLeast(4).i32());
            case 0x20 -> {
                MainData d = MainData.of(r, "MULTIXACT CREATE_ID");
                int mid = d.i32();
                int moff = d.i32();
                int n = d.count(8);
                List<Member> members = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int xid = d.i32();
                    int status = d.i32();
                    if (status < 0 || status >= MemberStatus.values().length) {
                        throw d.bad("invalid member status " + status);
                    }
                    members.add(new Member(xid, MemberStatus.values()[status]));
                }
                yield new Create(mid, moff, List.copyOf(members));
            }
            case 0x30 -> {
                MainData d = MainData.of(r, "MULTIXACT TRUNCATE_ID").atLeast(20);
                yield new Truncate(d.i32(), d.i32(), d.i32(), d.i32(), d.i32());
            }
            default -> RecordBody.unclassified(r);
        };
    }
}

package dev.jneon.pageserver.value;

import java.util.List;

/**
 * A change the pageserver applies to a stored page itself, without PostgreSQL (Neon's
 * {@code NeonWalRecord}). Variants carry their BeSer variant number ({@link ValueCodec}); number 6
 * (legacy AuxFile) is not supported. {@link Postgres} is reserved for native redo of whole WAL
 * records: it can be stored and read back, but {@link NeonRedo} refuses to apply it. Immutable.
 */
public sealed interface NeonWalRecord {

    /** Whether the record builds the page from nothing (no older version is needed). */
    default boolean willInit() {
        return false;
    }

    /** A whole PostgreSQL WAL record, to be replayed by native redo (reserved). */
    record Postgres(boolean willInit, byte[] record) implements NeonWalRecord {
        public Postgres {
            record = record.clone();
        }

        @Override
        public byte[] record() {
            return record.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Postgres p && p.willInit == willInit && java.util.Arrays.equals(p.record, record);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(record) * 31 + Boolean.hashCode(willInit);
        }
    }

    /**
     * Clears {@code flags} of the visibility-map bits of one or two heap blocks on this VM page.
     * Block numbers are u32 held in {@code Integer}; null means "none".
     */
    record ClearVisibilityMapFlags(Integer newHeapBlkno, Integer oldHeapBlkno, int flags) implements NeonWalRecord {
        public ClearVisibilityMapFlags {
            if ((flags & ~0xFF) != 0) {
                throw new IllegalArgumentException("visibility map flags are one byte, got " + flags);
            }
        }
    }

    /** Marks {@code xids} committed on this CLOG page and stamps the page with the commit time (µs since 2000). */
    record ClogSetCommitted(List<Integer> xids, long timestamp) implements NeonWalRecord {
        public ClogSetCommitted {
            xids = List.copyOf(xids);
        }
    }

    /** Marks {@code xids} aborted on this CLOG page. */
    record ClogSetAborted(List<Integer> xids) implements NeonWalRecord {
        public ClogSetAborted {
            xids = List.copyOf(xids);
        }
    }

    /** Stores member offset {@code moff} for multixact {@code mid} (both u32). */
    record MultixactOffsetCreate(int mid, int moff) implements NeonWalRecord {
    }

    /** Stores members starting at member offset {@code moff}; only those on this page are applied. */
    record MultixactMembersCreate(int moff, List<Member> members) implements NeonWalRecord {
        public MultixactMembersCreate {
            members = List.copyOf(members);
        }
    }

    /** One multixact member: xid and PostgreSQL's MultiXactStatus code (0..5). */
    record Member(int xid, int status) {
        public Member {
            if (status < 0 || status > 5) {
                throw new IllegalArgumentException("multixact member status " + status + " is not 0..5");
            }
        }
    }

    /** Cuts a visibility-map page after bit {@code truncOffs} of map byte {@code truncByte}. */
    record TruncateVisibilityMap(long truncByte, long truncOffs) implements NeonWalRecord {
        public TruncateVisibilityMap {
            if (truncByte < 0 || truncByte >= NeonRedo.VM_MAP_SIZE || truncOffs < 0 || truncOffs > 7) {
                throw new IllegalArgumentException("truncate position byte " + truncByte + " bit " + truncOffs
                        + " is outside a visibility map page");
            }
        }
    }
}

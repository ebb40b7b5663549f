package dev.jneon.common.pg.file;

import dev.jneon.common.id.Lsn;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * PostgreSQL's data page checksum ({@code pg_checksum_page}, data_checksum_version 1) and the page
 * header fields it goes with. Data page header: pd_lsn as two u32 halves, the <em>high</em> half @0
 * and the low half @4 (not one little-endian u64); u16 pd_checksum @8.
 *
 * <p>Algorithm: the 8192-byte page with pd_checksum taken as 0, read as 2048 little-endian u32
 * words, is folded into 32 parallel FNV-1a-style lanes (lane j ← mix(lane j, word), word i going to
 * lane i mod 32, where mix(s, v) = ((s ^ v) · 16777619) ^ ((s ^ v) >>> 17) modulo 2^32), followed by two
 * rounds of mixing zero into every lane; the XOR of the lanes is XORed with the block number (within
 * the fork) and reduced to (c mod 65535) + 1, so a checksum is never 0. New (all-zero) pages carry no
 * checksum. Stateless; thread-safe.
 */
public final class PageChecksum {

    public static final int PAGE_SIZE = 8192;
    public static final int CHECKSUM_OFFSET = 8;
    /** Offset of pd_upper; 0 there means a new, never-initialised page. */
    public static final int UPPER_OFFSET = 14;

    private static final int LANES = 32;
    private static final int FNV_PRIME = 16777619;
    private static final int[] BASE_OFFSETS = {
        0x5B1F36E9, 0xB8525960, 0x02AB50AA, 0x1DE66D2A, 0x79FF467A, 0x9BB9F8A3, 0x217E7CD2, 0x83E13D2C,
        0xF8D4474F, 0xE39EB970, 0x42C6AE16, 0x993216FA, 0x7B093B5D, 0x98DAFF3C, 0xF718902A, 0x0B1C9CDB,
        0xE58F764B, 0x187636BC, 0x5D7B3BB1, 0xE73DE7DE, 0x92BEC979, 0xCCA6C0B2, 0x304A0979, 0x85AA43D4,
        0x783125BB, 0x6CA8EAA2, 0xE407EAC6, 0x4B5CFC3E, 0x9FBF8C76, 0x15CA20BE, 0xF2CA9FD3, 0x959BD756,
    };

    private PageChecksum() {}

    /** The checksum {@code page} must carry as block {@code blockNumber} of its fork (1..65535). */
    public static int compute(byte[] page, int blockNumber) {
        checkSize(page);
        ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        int[] sums = BASE_OFFSETS.clone();
        for (int i = 0; i < PAGE_SIZE / 4; i++) {
            int word = b.getInt(i * 4);
            if (i == CHECKSUM_OFFSET / 4) {
                word &= 0xFFFF0000; // pd_checksum (low half of this word) counts as zero
            }
            sums[i % LANES] = mix(sums[i % LANES], word);
        }
        for (int round = 0; round < 2; round++) {
            for (int j = 0; j < LANES; j++) {
                sums[j] = mix(sums[j], 0);
            }
        }
        int c = 0;
        for (int s : sums) {
            c ^= s;
        }
        c ^= blockNumber;
        return (int) (Integer.toUnsignedLong(c) % 65535) + 1;
    }

    /** The checksum stored in the page header. */
    public static int stored(byte[] page) {
        checkSize(page);
        return Short.toUnsignedInt(ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN).getShort(CHECKSUM_OFFSET));
    }

    /** Whether the page is new (pd_upper 0): such pages are all zeros and carry no checksum. */
    public static boolean isNew(byte[] page) {
        checkSize(page);
        return ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN).getShort(UPPER_OFFSET) == 0;
    }

    /** Computes and stores the checksum of a non-new page; leaves new pages untouched. */
    public static void set(byte[] page, int blockNumber) {
        if (!isNew(page)) {
            ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN).putShort(CHECKSUM_OFFSET,
                    (short) compute(page, blockNumber));
        }
    }

    /** pd_lsn of the page. */
    public static Lsn pdLsn(byte[] page) {
        checkSize(page);
        ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        return Lsn.of((Integer.toUnsignedLong(b.getInt(0)) << 32) | Integer.toUnsignedLong(b.getInt(4)));
    }

    /** Sets pd_lsn (high half @0, low half @4); the checksum must be recomputed afterwards. */
    public static void setPdLsn(byte[] page, Lsn lsn) {
        checkSize(page);
        ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) (lsn.value() >>> 32)).putInt(4, (int) lsn.value());
    }

    private static int mix(int sum, int value) {
        int t = sum ^ value;
        return (t * FNV_PRIME) ^ (t >>> 17);
    }

    private static void checkSize(byte[] page) {
        if (page.length != PAGE_SIZE) {
            throw new IllegalArgumentException("a data page is " + PAGE_SIZE + " bytes, got " + page.length);
        }
    }
}

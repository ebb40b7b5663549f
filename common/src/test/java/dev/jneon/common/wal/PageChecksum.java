package dev.jneon.common.wal;

/**
 * Test-only pg_checksum_page (PostgreSQL's FNV-1a-based data page checksum over 32 parallel
 * lanes), used to check restored images against the pages on disk.
 */
final class PageChecksum {

    private static final int[] SEEDS = {0x5B1F36E9, 0xB8525960, 0x02AB50AA, 0x1DE66D2A, 0x79FF467A, 0x9BB9F8A3,
        0x217E7CD2, 0x83E13D2C, 0xF8D4474F, 0xE39EB970, 0x42C6AE16, 0x993216FA, 0x7B093B5D, 0x98DAFF3C, 0xF718902A,
        0x0B1C9CDB, 0xE58F764B, 0x187636BC, 0x5D7B3BB1, 0xE73DE7DE, 0x92BEC979, 0xCCA6C0B2, 0x304A0979, 0x85AA43D4,
        0x783125BB, 0x6CA8EAA2, 0xE407EAC6, 0x4B5CFC3E, 0x9FBF8C76, 0x15CA20BE, 0xF2CA9FD3, 0x959BD756};

    private PageChecksum() {}

    static int compute(byte[] page, int blockNumber) {
        int[] sums = SEEDS.clone();
        for (int i = 0; i < 2048; i++) {
            int at = i * 4;
            int w = (page[at] & 0xFF) | (page[at + 1] & 0xFF) << 8 | (page[at + 2] & 0xFF) << 16 | (page[at + 3] & 0xFF) << 24;
            if (at == 8) {
                w &= 0xFFFF0000;
            }
            sums[i % 32] = mix(sums[i % 32], w);
        }
        for (int round = 0; round < 2; round++) {
            for (int j = 0; j < 32; j++) {
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

    private static int mix(int s, int v) {
        int t = s ^ v;
        return t * 16777619 ^ (t >>> 17);
    }
}

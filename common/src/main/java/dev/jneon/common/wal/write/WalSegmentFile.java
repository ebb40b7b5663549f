package dev.jneon.common.wal.write;

/**
 * One WAL segment file as the writer produced it: its number, its pg_wal file name
 * ({@code %08X%08X%08X} of timeline 1, segno / segments-per-4GiB, segno % segments-per-4GiB) and its
 * full content (exactly the segment size; zero where nothing was written).
 *
 * <p>The content array is handed over, not copied: the holder owns it and must not share it
 * across threads while writing it.
 */
public record WalSegmentFile(long segmentNumber, String name, byte[] content) {

    public WalSegmentFile {
        if (name == null || !name.matches("[0-9A-F]{24}")) {
            throw new IllegalArgumentException("WAL segment file name must be 24 uppercase hex digits, got " + name);
        }
        if (content == null || Integer.bitCount(content.length) != 1) {
            throw new IllegalArgumentException("WAL segment content must be a power-of-two size, got "
                    + (content == null ? "null" : content.length + " bytes"));
        }
    }
}

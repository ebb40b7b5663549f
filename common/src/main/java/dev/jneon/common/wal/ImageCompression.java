package dev.jneon.common.wal;

/** How a full-page image is stored in a record, from its bimg_info bits (PostgreSQL 15 to 17). */
public enum ImageCompression {
    NONE(null),
    PGLZ("pglz"),
    LZ4("lz4"),
    ZSTD("zstd");

    private final String pgName;

    ImageCompression(String pgName) {
        this.pgName = pgName;
    }

    /** pg_waldump's method name ({@code pglz}, {@code lz4}, {@code zstd}); null for {@link #NONE}. */
    public String pgName() {
        return pgName;
    }

    /** The method a bimg_info byte names; null when more than one compression bit is set. */
    static ImageCompression fromBimgInfo(int bimgInfo) {
        int bits = bimgInfo & (WalFormat.BKPIMAGE_COMPRESS_PGLZ | WalFormat.BKPIMAGE_COMPRESS_LZ4
                | WalFormat.BKPIMAGE_COMPRESS_ZSTD);
        return switch (bits) {
            case 0 -> NONE;
            case WalFormat.BKPIMAGE_COMPRESS_PGLZ -> PGLZ;
            case WalFormat.BKPIMAGE_COMPRESS_LZ4 -> LZ4;
            case WalFormat.BKPIMAGE_COMPRESS_ZSTD -> ZSTD;
            default -> null;
        };
    }
}

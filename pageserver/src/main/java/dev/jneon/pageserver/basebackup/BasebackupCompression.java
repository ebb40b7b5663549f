package dev.jneon.pageserver.basebackup;

import com.github.luben.zstd.ZstdOutputStream;
import dev.jneon.common.service.ApiError;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * How the whole basebackup tar stream is compressed: not at all, gzip at the fastest level (as Neon
 * sends it), or one Zstandard frame at level 1. Closing the wrapping stream finishes the
 * compressed stream and closes the target. Immutable.
 */
public enum BasebackupCompression {
    NONE("application/x-tar"),
    GZIP("application/gzip"),
    ZSTD("application/zstd");

    private final String mediaType;

    BasebackupCompression(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** A stream that compresses into {@code target}. */
    public OutputStream wrap(OutputStream target) throws IOException {
        return switch (this) {
            case NONE -> target;
            case GZIP -> new GZIPOutputStream(target, 64 * 1024) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            };
            case ZSTD -> new ZstdOutputStream(target, 1);
        };
    }

    /** {@code none}, {@code gzip} or {@code zstd} (any case); null or empty means none. */
    public static BasebackupCompression parse(String text) {
        if (text == null || text.isEmpty()) {
            return NONE;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "gzip" -> GZIP;
            case "zstd" -> ZSTD;
            default -> throw new ApiError.BadRequest("unknown basebackup compression '" + text
                    + "': expected none, gzip or zstd");
        };
    }
}

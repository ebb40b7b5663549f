package dev.jneon.compute.prewarm;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * The {@code lfc_state} object's bytes: one zstd frame whose content is an {@code autoprewarm.blocks}
 * file ({@link PrewarmBlocks}). Decoding refuses more than {@value #MAX_TEXT_BYTES} bytes of text and
 * anything {@link PrewarmBlocks#parse} refuses. Stateless.
 */
public final class LfcStateCodec {

    /** Far above any real dump (about 24 bytes per buffer: 16 GiB of shared_buffers is ~50 MB). */
    static final int MAX_TEXT_BYTES = 256 << 20;
    private static final int LEVEL = 3;

    private LfcStateCodec() {
    }

    public static byte[] compress(byte[] blocksFile) {
        return Zstd.compress(blocksFile, LEVEL);
    }

    /** The blocks file text inside {@code object}; an {@link IOException} if it is not a valid state. */
    public static byte[] uncompress(byte[] object) throws IOException {
        byte[] text;
        try (var in = new ZstdInputStream(new ByteArrayInputStream(object))) {
            text = in.readNBytes(MAX_TEXT_BYTES + 1);
        } catch (IOException e) {
            throw new IOException("saved state is not zstd data: " + e.getMessage(), e);
        }
        if (text.length > MAX_TEXT_BYTES) {
            throw new IOException("saved state is larger than " + MAX_TEXT_BYTES + " bytes uncompressed");
        }
        return text;
    }

    /** Uncompresses and parses {@code object}. */
    public static PrewarmBlocks decode(byte[] object) throws IOException {
        byte[] text = uncompress(object);
        try {
            return PrewarmBlocks.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("saved state is not an autoprewarm.blocks file: " + e.getMessage(), e);
        }
    }
}

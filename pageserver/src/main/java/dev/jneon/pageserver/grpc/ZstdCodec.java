package dev.jneon.pageserver.grpc;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.grpc.Codec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * gRPC message encoding {@code zstd}: each message is one Zstandard frame (level 1, the speed end).
 * Stateless and thread-safe; every stream gets its own native context.
 */
public final class ZstdCodec implements Codec {

    public static final String ENCODING = "zstd";
    private static final int LEVEL = 1;

    @Override
    public String getMessageEncoding() {
        return ENCODING;
    }

    @Override
    public OutputStream compress(OutputStream os) throws IOException {
        return new ZstdOutputStream(os, LEVEL);
    }

    @Override
    public InputStream decompress(InputStream is) throws IOException {
        return new ZstdInputStream(is);
    }
}

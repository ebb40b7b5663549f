package dev.jneon.pageserver.grpc;

import dev.jneon.common.grpc.GrpcServerCustomizer;
import io.grpc.Codec;
import io.grpc.CompressorRegistry;
import io.grpc.DecompressorRegistry;
import io.grpc.ServerBuilder;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The message encodings of the page service: identity, gzip and {@link ZstdCodec zstd}, both ways.
 * Registered on the pageserver's gRPC listener; clients (pagebench, tests) use the same registries.
 * Immutable registries; thread-safe.
 */
@Component
public final class PageServiceCodecs implements GrpcServerCustomizer {

    /** Encodings a caller may name in {@code grpc-encoding} and get the same back. */
    public static final Set<String> ENCODINGS = Set.of("gzip", ZstdCodec.ENCODING);

    @Override
    public void customize(ServerBuilder<?> builder) {
        builder.compressorRegistry(compressors()).decompressorRegistry(decompressors());
    }

    public static CompressorRegistry compressors() {
        CompressorRegistry registry = CompressorRegistry.newEmptyInstance();
        registry.register(Codec.Identity.NONE);
        registry.register(new Codec.Gzip());
        registry.register(new ZstdCodec());
        return registry;
    }

    public static DecompressorRegistry decompressors() {
        return DecompressorRegistry.emptyInstance()
                .with(Codec.Identity.NONE, false)
                .with(new Codec.Gzip(), true)
                .with(new ZstdCodec(), true);
    }
}

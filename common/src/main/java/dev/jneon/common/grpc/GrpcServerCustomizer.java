package dev.jneon.common.grpc;

import io.grpc.ServerBuilder;

/**
 * Adjusts the gRPC listener before it starts, e.g. to register message codecs in its compressor and
 * decompressor registries. Any bean of this type is applied by {@link GrpcServer}, in bean order.
 */
@FunctionalInterface
public interface GrpcServerCustomizer {

    void customize(ServerBuilder<?> builder);
}

package dev.jneon.pageserver.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Hands each page-service call's request headers to the handler (through {@link #HEADERS}) and
 * answers in the caller's message encoding when it is gzip or zstd. Stateless; thread-safe.
 */
final class PageServiceHeaders implements ServerInterceptor {

    static final Context.Key<Metadata> HEADERS = Context.key("page-service-headers");
    private static final Metadata.Key<String> ENCODING = Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String encoding = headers.get(ENCODING);
        if (encoding != null && PageServiceCodecs.ENCODINGS.contains(encoding)) {
            call.setCompression(encoding);
        }
        return Contexts.interceptCall(Context.current().withValue(HEADERS, headers), call, headers, next);
    }
}

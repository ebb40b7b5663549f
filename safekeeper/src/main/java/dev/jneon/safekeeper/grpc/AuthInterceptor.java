package dev.jneon.safekeeper.grpc;

import dev.jneon.common.id.TenantId;
import dev.jneon.safekeeper.auth.Claims;
import dev.jneon.safekeeper.auth.JwtVerifier;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * JWT check of the gRPC data plane (spec B.1), installed when a public key is configured: metadata
 * {@code authorization: Bearer <jwt>} is required (missing → UNAUTHENTICATED), the token must verify
 * and carry scope {@code tenant} or {@code safekeeperdata} (else PERMISSION_DENIED). The claims are
 * put into the call's {@link Context}; each call checks them against the timeline it names
 * ({@link #check}). Thread-safe (immutable).
 */
final class AuthInterceptor implements ServerInterceptor {

    static final Context.Key<Claims> CLAIMS = Context.key("jneon-claims");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final JwtVerifier verifier;

    AuthInterceptor(JwtVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String header = headers.get(AUTHORIZATION);
        if (header == null || !header.startsWith("Bearer ")) {
            call.close(Status.UNAUTHENTICATED.withDescription("authorization: Bearer <jwt> metadata is required"),
                    new Metadata());
            return new ServerCall.Listener<>() {};
        }
        Claims claims;
        try {
            claims = verifier.verify(header.substring("Bearer ".length()).trim());
        } catch (JwtVerifier.InvalidTokenException e) {
            call.close(Status.PERMISSION_DENIED.withDescription(e.getMessage()), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        if (!Claims.TENANT.equals(claims.scope()) && !Claims.SAFEKEEPER_DATA.equals(claims.scope())) {
            call.close(Status.PERMISSION_DENIED.withDescription("scope '" + claims.scope() + "' is not allowed here"),
                    new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return Contexts.interceptCall(Context.current().withValue(CLAIMS, claims), call, headers, next);
    }

    /** The denial for a call on {@code tenant} under the current claims, or null if allowed (or auth is off). */
    static Status check(Claims claims, TenantId tenant) {
        if (claims == null || claims.allows(tenant)) {
            return null;
        }
        return Status.PERMISSION_DENIED.withDescription("token scope '" + claims.scope() + "' does not cover tenant "
                + tenant);
    }
}

package dev.jneon.endpointstorage.auth;

import dev.jneon.endpointstorage.object.ObjectLocation;
import dev.jneon.endpointstorage.object.StoragePrefix;
import java.time.Clock;
import java.util.Optional;

/**
 * Decides whether a request's {@code Authorization} header opens the route it asks for: the header must
 * be {@code Bearer <token>}, the token must verify ({@link TokenVerifier}) and its claims must cover the
 * route ({@link TokenClaims}); otherwise an {@link AccessDenied} is thrown. With authentication
 * disabled ({@link #disabled()}) every request passes. Thread-safe (immutable).
 */
public final class Authorizer {

    private static final String BEARER = "Bearer ";

    private final Optional<TokenVerifier> verifier;
    private final Clock clock;

    private Authorizer(Optional<TokenVerifier> verifier, Clock clock) {
        this.verifier = verifier;
        this.clock = clock;
    }

    /** Checks tokens with {@code verifier} against {@code clock}. */
    public static Authorizer verifying(TokenVerifier verifier, Clock clock) {
        return new Authorizer(Optional.of(verifier), clock);
    }

    /** Lets every request through (explicit {@code jneon.endpoint-storage.auth=disabled}). */
    public static Authorizer disabled() {
        return new Authorizer(Optional.empty(), Clock.systemUTC());
    }

    /** Whether tokens are checked at all. */
    public boolean enabled() {
        return verifier.isPresent();
    }

    public void checkRead(String authorization, ObjectLocation location) {
        claims(authorization).filter(c -> !c.allowsRead(location)).ifPresent(c -> {
            throw forbidden(c, "read " + location.path());
        });
    }

    public void checkWrite(String authorization, ObjectLocation location) {
        claims(authorization).filter(c -> !c.allowsWrite(location)).ifPresent(c -> {
            throw forbidden(c, "write " + location.path());
        });
    }

    public void checkPrefixDelete(String authorization, StoragePrefix prefix) {
        claims(authorization).filter(c -> !c.allowsPrefixDelete(prefix)).ifPresent(c -> {
            throw forbidden(c, "delete prefix " + prefix.path());
        });
    }

    private Optional<TokenClaims> claims(String authorization) {
        if (verifier.isEmpty()) {
            return Optional.empty();
        }
        if (authorization == null || authorization.isBlank()) {
            throw new AccessDenied.Unauthenticated("missing Authorization header with a Bearer token");
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new AccessDenied.Unauthenticated("Authorization header is not a Bearer token");
        }
        String token = authorization.substring(BEARER.length()).strip();
        return Optional.of(verifier.get().verify(token, clock.instant().getEpochSecond()));
    }

    private static AccessDenied.Forbidden forbidden(TokenClaims claims, String what) {
        return new AccessDenied.Forbidden("token for tenant " + claims.tenantId()
                + claims.timelineId().map(t -> " timeline " + t).orElse("")
                + claims.endpointId().map(e -> " endpoint " + e).orElse("") + " may not " + what);
    }
}

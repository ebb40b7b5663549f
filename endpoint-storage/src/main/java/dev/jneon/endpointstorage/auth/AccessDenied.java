package dev.jneon.endpointstorage.auth;

/**
 * Why a request was refused before touching storage, typed by its HTTP status: {@link Unauthenticated}
 * (401: no token, or one that is malformed, not EdDSA, wrongly signed or expired) and
 * {@link Forbidden} (403: a valid token whose claims do not cover the route). Neon answers 400 and
 * 401 for these; jneon follows issue 7's acceptance (401/403), see the module README.
 */
public abstract sealed class AccessDenied extends RuntimeException {

    private AccessDenied(String message) {
        super(message, null, false, false);
    }

    /** The HTTP status the refusal maps to. */
    public abstract int httpStatus();

    /** 401: the request carries no valid token. */
    public static final class Unauthenticated extends AccessDenied {
        public Unauthenticated(String message) {
            super(message);
        }

        @Override
        public int httpStatus() {
            return 401;
        }
    }

    /** 403: the token is valid but its claims do not name what the route touches. */
    public static final class Forbidden extends AccessDenied {
        public Forbidden(String message) {
            super(message);
        }

        @Override
        public int httpStatus() {
            return 403;
        }
    }
}

package dev.jneon.proxy.cplane;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * A failed control-plane call (B.7), typed by what the proxy does next: retry the wake or not
 * ({@link #isRetriable}), cache the failure and for how long ({@link #cacheTtl}), and what the client is told
 * ({@link #userMessage}). {@link #getMessage} is the internal text for logs.
 *
 * <ul>
 *   <li>{@link Kind#CONTROL_PLANE}: a non-2xx answer; retriable iff it carries {@code retry_info} or a transient
 *       reason; cached for {@code retry_delay_ms}, or 30 s when not retriable;</li>
 *   <li>{@link Kind#TRANSPORT}: no answer; retriable only when refused, unreachable or timed out; never cached;</li>
 *   <li>{@link Kind#MALFORMED_RESPONSE}: a 2xx answer we cannot read; {@link Kind#RATE_LIMITED}: refused by our
 *       own wake limiter. Neither is retried nor cached.</li>
 * </ul>
 * Immutable.
 */
public final class ControlPlaneError extends Exception {

    /** Where the failure comes from. */
    public enum Kind { CONTROL_PLANE, TRANSPORT, MALFORMED_RESPONSE, RATE_LIMITED }

    /** Reasons the control plane expects to clear up by themselves. */
    static final Set<String> TRANSIENT_REASONS = Set.of("RUNNING_OPERATIONS", "CONCURRENCY_LIMIT_REACHED",
            "LOCK_ALREADY_TAKEN", "ENDPOINT_IDLE", "PROJECT_UNDER_MAINTENANCE");

    static final Duration DEFAULT_ERROR_TTL = Duration.ofSeconds(30);

    private final Kind kind;
    private final int httpStatus;
    private final Optional<String> reason;
    private final Optional<Duration> retryDelay;
    private final Optional<String> userFacingMessage;
    private final boolean transportRetriable;

    private ControlPlaneError(Kind kind, String message, int httpStatus, Optional<String> reason,
            Optional<Duration> retryDelay, Optional<String> userFacingMessage, boolean transportRetriable) {
        super(message);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.reason = reason;
        this.retryDelay = retryDelay;
        this.userFacingMessage = userFacingMessage;
        this.transportRetriable = transportRetriable;
    }

    /** A non-2xx answer with its decoded B.7 error body. */
    public static ControlPlaneError answer(int httpStatus, String error, Optional<String> reason,
            Optional<Duration> retryDelay, Optional<String> userFacingMessage) {
        return new ControlPlaneError(Kind.CONTROL_PLANE, error, httpStatus, reason, retryDelay, userFacingMessage,
                false);
    }

    /** The call did not get an answer; {@code retriable} for refused, unreachable and timed-out calls. */
    public static ControlPlaneError transport(String message, boolean retriable) {
        return new ControlPlaneError(Kind.TRANSPORT, message, 0, Optional.empty(), Optional.empty(),
                Optional.empty(), retriable);
    }

    public static ControlPlaneError malformed(String message) {
        return new ControlPlaneError(Kind.MALFORMED_RESPONSE, message, 0, Optional.empty(), Optional.empty(),
                Optional.empty(), false);
    }

    public static ControlPlaneError rateLimited() {
        return new ControlPlaneError(Kind.RATE_LIMITED, "Too many connections attempts", 0, Optional.empty(),
                Optional.empty(), Optional.of("Too many connections attempts"), false);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status of a {@link Kind#CONTROL_PLANE} error, else 0. */
    public int httpStatus() {
        return httpStatus;
    }

    /** {@code status.details.error_info.reason}, e.g. {@code ENDPOINT_NOT_FOUND}. */
    public Optional<String> reason() {
        return reason;
    }

    public Optional<Duration> retryDelay() {
        return retryDelay;
    }

    /** Whether the call may succeed if repeated (B.7). */
    public boolean isRetriable() {
        return switch (kind) {
            case CONTROL_PLANE -> retryDelay.isPresent() || reason.filter(TRANSIENT_REASONS::contains).isPresent();
            case TRANSPORT -> transportRetriable;
            case MALFORMED_RESPONSE, RATE_LIMITED -> false;
        };
    }

    /** Whether the reason names something that does not exist ({@code *_NOT_FOUND}). */
    public boolean isNotFound() {
        return reason.filter(r -> r.endsWith("_NOT_FOUND")).isPresent();
    }

    /** How long a cache may remember this failure; empty: do not cache it. */
    public Optional<Duration> cacheTtl() {
        if (kind != Kind.CONTROL_PLANE) {
            return Optional.empty();
        }
        if (retryDelay.isPresent()) {
            return retryDelay;
        }
        return isRetriable() ? Optional.empty() : Optional.of(DEFAULT_ERROR_TTL);
    }

    /** The text a client may see. */
    public String userMessage() {
        if (userFacingMessage.isPresent()) {
            return userFacingMessage.get();
        }
        if (kind != Kind.CONTROL_PLANE) {
            return "Control plane request failed";
        }
        return switch (httpStatus) {
            case 404 -> "Control plane request failed: endpoint cannot be found";
            case 406 -> "Control plane request failed: endpoint is disabled";
            case 422, 423 -> "Control plane request failed: endpoint is temporarily unavailable. "
                    + "Check your quotas and/or contact our support.";
            default -> "Control plane request failed";
        };
    }
}

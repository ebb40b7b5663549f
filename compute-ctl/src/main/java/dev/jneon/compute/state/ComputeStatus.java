package dev.jneon.compute.state;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The states of a compute (seed 002, spec A.4), with the transitions allowed out of each:
 *
 * <pre>
 * empty                     -> configuration_pending (spec via /configure), init (spec at start),
 *                              termination_pending_* (/terminate)
 * configuration_pending     -> configuration
 * configuration             -> running, failed
 * init                      -> running, failed
 * running                   -> termination_pending_*, configuration_pending (reconfigure, A.8),
 *                              failed (Postgres or walproposer died, A.4)
 * termination_pending_*     -> terminated
 * terminated, failed        -> (none: compute-ctl exits)
 * </pre>
 *
 * JSON uses the snake_case {@link #jsonName()}, metric labels the kebab-case {@link #metricLabel()}.
 */
public enum ComputeStatus {
    EMPTY, CONFIGURATION_PENDING, CONFIGURATION, INIT, RUNNING, TERMINATION_PENDING_FAST,
    TERMINATION_PENDING_IMMEDIATE, TERMINATED, FAILED;

    /** The states this one may move to. */
    public Set<ComputeStatus> next() {
        return switch (this) {
            case EMPTY -> EnumSet.of(CONFIGURATION_PENDING, INIT, TERMINATION_PENDING_FAST,
                    TERMINATION_PENDING_IMMEDIATE);
            case CONFIGURATION_PENDING -> EnumSet.of(CONFIGURATION);
            case CONFIGURATION, INIT -> EnumSet.of(RUNNING, FAILED);
            case RUNNING -> EnumSet.of(TERMINATION_PENDING_FAST, TERMINATION_PENDING_IMMEDIATE, CONFIGURATION_PENDING,
                    FAILED);
            case TERMINATION_PENDING_FAST, TERMINATION_PENDING_IMMEDIATE -> EnumSet.of(TERMINATED);
            case TERMINATED, FAILED -> EnumSet.noneOf(ComputeStatus.class);
        };
    }

    public boolean canMoveTo(ComputeStatus to) {
        return next().contains(to);
    }

    /** {@code /configure} and {@code /terminate} are accepted only here (A.4). */
    public boolean acceptsRequests() {
        return this == EMPTY || this == RUNNING;
    }

    public boolean isTerminating() {
        return this == TERMINATION_PENDING_FAST || this == TERMINATION_PENDING_IMMEDIATE || this == TERMINATED;
    }

    /** No way out: compute-ctl exits from here. */
    public boolean isFinal() {
        return next().isEmpty();
    }

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String metricLabel() {
        return jsonName().replace('_', '-');
    }
}

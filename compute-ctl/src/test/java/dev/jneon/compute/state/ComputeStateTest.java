package dev.jneon.compute.state;

import static dev.jneon.compute.state.ComputeStatus.CONFIGURATION;
import static dev.jneon.compute.state.ComputeStatus.CONFIGURATION_PENDING;
import static dev.jneon.compute.state.ComputeStatus.EMPTY;
import static dev.jneon.compute.state.ComputeStatus.FAILED;
import static dev.jneon.compute.state.ComputeStatus.INIT;
import static dev.jneon.compute.state.ComputeStatus.RUNNING;
import static dev.jneon.compute.state.ComputeStatus.TERMINATED;
import static dev.jneon.compute.state.ComputeStatus.TERMINATION_PENDING_FAST;
import static dev.jneon.compute.state.ComputeStatus.TERMINATION_PENDING_IMMEDIATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ComputeStateTest {

    /** Seed 002's diagram, plus A.4's reconfigure and the death of Postgres or the walproposer. */
    private static final Set<List<ComputeStatus>> ALLOWED = Set.of(
            List.of(EMPTY, CONFIGURATION_PENDING), List.of(CONFIGURATION_PENDING, CONFIGURATION),
            List.of(CONFIGURATION, FAILED), List.of(CONFIGURATION, RUNNING), List.of(EMPTY, INIT),
            List.of(EMPTY, TERMINATION_PENDING_FAST), List.of(EMPTY, TERMINATION_PENDING_IMMEDIATE),
            List.of(INIT, FAILED), List.of(INIT, RUNNING), List.of(RUNNING, TERMINATION_PENDING_FAST),
            List.of(RUNNING, TERMINATION_PENDING_IMMEDIATE), List.of(TERMINATION_PENDING_FAST, TERMINATED),
            List.of(TERMINATION_PENDING_IMMEDIATE, TERMINATED), List.of(RUNNING, CONFIGURATION_PENDING),
            List.of(RUNNING, FAILED));

    @Test
    void allowsExactlyTheTransitionsOfTheDiagram() {
        Set<List<ComputeStatus>> found = new HashSet<>();
        for (ComputeStatus from : ComputeStatus.values()) {
            for (ComputeStatus to : ComputeStatus.values()) {
                if (from.canMoveTo(to)) {
                    found.add(List.of(from, to));
                }
            }
        }
        assertThat(found).isEqualTo(ALLOWED);
        assertThat(EnumSet.allOf(ComputeStatus.class).stream().filter(ComputeStatus::isFinal))
                .containsExactlyInAnyOrder(TERMINATED, FAILED);
    }

    @Test
    void refusedMovesThrowAndChangeNothing() {
        var state = new ComputeState();
        assertThatThrownBy(() -> state.moveTo(RUNNING)).isInstanceOf(ComputeState.IllegalTransitionException.class)
                .hasMessage("compute cannot move from empty to running");
        assertThat(state.status()).isEqualTo(EMPTY);
        state.moveTo(INIT);
        assertThatThrownBy(() -> state.moveTo(TERMINATION_PENDING_FAST))
                .isInstanceOf(ComputeState.IllegalTransitionException.class);
        assertThat(state.moveIfAcceptingRequests(TERMINATION_PENDING_FAST)).contains(INIT);
        assertThat(state.status()).isEqualTo(INIT);
        state.moveTo(RUNNING);
        assertThat(state.moveIf(INIT, FAILED)).isFalse();
        assertThat(state.moveIfAcceptingRequests(TERMINATION_PENDING_FAST)).isEmpty();
        assertThat(state.fail("too late")).isFalse();
        state.moveTo(TERMINATED);
        for (ComputeStatus s : ComputeStatus.values()) {
            assertThatThrownBy(() -> state.moveTo(s)).isInstanceOf(ComputeState.IllegalTransitionException.class);
        }
        assertThat(state.snapshot().error()).isNull();
    }

    @Test
    void failureKeepsTheReason() {
        var state = new ComputeState();
        state.moveTo(INIT);
        assertThat(state.fail("postgres exited with code 1")).isTrue();
        assertThat(state.snapshot()).extracting(ComputeState.Snapshot::status, ComputeState.Snapshot::error)
                .containsExactly(FAILED, "postgres exited with code 1");
        assertThat(state.fail("again")).isFalse();
        assertThat(state.snapshot().error()).isEqualTo("postgres exited with code 1");
    }

    @Test
    void onlyEmptyAndRunningAcceptRequests() {
        assertThat(EnumSet.allOf(ComputeStatus.class).stream().filter(ComputeStatus::acceptsRequests))
                .containsExactlyInAnyOrder(EMPTY, RUNNING);
        assertThat(TERMINATION_PENDING_IMMEDIATE.jsonName()).isEqualTo("termination_pending_immediate");
        assertThat(CONFIGURATION_PENDING.metricLabel()).isEqualTo("configuration-pending");
    }

    @Test
    void waitersWakeOnTheChangeTheyWaitFor() throws Exception {
        var state = new ComputeState();
        CompletableFuture<ComputeStatus> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return state.await(s -> s == RUNNING || s == FAILED, Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        state.moveTo(INIT);
        assertThat(waiter).isNotDone();
        state.moveTo(RUNNING);
        assertThat(waiter.get(1, TimeUnit.MINUTES)).isEqualTo(RUNNING);
        assertThat(state.await(s -> s == FAILED, Duration.ofMillis(1))).as("timeout returns the current state")
                .isEqualTo(RUNNING);
    }

    @Test
    void lastActiveOnlyMovesForward() {
        var state = new ComputeState();
        Instant t = Instant.parse("2026-11-23T10:00:00Z");
        state.active(t);
        state.active(t.minusSeconds(5));
        assertThat(state.snapshot().lastActive()).isEqualTo(t);
        state.active(t.plusSeconds(1));
        assertThat(state.snapshot().lastActive()).isEqualTo(t.plusSeconds(1));
    }
}

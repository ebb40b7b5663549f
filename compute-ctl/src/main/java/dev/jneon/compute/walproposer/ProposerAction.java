package dev.jneon.compute.walproposer;

import dev.jneon.common.id.Lsn;

/**
 * What the {@link Proposer} core asks its caller to do; the caller performs the I/O. Safekeepers
 * are named by their index in the configured list. Immutable.
 */
public sealed interface ProposerAction {

    /** Send {@code message} on safekeeper {@code sk}'s stream. */
    record Send(int sk, ProposerMessage message) implements ProposerAction {
    }

    /**
     * Send WAL {@code [begin, end)} to safekeeper {@code sk} as one append carrying {@code commit}
     * and {@code truncate} (begin == end: a heartbeat). The caller takes the bytes from its WAL
     * buffer or, below it, from {@link Proposer#walSourceFor}.
     */
    record SendWal(int sk, long term, int generation, Lsn begin, Lsn end, Lsn commit, Lsn truncate)
            implements ProposerAction {
    }

    /** Close safekeeper {@code sk}'s stream (protocol violation); the caller reports it disconnected. */
    record Disconnect(int sk, String reason) implements ProposerAction {
    }

    /** This proposer won {@code term}; its WAL starts at {@code termStartLsn}. */
    record Elected(long term, Lsn termStartLsn, TermHistory history) implements ProposerAction {
    }

    /** The quorum commit LSN rose to {@code commitLsn} (never decreases). */
    record CommitAdvanced(Lsn commitLsn) implements ProposerAction {
    }

    /** sync-safekeepers finished: a quorum and every live safekeeper committed {@code endOfWal}. */
    record Synced(Lsn endOfWal) implements ProposerAction {
    }

    /** The proposer stopped for good (e.g. another proposer holds a higher term). */
    record Failed(String reason) implements ProposerAction {
    }
}

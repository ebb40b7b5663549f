package dev.jneon.pageserver.walreceiver;

import dev.jneon.common.id.Lsn;
import java.util.Objects;

/**
 * What a safekeeper sends on a WAL stream (spec safekeeper-broker.md E.1), free of the wire
 * types. Immutable records.
 */
public sealed interface SafekeeperMessage {

    /**
     * Raw WAL bytes {@code [start, start + data.length)}, page headers included.
     *
     * @param walEnd the safekeeper's end of sendable WAL (its commit LSN for a pageserver)
     */
    record WalChunk(Lsn start, Lsn walEnd, byte[] data) implements SafekeeperMessage {
        public WalChunk {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(walEnd, "walEnd");
            Objects.requireNonNull(data, "data");
        }

        public Lsn end() {
            return start.plus(data.length);
        }
    }

    /** Nothing to send for a while; answer with feedback when {@code replyRequested}. */
    record KeepAlive(Lsn walEnd, boolean replyRequested) implements SafekeeperMessage {
        public KeepAlive {
            Objects.requireNonNull(walEnd, "walEnd");
        }
    }

    /** The safekeeper ends the stream normally (caught up, no compute). */
    record StreamEnd(String reason) implements SafekeeperMessage {}
}

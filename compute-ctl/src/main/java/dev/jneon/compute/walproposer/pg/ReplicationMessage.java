package dev.jneon.compute.walproposer.pg;

import dev.jneon.common.id.Lsn;
import java.nio.ByteBuffer;

/**
 * The CopyData payloads of a physical replication stream (postgres-formats.md J); all integers
 * big-endian, times in µs since 2000-01-01 UTC. Immutable (the WAL array is not copied: the reader
 * hands over ownership).
 */
public sealed interface ReplicationMessage {

    /** Seconds from the Unix epoch to the Postgres epoch (2000-01-01 UTC). */
    long POSTGRES_EPOCH_UNIX_SECONDS = 946_684_800L;

    /** {@code 'w'}: i64 dataStart, i64 walEnd, i64 sendTime, then the WAL bytes. */
    record XLogData(Lsn dataStart, Lsn walEnd, long sendTime, byte[] data) implements ReplicationMessage {
    }

    /** {@code 'k'}: i64 walEnd, i64 sendTime, u8 replyRequested. */
    record Keepalive(Lsn walEnd, long sendTime, boolean replyRequested) implements ReplicationMessage {
    }

    /** Parses one server CopyData payload; throws {@link IllegalArgumentException} if malformed. */
    static ReplicationMessage parse(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        if (payload.length == 0) {
            throw new IllegalArgumentException("empty CopyData in a replication stream");
        }
        return switch (b.get()) {
            case 'w' -> {
                if (payload.length < 25) {
                    throw new IllegalArgumentException("XLogData of " + payload.length + " bytes is truncated");
                }
                Lsn start = Lsn.of(b.getLong());
                Lsn end = Lsn.of(b.getLong());
                long time = b.getLong();
                byte[] data = new byte[b.remaining()];
                b.get(data);
                yield new XLogData(start, end, time, data);
            }
            case 'k' -> {
                if (payload.length != 18) {
                    throw new IllegalArgumentException("keepalive of " + payload.length + " bytes, expected 18");
                }
                yield new Keepalive(Lsn.of(b.getLong()), b.getLong(), b.get() != 0);
            }
            default -> throw new IllegalArgumentException("unknown replication message '" + (char) payload[0] + "'");
        };
    }

    /** {@code 'r'} standby status update: write, flush, apply, sendTime, replyRequested = 0. */
    static byte[] standbyStatus(Lsn write, Lsn flush, Lsn apply, long unixMicros) {
        return ByteBuffer.allocate(34).put((byte) 'r').putLong(write.value()).putLong(flush.value())
                .putLong(apply.value()).putLong(unixMicros - POSTGRES_EPOCH_UNIX_SECONDS * 1_000_000L)
                .put((byte) 0).array();
    }
}

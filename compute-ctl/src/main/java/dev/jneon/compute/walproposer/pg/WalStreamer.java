package dev.jneon.compute.walproposer.pg;

import dev.jneon.common.id.Lsn;
import dev.jneon.compute.walproposer.ProposerFailedException;
import dev.jneon.compute.walproposer.WalBuffer;
import dev.jneon.compute.walproposer.WalProposer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Postgres side of the walproposer (safekeeper-broker.md K, postgres-formats.md J): one
 * physical replication connection named {@code walproposer}, a physical slot created at start
 * (RESERVE_WAL, so Postgres keeps WAL the safekeepers have not committed), then START_REPLICATION
 * at the elected term's start LSN; every XLogData must start exactly where the buffer ends and is
 * forwarded verbatim. Quorum commits go back through a {@link CommitReporter}.
 *
 * <p>Not thread-safe; {@link #stream} runs on the caller's thread until the proposer stops or the
 * connection fails.
 */
public final class WalStreamer implements AutoCloseable {

    /** The application name Postgres' synchronous_standby_names must list. */
    public static final String APPLICATION_NAME = "walproposer";

    private static final Logger log = LoggerFactory.getLogger(WalStreamer.class);

    private final ReplicationConnection connection;
    private final String slotName;
    private volatile CommitReporter reporter;

    private WalStreamer(ReplicationConnection connection, String slotName) {
        this.connection = connection;
        this.slotName = slotName;
    }

    /** Connects to Postgres and creates the physical slot {@code slotName} if it does not exist. */
    public static WalStreamer connect(String host, int port, String user, String password, String slotName)
            throws IOException {
        var conn = ReplicationConnection.connect(host, port, user, password, APPLICATION_NAME);
        try {
            conn.query("CREATE_REPLICATION_SLOT " + slotName + " PHYSICAL RESERVE_WAL");
        } catch (PgWireException e) {
            if (!"42710".equals(e.sqlState())) {
                conn.close();
                throw e;
            }
            log.info("replication slot {} exists already; reusing it", slotName);
        }
        return new WalStreamer(conn, slotName);
    }

    /** pg_control's system identifier, from IDENTIFY_SYSTEM. */
    public long systemId() throws IOException {
        List<Map<String, String>> rows = connection.query("IDENTIFY_SYSTEM");
        if (rows.size() != 1 || rows.getFirst().get("systemid") == null) {
            throw new PgWireException(null, "IDENTIFY_SYSTEM returned " + rows);
        }
        return Long.parseUnsignedLong(rows.getFirst().get("systemid"));
    }

    /** Where a commit advance should go: the reporter once streaming has started. */
    public Consumer<Lsn> commitListener() {
        return lsn -> {
            CommitReporter r = reporter;
            if (r != null) {
                r.commitAdvanced(lsn);
            }
        };
    }

    /**
     * Streams WAL from {@code start} into {@code buffer} and {@code proposer} until the proposer
     * stops (returns normally after close, throws {@link ProposerFailedException} if it failed) or
     * the connection breaks (IOException).
     */
    public void stream(WalProposer proposer, WalBuffer buffer, Lsn start) throws IOException, InterruptedException {
        connection.startReplication(slotName, start);
        log.info("streaming WAL from Postgres at {}", start);
        reporter = new CommitReporter(connection, () -> proposer.stopped().isDone());
        reporter.commitAdvanced(proposer.commitLsn());
        reporter.start();
        proposer.stopped().whenComplete((ok, failure) -> connection.close());
        try {
            while (true) {
                ReplicationMessage message;
                try {
                    message = connection.read();
                } catch (IOException e) {
                    throwIfProposerStopped(proposer);
                    throw e;
                }
                switch (message) {
                    case ReplicationMessage.XLogData x -> {
                        Lsn expected = buffer.end();
                        if (!x.dataStart().equals(expected)) {
                            throw new PgWireException(null, "Postgres sent WAL at " + x.dataStart() + ", expected "
                                    + expected);
                        }
                        while (!buffer.append(x.dataStart(), x.data(), 1000)) {
                            throwIfProposerStopped(proposer);
                        }
                        proposer.walAppended(x.dataStart().plus(x.data().length));
                    }
                    case ReplicationMessage.Keepalive k -> {
                        if (k.replyRequested()) {
                            reporter.replyRequested();
                        }
                    }
                }
            }
        } finally {
            reporter.stop();
        }
    }

    private static void throwIfProposerStopped(WalProposer proposer) throws InterruptedException {
        if (proposer.stopped().isDone()) {
            try {
                proposer.stopped().join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof ProposerFailedException f) {
                    throw f;
                }
                throw e;
            }
            throw new InterruptedException("walproposer closed");
        }
    }

    @Override
    public void close() {
        if (reporter != null) {
            reporter.stop();
        }
        connection.close();
    }
}

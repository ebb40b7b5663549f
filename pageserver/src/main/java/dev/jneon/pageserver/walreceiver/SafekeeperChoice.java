package dev.jneon.pageserver.walreceiver;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which safekeeper one timeline streams WAL from (spec safekeeper-broker.md H, pageserver.md I.1),
 * as a pure state machine: the broker's reports ({@link #heard}) and the connection's events
 * ({@link #started}, {@link #connected}, {@link #walReceived}, {@link #keepAlive}, {@link #walProcessed},
 * {@link #ended}) update the state, and {@link #decide} says whether to connect or switch, and why.
 *
 * <p>Candidates are forgotten (with their retry state) after lagging_wal_timeout without a report;
 * a candidate applies when it has a commit LSN, a connstr and its next_retry_at passed; the best is
 * the highest commit LSN (lowest node id on ties), never the current one. When a connection ends,
 * its safekeeper may be retried at {@code started_at + retry_duration}, and retry_duration grows by
 * 1.5 from 0.1 s up to 15 s; the retry state is dropped once a connection ingested WAL from it.
 *
 * <p>Not thread-safe: its owner serialises the calls. Time comes only from the injected clock.
 */
public final class SafekeeperChoice {

    static final Duration MIN_RETRY = Duration.ofMillis(100);
    static final Duration MAX_RETRY = Duration.ofSeconds(15);
    private static final double RETRY_MULTIPLIER = 1.5;

    /** What a safekeeper last reported about the timeline, and when. */
    public record Candidate(NodeId id, Lsn commitLsn, String connstr, Instant heardAt) {}

    /** Connect to {@code safekeeper} (at {@code connstr}) for {@code reason}. */
    public record Switch(NodeId safekeeper, String connstr, SwitchReason reason) {}

    private record Retry(Instant nextRetryAt, Duration retryDuration) {}

    /** The WAL seen to exist beyond what was received, and since when (Neon's discovered_new_wal). */
    private record Discovered(Lsn lsn, Instant at) {}

    private static final class Connection {
        final NodeId safekeeper;
        final Instant startedAt;
        boolean connected;
        Instant latestConnectionUpdate;
        Instant latestWalUpdate;
        Lsn streamingLsn = Lsn.INVALID;
        Lsn commitLsn = Lsn.INVALID;
        Discovered discovered;

        Connection(NodeId safekeeper, Instant now) {
            this.safekeeper = safekeeper;
            this.startedAt = now;
            this.latestConnectionUpdate = now;
            this.latestWalUpdate = now;
        }
    }

    private final WalReceiverConf conf;
    private final Clock clock;
    private final Map<NodeId, Candidate> candidates = new TreeMap<>();
    private final Map<NodeId, Retry> retries = new TreeMap<>();
    private Connection current;
    private Instant lastDiscovery;

    public SafekeeperChoice(WalReceiverConf conf, Clock clock) {
        this.conf = conf;
        this.clock = clock;
    }

    /** A report from the broker: safekeeper {@code id} has the timeline up to {@code commitLsn}. */
    public void heard(NodeId id, Lsn commitLsn, String connstr) {
        candidates.put(id, new Candidate(id, commitLsn, connstr, clock.instant()));
    }

    /** The connection to {@code safekeeper} begins now; a previous one must have {@link #ended}. */
    public void started(NodeId safekeeper) {
        if (current != null) {
            throw new IllegalStateException("connection to " + current.safekeeper + " has not ended");
        }
        current = new Connection(safekeeper, clock.instant());
    }

    /** The stream is open: the safekeeper accepted the start. */
    public void connected() {
        Connection c = requireCurrent();
        c.connected = true;
        c.latestConnectionUpdate = clock.instant();
    }

    /** WAL arrived up to {@code streamingLsn}; the safekeeper has {@code commitLsn}. */
    public void walReceived(Lsn streamingLsn, Lsn commitLsn) {
        Connection c = requireCurrent();
        Instant now = clock.instant();
        c.connected = true;
        c.latestConnectionUpdate = now;
        c.latestWalUpdate = now;
        c.streamingLsn = streamingLsn;
        c.commitLsn = Lsn.max(c.commitLsn, commitLsn);
    }

    /** A keepalive: the safekeeper is alive and has {@code commitLsn}. */
    public void keepAlive(Lsn commitLsn) {
        Connection c = requireCurrent();
        c.connected = true;
        c.latestConnectionUpdate = clock.instant();
        c.commitLsn = Lsn.max(c.commitLsn, commitLsn);
    }

    /** WAL from the current safekeeper was ingested: it may be reconnected to at once from now on. */
    public void walProcessed() {
        retries.remove(requireCurrent().safekeeper);
    }

    /** The current connection is over (error, end of stream or switch): back off from its safekeeper. */
    public void ended() {
        Connection c = requireCurrent();
        Retry previous = retries.get(c.safekeeper);
        Duration duration = previous == null ? MIN_RETRY : previous.retryDuration();
        Duration grown = Duration.ofNanos((long) (duration.toNanos() * RETRY_MULTIPLIER));
        grown = grown.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : grown.compareTo(MIN_RETRY) < 0 ? MIN_RETRY : grown;
        retries.put(c.safekeeper, new Retry(c.startedAt.plus(duration), grown));
        current = null;
    }

    /** The safekeeper of the current connection. */
    public Optional<NodeId> current() {
        return Optional.ofNullable(current).map(c -> c.safekeeper);
    }

    /** The highest commit LSN known: of any candidate or of the current connection. */
    public Lsn highestCommitLsn() {
        Lsn best = current == null ? Lsn.INVALID : current.commitLsn;
        for (Candidate c : candidates.values()) {
            best = Lsn.max(best, c.commitLsn());
        }
        return best;
    }

    /** When {@code safekeeper} may be connected to again, if it is backing off. */
    public Optional<Instant> nextRetryAt(NodeId safekeeper) {
        return Optional.ofNullable(retries.get(safekeeper)).map(Retry::nextRetryAt);
    }

    public Map<NodeId, Candidate> candidates() {
        return Map.copyOf(candidates);
    }

    /**
     * True at most once per lagging_wal_timeout while there is no connection and no candidate: then
     * the owner asks the safekeepers to announce themselves (a discovery request).
     */
    public boolean discoveryDue() {
        Instant now = clock.instant();
        if (current != null || !candidates.isEmpty()
                || (lastDiscovery != null && now.isBefore(lastDiscovery.plus(conf.laggingWalTimeout())))) {
            return false;
        }
        lastDiscovery = now;
        return true;
    }

    /**
     * Whether to connect or switch now, given the timeline's last ingested record end.
     * Forgets silent candidates first.
     */
    public Optional<Switch> decide(Lsn lastRecordLsn) {
        Instant now = clock.instant();
        candidates.values().removeIf(c -> {
            boolean silent = now.isAfter(c.heardAt().plus(conf.laggingWalTimeout()));
            if (silent) {
                retries.remove(c.id());
            }
            return silent;
        });
        Optional<Candidate> best = candidates.values().stream()
                .filter(c -> c.commitLsn().isValid() && !c.connstr().isEmpty())
                .filter(c -> current == null || !c.id().equals(current.safekeeper))
                .filter(c -> retries.get(c.id()) == null || !now.isBefore(retries.get(c.id()).nextRetryAt()))
                .max(Comparator.comparing(Candidate::commitLsn).thenComparing(Candidate::id, Comparator.reverseOrder()));
        if (current == null) {
            return best.map(c -> new Switch(c.id(), c.connstr(), SwitchReason.NO_EXISTING_CONNECTION));
        }
        if (best.isEmpty()) {
            return Optional.empty();
        }
        Candidate target = best.get();
        if (now.isAfter(current.latestConnectionUpdate.plus(conf.connectTimeout()))) {
            return Optional.of(new Switch(target.id(), target.connstr(), SwitchReason.NO_KEEP_ALIVES));
        }
        if (!current.connected) {
            return Optional.empty();
        }
        Lsn currentLsn = current.streamingLsn.isValid() ? current.streamingLsn : lastRecordLsn;
        Lsn currentCommit = current.commitLsn.isValid() ? current.commitLsn : currentLsn;
        if (target.commitLsn().isAfter(currentCommit) && target.commitLsn().minus(currentCommit) >= conf.maxLsnWalLag()) {
            return Optional.of(new Switch(target.id(), target.connstr(), SwitchReason.LAGGING_WAL));
        }
        return noWalTimeout(now, target, currentLsn, currentCommit);
    }

    private Optional<Switch> noWalTimeout(Instant now, Candidate target, Lsn currentLsn, Lsn currentCommit) {
        if (currentCommit.isAfter(currentLsn)) {
            current.discovered = new Discovered(currentCommit, current.latestWalUpdate);
        } else if (target.commitLsn().isAfter(currentCommit) && current.discovered == null) {
            current.discovered = new Discovered(target.commitLsn(), now);
        }
        if (current.discovered == null || !currentLsn.isBefore(current.discovered.lsn())) {
            current.discovered = null;
            return Optional.empty();
        }
        Instant since = current.discovered.at().isAfter(current.latestWalUpdate) ? current.discovered.at()
                : current.latestWalUpdate;
        if (now.isAfter(since.plus(conf.laggingWalTimeout())) && target.commitLsn().isAfter(currentCommit)) {
            return Optional.of(new Switch(target.id(), target.connstr(), SwitchReason.NO_WAL_TIMEOUT));
        }
        return Optional.empty();
    }

    private Connection requireCurrent() {
        if (current == null) {
            throw new IllegalStateException("no WAL connection is running");
        }
        return current;
    }
}

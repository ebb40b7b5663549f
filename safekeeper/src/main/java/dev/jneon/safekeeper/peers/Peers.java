package dev.jneon.safekeeper.peers;

import dev.jneon.common.broker.SafekeeperTimelineInfo;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantTimelineId;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What the safekeepers (this one included, through its own echo) last published on the storage
 * broker, per timeline and node, with the time it arrived. An entry older than {@link #LIVE} is not
 * live: a node that stopped publishing drops out of offloader elections and recovery within 5 s
 * (spec G, F.1). Nothing is persisted; after a restart the broker's next pushes refill it in about
 * a second.
 *
 * <p>Thread-safe: concurrent maps of immutable entries.
 */
public final class Peers {

    /** How long a published state counts as live. */
    public static final Duration LIVE = Duration.ofSeconds(5);

    /** One node's last published state and when it arrived ({@link System#nanoTime()} scale). */
    public record Peer(SafekeeperTimelineInfo info, long receivedNanos) {}

    private final Map<TenantTimelineId, Map<NodeId, Peer>> byTimeline = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private volatile long firstReceivedNanos;
    private volatile boolean receivedAny;

    public Peers() {
        this(System::nanoTime);
    }

    /** @param clock nanosecond clock (tests pass their own) */
    public Peers(LongSupplier clock) {
        this.clock = clock;
    }

    public void record(SafekeeperTimelineInfo info) {
        if (!receivedAny) {
            firstReceivedNanos = clock.getAsLong();
            receivedAny = true;
        }
        byTimeline.computeIfAbsent(info.ttid(), t -> new ConcurrentHashMap<>())
                .put(info.safekeeperId(), new Peer(info, clock.getAsLong()));
    }

    /** The live states of {@code ttid}'s nodes, by node id. */
    public List<SafekeeperTimelineInfo> live(TenantTimelineId ttid) {
        long now = clock.getAsLong();
        return byTimeline.getOrDefault(ttid, Map.of()).values().stream()
                .filter(p -> now - p.receivedNanos() <= LIVE.toNanos()).map(Peer::info)
                .sorted(Comparator.comparing(SafekeeperTimelineInfo::safekeeperId)).toList();
    }

    /**
     * Whether the view may be complete: the first message arrived at least {@link #LIVE} ago, so
     * every node publishing at the usual 1 s interval has been heard. Elections wait for this after a
     * start, so a node does not elect itself from a view that lacks its peers.
     */
    public boolean isWarm() {
        return receivedAny && clock.getAsLong() - firstReceivedNanos >= LIVE.toNanos();
    }

    /** Timelines some node published. */
    public Set<TenantTimelineId> timelines() {
        return Set.copyOf(byTimeline.keySet());
    }
}

package dev.jneon.safekeeper.recovery;

import dev.jneon.common.broker.SafekeeperTimelineInfo;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.safekeeper.peers.Peers;
import dev.jneon.safekeeper.timeline.Timelines;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic recovery of timelines this safekeeper lacks: every {@code interval} it looks for
 * timelines that live peers publish on the broker but that are not here (a wiped disk, a creation
 * this node missed) and pulls each from those peers ({@link PullTimeline}). [jneon] This relies on
 * legacy membership (generation 0: every safekeeper of the stack hosts every timeline); a timeline
 * deleted here since start-up, or whose directory failed to load, is never pulled. After the pull
 * the walproposer, which retries a refused WalPush every second, greets the timeline and streams
 * the WAL the snapshot lacked. Thread-safe: one thread.
 */
public final class TimelineRecovery implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TimelineRecovery.class);

    private final Timelines timelines;
    private final Peers peers;
    private final PullTimeline pull;
    private final NodeId self;
    private final Duration interval;
    private final Thread thread;
    private volatile boolean stopped;

    public TimelineRecovery(Timelines timelines, Peers peers, PullTimeline pull, NodeId self, Duration interval) {
        this.timelines = timelines;
        this.peers = peers;
        this.pull = pull;
        this.self = self;
        this.interval = interval;
        this.thread = Thread.ofVirtual().name("timeline-recovery").start(this::run);
    }

    private void run() {
        while (!stopped) {
            for (TenantTimelineId ttid : peers.timelines()) {
                if (stopped) {
                    return;
                }
                if (timelines.get(ttid).isEmpty() && !timelines.isUnavailable(ttid)) {
                    recover(ttid);
                }
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void recover(TenantTimelineId ttid) {
        List<URI> hosts = peers.live(ttid).stream().filter(i -> !i.safekeeperId().equals(self))
                .map(SafekeeperTimelineInfo::httpConnstr).filter(c -> !c.isEmpty())
                .map(c -> URI.create("http://" + c)).toList();
        if (hosts.isEmpty()) {
            return;
        }
        log.info("timeline {} is published by peers {} but missing here: pulling it", ttid, hosts);
        try {
            pull.pull(ttid, hosts);
        } catch (RuntimeException e) {
            log.warn("recovering timeline {} from {} failed, retrying in {}: {}", ttid, hosts, interval, e.getMessage());
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(10_000);
    }
}

package dev.jneon.compute.walproposer;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.pg.PgVersionId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * sync-safekeepers (safekeeper-broker.md C): the proposer without Postgres. Elects itself with a
 * new term, recovers lagging and divergent safekeepers from the donor, waits until a quorum and
 * every connected safekeeper have committed the end of WAL, and returns that LSN. Stateless.
 */
public final class SyncSafekeepers {

    private SyncSafekeepers() {
    }

    /**
     * Runs one sync; throws {@link ProposerFailedException} if the proposer failed (e.g. another
     * proposer holds a newer term) and {@link TimeoutException} if it did not finish in time.
     */
    public static Lsn run(TenantTimelineId ttid, List<SafekeeperAddress> safekeepers, PgVersionId pgVersion,
            int walSegSize, Duration timeout) throws TimeoutException, InterruptedException {
        var config = ProposerConfig.sync(ttid, safekeepers.size(), pgVersion, walSegSize);
        try (WalProposer wp = WalProposer.start(config, safekeepers, new WalBuffer(1 << 20), lsn -> { })) {
            Lsn end = wp.synced().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            wp.stopped().get(timeout.toMillis(), TimeUnit.MILLISECONDS); // final broadcast sent
            return end;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProposerFailedException f) {
                throw f;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new TimeoutException("safekeepers did not sync within " + timeout);
        }
    }
}

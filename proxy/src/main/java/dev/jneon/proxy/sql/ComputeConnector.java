package dev.jneon.proxy.sql;

import dev.jneon.common.scram.ScramKeys;
import dev.jneon.proxy.cplane.CachingControlPlane;
import dev.jneon.proxy.cplane.CallContext;
import dev.jneon.proxy.cplane.ControlPlaneError;
import dev.jneon.proxy.cplane.EndpointAccess;
import dev.jneon.proxy.cplane.NodeInfoCache.CachedNode;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates an HTTP request's connection string and opens a session on the endpoint's compute (B.5 for
 * HTTP): access control (cached), the IP allowlist and blocked-network flag, the URL password checked against the
 * role's verifier (PBKDF2, at most {@code pbkdf2Permits} at once; an unknown role always fails), wake (cached,
 * retried), then a connection that authenticates with the client's SCRAM keys. A connect or authentication
 * failure that may mean a stale address invalidates the node cache entry and wakes once more (B.9). Thread-safe.
 */
final class ComputeConnector {

    private static final Logger log = LoggerFactory.getLogger(ComputeConnector.class);

    /** SQLSTATEs that are the client's fault or a full compute, so waking again would not help (B.9). */
    private static final Set<String> NOT_WAKE_WORTHY = Set.of("53300", "53200", "42601", "40001", "3D000",
            "3F000", "22023");

    private final CachingControlPlane controlPlane;
    private final Semaphore pbkdf2;
    private final Duration connectTimeout;

    ComputeConnector(CachingControlPlane controlPlane, int pbkdf2Permits, Duration connectTimeout) {
        this.controlPlane = controlPlane;
        this.pbkdf2 = new Semaphore(pbkdf2Permits);
        this.connectTimeout = connectTimeout;
    }

    ComputeSession connect(ConnectionTarget target, InetAddress peer, CallContext context) throws SqlFailure {
        EndpointAccess access;
        try {
            access = controlPlane.accessControl(target.endpoint(), target.user(), context);
        } catch (ControlPlaneError e) {
            throw controlPlaneFailure(e);
        }
        if (!access.allowedIps().allows(peer)) {
            throw SqlFailure.user("This IP address " + peer.getHostAddress()
                    + " is not allowed to connect to this endpoint.", null);
        }
        if (access.blockPublicConnections()) {
            throw SqlFailure.user("This connection is trying to access this endpoint from a blocked network.", null);
        }
        ScramKeys keys = checkPassword(access, target).orElseThrow(() -> SqlFailure.user(
                "password authentication failed for user '" + target.user() + "'", "28P01"));
        for (int attempt = 0; ; attempt++) {
            CachedNode node;
            try {
                node = controlPlane.wakeCompute(target.endpoint(), target.neonOptions(), context);
            } catch (ControlPlaneError e) {
                throw controlPlaneFailure(e);
            }
            try {
                return ComputeSession.open(node.node().host(), node.node().port(), connectTimeout,
                        target.startupParams(), target.password(), Optional.of(keys));
            } catch (IOException e) {
                log.info("connect to compute {} for {} failed: {}", node.node().address(), target.endpoint(), e.toString());
                if (attempt > 0) {
                    throw SqlFailure.service("could not connect to the compute: " + e.getMessage());
                }
                controlPlane.invalidate(node);
            } catch (PgError e) {
                if (attempt > 0 || NOT_WAKE_WORTHY.contains(e.code()) || isPoolerLimit(e)) {
                    throw new SqlFailure(e.code().startsWith("28") || e.code().startsWith("3D") ? 400 : 500,
                            SqlResponses.error(e));
                }
                controlPlane.invalidate(node);
            }
        }
    }

    private Optional<ScramKeys> checkPassword(EndpointAccess access, ConnectionTarget target) throws SqlFailure {
        if (access.roleSecret().isEmpty()) {
            return Optional.empty();
        }
        try {
            pbkdf2.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SqlFailure.service("interrupted");
        }
        try {
            return access.roleSecret().get().keysFor(target.password());
        } finally {
            pbkdf2.release();
        }
    }

    private static boolean isPoolerLimit(PgError e) {
        return e.code().equals("08P01") && e.getMessage().contains("no more connections allowed (max_client_conn)");
    }

    private static SqlFailure controlPlaneFailure(ControlPlaneError e) {
        int status = switch (e.kind()) {
            case RATE_LIMITED -> 429;
            case CONTROL_PLANE -> e.httpStatus() / 100 == 4 ? 400 : 500;
            case TRANSPORT, MALFORMED_RESPONSE -> 500;
        };
        return new SqlFailure(status, SqlResponses.error(e.userMessage(), null));
    }
}

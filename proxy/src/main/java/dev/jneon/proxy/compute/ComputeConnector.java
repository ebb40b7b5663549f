package dev.jneon.proxy.compute;

import dev.jneon.proxy.cplane.CachingControlPlane;
import dev.jneon.proxy.cplane.CallContext;
import dev.jneon.proxy.cplane.ControlPlaneError;
import dev.jneon.proxy.cplane.EndpointId;
import dev.jneon.proxy.cplane.NeonOptions;
import dev.jneon.proxy.cplane.NodeInfoCache.CachedNode;
import dev.jneon.proxy.cplane.RetryPolicy;
import dev.jneon.proxy.metrics.ProxyMetrics;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake, connect and log in to an endpoint's compute with the retries of B.9: the address comes
 * from the node cache or a wake call; a wake-worthy failure (I/O, or a Postgres error other than
 * the "right compute, wrong request" ones) on a cached address invalidates exactly that cache entry
 * and wakes once more (a compute that was suspended, killed or moved); a retriable I/O failure
 * (refused, unreachable, timed out) is retried on the same address up to
 * {@link RetryPolicy#CONNECT} times, sleeping 200, 400, 800, 1600, 3200 ms. Counts
 * {@code proxy_connection_failures_total{kind=compute_cached|compute_uncached}}. Thread-safe.
 */
public final class ComputeConnector {

    private static final Logger log = LoggerFactory.getLogger(ComputeConnector.class);

    private final CachingControlPlane controlPlane;
    private final Duration connectTimeout;
    private final RetryPolicy retry;
    private final RetryPolicy.Sleeper sleeper;
    private final ProxyMetrics metrics;

    public ComputeConnector(CachingControlPlane controlPlane, Duration connectTimeout, RetryPolicy retry,
            RetryPolicy.Sleeper sleeper, ProxyMetrics metrics) {
        this.controlPlane = controlPlane;
        this.connectTimeout = connectTimeout;
        this.retry = retry;
        this.sleeper = sleeper;
        this.metrics = metrics;
    }

    public ComputeConnection connect(EndpointId endpoint, NeonOptions options, CallContext context,
            Map<String, String> parameters, ComputeConnection.Credentials credentials)
            throws ControlPlaneError, ComputeFailure, InterruptedException {
        CachedNode node = controlPlane.wakeCompute(endpoint, options, context);
        boolean rewoken = false;
        int retries = 0;
        while (true) {
            var address = new InetSocketAddress(node.node().host(), node.node().port());
            long start = System.nanoTime();
            try {
                ComputeConnection connection = ComputeConnection.open(address, connectTimeout, parameters,
                        credentials);
                Duration latency = Duration.ofNanos(System.nanoTime() - start);
                metrics.dbOpened(latency);
                log.info("connected to compute node at {} ({}) sslmode=disable, latency={} ms, cold start {}",
                        node.node().address(), endpoint, latency.toMillis(), node.node().aux().coldStart());
                return connection;
            } catch (ComputeFailure failure) {
                metrics.connectionFailure(node.fromCache());
                if (failure.wakeWorthy() && node.fromCache() && !rewoken) {
                    log.info("cached compute {} for {} failed ({}); invalidating and waking again",
                            node.node().address(), endpoint, failure.getMessage());
                    controlPlane.invalidate(node);
                    node = controlPlane.wakeCompute(endpoint, options, context);
                    rewoken = true;
                    continue;
                }
                if (failure.retriable() && retries < retry.maxRetries()) {
                    retries++;
                    Duration delay = retry.delay(retries);
                    log.info("connect to compute {} failed (retry {} in {} ms): {}", node.node().address(), retries,
                            delay.toMillis(), failure.getMessage());
                    sleeper.sleep(delay);
                    continue;
                }
                throw failure;
            }
        }
    }
}

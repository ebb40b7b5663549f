package dev.jneon.proxy.cplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.proxy.cplane.CplaneV1Server.Answer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Wake through the caches, the limiter and the retry loop, against the HTTP client and a B.7 server. */
class CachingControlPlaneTest {

    static final EndpointId EP = new EndpointId("ep-a");
    static final String WOKEN = "{\"address\": \"127.0.0.1:6001\", \"aux\": {\"cold_start_info\": \"pool_miss\"}}";

    CplaneV1Server server;
    ManualTicker ticker = new ManualTicker();
    List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new CplaneV1Server();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    CachingControlPlane over(ControlPlane backend, String limit) {
        var registry = new SimpleMeterRegistry();
        return new CachingControlPlane(backend, new NodeInfoCache(100, Duration.ofMinutes(4), ticker, registry),
                new ProjectInfoCache(100, Duration.ofMinutes(4), 10, ticker, registry),
                new WakeRateLimiter(WakeRateLimiter.parseList(limit), ticker), RetryPolicy.WAKE, sleeps::add);
    }

    CachingControlPlane overHttp() {
        return over(new HttpControlPlane(server.baseUrl(), Optional.empty()), "300@1s");
    }

    @Test
    void retriableErrorsAreRetriedWithBackoffThenCached() throws Exception {
        String busy = HttpControlPlaneTest.error(503, "RUNNING_OPERATIONS", "");
        server.script("wake_compute", new Answer(503, busy), new Answer(503, busy), new Answer(503, busy),
                new Answer(200, WOKEN));
        var cp = overHttp();
        var node = cp.wakeCompute(EP, NeonOptions.none(), CallContext.newSession());
        assertThat(node.node().port()).isEqualTo(6001);
        assertThat(node.fromCache()).isFalse();
        assertThat(sleeps).containsExactly(Duration.ofNanos(62_500_000), Duration.ofMillis(100), Duration.ofMillis(160));
        assertThat(cp.wakeCompute(EP, NeonOptions.none(), CallContext.newSession()).fromCache()).isTrue();
        assertThat(server.requests).hasSize(4);
    }

    @Test
    void retriesStopAfterEightAndNonRetriableAreNotRetried() throws Exception {
        server.script("wake_compute", new Answer(503, HttpControlPlaneTest.error(503, "LOCK_ALREADY_TAKEN", "")));
        var cp = overHttp();
        assertThatThrownBy(() -> cp.wakeCompute(EP, NeonOptions.none(), CallContext.newSession()))
                .isInstanceOf(ControlPlaneError.class);
        assertThat(server.requests).hasSize(9);
        assertThat(sleeps).hasSize(8);
        assertThat(sleeps.getLast()).isEqualTo(Duration.ofNanos((long) (100e6 * Math.pow(1.6, 6))));

        server.requests.clear();
        server.script("wake_compute", new Answer(406, HttpControlPlaneTest.error(406, "ENDPOINT_DISABLED", "")));
        var other = new EndpointId("ep-b");
        assertThatThrownBy(() -> cp.wakeCompute(other, NeonOptions.none(), CallContext.newSession()))
                .isInstanceOf(ControlPlaneError.class);
        assertThatThrownBy(() -> cp.wakeCompute(other, NeonOptions.none(), CallContext.newSession()))
                .as("cached for 30 s").isInstanceOf(ControlPlaneError.class);
        assertThat(server.requests).hasSize(1);
        ticker.advance(Duration.ofSeconds(31));
        server.script("wake_compute", new Answer(200, WOKEN));
        assertThat(cp.wakeCompute(other, NeonOptions.none(), CallContext.newSession()).node().port()).isEqualTo(6001);
    }

    @Test
    void invalidatedNodeIsWokenAgain() throws Exception {
        server.script("wake_compute", new Answer(200, WOKEN),
                new Answer(200, "{\"address\": \"127.0.0.1:6002\", \"aux\": {}}"));
        var cp = overHttp();
        cp.wakeCompute(EP, NeonOptions.none(), CallContext.newSession());
        var cached = cp.wakeCompute(EP, NeonOptions.none(), CallContext.newSession());
        assertThat(cp.invalidate(cached)).isTrue();
        assertThat(cp.wakeCompute(EP, NeonOptions.none(), CallContext.newSession()).node().port()).isEqualTo(6002);
        assertThat(cp.wakeCompute(EP, NeonOptions.parse("neon_lsn:0/5"), CallContext.newSession()).node().port())
                .as("other options, other key").isEqualTo(6002);
        assertThat(server.requests).hasSize(3);
    }

    @Test
    void wakeRateLimitIsNotRetried() throws Exception {
        server.script("wake_compute", new Answer(200, WOKEN));
        var cp = over(new HttpControlPlane(server.baseUrl(), Optional.empty()), "1@1s");
        cp.wakeCompute(EP, NeonOptions.none(), CallContext.newSession());
        cp.nodeCache().invalidateEndpoint(EP);
        assertThatThrownBy(() -> cp.wakeCompute(new EndpointId("ep-a-pooler"), NeonOptions.none(),
                CallContext.newSession())).isInstanceOfSatisfying(ControlPlaneError.class, e -> {
                    assertThat(e.kind()).isEqualTo(ControlPlaneError.Kind.RATE_LIMITED);
                    assertThat(e.userMessage()).isEqualTo("Too many connections attempts");
                });
        assertThat(sleeps).isEmpty();
        assertThat(server.requests).hasSize(1);
    }

    @Test
    void concurrentWakesOfOneKeyMakeOneCall() throws Exception {
        var calls = new AtomicInteger();
        var release = new CountDownLatch(1);
        ControlPlane slow = new ControlPlane() {
            @Override
            public NodeInfo wakeCompute(EndpointId endpoint, NeonOptions options, CallContext context) {
                calls.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return NodeInfo.at("127.0.0.1:6003", Optional.empty(), CacheRulesTest.AUX);
            }

            @Override
            public EndpointAccess accessControl(EndpointId endpoint, String role, CallContext context) {
                throw new UnsupportedOperationException();
            }
        };
        var cp = over(slow, "300@1s");
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<NodeInfoCache.CachedNode>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(pool.submit(() -> cp.wakeCompute(EP, NeonOptions.none(), CallContext.newSession())));
            }
            while (calls.get() == 0) {
                Thread.onSpinWait();
            }
            release.countDown();
            for (var r : results) {
                assertThat(r.get().node().port()).isEqualTo(6003);
            }
        }
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void accessControlIsCachedPerRole() throws Exception {
        server.script("get_endpoint_access_control", new Answer(200, "{\"role_secret\": \"\", \"allowed_ips\": []}"));
        var cp = overHttp();
        cp.accessControl(EP, "alice", CallContext.newSession());
        cp.accessControl(new EndpointId("ep-a-pooler"), "alice", CallContext.newSession());
        cp.accessControl(EP, "bob", CallContext.newSession());
        assertThat(server.requests).hasSize(2);
        server.script("get_endpoint_access_control", new Answer(404, HttpControlPlaneTest.error(404, "ENDPOINT_NOT_FOUND", "")));
        var gone = new EndpointId("ep-gone");
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cp.accessControl(gone, "alice", CallContext.newSession()))
                    .isInstanceOfSatisfying(ControlPlaneError.class, e -> assertThat(e.isNotFound()).isTrue());
        }
        assertThat(server.requests).hasSize(3);
    }
}

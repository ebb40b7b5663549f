package dev.jneon.proxy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeakyBucketLimiterTest {

    @Test
    void admitsTheBurstThenDrainsAtTheRate() {
        var now = new AtomicLong();
        var limiter = new LeakyBucketLimiter<String>(2, 3, now::get);
        assertThat(limiter.tryAcquire("ep")).isTrue();
        assertThat(limiter.tryAcquire("ep")).isTrue();
        assertThat(limiter.tryAcquire("ep")).isTrue();
        assertThat(limiter.tryAcquire("ep")).isFalse();
        assertThat(limiter.tryAcquire("other")).isTrue();
        now.addAndGet(500_000_000L); // half a second drains one event
        assertThat(limiter.tryAcquire("ep")).isTrue();
        assertThat(limiter.tryAcquire("ep")).isFalse();
    }

    @Test
    void subnetsGroupNeighbours() throws Exception {
        assertThat(LeakyBucketLimiter.subnet(InetAddress.getByName("10.1.2.3")))
                .isEqualTo(LeakyBucketLimiter.subnet(InetAddress.getByName("10.1.2.250")))
                .isNotEqualTo(LeakyBucketLimiter.subnet(InetAddress.getByName("10.1.3.3")));
        assertThat(LeakyBucketLimiter.subnet(InetAddress.getByName("2001:db8::1")))
                .isEqualTo(LeakyBucketLimiter.subnet(InetAddress.getByName("2001:db8::ffff")));
    }
}

package dev.jneon.proxy.cplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WakeRateLimiterTest {

    @Test
    void everyWindowMustAdmit() {
        var ticker = new ManualTicker();
        var limiter = new WakeRateLimiter(WakeRateLimiter.parseList("3@1s, 1@10s"), ticker);
        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            admitted += limiter.tryAcquire("ep-a") ? 1 : 0;
        }
        assertThat(admitted).as("3@1s allows 3 at once, 1@10s allows 10 in a window").isEqualTo(3);
        assertThat(limiter.tryAcquire("ep-b")).as("per endpoint").isTrue();
        ticker.advance(Duration.ofSeconds(1));
        admitted = 0;
        for (int i = 0; i < 20; i++) {
            admitted += limiter.tryAcquire("ep-a") ? 1 : 0;
        }
        assertThat(admitted).as("1@10s: 10 - 3 + 1 drained leaves room for 7, 3@1s for 3").isEqualTo(3);
        for (int second = 0; second < 4; second++) {
            ticker.advance(Duration.ofSeconds(1));
            assertThat(limiter.tryAcquire("ep-a") && limiter.tryAcquire("ep-a")).isTrue();
        }
        ticker.advance(Duration.ofSeconds(1));
        assertThat(limiter.tryAcquire("ep-a") && limiter.tryAcquire("ep-a")).isTrue();
        assertThat(limiter.tryAcquire("ep-a")).as("3@1s has room, but 1@10s is full").isFalse();
        ticker.advance(Duration.ofSeconds(10));
        assertThat(limiter.tryAcquire("ep-a")).isTrue();
    }

    @Test
    void parsesNeonSyntax() {
        assertThat(WakeRateLimiter.DEFAULT).containsExactly(new WakeRateLimiter.Window(300, Duration.ofSeconds(1)),
                new WakeRateLimiter.Window(200, Duration.ofMinutes(1)), new WakeRateLimiter.Window(100, Duration.ofMinutes(10)));
        assertThat(WakeRateLimiter.Window.parse("5@250ms").window()).isEqualTo(Duration.ofMillis(250));
    }
}

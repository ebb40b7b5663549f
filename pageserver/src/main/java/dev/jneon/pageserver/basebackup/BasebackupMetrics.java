package dev.jneon.pageserver.basebackup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Basebackup meters at {@code /metrics}: backups served (by outcome), bytes sent (after
 * compression) and the time each took. Thread-safe (Micrometer meters are).
 */
@Component
public final class BasebackupMetrics {

    private final Counter served;
    private final Counter failed;
    private final Counter bytes;
    private final Timer duration;

    public BasebackupMetrics(MeterRegistry registry) {
        this.served = Counter.builder("pageserver_basebackups").tag("outcome", "ok")
                .description("basebackups streamed to the end").register(registry);
        this.failed = Counter.builder("pageserver_basebackups").tag("outcome", "error")
                .description("basebackups that failed or were cancelled").register(registry);
        this.bytes = Counter.builder("pageserver_basebackup_bytes").baseUnit("bytes")
                .description("bytes of basebackup streams sent, after compression").register(registry);
        this.duration = Timer.builder("pageserver_basebackup_duration")
                .description("time from request to the last byte of a basebackup, LSN wait included").register(registry);
    }

    /** Meters that are kept but not exported, for basebackups run outside the Spring application. */
    public static BasebackupMetrics unregistered() {
        return new BasebackupMetrics(new SimpleMeterRegistry());
    }

    void record(boolean ok, long sentBytes, Duration took) {
        (ok ? served : failed).increment();
        bytes.increment(sentBytes);
        duration.record(took);
    }

    public double served() {
        return served.count();
    }

    public double bytes() {
        return bytes.count();
    }
}

package dev.jneon.proxy.cplane;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Measures every call to a {@link ControlPlane} (B.15 {@code proxy_console_request_latency_seconds{request,
 * outcome}}, request = {@code wake_compute} | {@code get_endpoint_access_control}, outcome = {@code ok} or the
 * error kind). Only real calls are timed: it sits under the caches. Thread-safe if the wrapped one is.
 */
public final class TimedControlPlane implements ControlPlane {

    @FunctionalInterface
    private interface Call<T> {
        T run() throws ControlPlaneError;
    }

    private final ControlPlane inner;
    private final MeterRegistry registry;

    public TimedControlPlane(ControlPlane inner, MeterRegistry registry) {
        this.inner = inner;
        this.registry = registry;
    }

    @Override
    public NodeInfo wakeCompute(EndpointId endpoint, NeonOptions options, CallContext context)
            throws ControlPlaneError {
        return timed("wake_compute", () -> inner.wakeCompute(endpoint, options, context));
    }

    @Override
    public EndpointAccess accessControl(EndpointId endpoint, String role, CallContext context)
            throws ControlPlaneError {
        return timed("get_endpoint_access_control", () -> inner.accessControl(endpoint, role, context));
    }

    private <T> T timed(String request, Call<T> call) throws ControlPlaneError {
        long start = System.nanoTime();
        String outcome = "ok";
        try {
            return call.run();
        } catch (ControlPlaneError e) {
            outcome = e.kind().name().toLowerCase(Locale.ROOT);
            throw e;
        } finally {
            Timer.builder("proxy.console.request.latency").description("control-plane calls by request and outcome")
                    .tag("request", request).tag("outcome", outcome).register(registry)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }
}

package dev.jneon.endpointstorage.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The service's Micrometer meters, exported at {@code /metrics}: {@code endpoint_storage_requests_total}
 * tagged with the matched route pattern (bounded cardinality; {@code unmatched} for none), the method
 * and the response status, counted after each request completes (also when it failed); and
 * {@code endpoint_storage_received_bytes_total} / {@code endpoint_storage_sent_bytes_total}, the object
 * bytes of PUT bodies stored and GET bodies streamed. Thread-safe (Micrometer meters are).
 */
@Component
class RequestMetrics implements HandlerInterceptor, WebMvcConfigurer {

    private final MeterRegistry registry;
    private final Counter received;
    private final Counter sent;

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
        received = Counter.builder("endpoint.storage.received").baseUnit("bytes")
                .description("object bytes received in PUT bodies").register(registry);
        sent = Counter.builder("endpoint.storage.sent").baseUnit("bytes")
                .description("object bytes sent in GET bodies").register(registry);
    }

    void received(long bytes) {
        received.increment(bytes);
    }

    void sent(long bytes) {
        sent.increment(bytes);
    }

    @Override
    public void addInterceptors(InterceptorRegistry interceptors) {
        interceptors.addInterceptor(this);
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
                                Exception failure) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        Counter.builder("endpoint.storage.requests").description("HTTP requests by route pattern, method and status")
                .tag("route", pattern != null ? pattern.toString() : "unmatched").tag("method", request.getMethod())
                .tag("status", Integer.toString(response.getStatus())).register(registry).increment();
    }
}

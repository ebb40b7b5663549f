package dev.jneon.proxy.cplane;

import dev.jneon.common.scram.ScramSecret;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Access-control answers (B.8 project info): per normalized endpoint, its access rules plus the secrets of up to
 * {@code maxRoles} roles (the oldest role is dropped first). An endpoint's entry lives {@code ttl} from its first
 * store; roles learnt later expire with it. Failed calls are remembered per (endpoint, role) for
 * {@link ControlPlaneError#cacheTtl}. Thread-safe: entries are immutable and replaced atomically.
 */
public final class ProjectInfoCache {

    private record Project(EndpointAccess access, Map<String, Optional<ScramSecret>> roles) {
    }

    private record ErrorKey(String endpoint, String role) {
    }

    private record CachedError(ControlPlaneError error, long ttlNanos) {
    }

    private final Cache<String, Project> projects;
    private final Cache<ErrorKey, CachedError> errors;
    private final int maxRoles;
    private final CacheMetrics metrics;

    public ProjectInfoCache(long size, Duration ttl, int maxRoles, Ticker ticker, MeterRegistry registry) {
        long ttlNanos = ttl.toNanos();
        this.projects = Caffeine.newBuilder().maximumSize(size).ticker(ticker).executor(Runnable::run)
                .expireAfter(new Expiry<String, Project>() {
                    @Override
                    public long expireAfterCreate(String key, Project p, long now) {
                        return ttlNanos;
                    }

                    @Override
                    public long expireAfterUpdate(String key, Project p, long now, long current) {
                        return current;
                    }

                    @Override
                    public long expireAfterRead(String key, Project p, long now, long current) {
                        return current;
                    }
                }).build();
        this.errors = Caffeine.newBuilder().maximumSize(size).ticker(ticker).executor(Runnable::run)
                .expireAfter(new Expiry<ErrorKey, CachedError>() {
                    @Override
                    public long expireAfterCreate(ErrorKey key, CachedError e, long now) {
                        return e.ttlNanos();
                    }

                    @Override
                    public long expireAfterUpdate(ErrorKey key, CachedError e, long now, long current) {
                        return e.ttlNanos();
                    }

                    @Override
                    public long expireAfterRead(ErrorKey key, CachedError e, long now, long current) {
                        return current;
                    }
                }).build();
        this.maxRoles = maxRoles;
        this.metrics = new CacheMetrics(registry, "project_info");
    }

    /** The cached access for (endpoint, role), a rethrown cached error, or empty on a miss. */
    public Optional<EndpointAccess> lookup(EndpointId endpoint, String role) throws ControlPlaneError {
        CachedError error = errors.getIfPresent(new ErrorKey(endpoint.normalized(), role));
        if (error != null) {
            metrics.hit();
            throw error.error();
        }
        Project p = projects.getIfPresent(endpoint.normalized());
        if (p == null || !p.roles().containsKey(role)) {
            metrics.miss();
            return Optional.empty();
        }
        metrics.hit();
        return Optional.of(p.access().withSecret(p.roles().get(role)));
    }

    /** Stores a fresh answer for (endpoint, role); the endpoint-level rules are replaced by the fresh ones. */
    public void store(EndpointId endpoint, String role, EndpointAccess access) {
        projects.asMap().compute(endpoint.normalized(), (k, old) -> {
            Map<String, Optional<ScramSecret>> roles = new LinkedHashMap<>(old == null ? Map.of() : old.roles());
            roles.remove(role);
            roles.put(role, access.roleSecret());
            while (roles.size() > maxRoles) {
                roles.remove(roles.keySet().iterator().next());
            }
            return new Project(access.withSecret(Optional.empty()), Collections.unmodifiableMap(roles));
        });
    }

    /** Remembers a failed call if the error may be cached. */
    public void storeError(EndpointId endpoint, String role, ControlPlaneError error) {
        error.cacheTtl().ifPresent(ttl -> errors.put(new ErrorKey(endpoint.normalized(), role),
                new CachedError(error, ttl.toNanos())));
    }

    /** Forgets everything about {@code endpoint}. */
    public void invalidateEndpoint(EndpointId endpoint) {
        projects.invalidate(endpoint.normalized());
        errors.asMap().keySet().removeIf(k -> k.endpoint().equals(endpoint.normalized()));
    }

    /** Forgets one role's secret (e.g. after its password changed). */
    public void invalidateRole(EndpointId endpoint, String role) {
        projects.asMap().computeIfPresent(endpoint.normalized(), (k, p) -> {
            Map<String, Optional<ScramSecret>> roles = new LinkedHashMap<>(p.roles());
            roles.remove(role);
            return new Project(p.access(), Collections.unmodifiableMap(roles));
        });
        errors.invalidate(new ErrorKey(endpoint.normalized(), role));
    }
}

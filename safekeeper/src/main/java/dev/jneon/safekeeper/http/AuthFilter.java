package dev.jneon.safekeeper.http;

import dev.jneon.common.id.TenantId;
import dev.jneon.safekeeper.auth.Claims;
import dev.jneon.safekeeper.auth.JwtVerifier;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * JWT check of the management API (spec I), active when a public key is configured: open routes
 * {@code /v1/status} and {@code /metrics}; otherwise {@code Authorization: Bearer <jwt>} is needed
 * (missing or not a bearer header → 401); a bad token or a scope that does not cover the route →
 * 403. Scope {@code safekeeperdata} may use every route, scope {@code tenant} only routes under
 * {@code /v1/tenant/<its tenant_id>/}. Thread-safe (immutable).
 */
public final class AuthFilter extends OncePerRequestFilter {

    private static final Set<String> OPEN = Set.of("/v1/status", "/metrics");
    private static final Pattern TENANT_ROUTE = Pattern.compile("^/v1/tenant/([0-9a-fA-F]{32})(/.*)?$");

    private final JwtVerifier verifier;

    public AuthFilter(JwtVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        if (OPEN.contains(path)) {
            chain.doFilter(request, response);
            return;
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            deny(response, 401, "missing or malformed Authorization header: expected Bearer <jwt>");
            return;
        }
        Claims claims;
        try {
            claims = verifier.verify(header.substring("Bearer ".length()).trim());
        } catch (JwtVerifier.InvalidTokenException e) {
            deny(response, 403, e.getMessage());
            return;
        }
        Matcher m = TENANT_ROUTE.matcher(path);
        boolean allowed = m.matches() ? claims.allows(TenantId.parse(m.group(1))) : claims.allowsAllTenants();
        if (!allowed) {
            deny(response, 403, "scope '" + claims.scope() + "' does not allow " + request.getMethod() + " " + path);
            return;
        }
        chain.doFilter(request, response);
    }

    private static void deny(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getWriter().write("{\"msg\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }
}

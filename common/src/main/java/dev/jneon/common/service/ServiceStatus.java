package dev.jneon.common.service;

/**
 * Body of {@code GET /v1/status}. Neon answers {@code {"id": node_id}}; we add the service name and
 * the build version so an operator can tell processes apart.
 */
public record ServiceStatus(long id, String service, String version) {}

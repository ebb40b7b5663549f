package dev.jneon.proxy.sql;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * SQL-over-HTTP settings, read from the proxy's own keys ({@code jneon.proxy.*}). Immutable.
 *
 * @param sqlPort       port of the {@code POST /sql} listener; -1 (default) = off, 0 = any free port
 * @param listenAddress its address; default 127.0.0.1 (shared with the other proxy listeners)
 */
@ConfigurationProperties("jneon.proxy")
public record SqlProperties(Integer sqlPort, String listenAddress) {

    public SqlProperties {
        sqlPort = sqlPort != null ? sqlPort : -1;
        if (sqlPort < -1 || sqlPort > 65535) {
            throw new IllegalArgumentException("jneon.proxy.sql-port must be -1..65535, got " + sqlPort);
        }
        listenAddress = listenAddress != null ? listenAddress : "127.0.0.1";
    }
}

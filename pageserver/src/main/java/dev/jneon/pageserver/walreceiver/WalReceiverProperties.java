package dev.jneon.pageserver.walreceiver;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * WAL receiver settings, keys {@code jneon.pageserver.*} (Neon's node key broker_endpoint and its
 * tenant knobs walreceiver_connect_timeout, lagging_wal_timeout, max_lsn_wal_lag as node-wide
 * values). Immutable; validated at start-up.
 *
 * @param brokerEndpoint {@code http://host:port} of the storage broker; unset = no WAL receivers
 * @param walreceiver the switching thresholds
 */
@ConfigurationProperties("jneon.pageserver")
public record WalReceiverProperties(String brokerEndpoint, Thresholds walreceiver) {

    public WalReceiverProperties {
        if (walreceiver == null) {
            walreceiver = new Thresholds(null, null, null);
        }
        if (brokerEndpoint != null && brokerEndpoint.isBlank()) {
            brokerEndpoint = null;
        }
    }

    /**
     * @param connectTimeout {@code jneon.pageserver.walreceiver.connect-timeout}, default 10s
     * @param laggingWalTimeout {@code jneon.pageserver.walreceiver.lagging-wal-timeout}, default 10s
     * @param maxLsnWalLag {@code jneon.pageserver.walreceiver.max-lsn-wal-lag}, default 1GB (1 GiB)
     */
    public record Thresholds(Duration connectTimeout, Duration laggingWalTimeout, DataSize maxLsnWalLag) {}

    /** The validated thresholds. */
    public WalReceiverConf conf() {
        WalReceiverConf d = WalReceiverConf.DEFAULTS;
        return new WalReceiverConf(
                walreceiver.connectTimeout() == null ? d.connectTimeout() : walreceiver.connectTimeout(),
                walreceiver.laggingWalTimeout() == null ? d.laggingWalTimeout() : walreceiver.laggingWalTimeout(),
                walreceiver.maxLsnWalLag() == null ? d.maxLsnWalLag() : walreceiver.maxLsnWalLag().toBytes());
    }
}

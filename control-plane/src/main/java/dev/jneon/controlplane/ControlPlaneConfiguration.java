package dev.jneon.controlplane;

import dev.jneon.controlplane.client.JsonClient;
import dev.jneon.controlplane.client.StorageClient;
import dev.jneon.controlplane.compute.ComputeCtlClient;
import dev.jneon.controlplane.compute.ComputeLauncher;
import dev.jneon.controlplane.compute.ComputeSpecs;
import dev.jneon.controlplane.compute.EndpointStorageTokens;
import dev.jneon.controlplane.compute.LocalComputeLauncher;
import dev.jneon.controlplane.lifecycle.EndpointLifecycle;
import dev.jneon.controlplane.lifecycle.SuspendLoop;
import dev.jneon.controlplane.provision.Provisioning;
import dev.jneon.controlplane.registry.Registry;
import dev.jneon.controlplane.registry.RegistrySchema;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires the control plane: the registry (schema brought to the current version before the HTTP
 * listener opens), the clients of storage and compute-ctl, the local compute launcher, the endpoint
 * lifecycle (reconciled with the computes that survived a restart) and the suspend loop.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ControlPlaneProperties.class)
class ControlPlaneConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ControlPlaneConfiguration.class);

    @Bean
    Registry registry(DataSource dataSource) {
        int version = new RegistrySchema(dataSource).ensureCurrent();
        log.info("control plane registry at schema version {}", version);
        return new Registry(JdbcClient.create(dataSource));
    }

    @Bean
    JsonClient jsonClient() {
        return new JsonClient();
    }

    @Bean
    StorageClient storageClient(ControlPlaneProperties properties, JsonClient http) {
        return new StorageClient(properties.storage(), http);
    }

    @Bean
    ComputeCtlClient computeCtlClient(JsonClient http) {
        return new ComputeCtlClient(http);
    }

    @Bean
    ComputeLauncher computeLauncher(ControlPlaneProperties properties, ComputeCtlClient ctl) {
        return new LocalComputeLauncher(properties.compute(), ctl);
    }

    @Bean
    ComputeSpecs computeSpecs(ControlPlaneProperties properties) {
        return new ComputeSpecs(properties.storage(),
                new EndpointStorageTokens(properties.endpointStorage(), Clock.systemUTC()));
    }

    @Bean
    EndpointLifecycle endpointLifecycle(Registry registry, ComputeLauncher launcher, ComputeCtlClient ctl,
            ComputeSpecs specs, MeterRegistry meters) {
        var lifecycle = new EndpointLifecycle(registry, launcher, ctl, specs, meters, Clock.systemUTC());
        lifecycle.reconcile();
        return lifecycle;
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    SuspendLoop suspendLoop(EndpointLifecycle lifecycle, ControlPlaneProperties properties) {
        return new SuspendLoop(lifecycle, properties.suspend().checkInterval());
    }

    @Bean
    Provisioning provisioning(Registry registry, StorageClient storage, EndpointLifecycle lifecycle,
            ControlPlaneProperties properties) {
        return new Provisioning(registry, storage, lifecycle, properties);
    }
}

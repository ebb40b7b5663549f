package dev.jneon.endpointstorage.config;

import dev.jneon.common.remote.RemoteStorage;
import dev.jneon.common.remote.RemoteStorageConfig;
import dev.jneon.common.remote.RetryPolicy;
import dev.jneon.common.remote.RetryingRemoteStorage;
import dev.jneon.endpointstorage.auth.Authorizer;
import dev.jneon.endpointstorage.auth.TokenVerifier;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the backend (retried up to {@link RetryPolicy#DEFAULT}'s 10 attempts with backoff, each retry
 * logged) and the token check from the properties; start-up fails on a missing or unreadable key
 * unless authentication is disabled explicitly.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({EndpointStorageProperties.class, BackendProperties.class})
public class EndpointStorageConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EndpointStorageConfiguration.class);

    @Bean
    RemoteStorage remoteStorage(BackendProperties backend) {
        RemoteStorageConfig config = backend.toConfig();
        log.info("endpoint storage backend: {}", config);
        return new RetryingRemoteStorage(RemoteStorage.open(config), RetryPolicy.DEFAULT,
                failure -> log.warn("retrying endpoint storage backend call: {}", failure.getMessage()));
    }

    @Bean
    Authorizer authorizer(EndpointStorageProperties properties) throws IOException {
        if (properties.auth() == EndpointStorageProperties.AuthMode.DISABLED) {
            log.warn("jneon.endpoint-storage.auth=disabled: requests are NOT authenticated");
            return Authorizer.disabled();
        }
        log.info("verifying EdDSA tokens with the public key in {}", properties.pemfile());
        return Authorizer.verifying(TokenVerifier.fromPem(properties.pemfile()), Clock.systemUTC());
    }

    @Bean
    StartupProbe startupProbe(RemoteStorage storage) {
        return new StartupProbe(storage);
    }
}

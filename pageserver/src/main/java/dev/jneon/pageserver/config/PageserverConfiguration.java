package dev.jneon.pageserver.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds {@link PageserverProperties}, {@link RemoteStorageProperties} and {@link EvictionProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({PageserverProperties.class, RemoteStorageProperties.class, EvictionProperties.class})
public class PageserverConfiguration {
}

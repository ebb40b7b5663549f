package dev.jneon.pageserver.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds {@link PageserverProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PageserverProperties.class)
public class PageserverConfiguration {
}

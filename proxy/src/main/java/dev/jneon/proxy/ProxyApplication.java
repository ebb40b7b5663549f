package dev.jneon.proxy;

import dev.jneon.proxy.config.SignalHandlers;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Entry point of the proxy service: Postgres wire and SQL-over-HTTP front door: auth, routing,
 * wake-up. SIGTERM shuts down gracefully and exits 0.
 */
@SpringBootApplication
public class ProxyApplication {

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(ProxyApplication.class, args);
        SignalHandlers.onTerminate(() -> SpringApplication.exit(context));
    }
}

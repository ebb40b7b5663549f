package dev.jneon.broker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the storage-broker service: Publish/subscribe of per-timeline safekeeper state. */
@SpringBootApplication
public class StorageBrokerApplication {

    public static void main(String[] args) {
        SpringApplication.run(StorageBrokerApplication.class, args);
    }
}

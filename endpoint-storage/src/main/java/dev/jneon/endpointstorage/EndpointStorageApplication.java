package dev.jneon.endpointstorage;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the endpoint-storage service: Small JWT-protected object store for compute state such as prewarm lists. */
@SpringBootApplication
public class EndpointStorageApplication {

    public static void main(String[] args) {
        SpringApplication.run(EndpointStorageApplication.class, args);
    }
}

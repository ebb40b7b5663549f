package dev.jneon.pageserver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the pageserver service: Ingests WAL into layered storage and serves pages at any LSN. */
@SpringBootApplication
public class PageserverApplication {

    public static void main(String[] args) {
        SpringApplication.run(PageserverApplication.class, args);
    }
}

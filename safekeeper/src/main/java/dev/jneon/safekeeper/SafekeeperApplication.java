package dev.jneon.safekeeper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the safekeeper service: Paxos acceptor that stores WAL durably and serves it to pageservers. */
@SpringBootApplication
public class SafekeeperApplication {

    public static void main(String[] args) {
        SpringApplication.run(SafekeeperApplication.class, args);
    }
}

package dev.jneon.compute;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the compute-ctl service: Runs one compute: syncs safekeepers, fetches a basebackup, runs Postgres and the walproposer. */
@SpringBootApplication
public class ComputeCtlApplication {

    public static void main(String[] args) {
        SpringApplication.run(ComputeCtlApplication.class, args);
    }
}

package dev.jneon.compute;

import dev.jneon.compute.node.ComputeNode;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Entry point of compute-ctl: runs one compute (syncs safekeepers, fetches a basebackup, runs
 * Postgres and the walproposer) and exits when it has ended, with the code {@link ComputeNode#ended()}
 * gives: 0 after {@code /terminate}, Postgres' exit code if the postmaster exited on its own, 1
 * after a failed start or a walproposer failure. A bad flag or config file exits 1 at once.
 */
@SpringBootApplication
public class ComputeCtlApplication {

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(ComputeCtlApplication.class, args);
        int code = context.getBean(ComputeNode.class).ended().join();
        System.exit(SpringApplication.exit(context, () -> code));
    }
}

package dev.jneon.cli;

import dev.jneon.cli.endpoint.EndpointCommand;
import dev.jneon.cli.http.JsonHttp;
import dev.jneon.cli.stack.Stack;
import dev.jneon.cli.tenant.TenantCommand;
import dev.jneon.cli.timeline.TimelineCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Entry point of {@code ./jneon tenant|timeline|endpoint ...}. The launcher passes {@code --dir}
 * (the stack directory) and, for endpoints, the compute-ctl jar in {@code JNEON_COMPUTE_CTL_JAR}.
 * Prints results on stdout, errors as one line on stderr; exit 0 ok, 1 failed, 2 usage.
 */
public final class Jneon {

    private static final Set<String> SWITCHES = Set.of("set-default", "destroy", "autoprewarm");

    private Jneon() {
    }

    public static void main(String[] argv) {
        try {
            run(List.of(argv));
        } catch (CliException e) {
            System.err.println("jneon: " + e.getMessage());
            System.exit(e.exitCode());
        } catch (IllegalArgumentException e) {
            System.err.println("jneon: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(List<String> argv) {
        if (argv.size() < 4 || !argv.get(0).equals("--dir")) {
            throw CliException.usage("usage: --dir STACK_DIR (tenant|timeline|endpoint) COMMAND [OPTIONS]");
        }
        Path dir = Path.of(argv.get(1)).toAbsolutePath();
        String group = argv.get(2);
        String verb = argv.get(3);
        Args args = new Args(argv.subList(4, argv.size()), SWITCHES);
        Stack stack = Stack.read(dir);
        JsonHttp http = new JsonHttp(Duration.ofMinutes(5));
        switch (group) {
            case "tenant" -> new TenantCommand(stack, http, System.out).run(verb, args);
            case "timeline" -> new TimelineCommand(stack, http, System.out).run(verb, args);
            case "endpoint" -> {
                String jar = System.getenv("JNEON_COMPUTE_CTL_JAR");
                new EndpointCommand(stack, http, System.out, jar == null ? null : Path.of(jar)).run(verb, args);
            }
            default -> throw CliException.usage("unknown command group '" + group + "'");
        }
    }
}

package dev.jneon.pageserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test class's {@code main} in a child JVM on this JVM's class path with a heap cap, for
 * tests about heap bounds. Output and exit code come back as a {@link Result}; a child that runs
 * past the timeout is killed (its exit code is then that of the kill). Stateless.
 */
public final class ChildJvm {

    /** What the child printed (stdout and stderr merged) and its exit code. */
    public record Result(String output, int exitCode) {}

    private ChildJvm() {}

    public static Result run(String maxHeap, Class<?> main, Duration timeout, String... args)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx" + maxHeap, "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output;
        try (var in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
        return new Result(output, p.exitValue());
    }
}

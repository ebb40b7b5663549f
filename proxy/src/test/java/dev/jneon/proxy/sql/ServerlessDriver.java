package dev.jneon.proxy.sql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Neon's {@code @neondatabase/serverless} driver installed from npm into a temp dir and run with node: the
 * script's stdout is the result. Not thread-safe; one per test.
 */
final class ServerlessDriver {

    static final String PACKAGE = "@neondatabase/serverless@1.2.0";

    private final Path dir;

    private ServerlessDriver(Path dir) {
        this.dir = dir;
    }

    static ServerlessDriver install(Path dir) throws IOException, InterruptedException {
        run(dir, List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", dir.toString(), PACKAGE), Map.of());
        return new ServerlessDriver(dir);
    }

    /** Runs a CommonJS script with {@code env}; returns its stdout, failing on a non-zero exit. */
    String node(String script, Map<String, String> env) throws IOException, InterruptedException {
        Path file = dir.resolve("script.cjs");
        Files.writeString(file, script);
        return run(dir, List.of("node", file.toString()), env);
    }

    private static String run(Path dir, List<String> command, Map<String, String> env)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        var pb = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(log.toFile())
                .redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("exit " + p.exitValue() + ": " + command + "\n" + out + "\n"
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return out.strip();
    }
}

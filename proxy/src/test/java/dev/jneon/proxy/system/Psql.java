package dev.jneon.proxy.system;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real psql / pgbench binaries of PostgreSQL 15 as clients and captures what they print. */
final class Psql {

    static final String BIN = "/usr/lib/postgresql/15/bin/";

    /** Exit code and combined output of one run. */
    record Result(int exitCode, String output) {
    }

    private Psql() {
    }

    /** {@code psql -X -At -c sql "conninfo"} with {@code PGPASSWORD} set. */
    static Result query(String conninfo, String password, String sql) throws Exception {
        return run(List.of(BIN + "psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql, conninfo),
                Map.of("PGPASSWORD", password));
    }

    static Result run(List<String> command, Map<String, String> env) throws Exception {
        var pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("PGCONNECT_TIMEOUT", "30");
        Process p = pb.start();
        p.getOutputStream().close();
        var out = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (var in = p.getInputStream()) {
                in.transferTo(out);
            } catch (java.io.IOException ignored) {
                // process ended
            }
        });
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        reader.join();
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8).strip());
    }
}

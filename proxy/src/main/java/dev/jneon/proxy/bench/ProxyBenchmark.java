package dev.jneon.proxy.bench;

import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import dev.jneon.proxy.ProxyApplication;
import dev.jneon.proxy.frontend.ClientListener;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ./jneon bench proxy [--seconds N] [--clients C]}: a PostgreSQL 15 requiring SCRAM, the
 * proxy in-process in front of it ({@code postgres} auth backend, plaintext on both sides), and
 * pgbench: {@code -S} TPS and {@code -S -C} (a new connection per transaction) directly, through
 * PgBouncer (session pooling, SCRAM; when the Debian package is installed) and through the proxy,
 * printed with the ratios proxy/direct and proxy/PgBouncer. A figure, not a test: nothing is
 * asserted.
 */
public final class ProxyBenchmark {

    private static final Pattern TPS = Pattern.compile(
            "tps = ([0-9.]+) \\((?:without initial connection time|including reconnection times)\\)");
    private static final String ROLE = "bench";
    private static final String PASSWORD = "bench-password";

    private ProxyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = 10;
        int clients = 4;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --seconds N, --clients C)");
            }
        }
        Path dir = Files.createTempDirectory("jneon-bench-proxy");
        var binaries = PgBinaries.of(PgMajorVersion.PG15);
        var cluster = new PgCluster(binaries, dir.resolve("pgdata"));
        ConfigurableApplicationContext proxy = null;
        PgBouncerProcess bouncer = null;
        try {
            cluster.initdb(List.of());
            Files.writeString(cluster.dataDir().resolve("pg_hba.conf"), "local all all trust\n"
                    + "host all cloud_admin 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n");
            cluster.configure(Map.of("max_connections", "200"));
            cluster.start(freePort());
            cluster.psql("postgres", "CREATE ROLE " + ROLE + " LOGIN SUPERUSER PASSWORD '" + PASSWORD + "'");
            proxy = new SpringApplicationBuilder(ProxyApplication.class).logStartupInfo(false).bannerMode(org.springframework.boot.Banner.Mode.OFF).run(
                    "--server.port=0", "--jneon.proxy.pg-port=0", "--jneon.proxy.ws-port=-1",
                    "--jneon.proxy.auth-backend=postgres", "--logging.level.dev.jneon=WARN",
                    "--jneon.proxy.auth-endpoint=postgresql://cloud_admin@127.0.0.1:" + cluster.port() + "/postgres");
            int proxyPort = proxy.getBean("pgListener", ClientListener.class).port();
            bouncer = PgBouncerProcess.startIfInstalled(binaries, dir.resolve("pgbouncer"), cluster.port(), freePort(),
                    ROLE, PASSWORD).orElse(null);
            Path pgbench = binaries.tool("pgbench");
            run(List.of(pgbench.toString(), "-i", "-s", "10", "-q"), env(cluster.port(), false));
            System.out.printf("pgbench -S, %d clients, %d s per run, SCRAM, no TLS%s%n", clients, seconds,
                    bouncer == null ? " (PgBouncer not installed: apt-get install pgbouncer)" : "");
            System.out.printf("%-24s %10s %10s %10s %12s %15s%n", "workload", "direct", "pgbouncer", "proxy",
                    "proxy/direct", "proxy/pgbouncer");
            for (boolean reconnect : new boolean[] {false, true}) {
                List<String> cmd = new ArrayList<>(List.of(pgbench.toString(), "-S", "-c", Integer.toString(clients),
                        "-j", Integer.toString(Math.min(clients, 4)), "-T", Integer.toString(seconds)));
                if (reconnect) {
                    cmd.add("-C");
                }
                double direct = tps(run(cmd, env(cluster.port(), false)));
                double viaBouncer = bouncer == null ? Double.NaN : tps(run(cmd, env(bouncer.port(), false)));
                double viaProxy = tps(run(cmd, env(proxyPort, true)));
                System.out.printf("%-24s %10.0f %10.0f %10.0f %12.2f %15.2f%n",
                        reconnect ? "-S -C (connections/s)" : "-S (TPS)", direct, viaBouncer, viaProxy,
                        viaProxy / direct, viaProxy / viaBouncer);
            }
        } finally {
            if (bouncer != null) {
                bouncer.close();
            }
            if (proxy != null) {
                proxy.close();
            }
            cluster.stop("immediate");
            PgCluster.run(List.of("rm", "-rf", dir.toString()), Duration.ofMinutes(1));
        }
    }

    /** libpq environment for pgbench; through the proxy the endpoint goes in {@code options}. */
    private static Map<String, String> env(int port, boolean viaProxy) {
        return Map.of("PGHOST", "127.0.0.1", "PGPORT", Integer.toString(port), "PGUSER", ROLE,
                "PGDATABASE", "postgres", "PGPASSWORD", PASSWORD, "PGOPTIONS", viaProxy ? "endpoint=ep-bench" : "",
                "PGSSLMODE", "disable");
    }

    private static double tps(String output) {
        Matcher m = TPS.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no TPS in pgbench output:\n" + output);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String run(List<String> command, Map<String, String> env) throws IOException,
            InterruptedException {
        var pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

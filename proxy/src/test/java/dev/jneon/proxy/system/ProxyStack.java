package dev.jneon.proxy.system;

import dev.jneon.proxy.ProxyApplication;
import dev.jneon.proxy.frontend.ClientListener;
import dev.jneon.proxy.tls.TestCertificates;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real PostgreSQL 15 requiring SCRAM ({@link ScramCompute}) behind an in-process proxy with the
 * {@code postgres} auth backend and an openssl certificate for {@code *.local.jneon.dev}; client
 * helpers for psql, pgbench and pgjdbc. Closed by the test class. Not thread-safe to build; the
 * client helpers may be called from many threads.
 */
final class ProxyStack implements AutoCloseable {

    static final String ENDPOINT = "ep-quiet-1";

    final ScramCompute compute;
    final ConfigurableApplicationContext proxy;
    final int port;

    ProxyStack(Path dir, String... extraArgs) throws Exception {
        compute = new ScramCompute(dir);
        try {
            TestCertificates.write(dir.resolve("certs"), "*.local.jneon.dev");
            List<String> args = new ArrayList<>(List.of("--server.port=0", "--jneon.proxy.pg-port=0",
                    "--jneon.proxy.ws-port=-1", "--jneon.proxy.auth-backend=postgres",
                    "--jneon.proxy.auth-endpoint=" + compute.authUrl(),
                    "--jneon.proxy.tls.cert=" + dir.resolve("certs/tls.crt"),
                    "--jneon.proxy.tls.key=" + dir.resolve("certs/tls.key")));
            args.addAll(List.of(extraArgs));
            proxy = new SpringApplicationBuilder(ProxyApplication.class).run(args.toArray(String[]::new));
        } catch (Exception | Error e) {
            compute.close();
            throw e;
        }
        port = proxy.getBean("pgListener", ClientListener.class).port();
    }

    /** A libpq connection string to the proxy over TLS as {@link ScramCompute#ROLE}, plus {@code extra}. */
    String conninfo(String extra) {
        return "host=127.0.0.1 port=" + port + " dbname=postgres user=" + ScramCompute.ROLE + " sslmode=require "
                + extra;
    }

    /** Environment for libpq tools (pgbench) to reach the endpoint through the proxy. */
    Map<String, String> libpqEnv() {
        return Map.of("PGHOST", "127.0.0.1", "PGPORT", Integer.toString(port), "PGUSER", ScramCompute.ROLE,
                "PGDATABASE", "postgres", "PGSSLMODE", "require", "PGOPTIONS", "endpoint=" + ENDPOINT,
                "PGPASSWORD", ScramCompute.PASSWORD);
    }

    Connection jdbc(String password) throws SQLException {
        var props = new Properties();
        props.setProperty("user", ScramCompute.ROLE);
        props.setProperty("password", password);
        props.setProperty("sslmode", "require");
        props.setProperty("sslfactory", "org.postgresql.ssl.NonValidatingFactory");
        props.setProperty("options", "endpoint=" + ENDPOINT);
        props.setProperty("connectTimeout", "60");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", props);
    }

    @Override
    public void close() {
        try {
            proxy.close();
        } finally {
            compute.close();
        }
    }
}

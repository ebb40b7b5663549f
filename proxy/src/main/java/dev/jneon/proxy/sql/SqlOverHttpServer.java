package dev.jneon.proxy.sql;

import com.sun.net.httpserver.HttpServer;
import dev.jneon.proxy.cplane.CachingControlPlane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The SQL-over-HTTP listener (B.13): a JDK HTTP/1.1 server, one virtual thread per request, serving
 * {@link SqlHandler} at {@code /sql}. Plain HTTP (TLS belongs in front of it). Stopping waits up to 5 s for
 * requests in flight. Thread-safe; started and stopped by Spring.
 */
public final class SqlOverHttpServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SqlOverHttpServer.class);

    private final String address;
    private final int port;
    private final SqlHandler handler;
    private HttpServer server;
    private ExecutorService executor;

    public SqlOverHttpServer(String address, int port, CachingControlPlane controlPlane, Duration connectTimeout) {
        this.address = address;
        this.port = port;
        this.handler = new SqlHandler(new ComputeConnector(controlPlane, 4, connectTimeout));
    }

    @Override
    public synchronized void start() {
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for SQL over HTTP on " + address + ":" + port, e);
        }
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
        log.info("SQL over HTTP listening on {}:{}", address, port());
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.stop(5);
            executor.close();
            server = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** The bound port (useful with port 0). */
    public synchronized int port() {
        return server == null ? port : server.getAddress().getPort();
    }
}

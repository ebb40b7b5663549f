package dev.jneon.proxy.frontend;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A TCP listener for client connections: one virtual thread accepts, one virtual thread per
 * connection runs the {@link Handler}. Graceful stop (B.15, seed 001): close the listening socket
 * first (new connections are refused), let open connections finish for up to the drain timeout,
 * then close what is left. Stops before Spring's web server (highest phase). Thread-safe:
 * connections are tracked in a concurrent set.
 */
public final class ClientListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClientListener.class);

    /** Serves one accepted connection; the listener closes the socket after it returns. */
    @FunctionalInterface
    public interface Handler {
        void handle(Socket socket) throws Exception;
    }

    private final String name;
    private final String address;
    private final int requestedPort;
    private final Duration drainTimeout;
    private final Handler handler;
    private final Runnable onTerminating;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile Thread acceptor;

    public ClientListener(String name, String address, int port, Duration drainTimeout, Handler handler,
            Runnable onTerminating) {
        this.name = name;
        this.address = address;
        this.requestedPort = port;
        this.drainTimeout = drainTimeout;
        this.handler = handler;
        this.onTerminating = onTerminating;
    }

    @Override
    public synchronized void start() {
        try {
            server = new ServerSocket(requestedPort, 1024, InetAddress.getByName(address));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen for " + name + " on " + address + ":" + requestedPort, e);
        }
        log.info("{} listener on {}:{}", name, address, server.getLocalPort());
        ServerSocket s = server;
        acceptor = Thread.ofVirtual().name(name + "-accept").start(() -> acceptLoop(s));
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            Socket socket;
            try {
                socket = s.accept();
            } catch (IOException e) {
                if (!s.isClosed()) {
                    log.warn("{} accept failed: {}", name, e.toString());
                }
                continue;
            }
            open.add(socket);
            Thread.ofVirtual().name(name + "-client").start(() -> serve(socket));
        }
    }

    private void serve(Socket socket) {
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            handler.handle(socket);
        } catch (Exception e) {
            log.warn("{} connection from {} failed: {}", name, socket.getRemoteSocketAddress(), e.toString());
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
            open.remove(socket);
        }
    }

    /** The bound port (useful with port 0), or -1 before start. */
    public int port() {
        ServerSocket s = server;
        return s == null ? -1 : s.getLocalPort();
    }

    /** Connections currently being served. */
    public int openConnections() {
        return open.size();
    }

    @Override
    public synchronized void stop() {
        ServerSocket s = server;
        if (s == null) {
            return;
        }
        onTerminating.run();
        try {
            s.close();
        } catch (IOException e) {
            log.warn("closing the {} listener: {}", name, e.toString());
        }
        server = null;
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        if (!open.isEmpty()) {
            log.info("terminating: {} listener closed, draining {} connection(s) for up to {}", name, open.size(),
                    drainTimeout);
        }
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!open.isEmpty()) {
            log.warn("drain timeout: closing {} {} connection(s)", open.size(), name);
            for (Socket socket : open) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        acceptor.interrupt();
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}

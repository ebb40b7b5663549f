package dev.jneon.proxy.system;

import static dev.jneon.proxy.system.ProxyStack.ENDPOINT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and heavy clients do not take the proxy down: garbage bytes, an oversized startup
 * packet, stalled half-open connections (closed at the handshake deadline) and 200 concurrent
 * connection attempts; a normal psql client works during and after each.
 */
class ProxyRobustnessIT {

    @TempDir
    static Path dir;

    static ProxyStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new ProxyStack(dir, "--jneon.proxy.handshake-timeout=20s");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static void normalClientWorks() throws Exception {
        var result = Psql.query(stack.conninfo("options=endpoint=" + ENDPOINT), ScramCompute.PASSWORD, "SELECT 1");
        assertThat(result.output()).isEqualTo("1");
    }

    /** Reads until the proxy closes the connection; true if it did (EOF or reset). */
    private static boolean closedByProxy(Socket socket) throws IOException {
        socket.setSoTimeout(120_000);
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // discard whatever the proxy says before closing
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void garbageAndOversizedStartupPacketsAreDropped() throws Exception {
        var random = new Random(42);
        List<byte[]> payloads = new ArrayList<>();
        payloads.add("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        payloads.add(ByteBuffer.allocate(8).putInt(1_000_000).putInt(196608).array());
        payloads.add(ByteBuffer.allocate(8).putInt(3).putInt(0).array());
        byte[] noise = new byte[4096];
        random.nextBytes(noise);
        payloads.add(noise);
        byte[] fakeHello = new byte[512];
        random.nextBytes(fakeHello);
        fakeHello[0] = 0x16;
        payloads.add(fakeHello);
        for (byte[] payload : payloads) {
            try (var socket = new Socket("127.0.0.1", stack.port)) {
                socket.getOutputStream().write(payload);
                socket.getOutputStream().flush();
                assertThat(closedByProxy(socket)).isTrue();
            }
        }
        normalClientWorks();
    }

    @Test
    void stalledHalfOpenConnectionsDoNotBlockOthersAndAreClosedAtTheDeadline() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                var socket = new Socket("127.0.0.1", stack.port);
                if (i % 2 == 0) {
                    // half a startup packet, then nothing
                    socket.getOutputStream().write(new byte[] {0, 0, 0, 40, 0, 3});
                    socket.getOutputStream().flush();
                }
                stalled.add(socket);
            }
            normalClientWorks();
            assertThat(closedByProxy(stalled.get(0))).isTrue();
            assertThat(closedByProxy(stalled.get(1))).isTrue();
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
        normalClientWorks();
    }

    @Test
    void twoHundredConcurrentConnectionAttemptsAllSucceed() throws Exception {
        var ok = new AtomicInteger();
        List<Future<?>> attempts = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                attempts.add(executor.submit(() -> {
                    try (Connection c = stack.jdbc(ScramCompute.PASSWORD); var s = c.createStatement();
                            var rs = s.executeQuery("SELECT 1")) {
                        rs.next();
                        ok.addAndGet(rs.getInt(1));
                    }
                    return null;
                }));
            }
            for (Future<?> f : attempts) {
                f.get();
            }
        }
        assertThat(ok.get()).isEqualTo(200);
        normalClientWorks();
    }
}

package dev.jneon.proxy.cancel;

import dev.jneon.proxy.wire.StartupPacket.CancelRequest;
import dev.jneon.proxy.wire.StartupPacketCodec;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a client's CancelRequest on to the compute that runs its session (B.11): a new TCP
 * connection to the compute carrying the compute's own pid and secret. The canceller is never
 * answered. Stateless apart from the timeout.
 */
public final class CancelForwarder {

    private static final Logger log = LoggerFactory.getLogger(CancelForwarder.class);

    private final Duration connectTimeout;

    public CancelForwarder(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** Returns true if the request reached the compute's socket. */
    public boolean forward(CancelTarget target) {
        try (var socket = new Socket()) {
            socket.connect(target.compute(), (int) connectTimeout.toMillis());
            socket.getOutputStream().write(StartupPacketCodec.encode(
                    new CancelRequest(target.processId(), target.secretKey())));
            socket.getOutputStream().flush();
            // Postgres closes the connection once it has read the request; wait for that briefly so
            // the request is not cut off by our close.
            socket.setSoTimeout((int) connectTimeout.toMillis());
            try {
                socket.getInputStream().read();
            } catch (java.net.SocketTimeoutException slowClose) {
                log.debug("compute {} did not close the cancel connection in time", target.compute());
            }
            log.info("cancel request forwarded to {}", target);
            return true;
        } catch (IOException e) {
            log.warn("could not forward cancel request to {}: {}", target, e.toString());
            return false;
        }
    }
}

package dev.jneon.proxy.frontend;

import dev.jneon.common.scram.ChannelBinding;
import dev.jneon.proxy.metrics.ProxyMetrics;
import dev.jneon.proxy.metrics.ProxyMetrics.ErrorType;
import dev.jneon.proxy.tls.TlsContext;
import dev.jneon.proxy.wire.ProtocolViolation;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Postgres-wire front end (B.2): per accepted TCP connection, arm the handshake deadline, run
 * the {@link Handshake} with the current TLS certificates, then hand a cancel request or a session
 * to {@link ClientSession}. Protocol violations close the connection silently; a plaintext client
 * when TLS is on is told why. Thread-safe: stateless apart from shared collaborators.
 */
public final class PgFrontend implements ClientListener.Handler {

    private static final Logger log = LoggerFactory.getLogger(PgFrontend.class);

    private final Supplier<TlsContext> tls;
    private final ClientSession sessions;
    private final Duration handshakeTimeout;
    private final ProxyMetrics metrics;

    /** @param tls the current certificates; supplies null when TLS is off */
    public PgFrontend(Supplier<TlsContext> tls, ClientSession sessions, Duration handshakeTimeout,
            ProxyMetrics metrics) {
        this.tls = tls;
        this.sessions = sessions;
        this.handshakeTimeout = handshakeTimeout;
        this.metrics = metrics;
    }

    @Override
    public void handle(Socket socket) throws InterruptedException {
        metrics.clientOpened();
        var peer = (InetSocketAddress) socket.getRemoteSocketAddress();
        TlsContext context = tls.get();
        try (Deadline deadline = Deadline.arm(socket, handshakeTimeout)) {
            Handshake.Outcome outcome;
            try {
                outcome = new Handshake(context).run(socket);
            } catch (Handshake.Refused refused) {
                metrics.error(ErrorType.USER);
                log.info("forwarding error to user: {}: {}", peer, refused.getMessage());
                refused.connection().sendError(refused.error());
                return;
            } catch (SSLException e) {
                metrics.tlsHandshakeFailure();
                log.info("TLS handshake with {} failed: {}", peer, e.getMessage());
                return;
            } catch (ProtocolViolation e) {
                metrics.error(ErrorType.USER);
                log.info("protocol violation from {}: {}", peer, e.getMessage());
                return;
            } catch (IOException e) {
                metrics.error(ErrorType.CLIENTDISCONNECT);
                log.info("handshake with {} ended{}: {}", peer, deadline.expired() ? " (timed out)" : "",
                        e.toString());
                return;
            }
            switch (outcome) {
                case Handshake.Outcome.Cancel cancel -> {
                    deadline.close();
                    sessions.cancel(cancel.request(), peer);
                }
                case Handshake.Outcome.Session s -> {
                    ChannelBinding binding = s.certificate() == null ? new ChannelBinding.None()
                            : ChannelBinding.forCertificate(s.certificate().leaf());
                    Set<String> domains = context == null ? Set.of() : context.certificates().domains();
                    sessions.serve(new ClientSession.Entry(s.connection(), s.startup(), s.serverName(), domains,
                            binding, false, "tcp"), deadline);
                }
            }
        } finally {
            metrics.clientClosed();
        }
    }
}

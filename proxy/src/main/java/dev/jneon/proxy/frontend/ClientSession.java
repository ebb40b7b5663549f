package dev.jneon.proxy.frontend;

import dev.jneon.common.scram.ChannelBinding;
import dev.jneon.common.scram.ScramKeys;
import dev.jneon.proxy.cancel.CancelForwarder;
import dev.jneon.proxy.cancel.CancelMap;
import dev.jneon.proxy.cancel.CancelTarget;
import dev.jneon.proxy.compute.ComputeConnection;
import dev.jneon.proxy.compute.ComputeConnector;
import dev.jneon.proxy.compute.ComputeFailure;
import dev.jneon.proxy.compute.ComputeStartupParameters;
import dev.jneon.proxy.compute.Pump;
import dev.jneon.proxy.cplane.CachingControlPlane;
import dev.jneon.proxy.cplane.CallContext;
import dev.jneon.proxy.cplane.ControlPlaneError;
import dev.jneon.proxy.cplane.EndpointAccess;
import dev.jneon.proxy.cplane.EndpointId;
import dev.jneon.proxy.cplane.NeonOptions;
import dev.jneon.proxy.frontend.EndpointResolution.Found;
import dev.jneon.proxy.frontend.EndpointResolution.Invalid;
import dev.jneon.proxy.frontend.EndpointResolution.NeedPasswordHack;
import dev.jneon.proxy.metrics.ProxyMetrics;
import dev.jneon.proxy.metrics.ProxyMetrics.ErrorType;
import dev.jneon.proxy.ratelimit.LeakyBucketLimiter;
import dev.jneon.proxy.wire.BackendMessage;
import dev.jneon.proxy.wire.BackendMessage.AuthenticationOk;
import dev.jneon.proxy.wire.BackendMessage.BackendKeyData;
import dev.jneon.proxy.wire.BackendMessage.ReadyForQuery;
import dev.jneon.proxy.wire.StartupPacket.CancelRequest;
import dev.jneon.proxy.wire.StartupPacket.StartupMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client session after its handshake, for TCP and WebSocket alike (B.5, B.10): resolve the
 * endpoint (B.2), check access (allowlist, blocked network), the per-endpoint connection-attempt
 * limit, authenticate the role (SCRAM, or a cleartext password from the password hack or a
 * WebSocket client), connect to the compute (B.9), relay its startup tail with our BackendKeyData,
 * then pump bytes until either side closes. Also serves CancelRequests (B.11). Errors reach the
 * client as ErrorResponse and are counted by type. Thread-safe: shared by all sessions, holds no
 * per-session state.
 */
public final class ClientSession {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    /**
     * What the front end learned before the session starts.
     *
     * @param serverName        SNI (TCP) or {@code Host} (WebSocket) name, or null
     * @param domains           the served domains {@code serverName} is read against
     * @param binding           SCRAM channel binding of the client's TLS session
     * @param cleartextPassword ask for a cleartext password instead of SCRAM (WebSocket clients)
     */
    public record Entry(ClientConnection connection, StartupMessage startup, String serverName, Set<String> domains,
            ChannelBinding binding, boolean cleartextPassword, String protocol) {
    }

    private record Established(ComputeConnection compute, long cancelKey, EndpointId endpoint) {
    }

    private final CachingControlPlane controlPlane;
    private final ComputeConnector connector;
    private final CancelMap cancels;
    private final CancelForwarder cancelForwarder;
    private final LeakyBucketLimiter<String> endpointLimiter;
    private final LeakyBucketLimiter<String> cancelLimiter;
    private final ProxyMetrics metrics;

    public ClientSession(CachingControlPlane controlPlane, ComputeConnector connector, CancelMap cancels,
            CancelForwarder cancelForwarder, LeakyBucketLimiter<String> endpointLimiter,
            LeakyBucketLimiter<String> cancelLimiter, ProxyMetrics metrics) {
        this.controlPlane = controlPlane;
        this.connector = connector;
        this.cancels = cancels;
        this.cancelForwarder = cancelForwarder;
        this.endpointLimiter = endpointLimiter;
        this.cancelLimiter = cancelLimiter;
        this.metrics = metrics;
    }

    /**
     * Authenticates, connects and pumps; returns when the session is over.
     *
     * @param deadline the handshake and authentication deadline, disarmed once the client is authenticated
     *     (waking a suspended compute may take longer than the deadline)
     */
    public void serve(Entry entry, Deadline deadline) throws InterruptedException {
        ClientConnection client = entry.connection();
        UUID sessionId = UUID.randomUUID();
        Established established;
        try {
            established = establish(entry, sessionId, deadline);
        } catch (SessionFailure f) {
            log.info("forwarding error to user: session {} from {} ({}): {}", sessionId, client.peer(),
                    f.type().name().toLowerCase(java.util.Locale.ROOT), f.getMessage());
            metrics.error(f.type());
            if (f.error().sqlState().equals("28P01")) {
                metrics.authFailure();
            }
            client.sendError(f.error());
            return;
        } catch (IOException e) {
            metrics.error(ErrorType.CLIENTDISCONNECT);
            log.info("session {} from {} ended before it was established{}: {}", sessionId, client.peer(),
                    deadline.expired() ? " (handshake/authentication timed out)" : "", e.toString());
            return;
        }
        deadline.close();
        ComputeConnection compute = established.compute();
        var pump = new Pump();
        try {
            client.socket().setSoTimeout(0);
            pump.run(client.in(), client.out(), client, compute.in(), compute.out(), compute);
        } catch (IOException e) {
            log.debug("session {}: {}", sessionId, e.toString());
        } finally {
            cancels.remove(established.cancelKey());
            compute.close();
            metrics.dbClosed();
            metrics.ioBytes(pump.bytesToCompute(), pump.bytesToClient());
            log.info("session {} for {} ended: {} bytes to compute, {} to client", sessionId,
                    established.endpoint(), pump.bytesToCompute(), pump.bytesToClient());
        }
    }

    private Established establish(Entry entry, UUID sessionId, Deadline deadline) throws IOException,
            SessionFailure, InterruptedException {
        ClientConnection client = entry.connection();
        StartupMessage startup = entry.startup();
        String user = startup.parameter("user");
        if (user == null || user.isEmpty()) {
            throw SessionFailure.of("Parameter 'user' is missing in startup packet.", ErrorType.USER);
        }
        log.info("successful handshake: session {} from {} ({}), protocol 3.{}, user {}, database {}, "
                        + "application_name {}", sessionId, client.peer(), entry.protocol(),
                startup.minorVersion(), user, startup.parameter("database"), startup.parameter("application_name"));
        String endpointText;
        String password = null;
        switch (EndpointResolver.resolve(entry.serverName(), entry.domains(), startup.parameter("options"))) {
            case Invalid invalid -> throw SessionFailure.of(invalid.message(), ErrorType.USER);
            case Found found -> {
                endpointText = found.endpoint();
                metrics.acceptedBySni(found.fromSni() ? "sni" : "no_sni");
            }
            case NeedPasswordHack hack -> {
                PasswordHack parsed = PasswordHack.parse(ClientAuthentication.askPassword(client))
                        .orElseThrow(() -> SessionFailure.of(EndpointResolver.NO_ENDPOINT_MESSAGE, ErrorType.USER));
                endpointText = parsed.endpoint();
                password = parsed.password();
                metrics.acceptedBySni("password_hack");
            }
        }
        EndpointId endpoint;
        try {
            endpoint = new EndpointId(endpointText);
        } catch (IllegalArgumentException e) {
            throw SessionFailure.of(e.getMessage(), ErrorType.USER);
        }
        var context = new CallContext(sessionId, Optional.ofNullable(startup.parameter("application_name")));
        EndpointAccess access = accessControl(endpoint, user, context);
        checkAccess(access, client.peer());
        if (!endpointLimiter.tryAcquire(endpoint.normalized())) {
            throw SessionFailure.of("Too many connections to this endpoint. Please try again later.",
                    ErrorType.RATELIMIT);
        }
        if (password == null && entry.cleartextPassword()) {
            password = ClientAuthentication.askPassword(client);
        }
        ScramKeys keys = password != null
                ? ClientAuthentication.checkPassword(access.roleSecret(), user, password)
                : ClientAuthentication.scram(client, access.roleSecret(), entry.binding(), user);
        log.info("user successfully authenticated: session {}, endpoint {}, role {}", sessionId, endpoint, user);
        deadline.close();
        ComputeConnection compute = connect(endpoint, startup, context, new ComputeConnection.Credentials(keys,
                password));
        long cancelKey = cancels.register(new CancelTarget(compute.address(), compute.backendKey().processId(),
                compute.backendKey().secretKey(), endpoint.value(), user));
        try {
            relayStartupTail(client, compute, cancelKey);
        } catch (IOException e) {
            cancels.remove(cancelKey);
            compute.close();
            metrics.dbClosed();
            throw e;
        }
        return new Established(compute, cancelKey, endpoint);
    }

    private EndpointAccess accessControl(EndpointId endpoint, String user, CallContext context)
            throws SessionFailure {
        try {
            return controlPlane.accessControl(endpoint, user, context);
        } catch (ControlPlaneError e) {
            throw SessionFailure.of(e.userMessage(), ErrorType.CONTROLPLANE);
        }
    }

    private static void checkAccess(EndpointAccess access, InetSocketAddress peer) throws SessionFailure {
        if (!access.allowedIps().allows(peer.getAddress())) {
            throw SessionFailure.of("This IP address " + peer.getAddress().getHostAddress()
                    + " is not allowed to connect to this endpoint.", ErrorType.USER);
        }
        if (access.blockPublicConnections()) {
            throw SessionFailure.of("This connection is trying to access this endpoint from a blocked network.",
                    ErrorType.USER);
        }
    }

    private ComputeConnection connect(EndpointId endpoint, StartupMessage startup, CallContext context,
            ComputeConnection.Credentials credentials) throws SessionFailure, InterruptedException {
        try {
            return connector.connect(endpoint, NeonOptions.parse(startup.parameter("options")), context,
                    ComputeStartupParameters.of(startup.parameters()), credentials);
        } catch (ControlPlaneError e) {
            throw SessionFailure.of(e.userMessage(), ErrorType.CONTROLPLANE);
        } catch (ComputeFailure f) {
            log.warn("could not connect to the compute of {}: {}", endpoint, f.getMessage());
            if (f.postgresError() != null) {
                throw SessionFailure.user(f.postgresError(), ErrorType.POSTGRES);
            }
            throw SessionFailure.of("Couldn't connect to compute node", ErrorType.COMPUTE);
        }
    }

    /** AuthenticationOk, the compute's ParameterStatus/Notice messages, our BackendKeyData, ReadyForQuery. */
    private static void relayStartupTail(ClientConnection client, ComputeConnection compute, long cancelKey)
            throws IOException {
        client.send(new AuthenticationOk());
        BackendMessage ready = null;
        for (BackendMessage m : compute.startupTail()) {
            if (m instanceof ReadyForQuery) {
                ready = m;
            } else {
                client.send(m);
            }
        }
        var ours = CancelRequest.ofKey(cancelKey);
        client.send(new BackendKeyData(ours.processId(), ours.secretKey()), ready);
        client.flush();
    }

    /** Forwards a CancelRequest to the compute of the session it names, if any; never answers. */
    public void cancel(CancelRequest request, InetSocketAddress peer) {
        if (!cancelLimiter.tryAcquire(LeakyBucketLimiter.subnet(peer.getAddress()))) {
            metrics.cancelRequest("rate_limited");
            log.info("cancel request from {} refused: rate limit of its subnet", peer);
            return;
        }
        Optional<CancelTarget> target = cancels.lookup(request.key());
        if (target.isEmpty()) {
            metrics.cancelRequest("not_found");
            log.info("cancel request from {} names no session", peer);
            return;
        }
        try {
            EndpointAccess access = controlPlane.accessControl(new EndpointId(target.get().endpoint()),
                    target.get().user(), CallContext.newSession());
            if (!access.allowedIps().allows(peer.getAddress())) {
                metrics.cancelRequest("ip_not_allowed");
                log.info("cancel request from {} refused: not in the allowlist of {}", peer,
                        target.get().endpoint());
                return;
            }
        } catch (ControlPlaneError e) {
            log.warn("cancel request from {}: access check failed: {}", peer, e.getMessage());
            return;
        }
        metrics.cancelRequest("found");
        cancelForwarder.forward(target.get());
    }
}

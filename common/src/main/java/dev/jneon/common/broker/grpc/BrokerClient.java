package dev.jneon.common.broker.grpc;

import dev.jneon.api.broker.BrokerServiceGrpc;
import dev.jneon.common.broker.Backoff;
import dev.jneon.common.broker.BrokerEndpoint;
import dev.jneon.common.broker.BrokerMessage;
import dev.jneon.common.broker.BrokerUnavailableException;
import dev.jneon.common.broker.MessageFilter;
import dev.jneon.common.broker.SafekeeperTimelineInfo;
import dev.jneon.common.id.TenantTimelineId;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A service's connection to the storage broker: one gRPC channel (plaintext or TLS, see
 * {@link BrokerEndpoint}) with HTTP/2 keepalive, from which subscriptions and publishers are
 * opened. Subscriptions and publishers reconnect by themselves with the {@link Backoff} they are
 * given; {@link #publishOne} is a single attempt. Thread-safe; close it after closing what was
 * opened from it.
 */
public final class BrokerClient implements AutoCloseable {

    /** How long a single {@link #publishOne} may take. */
    public static final Duration PUBLISH_ONE_DEADLINE = Duration.ofSeconds(10);

    private final BrokerEndpoint endpoint;
    private final ManagedChannel channel;

    private BrokerClient(BrokerEndpoint endpoint, ManagedChannel channel) {
        this.endpoint = endpoint;
        this.channel = channel;
    }

    /**
     * Prepares the channel; it connects lazily, so this succeeds while the broker is down.
     * Reading the CA files fails fast with {@link UncheckedIOException}.
     */
    public static BrokerClient connect(BrokerEndpoint endpoint) {
        // grpc-java raises keepalive intervals below 10 s to 10 s.
        ManagedChannel channel = NettyChannelBuilder
                .forAddress(endpoint.uri().getHost(), endpoint.uri().getPort(), credentials(endpoint))
                .keepAliveTime(endpoint.keepAlive().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(endpoint.keepAlive().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveWithoutCalls(true)
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) endpoint.connectTimeout().toMillis())
                .build();
        return new BrokerClient(endpoint, channel);
    }

    private static ChannelCredentials credentials(BrokerEndpoint endpoint) {
        if (!endpoint.tls()) {
            return InsecureChannelCredentials.create();
        }
        if (endpoint.caFiles().isEmpty()) {
            return TlsChannelCredentials.create();
        }
        try {
            var pems = new ByteArrayOutputStream();
            for (Path ca : endpoint.caFiles()) {
                pems.write(Files.readAllBytes(ca));
                pems.write('\n');
            }
            return TlsChannelCredentials.newBuilder()
                    .trustManager(new ByteArrayInputStream(pems.toByteArray()))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read broker CA files " + endpoint.caFiles(), e);
        }
    }

    /**
     * Delivers every {@link SafekeeperTimelineInfo} published from now on, for one timeline or all
     * (SubscribeSafekeeperInfo), to {@code onMessage} on the subscription's own thread.
     */
    public BrokerSubscription subscribeTimelineInfo(Optional<TenantTimelineId> timeline, Backoff backoff,
            Consumer<SafekeeperTimelineInfo> onMessage) {
        var request = BrokerWire.subscribeRequest(timeline);
        return BrokerSubscription.start("timeline infos of " + timeline.map(Object::toString).orElse("all timelines"),
                backoff, () -> BrokerServiceGrpc.newBlockingStub(channel).subscribeSafekeeperInfo(request),
                BrokerWire::fromProto, onMessage);
    }

    /** Delivers every message passing {@code filter} (SubscribeByFilter), on the subscription's thread. */
    public BrokerSubscription subscribe(MessageFilter filter, Backoff backoff, Consumer<BrokerMessage> onMessage) {
        var request = BrokerWire.toProto(filter);
        return BrokerSubscription.start("messages " + filter.types() + " of "
                        + filter.timeline().map(Object::toString).orElse("all timelines"),
                backoff, () -> BrokerServiceGrpc.newBlockingStub(channel).subscribeByFilter(request),
                BrokerWire::fromProto, onMessage);
    }

    /** Opens the long-lived PublishSafekeeperInfo stream lazily, on its first publish. */
    public TimelineInfoPublisher publisher(Backoff backoff) {
        return new TimelineInfoPublisher(BrokerServiceGrpc.newStub(channel), backoff);
    }

    /** Publishes one message (PublishOne); one attempt within {@link #PUBLISH_ONE_DEADLINE}. */
    public void publishOne(BrokerMessage message) {
        try {
            BrokerServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(PUBLISH_ONE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .publishOne(BrokerWire.toTypedProto(message));
        } catch (StatusRuntimeException e) {
            throw new BrokerUnavailableException("cannot publish to broker " + endpoint.uri() + ": " + e.getStatus(), e);
        }
    }

    public BrokerEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.jneon.broker.grpc;

import static dev.jneon.broker.TestInfos.info;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import dev.jneon.api.broker.BrokerServiceGrpc;
import dev.jneon.api.broker.FilterTenantTimelineId;
import dev.jneon.api.broker.MessageType;
import dev.jneon.api.broker.SafekeeperTimelineInfo;
import dev.jneon.api.broker.SubscribeByFilterRequest;
import dev.jneon.api.broker.SubscribeSafekeeperInfoRequest;
import dev.jneon.api.broker.TypeSubscription;
import dev.jneon.api.broker.TypedMessage;
import dev.jneon.broker.BrokerApp;
import dev.jneon.broker.ManualClock;
import dev.jneon.broker.Received;
import dev.jneon.common.broker.SafekeeperDiscoveryRequest;
import dev.jneon.common.broker.grpc.BrokerWire;
import dev.jneon.common.id.TenantTimelineId;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The broker's gRPC protocol against the real application over loopback. */
class BrokerGrpcIT {

    private static final ManualClock clock = new ManualClock();
    private static BrokerApp app;
    private static BrokerServiceGrpc.BrokerServiceStub async;
    private static BrokerServiceGrpc.BrokerServiceBlockingStub blocking;

    @BeforeAll
    static void start() {
        app = BrokerApp.start(clock);
        var channel = app.channel();
        async = BrokerServiceGrpc.newStub(channel);
        blocking = BrokerServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        app.close();
    }

    private static Received<SubscribeSafekeeperInfoRequest, SafekeeperTimelineInfo> subscribe(
            Optional<TenantTimelineId> ttid, boolean reading) {
        int before = app.metrics().activeSubscribers();
        var received = new Received<SubscribeSafekeeperInfoRequest, SafekeeperTimelineInfo>(reading);
        async.subscribeSafekeeperInfo(BrokerWire.subscribeRequest(ttid), received);
        await().atMost(Duration.ofSeconds(Received.WAIT_SECONDS))
                .until(() -> app.metrics().activeSubscribers() == before + 1);
        return received;
    }

    /** Cancels the subscriptions and waits until the broker has let go of them. */
    private static void cancel(Received<?, ?>... subscriptions) {
        int before = app.metrics().activeSubscribers();
        for (Received<?, ?> r : subscriptions) {
            r.cancel();
        }
        await().atMost(Duration.ofSeconds(Received.WAIT_SECONDS))
                .until(() -> app.metrics().activeSubscribers() == before - subscriptions.length);
    }

    private static void publishOne(dev.jneon.common.broker.BrokerMessage m) {
        blocking.publishOne(BrokerWire.toTypedProto(m));
    }

    @Test
    void subscribersOfAllAndOfOneTimelineGetWhatWasPublished() throws Exception {
        var a = TenantTimelineId.generate();
        var b = TenantTimelineId.generate();
        var all = subscribe(Optional.empty(), true);
        var onlyA = subscribe(Optional.of(a), true);

        var publish = new Received<SafekeeperTimelineInfo, Empty>();
        StreamObserver<SafekeeperTimelineInfo> stream = async.publishSafekeeperInfo(publish);
        stream.onNext(BrokerWire.toProto(info(b, 1, 10)));
        stream.onNext(BrokerWire.toProto(info(a, 1, 20)));
        stream.onCompleted();
        assertThat(publish.awaitEnd()).isEqualTo(Status.OK);
        publishOne(info(a, 2, 30));

        assertThat(all.next()).isEqualTo(BrokerWire.toProto(info(b, 1, 10)));
        assertThat(all.next()).isEqualTo(BrokerWire.toProto(info(a, 1, 20)));
        assertThat(all.next()).isEqualTo(BrokerWire.toProto(info(a, 2, 30)));
        assertThat(onlyA.next().getCommitLsn()).isEqualTo(20);
        assertThat(onlyA.next().getCommitLsn()).isEqualTo(30);
        assertThat(onlyA.drained()).isEmpty();
        cancel(all, onlyA);
    }

    @Test
    void subscribeByFilterDeliversOnlyTheChosenTypesAndTimeline() throws Exception {
        var a = TenantTimelineId.generate();
        var b = TenantTimelineId.generate();
        var request = SubscribeByFilterRequest.newBuilder()
                .addTypes(TypeSubscription.newBuilder().setType(MessageType.SAFEKEEPER_DISCOVERY_REQUEST))
                .setTenantTimelineId(FilterTenantTimelineId.newBuilder().setEnabled(true)
                        .setTenantTimelineId(BrokerWire.toProto(a)))
                .build();
        var received = new Received<SubscribeByFilterRequest, TypedMessage>();
        int before = app.metrics().activeSubscribers();
        async.subscribeByFilter(request, received);
        await().atMost(Duration.ofSeconds(Received.WAIT_SECONDS))
                .until(() -> app.metrics().activeSubscribers() == before + 1);

        publishOne(info(a, 1, 10));
        publishOne(new SafekeeperDiscoveryRequest(b));
        publishOne(new SafekeeperDiscoveryRequest(a));

        TypedMessage got = received.next();
        assertThat(BrokerWire.fromProto(got)).isEqualTo(new SafekeeperDiscoveryRequest(a));
        assertThat(received.drained()).isEmpty();
        cancel(received);
    }

    @Test
    void aLateSubscriberGetsTheLatestStateOfSafekeepersThatAreNotSilent() throws Exception {
        var a = TenantTimelineId.generate();
        publishOne(info(a, 1, 100));
        publishOne(info(a, 2, 200));
        clock.advance(Duration.ofSeconds(4));
        publishOne(info(a, 2, 210));

        var late = subscribe(Optional.of(a), true);
        assertThat(late.next().getCommitLsn()).isEqualTo(100);
        assertThat(late.next().getCommitLsn()).isEqualTo(210);
        cancel(late);

        clock.advance(Duration.ofSeconds(2)); // safekeeper 1 silent for 6 s: expired
        var later = subscribe(Optional.of(a), true);
        assertThat(later.next().getCommitLsn()).isEqualTo(210);
        publishOne(info(a, 1, 300));
        assertThat(later.next().getCommitLsn()).isEqualTo(300);
        assertThat(later.drained()).isEmpty();
        cancel(later);
    }

    @Test
    void invalidRequestsAndMessagesAreRejectedWithInvalidArgument() throws Exception {
        var ttid = BrokerWire.toProto(TenantTimelineId.generate());
        var info = BrokerWire.toProto(info(TenantTimelineId.generate(), 1, 1));
        var shortId = ttid.toBuilder().setTenantId(ByteString.copyFrom(new byte[15])).build();

        assertInvalid(() -> blocking.publishOne(TypedMessage.newBuilder().setType(MessageType.UNKNOWN)
                .setSafekeeperTimelineInfo(info).build()), "UNKNOWN");
        assertInvalid(() -> blocking.publishOne(TypedMessage.newBuilder().setTypeValue(7).build()), "unrecognised");
        assertInvalid(() -> blocking.publishOne(TypedMessage.newBuilder()
                .setType(MessageType.SAFEKEEPER_TIMELINE_INFO).build()), "missing payload");
        assertInvalid(() -> blocking.publishOne(TypedMessage.newBuilder().setType(MessageType.SAFEKEEPER_TIMELINE_INFO)
                .setSafekeeperTimelineInfo(info.toBuilder().clearTenantTimelineId()).build()), "missing tenant_timeline_id");
        assertInvalid(() -> blocking.publishOne(TypedMessage.newBuilder().setType(MessageType.SAFEKEEPER_TIMELINE_INFO)
                .setSafekeeperTimelineInfo(info.toBuilder().setTenantTimelineId(shortId)).build()), "malformed tenant_id");
        assertInvalid(() -> blocking.subscribeSafekeeperInfo(SubscribeSafekeeperInfoRequest.getDefaultInstance()).hasNext(),
                "missing subscription_key");
        assertInvalid(() -> blocking.subscribeByFilter(SubscribeByFilterRequest.newBuilder()
                .addTypes(TypeSubscription.newBuilder().setType(MessageType.UNKNOWN)).build()).hasNext(), "UNKNOWN");
        assertInvalid(() -> blocking.subscribeByFilter(SubscribeByFilterRequest.newBuilder()
                .setTenantTimelineId(FilterTenantTimelineId.newBuilder().setEnabled(true)).build()).hasNext(),
                "missing tenant_timeline_id");

        var publish = new Received<SafekeeperTimelineInfo, Empty>();
        var stream = async.publishSafekeeperInfo(publish);
        stream.onNext(info.toBuilder().setTenantTimelineId(ttid.toBuilder()
                .setTimelineId(ByteString.copyFrom(new byte[17]))).build());
        Status status = publish.awaitEnd();
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("malformed timeline_id");
        await().atMost(Duration.ofSeconds(Received.WAIT_SECONDS)).until(() -> app.metrics().activePublishers() == 0);
    }

    private static void assertInvalid(Runnable call, String reason) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains(reason);
                });
    }

    @Test
    void aSubscriberThatDoesNotReadBlocksNeitherPublishersNorOtherSubscribers() throws Exception {
        var a = TenantTimelineId.generate();
        int messages = 3000;
        String bulky = "x".repeat(1000); // ~1 KB messages fill the stalled client's HTTP/2 window early
        var stalled = subscribe(Optional.of(a), false);
        var reader = subscribe(Optional.empty(), true);
        double dropsBefore = app.metrics().droppedTotal();

        var publish = new Received<SafekeeperTimelineInfo, Empty>();
        var stream = async.publishSafekeeperInfo(publish);
        for (int i = 1; i <= messages; i++) {
            stream.onNext(BrokerWire.toProto(info(a, 1, i, bulky)));
        }
        stream.onCompleted();
        assertThat(publish.awaitEnd()).as("the publisher finished").isEqualTo(Status.OK);

        for (int i = 1; i <= messages; i++) {
            assertThat(reader.next().getCommitLsn()).as("the reading subscriber gets every message in order").isEqualTo(i);
        }
        double dropped = app.metrics().droppedTotal() - dropsBefore;
        assertThat(dropped).as("the stalled subscriber lost messages").isPositive();

        stalled.readAll();
        long last = 0;
        int got = 0;
        while (last != messages) {
            last = stalled.next().getCommitLsn();
            got++;
        }
        assertThat(got).as("kept: what was in flight plus the newest in its queue").isLessThan(messages);
        assertThat((double) got + dropped).isEqualTo(messages);
        cancel(stalled, reader);
    }

    @Test
    void exportsTheBrokerMetrics() throws Exception {
        publishOne(info(TenantTimelineId.generate(), 1, 1));
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + "/metrics")).build();
        String body = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();

        assertThat(body).contains("storage_broker_published_messages_total{type=\"safekeeper_timeline_info\"}",
                "storage_broker_broadcasted_messages_total", "storage_broker_broadcast_drops_total",
                "storage_broker_active_publishers", "storage_broker_active_subscribers");
    }
}

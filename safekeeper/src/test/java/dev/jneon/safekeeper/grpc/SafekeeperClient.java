package dev.jneon.safekeeper.grpc;

import dev.jneon.api.safekeeper.SafekeeperWalGrpc;
import dev.jneon.api.safekeeper.StreamStart;
import dev.jneon.api.safekeeper.StreamWalClientMessage;
import dev.jneon.api.safekeeper.StreamWalServerMessage;
import dev.jneon.api.safekeeper.WalData;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Test client of one safekeeper: its HTTP API and StreamWal. Not thread-safe.
 *
 * @param httpPort the management API port
 */
public record SafekeeperClient(int httpPort, ManagedChannel channel) {

    public HttpResponse<String> http(String method, String path, String body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        try (var client = HttpClient.newHttpClient()) {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    public void createTimeline(TenantTimelineId ttid, Lsn start, long systemId) throws Exception {
        var r = http("POST", "/v1/tenant/timeline", "{\"tenant_id\":\"" + ttid.tenantId() + "\",\"timeline_id\":\""
                + ttid.timelineId() + "\",\"pg_version\":150000,\"system_id\":" + Long.toUnsignedString(systemId)
                + ",\"start_lsn\":\"" + start + "\"}");
        if (r.statusCode() != 200) {
            throw new AssertionError("create failed: " + r.statusCode() + " " + r.body());
        }
    }

    /** What a StreamWal returned: the bytes and each chunk's (start, length). */
    public record Streamed(byte[] bytes, List<long[]> chunks) {}

    /** Streams committed WAL from {@code start} until {@code end} has been received. */
    public Streamed stream(TenantTimelineId ttid, Lsn start, Lsn end) throws Exception {
        var queue = new LinkedBlockingQueue<Object>();
        var requests = SafekeeperWalGrpc.newStub(channel).withWaitForReady().streamWal(new StreamObserver<StreamWalServerMessage>() {
            @Override
            public void onNext(StreamWalServerMessage m) {
                queue.add(m);
            }

            @Override
            public void onError(Throwable t) {
                queue.add(t);
            }

            @Override
            public void onCompleted() {
                queue.add("completed");
            }
        });
        requests.onNext(StreamWalClientMessage.newBuilder().setStart(StreamStart.newBuilder()
                .setTtid(ProtoMapping.toProto(ttid)).setStartLsn(start.value()).setApplicationName("test")).build());
        var out = new ByteArrayOutputStream();
        List<long[]> chunks = new ArrayList<>();
        try {
            while (start.value() + out.size() < end.value()) {
                Object o = queue.poll(60, TimeUnit.SECONDS);
                if (!(o instanceof StreamWalServerMessage m)) {
                    throw new AssertionError("StreamWal ended early: " + o);
                }
                if (m.hasWalData()) {
                    WalData d = m.getWalData();
                    if (d.getWalStart() != start.value() + out.size()) {
                        throw new AssertionError("chunk at " + Lsn.of(d.getWalStart()) + " is not contiguous");
                    }
                    chunks.add(new long[] {d.getWalStart(), d.getData().size()});
                    d.getData().writeTo(out);
                }
            }
        } finally {
            requests.onCompleted();
        }
        return new Streamed(out.toByteArray(), chunks);
    }

    /**
     * Reports {@code remoteConsistent} as a pageserver would (a StreamWal from {@code start} with one
     * PageserverFeedback), then ends the stream.
     */
    public void reportRemoteConsistent(TenantTimelineId ttid, Lsn start, Lsn remoteConsistent) throws Exception {
        var done = new java.util.concurrent.CountDownLatch(1);
        var requests = SafekeeperWalGrpc.newStub(channel).withWaitForReady().streamWal(new StreamObserver<StreamWalServerMessage>() {
            @Override
            public void onNext(StreamWalServerMessage m) {
                done.countDown();
            }

            @Override
            public void onError(Throwable t) {
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        });
        requests.onNext(StreamWalClientMessage.newBuilder().setStart(StreamStart.newBuilder()
                .setTtid(ProtoMapping.toProto(ttid)).setStartLsn(start.value()).setApplicationName("test-pageserver"))
                .build());
        done.await(60, TimeUnit.SECONDS);
        requests.onNext(StreamWalClientMessage.newBuilder().setFeedback(dev.jneon.api.safekeeper.StreamFeedback
                .newBuilder().setPageserver(dev.jneon.api.safekeeper.PageserverFeedback.newBuilder()
                        .setLastReceivedLsn(remoteConsistent.value()).setDiskConsistentLsn(remoteConsistent.value())
                        .setRemoteConsistentLsn(remoteConsistent.value()))).build());
        requests.onCompleted();
    }
}

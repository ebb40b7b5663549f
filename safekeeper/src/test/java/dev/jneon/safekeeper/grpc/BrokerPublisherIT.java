package dev.jneon.safekeeper.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Empty;
import dev.jneon.api.broker.BrokerServiceGrpc;
import dev.jneon.api.broker.SafekeeperTimelineInfo;
import dev.jneon.common.grpc.GrpcServer;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.safekeeper.RealWal;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The safekeeper publishes active timelines to the storage broker. The broker here is an in-test
 * gRPC server that records what it receives (the real storage broker is built in another module).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"jneon.grpc.port=0", "jneon.node.id=9", "jneon.safekeeper.broker.publish-interval=200ms"})
class BrokerPublisherIT {

    static final BlockingQueue<SafekeeperTimelineInfo> published = new LinkedBlockingQueue<>();
    static Server broker;
    static Path dataDir;

    @LocalServerPort
    int httpPort;
    @Autowired
    GrpcServer grpc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        dataDir = Files.createTempDirectory("jneon-sk-broker");
        broker = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new BrokerServiceGrpc.BrokerServiceImplBase() {
                    @Override
                    public StreamObserver<SafekeeperTimelineInfo> publishSafekeeperInfo(StreamObserver<Empty> out) {
                        return new StreamObserver<>() {
                            @Override
                            public void onNext(SafekeeperTimelineInfo info) {
                                published.add(info);
                            }

                            @Override
                            public void onError(Throwable t) {
                            }

                            @Override
                            public void onCompleted() {
                                out.onNext(Empty.getDefaultInstance());
                                out.onCompleted();
                            }
                        };
                    }
                }).build().start();
        registry.add("jneon.safekeeper.data-dir", dataDir::toString);
        registry.add("jneon.safekeeper.broker.endpoint", () -> "127.0.0.1:" + broker.getPort());
    }

    @AfterAll
    static void stop() throws Exception {
        broker.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        RealWal.deleteTree(dataDir);
    }

    @Test
    void publishesATimelineWhileAProposerIsConnected() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext().build();
        try (var p = new TestProposer(channel)) {
            var ttid = TenantTimelineId.generate();
            new SafekeeperClient(httpPort, channel).createTimeline(ttid, Lsn.of(0x1000028), 77);
            p.greet(ttid, 77, 150002);
            p.nextMessage();
            SafekeeperTimelineInfo info;
            do {
                info = published.poll(60, TimeUnit.SECONDS);
                assertThat(info).as("a publication within 60 s").isNotNull();
            } while (!info.getTenantTimelineId().getTimelineId().equals(
                    com.google.protobuf.ByteString.copyFrom(ttid.timelineId().toBytes())));
            assertThat(info.getSafekeeperId()).isEqualTo(9);
            assertThat(info.getFlushLsn()).isEqualTo(0x1000028);
            assertThat(info.getCommitLsn()).isEqualTo(0x1000028);
            assertThat(info.getSafekeeperConnstr()).isEqualTo("127.0.0.1:" + grpc.port());
            assertThat(info.getHttpConnstr()).isEqualTo("127.0.0.1:" + httpPort);
        } finally {
            channel.shutdownNow();
        }
    }
}

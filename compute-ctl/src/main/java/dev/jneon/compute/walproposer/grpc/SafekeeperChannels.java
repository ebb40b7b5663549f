package dev.jneon.compute.walproposer.grpc;

import dev.jneon.compute.walproposer.SafekeeperAddress;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One plaintext gRPC channel per configured safekeeper, indexed like the configured list; shared by
 * the WalPush streams and the StreamWal readers. Thread-safe (channels are); closed once by the owner.
 */
public final class SafekeeperChannels implements AutoCloseable {

    /** Largest message we accept: an append or WAL chunk (128 KiB) plus framing. */
    private static final int MAX_INBOUND = 4 << 20;

    private final List<SafekeeperAddress> addresses;
    private final List<ManagedChannel> channels;

    public SafekeeperChannels(List<SafekeeperAddress> addresses) {
        this.addresses = List.copyOf(addresses);
        this.channels = this.addresses.stream()
                .map(a -> (ManagedChannel) NettyChannelBuilder.forAddress(a.host(), a.port())
                        .usePlaintext()
                        .executor(Executors.newVirtualThreadPerTaskExecutor())
                        .maxInboundMessageSize(MAX_INBOUND)
                        .build())
                .toList();
    }

    public int size() {
        return channels.size();
    }

    public SafekeeperAddress address(int sk) {
        return addresses.get(sk);
    }

    ManagedChannel channel(int sk) {
        return channels.get(sk);
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        for (ManagedChannel c : channels) {
            try {
                c.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

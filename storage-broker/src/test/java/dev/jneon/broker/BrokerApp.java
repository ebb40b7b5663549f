package dev.jneon.broker;

import dev.jneon.broker.pubsub.BrokerMetrics;
import dev.jneon.broker.server.BrokerListeners;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real storage-broker application started in-process on ports it picks (HTTP and gRPC port 0
 * unless the properties say otherwise), for tests; closing it stops the application and the
 * channels opened through it.
 */
public final class BrokerApp implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final List<ManagedChannel> channels = new ArrayList<>();

    private BrokerApp(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts with {@code properties} ({@code key=value}) over the test defaults; a null clock means the system clock. */
    public static BrokerApp start(InstantSource clock, String... properties) {
        Map<String, String> settings = new LinkedHashMap<>(Map.of("server.port", "0", "jneon.grpc.port", "0",
                "jneon.grpc.shutdown-grace", "2s", "spring.main.banner-mode", "off"));
        for (String p : properties) {
            int eq = p.indexOf('=');
            settings.put(p.substring(0, eq), p.substring(eq + 1));
        }
        List<String> args = settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();
        var builder = new SpringApplicationBuilder(StorageBrokerApplication.class);
        if (clock != null) {
            builder.initializers(ctx -> ctx.getBeanFactory().registerSingleton("testClock", clock));
        }
        return new BrokerApp(builder.run(args.toArray(String[]::new)));
    }

    public static BrokerApp start(String... properties) {
        return start(null, properties);
    }

    public int grpcPort() {
        return context.getBean(BrokerListeners.class).plainPort();
    }

    public int httpsPort() {
        return context.getBean(BrokerListeners.class).httpsPort();
    }

    public int httpPort() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    public BrokerMetrics metrics() {
        return context.getBean(BrokerMetrics.class);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** A plaintext channel to the gRPC port, shut down with the application. */
    public synchronized ManagedChannel channel() {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort()).usePlaintext().build();
        channels.add(channel);
        return channel;
    }

    @Override
    public synchronized void close() throws InterruptedException {
        for (ManagedChannel c : channels) {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        context.close();
    }
}

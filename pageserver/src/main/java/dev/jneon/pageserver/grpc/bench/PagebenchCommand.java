package dev.jneon.pageserver.grpc.bench;

import dev.jneon.api.page.GetPageRequest;
import dev.jneon.api.page.GetPageResponse;
import dev.jneon.api.page.GetPageStatusCode;
import dev.jneon.api.page.GetRelSizeRequest;
import dev.jneon.api.page.ReadLsn;
import dev.jneon.api.page.RequestID;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.RelTag;
import dev.jneon.pageserver.grpc.PageServiceClient;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code pagebench get-page-latest-lsn}: C clients, each on its own connection and GetPages stream,
 * read random blocks of the given relations at the latest LSN (request_lsn = max, not_modified_since
 * = {@code --lsn}) in batches, validate every response (status OK, one 8192-byte page per requested
 * block, block numbers echoed in order) and print throughput and request latency percentiles.
 * One run per instance; the counters it shares between client threads are atomic.
 */
public final class PagebenchCommand {

    private static final int PAGE_SIZE = 8192;

    /** What a run measured. */
    public record Result(long pages, long requests, double seconds, long[] sortedLatencyNanos) {

        public double pagesPerSecond() {
            return pages / seconds;
        }

        public double megabytesPerSecond() {
            return pages * (double) PAGE_SIZE / (1024 * 1024) / seconds;
        }

        /** The latency at quantile {@code q} (0..1) in microseconds. */
        public double latencyMicros(double q) {
            int index = (int) Math.min(sortedLatencyNanos.length - 1, Math.ceil(q * sortedLatencyNanos.length) - 1);
            return sortedLatencyNanos[Math.max(0, index)] / 1000.0;
        }
    }

    private record Target(RelTag rel, int blocks) {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("get-page-latest-lsn")) {
            System.err.println(PagebenchOptions.USAGE);
            System.exit(2);
        }
        PagebenchOptions options;
        try {
            options = PagebenchOptions.parse(List.of(args).subList(1, args.length));
        } catch (IllegalArgumentException e) {
            System.err.println("pagebench: " + e.getMessage() + "\n" + PagebenchOptions.USAGE);
            System.exit(2);
            return;
        }
        run(options, System.out);
    }

    /** Runs the benchmark and prints its figures to {@code out}; throws on the first invalid response. */
    public static Result run(PagebenchOptions options, PrintStream out) throws Exception {
        ReadLsn lsn = ReadLsn.newBuilder().setRequestLsn(Lsn.MAX.value()).setNotModifiedSinceLsn(options.notModifiedSince().value()).build();
        List<Target> targets = targets(options, lsn);
        AtomicLong issued = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        long deadline = options.duration() == null ? Long.MAX_VALUE : System.nanoTime() + options.duration().toNanos();
        long[][] latencies = new long[options.clients()][];
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < options.clients(); c++) {
            int index = c;
            threads.add(Thread.ofPlatform().name("pagebench-client-" + c).start(() -> {
                try {
                    latencies[index] = client(options, targets, lsn, issued, requests, deadline);
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!failures.isEmpty()) {
            throw new IllegalStateException("pagebench failed: " + failures.getFirst().getMessage(), failures.getFirst());
        }
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray(); // joined: visible
        long pages = options.pages() > 0 ? Math.min(issued.get(), options.pages()) : issued.get();
        Result result = new Result(pages, requests.get(), seconds, all);
        out.println(String.format(Locale.ROOT,
                "get-page-latest-lsn: %d pages in %d requests (batch %d, %d clients, compression %s) in %.2f s%n"
                        + "throughput: %.0f pages/s, %.1f MB/s%n"
                        + "request latency (us): p50 %.0f  p90 %.0f  p99 %.0f  p99.9 %.0f",
                result.pages(), result.requests(), options.batchSize(), options.clients(), options.compression(), seconds,
                result.pagesPerSecond(), result.megabytesPerSecond(), result.latencyMicros(0.5), result.latencyMicros(0.9),
                result.latencyMicros(0.99), result.latencyMicros(0.999)));
        return result;
    }

    private static List<Target> targets(PagebenchOptions options, ReadLsn lsn) throws InterruptedException {
        List<Target> targets = new ArrayList<>();
        try (var client = new PageServiceClient(options.host(), options.port(), options.tenant(), options.timeline(), options.compression())) {
            for (RelTag rel : options.rels()) {
                int blocks = options.blocks() > 0 ? options.blocks()
                        : client.blocking().getRelSize(GetRelSizeRequest.newBuilder().setReadLsn(lsn).setRel(proto(rel)).build()).getNumBlocks();
                if (blocks > 0) {
                    targets.add(new Target(rel, blocks));
                }
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("all relations given are empty");
        }
        return targets;
    }

    private static long[] client(PagebenchOptions options, List<Target> targets, ReadLsn lsn, AtomicLong issued, AtomicLong requests,
            long deadline) throws InterruptedException {
        long[] latencies = new long[1024];
        int count = 0;
        var random = ThreadLocalRandom.current();
        try (var client = new PageServiceClient(options.host(), options.port(), options.tenant(), options.timeline(), options.compression());
                var stream = client.openPages()) {
            while (System.nanoTime() < deadline) {
                long first = issued.getAndAdd(options.batchSize());
                long n = options.pages() > 0 ? Math.min(options.batchSize(), options.pages() - first) : options.batchSize();
                if (n <= 0) {
                    break;
                }
                Target target = targets.get(random.nextInt(targets.size()));
                var request = GetPageRequest.newBuilder().setRequestId(RequestID.newBuilder().setId(first)).setReadLsn(lsn)
                        .setRel(proto(target.rel()));
                for (int i = 0; i < n; i++) {
                    request.addBlockNumber(random.nextInt(target.blocks()));
                }
                GetPageRequest sent = request.build();
                long t0 = System.nanoTime();
                GetPageResponse response = stream.exchange(sent);
                long elapsed = System.nanoTime() - t0;
                validate(sent, response);
                requests.incrementAndGet();
                if (count == latencies.length) {
                    latencies = Arrays.copyOf(latencies, count * 2);
                }
                latencies[count++] = elapsed;
            }
        }
        return Arrays.copyOf(latencies, count);
    }

    private static void validate(GetPageRequest sent, GetPageResponse response) {
        if (response.getStatusCode() != GetPageStatusCode.GET_PAGE_STATUS_CODE_OK) {
            throw new IllegalStateException("request " + sent.getRequestId().getId() + ": " + response.getStatusCode() + " " + response.getReason());
        }
        if (response.getRequestId().getId() != sent.getRequestId().getId() || response.getPageCount() != sent.getBlockNumberCount()) {
            throw new IllegalStateException("request " + sent.getRequestId().getId() + ": answered id " + response.getRequestId().getId()
                    + " with " + response.getPageCount() + " pages for " + sent.getBlockNumberCount() + " blocks");
        }
        for (int i = 0; i < response.getPageCount(); i++) {
            var page = response.getPage(i);
            if (page.getBlockNumber() != sent.getBlockNumber(i) || page.getImage().size() != PAGE_SIZE) {
                throw new IllegalStateException("request " + sent.getRequestId().getId() + ": page " + i + " is block "
                        + Integer.toUnsignedString(page.getBlockNumber()) + " of " + page.getImage().size() + " bytes, asked block "
                        + Integer.toUnsignedString(sent.getBlockNumber(i)));
            }
        }
    }

    private static dev.jneon.api.page.RelTag proto(RelTag rel) {
        return dev.jneon.api.page.RelTag.newBuilder().setSpcOid(rel.spcNode()).setDbOid(rel.dbNode()).setRelNumber(rel.relNode())
                .setForkNumber(rel.fork().number()).build();
    }
}

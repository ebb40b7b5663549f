package dev.jneon.compute.basebackup;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.compute.grpc.BasebackupClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a full basebackup from the pageserver into an empty data directory (spec A.5 step 6):
 * streams, gunzips and untars it as it arrives, reads the stream to its end so that an error the
 * server sends after the archive is seen, and retries {@value #ATTEMPTS} times with a backoff from
 * {@value #FIRST_BACKOFF_MILLIS} ms growing 1.5x, emptying the directory before each new attempt.
 * Stateless.
 */
public final class BasebackupFetcher {

    static final int ATTEMPTS = 10;
    static final long FIRST_BACKOFF_MILLIS = 500;

    private static final Logger log = LoggerFactory.getLogger(BasebackupFetcher.class);

    private BasebackupFetcher() {
    }

    /** What one fetch received. */
    public record Fetched(long files, long bytes, long compressedBytes, int attempts) {}

    public static Fetched fetch(InetSocketAddress pageserver, TenantTimelineId ttid, Lsn lsn, boolean replica,
            String token, Path pgdata) throws IOException, InterruptedException {
        String server = pageserver.getHostString() + ":" + pageserver.getPort();
        long backoff = FIRST_BACKOFF_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try (var client = new BasebackupClient(pageserver); InputStream tar = client.open(ttid, lsn, replica, token)) {
                TarExtractor.Result r = TarExtractor.extract(tar, pgdata);
                tar.transferTo(OutputStream.nullOutputStream());
                return new Fetched(r.files(), r.bytes(), client.compressedBytes(), attempt);
            } catch (IOException e) {
                if (attempt >= ATTEMPTS) {
                    throw new IOException("basebackup at " + lsn + " from " + server + " failed " + attempt
                            + " times, last: " + e.getMessage(), e);
                }
                log.warn("basebackup attempt {} from {} failed: {}; retrying in {} ms", attempt, server,
                        e.getMessage(), backoff);
                Thread.sleep(backoff);
                backoff = backoff * 3 / 2;
                empty(pgdata);
            }
        }
    }

    /** Removes everything inside {@code dir}, keeping {@code dir}. */
    static void empty(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }
}

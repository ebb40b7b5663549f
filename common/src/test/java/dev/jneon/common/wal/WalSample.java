package dev.jneon.common.wal;

import dev.jneon.common.id.Lsn;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.zip.GZIPInputStream;

/**
 * A golden WAL sample from {@code golden/wal/v1/} (made by its generate.sh from real PostgreSQL
 * 15): the bytes of pg_wal from a record start to a record end, and pg_waldump -b's listing.
 */
record WalSample(String name, Lsn start, Lsn end, byte[] bytes, PgWaldumpListing listing) {

    static final List<String> NAMES = List.of("spanning", "switch");

    static WalSample load(String name) {
        try {
            Properties p = new Properties();
            try (InputStream in = resource(name + ".properties")) {
                p.load(in);
            }
            byte[] wal;
            try (InputStream in = new GZIPInputStream(resource(name + ".wal.gz"))) {
                wal = in.readAllBytes();
            }
            String dump;
            try (InputStream in = new GZIPInputStream(resource(name + ".waldump.txt.gz"))) {
                dump = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new WalSample(name, Lsn.parse(p.getProperty("start")), Lsn.parse(p.getProperty("end")), wal,
                    PgWaldumpListing.parse(dump));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<WalSample> all() {
        return NAMES.stream().map(WalSample::load).toList();
    }

    /** Decodes the whole sample fed in chunks of {@code chunk} bytes; fails on any error. */
    List<WalRecord> decode(int chunk) throws WalDecodeException {
        WalDecoder d = new WalDecoder(start);
        List<WalRecord> out = new ArrayList<>();
        for (int off = 0; off < bytes.length; off += chunk) {
            d.feed(bytes, off, Math.min(chunk, bytes.length - off));
            WalRecord r;
            while ((r = d.next()) != null) {
                out.add(r);
            }
        }
        d.finish();
        return out;
    }

    private static InputStream resource(String file) throws IOException {
        InputStream in = WalSample.class.getResourceAsStream("/golden/wal/v1/" + file);
        if (in == null) {
            throw new IOException("missing test resource golden/wal/v1/" + file);
        }
        return in;
    }
}

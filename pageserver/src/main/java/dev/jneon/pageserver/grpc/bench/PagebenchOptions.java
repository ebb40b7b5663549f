package dev.jneon.pageserver.grpc.bench;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.ShardIndex;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of {@code pagebench get-page-latest-lsn}. Immutable; validated on construction.
 *
 * @param host page service host
 * @param port page service port
 * @param tenant tenant shard to read
 * @param timeline timeline to read
 * @param rels relation forks to read, {@code spc/db/rel[/fork]}
 * @param blocks blocks per relation to read from (0: ask GetRelSize)
 * @param batchSize blocks per GetPage request, 1..32
 * @param compression none, gzip or zstd
 * @param pages stop after this many pages (0: no page limit)
 * @param duration stop after this long (null: no time limit)
 * @param clients concurrent GetPages streams, each on its own connection
 * @param notModifiedSince the LSN the reads promise no change after (request_lsn is the maximum)
 */
public record PagebenchOptions(String host, int port, TenantShardId tenant, TimelineId timeline, List<RelTag> rels, int blocks,
        int batchSize, String compression, long pages, Duration duration, int clients, Lsn notModifiedSince) {

    public static final String USAGE = """
            usage: pagebench get-page-latest-lsn --tenant ID --timeline ID --rel SPC/DB/REL[/FORK] [--rel ...]
                     [--endpoint HOST:PORT (127.0.0.1:51051)] [--shard 0000] [--blocks N (GetRelSize)]
                     [--batch-size 1..32 (1)] [--compression none|gzip|zstd (none)]
                     [--requests PAGES | --duration 30s] [--clients C (1)] [--lsn NOT_MODIFIED_SINCE (0/1)]""";

    public PagebenchOptions {
        rels = List.copyOf(rels);
        if (rels.isEmpty()) {
            throw new IllegalArgumentException("at least one --rel is needed");
        }
        if (batchSize < 1 || batchSize > 32) {
            throw new IllegalArgumentException("--batch-size must be 1..32, got " + batchSize);
        }
        if (clients < 1) {
            throw new IllegalArgumentException("--clients must be at least 1");
        }
        if (pages <= 0 && duration == null) {
            throw new IllegalArgumentException("give --requests or --duration");
        }
        if (!List.of("none", "gzip", "zstd").contains(compression)) {
            throw new IllegalArgumentException("--compression must be none, gzip or zstd");
        }
    }

    /** Parses the arguments after the sub-command name. */
    public static PagebenchOptions parse(List<String> args) {
        String endpoint = "127.0.0.1:51051";
        String tenant = null;
        String timeline = null;
        String shard = "0000";
        List<RelTag> rels = new ArrayList<>();
        int blocks = 0;
        int batch = 1;
        String compression = "none";
        long pages = 0;
        Duration duration = null;
        int clients = 1;
        Lsn lsn = Lsn.of(1);
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            String value = args.get(++i);
            switch (name) {
                case "--endpoint" -> endpoint = value;
                case "--tenant" -> tenant = value;
                case "--timeline" -> timeline = value;
                case "--shard" -> shard = value;
                case "--rel" -> rels.add(rel(value));
                case "--blocks" -> blocks = Integer.parseInt(value);
                case "--batch-size" -> batch = Integer.parseInt(value);
                case "--compression" -> compression = value;
                case "--requests" -> pages = Long.parseLong(value);
                case "--duration" -> duration = Duration.parse("PT" + value.toUpperCase());
                case "--clients" -> clients = Integer.parseInt(value);
                case "--lsn" -> lsn = Lsn.parse(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (tenant == null || timeline == null) {
            throw new IllegalArgumentException("--tenant and --timeline are required");
        }
        int colon = endpoint.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--endpoint must be HOST:PORT");
        }
        return new PagebenchOptions(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)),
                new TenantShardId(TenantId.parse(tenant), ShardIndex.parse(shard)), TimelineId.parse(timeline), rels, blocks,
                batch, compression, pages, duration, clients, lsn);
    }

    private static RelTag rel(String text) {
        String[] parts = text.split("/");
        if (parts.length < 3 || parts.length > 4) {
            throw new IllegalArgumentException("--rel must be SPC/DB/REL[/FORK], got " + text);
        }
        ForkNumber fork = parts.length == 4 ? ForkNumber.of(Integer.parseInt(parts[3])) : ForkNumber.MAIN;
        return new RelTag(Integer.parseUnsignedInt(parts[0]), Integer.parseUnsignedInt(parts[1]), Integer.parseUnsignedInt(parts[2]), fork);
    }
}

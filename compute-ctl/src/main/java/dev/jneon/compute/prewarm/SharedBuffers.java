package dev.jneon.compute.prewarm;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What compute-ctl does with Postgres' shared buffers through the {@code pg_prewarm} extension of
 * one database (spec D.2), over a connection the caller owns: {@link #dumpNow} makes Postgres write
 * {@code PGDATA/autoprewarm.blocks}; {@link #load} reads listed blocks into shared buffers while the
 * compute runs (the autoprewarm leader loads only once per postmaster). Loading maps each
 * {@code (tablespace, relfilenode)} to a relation with {@code pg_filenode_relation} (relfilenodes
 * are stable across basebackups of a timeline), clips block runs to the fork's current size and calls
 * {@code pg_prewarm(rel, 'buffer', fork, first, last)} per run, at most {@code shared_buffers}
 * blocks in all. Only this database's and shared relations' main and init fork blocks are loaded
 * ({@link PrewarmBlocks#loadable()}); the rest, and runs Postgres refuses to read, count as skipped. Not thread-safe, except {@link #cancel}, which may be called from any thread.
 */
public final class SharedBuffers {

    /** What a load did: entries in the list, buffers read, entries left out. Immutable. */
    public record Loaded(long total, long prewarmed, long skipped) {}

    /** A load stopped by {@link #cancel}. */
    public static final class Cancelled extends Exception {
        Cancelled() {
            super("prewarm cancelled", null, false, false);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(SharedBuffers.class);

    private final Connection connection;
    private volatile Statement running;
    private volatile boolean cancelled;

    public SharedBuffers(Connection connection) {
        this.connection = connection;
    }

    /** {@code autoprewarm_dump_now()}: the number of buffers Postgres wrote to {@code autoprewarm.blocks}. */
    public long dumpNow() throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + schema() + ".autoprewarm_dump_now()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Loads the blocks of {@code list} that belong to this database or to shared relations. */
    public Loaded load(PrewarmBlocks list) throws SQLException, Cancelled {
        String schema = schema();
        long database;
        long budget;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT d.oid, (SELECT setting::bigint FROM pg_catalog.pg_settings WHERE name = 'shared_buffers')"
                        + " FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()")) {
            rs.next();
            database = rs.getLong(1);
            budget = rs.getLong(2);
        }
        Map<Relation, List<Integer>> byFork = new TreeMap<>();
        for (BlockRef b : list.loadable().blocks()) {
            long db = Integer.toUnsignedLong(b.database());
            if (db == database || db == 0) {
                byFork.computeIfAbsent(new Relation(Integer.toUnsignedLong(b.tablespace()),
                        Integer.toUnsignedLong(b.relfilenode()), b.fork()), k -> new ArrayList<>()).add(b.block());
            }
        }
        long prewarmed = 0;
        try (PreparedStatement resolve = connection.prepareStatement("SELECT r::oid, pg_catalog.pg_relation_size(r, ?)"
                        + " / pg_catalog.current_setting('block_size')::bigint"
                        + " FROM pg_catalog.pg_filenode_relation(?::oid, ?::oid) r WHERE r IS NOT NULL");
                PreparedStatement prewarm = connection.prepareStatement(
                        "SELECT " + schema + ".pg_prewarm(?::oid::regclass, 'buffer', ?, ?, ?)")) {
            for (var entry : byFork.entrySet()) {
                Relation rel = entry.getKey();
                long[] found = resolve(resolve, rel);
                if (found == null) {
                    continue; // dropped or rewritten since the dump
                }
                for (long[] run : runs(entry.getValue(), found[1])) {
                    if (prewarmed >= budget) {
                        break;
                    }
                    long last = Math.min(run[1], run[0] + (budget - prewarmed) - 1);
                    try {
                        prewarmed += call(prewarm, found[0], rel, run[0], last);
                    } catch (SQLException e) {
                        if (cancelled) {
                            throw e;
                        }
                        // e.g. a page failing its checksum: that run is skipped, the rest is loaded
                        log.warn("prewarm: blocks {}..{} of {} skipped: {}", run[0], last, rel, e.getMessage());
                    }
                }
            }
        } catch (SQLException e) {
            if (cancelled) {
                throw new Cancelled();
            }
            throw e;
        }
        if (cancelled) {
            throw new Cancelled();
        }
        return new Loaded(list.size(), prewarmed, list.size() - prewarmed);
    }

    /** Stops a {@link #load} in progress: it throws {@link Cancelled}. */
    public void cancel() {
        cancelled = true;
        Statement st = running;
        if (st != null) {
            try {
                st.cancel();
            } catch (SQLException e) {
                log.debug("cancelling the prewarm statement failed: {}", e.getMessage());
            }
        }
    }

    private record Relation(long tablespace, long relfilenode, int fork) implements Comparable<Relation> {
        public int compareTo(Relation o) {
            int c = Long.compare(tablespace, o.tablespace);
            c = c != 0 ? c : Long.compare(relfilenode, o.relfilenode);
            return c != 0 ? c : Integer.compare(fork, o.fork);
        }
    }

    /** The relation's oid and the fork's size in blocks, or null if no relation has that file. */
    private long[] resolve(PreparedStatement resolve, Relation rel) throws SQLException, Cancelled {
        checkCancelled();
        resolve.setString(1, BlockRef.FORK_NAMES[rel.fork()]);
        resolve.setLong(2, rel.tablespace());
        resolve.setLong(3, rel.relfilenode());
        running = resolve;
        try (ResultSet rs = resolve.executeQuery()) {
            return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
        } finally {
            running = null;
        }
    }

    private long call(PreparedStatement prewarm, long relation, Relation rel, long first, long last)
            throws SQLException, Cancelled {
        checkCancelled();
        prewarm.setLong(1, relation);
        prewarm.setString(2, BlockRef.FORK_NAMES[rel.fork()]);
        prewarm.setLong(3, first);
        prewarm.setLong(4, last);
        running = prewarm;
        try (ResultSet rs = prewarm.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } finally {
            running = null;
        }
    }

    /** Sorted, distinct blocks below {@code size} as inclusive {@code [first, last]} runs. */
    static List<long[]> runs(List<Integer> blocks, long size) {
        long[] sorted = blocks.stream().mapToLong(Integer::toUnsignedLong).filter(b -> b < size).sorted().distinct()
                .toArray();
        List<long[]> runs = new ArrayList<>();
        for (int i = 0; i < sorted.length; ) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] == sorted[j] + 1) {
                j++;
            }
            runs.add(new long[] {sorted[i], sorted[j]});
            i = j + 1;
        }
        return runs;
    }

    private void checkCancelled() throws Cancelled {
        if (cancelled) {
            throw new Cancelled();
        }
    }

    /** The quoted schema of the pg_prewarm extension in this database. */
    private String schema() throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT pg_catalog.quote_ident(n.nspname) FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n"
                        + " ON n.oid = e.extnamespace WHERE e.extname = 'pg_prewarm'")) {
            if (!rs.next()) {
                throw new SQLException("extension pg_prewarm is not installed in database "
                        + connection.getCatalog());
            }
            return rs.getString(1);
        }
    }
}

package dev.jneon.compute.prewarm;

/**
 * One buffer named in an {@code autoprewarm.blocks} file: database OID (0 for shared catalogs),
 * tablespace OID, relfilenode, fork number and block number. The four OIDs and the block number are
 * unsigned 32-bit values kept in {@code int}s (compare and print them unsigned). Immutable.
 *
 * @param fork 0 main, 1 free space map, 2 visibility map, 3 init
 */
public record BlockRef(int database, int tablespace, int relfilenode, int fork, int block) {

    /** The fork names {@code pg_prewarm()} takes, by fork number. */
    static final String[] FORK_NAMES = {"main", "fsm", "vm", "init"};

    public BlockRef {
        if (fork < 0 || fork >= FORK_NAMES.length) {
            throw new IllegalArgumentException("fork number must be 0..3, got " + fork);
        }
    }

    public String forkName() {
        return FORK_NAMES[fork];
    }

    /** The dump file's text form: {@code db,tablespace,relfilenode,fork,block}, all unsigned decimal. */
    String line() {
        return Integer.toUnsignedString(database) + "," + Integer.toUnsignedString(tablespace) + ","
                + Integer.toUnsignedString(relfilenode) + "," + fork + "," + Integer.toUnsignedString(block);
    }
}

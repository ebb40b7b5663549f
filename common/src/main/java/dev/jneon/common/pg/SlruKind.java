package dev.jneon.common.pg;

/**
 * The SLRUs the pageserver stores, numbered as in Neon's key space (key field 2) with their directory
 * under the data directory. Each SLRU segment file holds {@link #PAGES_PER_SEGMENT} 8 KiB pages and is
 * named by its segment number in hex.
 */
public enum SlruKind {
    CLOG(0, "pg_xact"),
    MULTIXACT_MEMBERS(1, "pg_multixact/members"),
    MULTIXACT_OFFSETS(2, "pg_multixact/offsets");

    /** SLRU_PAGES_PER_SEGMENT. */
    public static final int PAGES_PER_SEGMENT = 32;

    private final int number;
    private final String directory;

    SlruKind(int number, String directory) {
        this.number = number;
        this.directory = directory;
    }

    public int number() {
        return number;
    }

    /** Directory relative to the data directory, e.g. {@code pg_multixact/members}. */
    public String directory() {
        return directory;
    }

    public static SlruKind of(int number) {
        return switch (number) {
            case 0 -> CLOG;
            case 1 -> MULTIXACT_MEMBERS;
            case 2 -> MULTIXACT_OFFSETS;
            default -> throw new IllegalArgumentException("unknown SLRU kind " + number + ": expected 0..2");
        };
    }

    /** The kind whose directory is {@code directory} (e.g. {@code pg_xact}). */
    public static SlruKind ofDirectory(String directory) {
        for (SlruKind kind : values()) {
            if (kind.directory.equals(directory)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown SLRU directory '" + directory
                + "': expected pg_xact, pg_multixact/members or pg_multixact/offsets");
    }
}

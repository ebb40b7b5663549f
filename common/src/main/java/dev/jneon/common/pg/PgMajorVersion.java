package dev.jneon.common.pg;

/**
 * A supported PostgreSQL major version. Code that differs by version switches over this enum so the
 * compiler sees every case; JSON carries the bare major number (e.g. {@code 15}).
 */
public enum PgMajorVersion {
    PG14(14),
    PG15(15),
    PG16(16),
    PG17(17);

    private final int major;

    PgMajorVersion(int major) {
        this.major = major;
    }

    public int major() {
        return major;
    }

    public static PgMajorVersion of(int major) {
        return switch (major) {
            case 14 -> PG14;
            case 15 -> PG15;
            case 16 -> PG16;
            case 17 -> PG17;
            default -> throw new IllegalArgumentException(
                    "unsupported PostgreSQL major version " + major + ": expected one of 14, 15, 16, 17");
        };
    }

    /** Parses the bare major number, e.g. {@code "15"}; throws {@link IllegalArgumentException} naming the input. */
    public static PgMajorVersion parse(String text) {
        if (text == null || text.length() != 2 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("malformed PostgreSQL major version '" + text + "': expected 14, 15, 16 or 17");
        }
        return of(Integer.parseInt(text));
    }

    /** The first release of this major as a full version id, e.g. 150000. */
    public PgVersionId versionId() {
        return PgVersionId.of(this);
    }

    /** Contents of the data directory's {@code PG_VERSION} file: the major number and a newline. */
    public String versionFileContents() {
        return major + "\n";
    }

    /** XLOG_PAGE_MAGIC of this version's WAL. */
    public int walPageMagic() {
        return switch (this) {
            case PG14 -> 0xD10D;
            case PG15 -> 0xD110;
            case PG16 -> 0xD113;
            case PG17 -> 0xD116;
        };
    }

    @Override
    public String toString() {
        return Integer.toString(major);
    }
}

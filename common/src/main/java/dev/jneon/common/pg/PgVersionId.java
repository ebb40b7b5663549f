package dev.jneon.common.pg;

/**
 * A full PostgreSQL version number in decimal {@code MMmmbb} form, e.g. {@code 150018} for 15.18, as
 * found in {@code PG_VERSION_NUM}, {@code server_version_num} and protocol messages. Since PostgreSQL
 * 10 the middle two digits are always 00. Only supported majors ({@link PgMajorVersion}) are accepted,
 * so every value converts to a major without failure. JSON carries the bare number. Ordered
 * numerically. Immutable.
 */
public record PgVersionId(int value) implements Comparable<PgVersionId> {

    public PgVersionId {
        if (value < 0) {
            throw new IllegalArgumentException("PostgreSQL version id " + value + " is negative");
        }
        if (value % 10000 / 100 != 0) {
            throw new IllegalArgumentException("malformed PostgreSQL version id " + value
                    + ": expected MM00bb (PostgreSQL 10 and later have no middle version digits)");
        }
        PgMajorVersion.of(value / 10000);
    }

    /** The first release of a major, e.g. 150000. */
    public static PgVersionId of(PgMajorVersion major) {
        return new PgVersionId(major.major() * 10000);
    }

    /** A release from its major and minor number, e.g. (PG15, 8) → 150008. */
    public static PgVersionId of(PgMajorVersion major, int minor) {
        if (minor < 0 || minor > 99) {
            throw new IllegalArgumentException("PostgreSQL minor version " + minor + " is outside 0..99");
        }
        return new PgVersionId(major.major() * 10000 + minor);
    }

    /** Parses the decimal number, e.g. {@code "150018"}; throws {@link IllegalArgumentException} naming the input. */
    public static PgVersionId parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 6 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("malformed PostgreSQL version id '" + text
                    + "': expected a decimal MMmmbb number such as 150018");
        }
        return new PgVersionId(Integer.parseInt(text));
    }

    public PgMajorVersion major() {
        return PgMajorVersion.of(value / 10000);
    }

    /** The minor release number, e.g. 18 for 150018. */
    public int minor() {
        return value % 100;
    }

    @Override
    public int compareTo(PgVersionId o) {
        return Integer.compare(value, o.value);
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}

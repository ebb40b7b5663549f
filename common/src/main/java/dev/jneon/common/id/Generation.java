package dev.jneon.common.id;

/**
 * A tenant attachment generation (RFC 025): an unsigned 32-bit number handed out by the storage
 * controller each time a tenant shard is attached, or {@link #NONE} for data written before
 * generations existed. {@code NONE} sorts below every valid generation, including 0.
 *
 * <p>Held as a long: -1 for {@code NONE}, else 0..2^32-1. Remote object names carry it as the suffix
 * {@code -%08x} (lowercase hex), empty for {@code NONE}; JSON carries the number, {@code null} for
 * {@code NONE}. Immutable.
 */
public record Generation(long value) implements Comparable<Generation> {

    private static final long NONE_VALUE = -1;
    private static final long MAX_VALUE = 0xFFFF_FFFFL;

    public static final Generation NONE = new Generation(NONE_VALUE);
    public static final Generation MAX = new Generation(MAX_VALUE);

    public Generation {
        if (value < NONE_VALUE || value > MAX_VALUE) {
            throw new IllegalArgumentException("generation " + value + " is outside 0..4294967295");
        }
    }

    /** A valid generation; {@code number} must be within 0..2^32-1. */
    public static Generation of(long number) {
        if (number < 0 || number > MAX_VALUE) {
            throw new IllegalArgumentException("generation " + number + " is outside 0..4294967295");
        }
        return new Generation(number);
    }

    public boolean isNone() {
        return value == NONE_VALUE;
    }

    /** The number of a valid generation; {@link IllegalStateException} for {@link #NONE}. */
    public long number() {
        if (isNone()) {
            throw new IllegalStateException("generation NONE has no number");
        }
        return value;
    }

    /** The following generation: NONE → 1, n → n+1; {@link IllegalStateException} past {@link #MAX}. */
    public Generation next() {
        if (isNone()) {
            return new Generation(1);
        }
        if (value == MAX_VALUE) {
            throw new IllegalStateException("generation " + value + " has no successor");
        }
        return new Generation(value + 1);
    }

    /** The preceding generation: 0 → NONE (a tenant upgraded from before generations), NONE → NONE. */
    public Generation previous() {
        return isNone() || value == 0 ? NONE : new Generation(value - 1);
    }

    /** File-name suffix: {@code -%08x}, or the empty string for {@link #NONE}. */
    public String suffix() {
        return isNone() ? "" : String.format("-%08x", value);
    }

    /**
     * Parses the hex digits of a suffix (without the dash), as cut from a file name; the empty string
     * is {@link #NONE}. Throws {@link IllegalArgumentException} naming the bad input.
     */
    public static Generation parseSuffix(String hex) {
        if (hex == null) {
            throw new IllegalArgumentException("generation suffix must not be null");
        }
        if (hex.isEmpty()) {
            return NONE;
        }
        if (hex.length() != 8) {
            throw new IllegalArgumentException("malformed generation suffix '" + hex + "': expected 8 hex digits");
        }
        return new Generation(HexDigits.parseUnsigned(hex, 0, 8, "generation suffix"));
    }

    @Override
    public int compareTo(Generation o) {
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        return isNone() ? "<none>" : String.format("%08x", value);
    }
}

package dev.jneon.common.pg;

/** A relation fork, numbered as PostgreSQL numbers them on disk and in WAL. */
public enum ForkNumber {
    MAIN(0, ""),
    FSM(1, "_fsm"),
    VISIBILITY_MAP(2, "_vm"),
    INIT(3, "_init");

    private final int number;
    private final String fileSuffix;

    ForkNumber(int number, String fileSuffix) {
        this.number = number;
        this.fileSuffix = fileSuffix;
    }

    public int number() {
        return number;
    }

    /** Suffix of the fork's file name after the relfilenode, e.g. {@code _vm}. */
    public String fileSuffix() {
        return fileSuffix;
    }

    public static ForkNumber of(int number) {
        return switch (number) {
            case 0 -> MAIN;
            case 1 -> FSM;
            case 2 -> VISIBILITY_MAP;
            case 3 -> INIT;
            default -> throw new IllegalArgumentException("unknown fork number " + number + ": expected 0..3");
        };
    }
}

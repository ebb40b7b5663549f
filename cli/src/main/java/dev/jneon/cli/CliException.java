package dev.jneon.cli;

/**
 * A failure to report to the operator as one line, without a stack trace. {@code exitCode} 2 means
 * the command line was wrong (usage), 1 that the command could not be carried out.
 */
public final class CliException extends RuntimeException {

    private final int exitCode;

    private CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The command could not be carried out. */
    public static CliException failed(String message) {
        return new CliException(message, 1);
    }

    /** The command line itself is wrong. */
    public static CliException usage(String message) {
        return new CliException(message, 2);
    }

    public int exitCode() {
        return exitCode;
    }
}

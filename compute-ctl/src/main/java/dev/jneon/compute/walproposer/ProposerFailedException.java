package dev.jneon.compute.walproposer;

/** The walproposer stopped for good: another proposer holds a newer term, or the timeline is unusable. */
public final class ProposerFailedException extends RuntimeException {

    public ProposerFailedException(String message) {
        super(message);
    }
}

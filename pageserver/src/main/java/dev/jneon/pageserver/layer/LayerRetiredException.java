package dev.jneon.pageserver.layer;

/**
 * A read reached a layer that was replaced and closed after the reader took its layer-map
 * snapshot; the read must start again on a fresh snapshot, where the replacement is.
 */
public final class LayerRetiredException extends RuntimeException {

    public LayerRetiredException(String message) {
        super(message, null, false, false);
    }
}

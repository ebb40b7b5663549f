package dev.jneon.compute.prewarm;

/**
 * Where offloading stands (spec D.1, {@code GET /lfc/offload}): {@code not_offloaded} →
 * {@code offloading} → {@code completed} | {@code skipped} (nothing cached) | {@code failed}; a
 * later offload starts again from any end state. Immutable values.
 */
public sealed interface OffloadState {

    /** The {@code status} tag of the JSON form. */
    String status();

    /** True while an offload runs: another request gets 429. */
    default boolean busy() {
        return this instanceof Offloading;
    }

    record NotOffloaded() implements OffloadState {
        public String status() {
            return "not_offloaded";
        }
    }

    record Offloading() implements OffloadState {
        public String status() {
            return "offloading";
        }
    }

    record Completed(long stateQueryTimeMs, long compressTimeMs, long stateUploadTimeMs) implements OffloadState {
        public String status() {
            return "completed";
        }
    }

    record Skipped() implements OffloadState {
        public String status() {
            return "skipped";
        }
    }

    record Failed(String error) implements OffloadState {
        public String status() {
            return "failed";
        }
    }
}

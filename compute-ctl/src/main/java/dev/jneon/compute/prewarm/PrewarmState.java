package dev.jneon.compute.prewarm;

/**
 * Where prewarming stands (spec D.1, {@code GET /lfc/prewarm}): {@code not_prewarmed} →
 * {@code prewarming} → {@code completed} | {@code skipped} (no saved state: normal on a first start)
 * | {@code failed} | {@code cancelled}. Immutable values.
 */
public sealed interface PrewarmState {

    /** The {@code status} tag of the JSON form. */
    String status();

    /** True while a prewarm runs: another request gets 429. */
    default boolean busy() {
        return this instanceof Prewarming;
    }

    record NotPrewarmed() implements PrewarmState {
        public String status() {
            return "not_prewarmed";
        }
    }

    record Prewarming() implements PrewarmState {
        public String status() {
            return "prewarming";
        }
    }

    /**
     * @param total     entries in the saved state
     * @param prewarmed buffers loaded
     * @param skipped   {@code total - prewarmed}: vanished relations or blocks, other databases, no free buffer
     */
    record Completed(long total, long prewarmed, long skipped, long stateDownloadTimeMs, long uncompressTimeMs,
            long prewarmTimeMs) implements PrewarmState {
        public String status() {
            return "completed";
        }
    }

    record Skipped() implements PrewarmState {
        public String status() {
            return "skipped";
        }
    }

    record Failed(String error) implements PrewarmState {
        public String status() {
            return "failed";
        }
    }

    record Cancelled() implements PrewarmState {
        public String status() {
            return "cancelled";
        }
    }
}

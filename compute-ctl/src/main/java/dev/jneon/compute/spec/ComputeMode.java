package dev.jneon.compute.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.jneon.common.id.Lsn;
import java.util.Map;

/**
 * How a compute runs (spec A.5): a read-write primary, a read-only snapshot at an LSN, or a
 * read replica. JSON: {@code "Primary"}, {@code "Replica"} or {@code {"Static": "0/16B5A50"}}.
 * Immutable.
 */
public sealed interface ComputeMode {

    /** The read-write compute of a timeline: syncs safekeepers, runs the walproposer. */
    record Primary() implements ComputeMode {}

    /** A read-only compute at a fixed LSN: no walproposer, Postgres refuses writes. */
    record Static(Lsn lsn) implements ComputeMode {
        public Static {
            if (lsn == null || !lsn.isValid()) {
                throw new IllegalArgumentException("a static endpoint needs a valid LSN, got " + lsn);
            }
        }
    }

    /** A hot standby following the safekeepers; jneon does not run replicas yet. */
    record Replica() implements ComputeMode {}

    /** Reads the JSON forms {@code "Primary"}, {@code "Replica"}, {@code {"Static": "X/Y"}}. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ComputeMode fromJson(Object json) {
        if ("Primary".equals(json)) {
            return new Primary();
        }
        if ("Replica".equals(json)) {
            return new Replica();
        }
        if (json instanceof Map<?, ?> map && map.size() == 1 && map.get("Static") instanceof String lsn) {
            return new Static(Lsn.parse(lsn));
        }
        throw new IllegalArgumentException("mode must be \"Primary\", \"Replica\" or {\"Static\": \"X/Y\"}, got " + json);
    }

    /** The JSON form, inverse of {@link #fromJson}. */
    @JsonValue
    default Object toJson() {
        return switch (this) {
            case Primary p -> "Primary";
            case Replica r -> "Replica";
            case Static s -> Map.of("Static", s.lsn().toString());
        };
    }

    /** The spelling used in logs. */
    default String label() {
        return switch (this) {
            case Primary p -> "Primary";
            case Replica r -> "Replica";
            case Static s -> "Static(" + s.lsn() + ")";
        };
    }
}

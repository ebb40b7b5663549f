package dev.jneon.compute.prewarm;

import dev.jneon.compute.spec.ComputeSpec;
import dev.jneon.compute.spec.SpecParser;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Test specs: the Neon-shaped spec of the test resources, with prewarm fields and other ids. */
final class Specs {

    static final String TENANT = "3aa8fcc61f6d357410b7de754b1d9001";
    static final String TIMELINE = "de200bd42b49cc1814412c7e592dd6e9";
    static final String ENDPOINT = "ep-bold-moon-111111";

    private Specs() {
    }

    /** The spec with {@code extraFields} (JSON members, e.g. {@code "a": 1, "b": "x"}) added; "" for none. */
    static ComputeSpec with(String extraFields) {
        return with(extraFields, ENDPOINT);
    }

    /** Like {@link #with(String)}, for endpoint {@code endpointId}. */
    static ComputeSpec with(String extraFields, String endpointId) {
        try (var in = Specs.class.getResourceAsStream("/spec/neon-shaped-config.json")) {
            String json = new String(in.readAllBytes()).replace(ENDPOINT, endpointId);
            if (!extraFields.isEmpty()) {
                json = json.replace("\"mode\": \"Primary\",", "\"mode\": \"Primary\", " + extraFields + ",");
            }
            return SpecParser.parse(json).spec();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A spec whose endpoint storage is {@code addr}, with {@code token}, for endpoint {@code endpointId}. */
    static ComputeSpec endpointStorage(String addr, String token, String endpointId) {
        return with("\"endpoint_storage_addr\": \"" + addr + "\", \"endpoint_storage_token\": \"" + token + "\"",
                endpointId);
    }
}

package dev.jneon.compute.spec;

import dev.jneon.common.json.JneonJacksonModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a {@link ComputeConfig} from JSON text or a file. Every problem (syntax, a missing required
 * field, a bad LSN or id, an unsupported mode) becomes a {@link SpecException} whose message names
 * it. Thread-safe (the mapper is immutable).
 */
public final class SpecParser {

    private static final JsonMapper MAPPER = JsonMapper.builder().addModule(new JneonJacksonModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private SpecParser() {
    }

    public static ComputeConfig parse(String json) {
        if (json == null || json.isBlank()) {
            throw new SpecException("empty compute config");
        }
        try {
            ComputeConfig config = MAPPER.readValue(json, ComputeConfig.class);
            if (config == null) {
                throw new SpecException("compute config is null");
            }
            return config;
        } catch (JacksonException e) {
            throw new SpecException("invalid compute config: " + rootMessage(e));
        } catch (IllegalArgumentException e) {
            throw new SpecException("invalid compute config: " + e.getMessage());
        }
    }

    public static ComputeConfig read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new SpecException("cannot read compute config " + file + ": " + e.getMessage());
        }
    }

    /** The JSON form of {@code spec}, as written to logs and test files. */
    public static String write(ComputeSpec spec) {
        return MAPPER.writeValueAsString(spec);
    }

    private static String rootMessage(JacksonException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof JacksonException j) {
            return j.getOriginalMessage();
        }
        return root.getMessage();
    }

    /** A compute config that cannot be used; the message says why. */
    public static final class SpecException extends RuntimeException {
        public SpecException(String message) {
            super(message, null, false, false);
        }
    }
}

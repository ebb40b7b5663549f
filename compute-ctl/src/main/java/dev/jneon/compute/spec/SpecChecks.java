package dev.jneon.compute.spec;

/** Validation shared by the spec records. Stateless. */
final class SpecChecks {

    /** Postgres truncates identifiers at NAMEDATALEN - 1 bytes; longer ones would silently collide. */
    static final int MAX_NAME_BYTES = 63;

    private SpecChecks() {
    }

    static void name(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(what + " needs a name");
        }
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException(what + " name '" + name + "' is longer than " + MAX_NAME_BYTES + " bytes");
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " name contains a NUL byte");
        }
    }
}

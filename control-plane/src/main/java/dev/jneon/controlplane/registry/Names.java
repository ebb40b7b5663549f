package dev.jneon.controlplane.registry;

/** Role and database names the registry accepts: 1..63 bytes, no NUL, not reserved. Stateless. */
public final class Names {

    private Names() {
    }

    public static String check(String kind, String name) {
        if (name == null || name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 63
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(kind + " name must be 1..63 bytes without NUL");
        }
        if (name.equals("cloud_admin") || name.equals("walproposer") || name.startsWith("pg_")
                || name.equals("neon_superuser") || name.startsWith("template")) {
            throw new IllegalArgumentException(kind + " name '" + name + "' is reserved");
        }
        return name;
    }
}

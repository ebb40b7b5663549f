package dev.jneon.proxy.frontend;

import java.util.Optional;

/**
 * The password hack (B.2) for clients without SNI or options: the cleartext password
 * {@code endpoint=<id>;<password>} (also {@code project=}, and {@code $} instead of {@code ;}).
 * Immutable value.
 */
public record PasswordHack(String endpoint, String password) {

    @Override
    public String toString() {
        return "PasswordHack[endpoint=" + endpoint + "]";
    }

    /** The endpoint and real password in {@code cleartext}, if it has that shape. */
    public static Optional<PasswordHack> parse(String cleartext) {
        int sep = cleartext.indexOf(';');
        if (sep < 0) {
            sep = cleartext.indexOf('$');
        }
        if (sep < 0) {
            return Optional.empty();
        }
        String password = cleartext.substring(sep + 1);
        return EndpointResolver.endpointToken(cleartext.substring(0, sep))
                .map(ep -> new PasswordHack(ep, password));
    }
}

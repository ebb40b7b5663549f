package dev.jneon.proxy.cplane;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.List;

/**
 * An endpoint's IP allowlist (B.5): empty allows everyone; otherwise a client must match one entry, an exact
 * address ({@code 10.1.2.3}, {@code ::1}), an inclusive range ({@code 10.0.0.1-10.0.0.9}) or a CIDR block
 * ({@code 10.0.0.0/8}). An entry that does not parse matches nothing. IPv4 entries never match IPv6 clients and
 * the other way round. Host names are never resolved. Immutable.
 */
public record AllowedIps(List<String> entries) {

    /** One parsed entry. */
    sealed interface Pattern permits Exact, Range, Block, Unparsable {
        boolean matches(InetAddress address);
    }

    record Exact(InetAddress address) implements Pattern {
        public boolean matches(InetAddress a) {
            return address.equals(a);
        }
    }

    record Range(InetAddress from, InetAddress to) implements Pattern {
        public boolean matches(InetAddress a) {
            return sameFamily(from, a) && number(from).compareTo(number(a)) <= 0 && number(a).compareTo(number(to)) <= 0;
        }
    }

    record Block(InetAddress network, int prefix) implements Pattern {
        public boolean matches(InetAddress a) {
            if (!sameFamily(network, a)) {
                return false;
            }
            int bits = a.getAddress().length * 8;
            return number(network).shiftRight(bits - prefix).equals(number(a).shiftRight(bits - prefix));
        }
    }

    record Unparsable(String text) implements Pattern {
        public boolean matches(InetAddress a) {
            return false;
        }
    }

    public AllowedIps {
        entries = List.copyOf(entries);
    }

    public static AllowedIps all() {
        return new AllowedIps(List.of());
    }

    /** Parses a comma-separated list (the Postgres backend's column); blank means all. */
    public static AllowedIps parseList(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return all();
        }
        return new AllowedIps(List.of(commaSeparated.split(",")).stream().map(String::strip)
                .filter(s -> !s.isEmpty()).toList());
    }

    public boolean allowsEveryone() {
        return entries.isEmpty();
    }

    public boolean allows(InetAddress client) {
        return entries.isEmpty() || entries.stream().map(AllowedIps::pattern).anyMatch(p -> p.matches(client));
    }

    static Pattern pattern(String entry) {
        String text = entry.strip();
        try {
            int slash = text.indexOf('/');
            if (slash > 0) {
                InetAddress network = InetAddress.ofLiteral(text.substring(0, slash));
                int prefix = Integer.parseInt(text.substring(slash + 1));
                if (prefix < 0 || prefix > network.getAddress().length * 8) {
                    return new Unparsable(text);
                }
                return new Block(network, prefix);
            }
            int dash = text.indexOf('-');
            if (dash > 0) {
                InetAddress from = InetAddress.ofLiteral(text.substring(0, dash).strip());
                InetAddress to = InetAddress.ofLiteral(text.substring(dash + 1).strip());
                return sameFamily(from, to) ? new Range(from, to) : new Unparsable(text);
            }
            return new Exact(InetAddress.ofLiteral(text));
        } catch (IllegalArgumentException e) {
            return new Unparsable(text);
        }
    }

    private static boolean sameFamily(InetAddress a, InetAddress b) {
        return a.getAddress().length == b.getAddress().length;
    }

    private static BigInteger number(InetAddress a) {
        return new BigInteger(1, a.getAddress());
    }
}

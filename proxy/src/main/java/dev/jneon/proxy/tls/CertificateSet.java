package dev.jneon.proxy.tls;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The certificates served at one time, by domain, plus the default one (B.3). SNI lookup: the
 * exact name, then the name with leading labels dropped one at a time ({@code ep.local.jneon.dev}
 * finds {@code local.jneon.dev}); no match or no SNI gives the default. Immutable: a reload builds
 * a new set.
 */
public final class CertificateSet {

    private final ServedCertificate defaultCertificate;
    private final Map<String, ServedCertificate> byDomain;

    /** @param certificates the default first; later ones with the same domain are ignored */
    public CertificateSet(List<ServedCertificate> certificates) {
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no certificates");
        }
        this.defaultCertificate = certificates.get(0);
        var map = new LinkedHashMap<String, ServedCertificate>();
        certificates.forEach(c -> map.putIfAbsent(c.domain(), c));
        this.byDomain = Map.copyOf(map);
    }

    /** The served domains: the names {@link dev.jneon.proxy.frontend.EndpointResolver} reads SNI against. */
    public Set<String> domains() {
        return byDomain.keySet();
    }

    public ServedCertificate select(String serverName) {
        if (serverName == null) {
            return defaultCertificate;
        }
        String name = serverName.toLowerCase(Locale.ROOT);
        while (true) {
            ServedCertificate c = byDomain.get(name);
            if (c != null) {
                return c;
            }
            int dot = name.indexOf('.');
            if (dot < 0) {
                return defaultCertificate;
            }
            name = name.substring(dot + 1);
        }
    }
}

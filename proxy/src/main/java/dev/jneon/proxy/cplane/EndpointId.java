package dev.jneon.proxy.cplane;

import java.util.regex.Pattern;

/**
 * An endpoint id as clients name it (SNI label, {@code options=endpoint=}, password hack, SQL-over-HTTP host):
 * letters, digits and hyphens. The control plane also accepts project ids here ("endpointish"). Immutable.
 *
 * @param value the raw id; wake calls and the node cache use it as is
 */
public record EndpointId(String value) {

    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9-]+");
    private static final String[] SUFFIXES = {"-pooler", "-local-proxy"};

    public EndpointId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "Project name ('" + value + "') must contain only alphanumeric characters and hyphen.");
        }
    }

    /** The id without a {@code -pooler} or {@code -local-proxy} suffix: the key for access control and limits. */
    public String normalized() {
        for (String suffix : SUFFIXES) {
            if (value.endsWith(suffix) && value.length() > suffix.length()) {
                return value.substring(0, value.length() - suffix.length());
            }
        }
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}

package dev.jneon.pageserver.tenant;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Neon's humantime durations in tenant config: one or more {@code <number><unit>} parts, units
 * ms, s, m, h, d (also sec/secs, min/mins, hour(s), day(s)), e.g. {@code "10m"}, {@code "7days"},
 * {@code "1h 30m"}; a bare {@code "0"} is zero. Stateless.
 */
public final class HumanDuration {

    private static final Pattern PART = Pattern.compile("\\s*(\\d+)\\s*([a-z]+)");

    private HumanDuration() {}

    public static Duration parse(String text) {
        if (text.strip().equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        boolean any = false;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s", "sec", "secs" -> Duration.ofSeconds(n);
                case "m", "min", "mins" -> Duration.ofMinutes(n);
                case "h", "hour", "hours" -> Duration.ofHours(n);
                case "d", "day", "days" -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException("unknown duration unit '" + m.group(2) + "' in '" + text + "'");
            });
            end = m.end();
            any = true;
        }
        if (!any || end != text.length()) {
            throw new IllegalArgumentException("malformed duration '" + text + "', expected e.g. 10m or 7days");
        }
        return total;
    }
}

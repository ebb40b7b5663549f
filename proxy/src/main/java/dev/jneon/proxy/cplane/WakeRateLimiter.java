package dev.jneon.proxy.cplane;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Wake calls per normalized endpoint (B.12 {@code --wake-compute-limit 300@1s,200@60s,100@600s}): every window
 * {@code R@W} must admit, R requests per second averaged over W. Each window is a leaky bucket of capacity R×W that
 * drains R per second; a call is admitted when it fits in all of them and then fills all of them. Idle endpoints
 * are forgotten after the longest window. Thread-safe (per-key atomic updates).
 */
public final class WakeRateLimiter {

    /** {@code rps} requests per second averaged over {@code window}. */
    public record Window(double rps, Duration window) {

        public Window {
            if (!(rps > 0) || window.isZero() || window.isNegative()) {
                throw new IllegalArgumentException("bad rate window " + rps + "@" + window);
            }
        }

        double capacity() {
            return rps * window.toNanos() / 1e9;
        }

        /** Parses {@code 300@1s}; units ms, s, m, h. */
        public static Window parse(String text) {
            int at = text.indexOf('@');
            if (at < 0) {
                throw new IllegalArgumentException("rate window must look like 300@1s: " + text);
            }
            return new Window(Double.parseDouble(text.substring(0, at).strip()), duration(text.substring(at + 1).strip()));
        }

        private static Duration duration(String t) {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException("unknown time unit in " + t);
            };
        }
    }

    /** Neon's default. */
    public static final List<Window> DEFAULT = parseList("300@1s,200@60s,100@600s");

    private record Levels(double[] levels, long atNanos) {
    }

    private final List<Window> windows;
    private final Ticker ticker;
    private final Cache<String, Levels> state;

    public WakeRateLimiter(List<Window> windows, Ticker ticker) {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("at least one rate window");
        }
        this.windows = List.copyOf(windows);
        this.ticker = ticker;
        Duration longest = windows.stream().map(Window::window).max(Comparator.naturalOrder()).orElseThrow();
        this.state = Caffeine.newBuilder().maximumSize(100_000).ticker(ticker).executor(Runnable::run)
                .expireAfterAccess(longest).build();
    }

    public static List<Window> parseList(String text) {
        List<Window> out = new ArrayList<>();
        for (String part : text.split(",")) {
            out.add(Window.parse(part));
        }
        return List.copyOf(out);
    }

    /** Admits one wake call for {@code endpoint} or returns false. */
    public boolean tryAcquire(String endpoint) {
        long now = ticker.read();
        boolean[] admitted = {false};
        state.asMap().compute(endpoint, (k, old) -> {
            double[] levels = new double[windows.size()];
            boolean fits = true;
            for (int i = 0; i < levels.length; i++) {
                Window w = windows.get(i);
                double before = old == null ? 0 : old.levels()[i];
                double drained = old == null ? 0 : w.rps() * (now - old.atNanos()) / 1e9;
                levels[i] = Math.max(0, before - drained);
                fits &= levels[i] + 1 <= w.capacity();
            }
            if (fits) {
                for (int i = 0; i < levels.length; i++) {
                    levels[i] += 1;
                }
            }
            admitted[0] = fits;
            return new Levels(levels, now);
        });
        return admitted[0];
    }
}

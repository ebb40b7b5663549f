package dev.jneon.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed command line: {@code --name value} or {@code --name=value} options, {@code --flag}
 * switches (names listed as switches by the command) and positional words. Every option must be
 * consumed by the command; {@link #finish()} rejects the rest so typos never pass silently.
 * Not thread-safe.
 */
public final class Args {

    private final Map<String, String> options = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    public Args(List<String> words, Set<String> switches) {
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (!w.startsWith("--")) {
                positional.add(w);
                continue;
            }
            String name = w.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                options.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (switches.contains(name)) {
                options.put(name, "true");
            } else if (i + 1 < words.size()) {
                options.put(name, words.get(++i));
            } else {
                throw CliException.usage("--" + name + " needs a value");
            }
        }
    }

    public Optional<String> option(String name) {
        return Optional.ofNullable(options.remove(name));
    }

    public String required(String name) {
        return option(name).orElseThrow(() -> CliException.usage("--" + name + " is required"));
    }

    public boolean flag(String name) {
        return options.remove(name) != null;
    }

    /** The positional word at {@code index}, named {@code what} in the error if it is missing. */
    public String positional(int index, String what) {
        if (index >= positional.size()) {
            throw CliException.usage(what + " is required");
        }
        return positional.get(index);
    }

    /** Fails on options no command asked for and on surplus positional words. */
    public void finish(int positionalCount) {
        if (!options.isEmpty()) {
            throw CliException.usage("unknown option --" + options.keySet().iterator().next());
        }
        if (positional.size() > positionalCount) {
            throw CliException.usage("unexpected argument " + positional.get(positionalCount));
        }
    }
}

package dev.jneon.compute.walproposer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * {@code --name value} arguments of the walproposer command-line entry points, checked against the
 * names a command accepts. Immutable.
 */
record CommandArgs(Map<String, String> values) {

    CommandArgs {
        values = Map.copyOf(values);
    }

    /** Parses {@code args}; throws {@link IllegalArgumentException} on unknown or value-less options. */
    static CommandArgs parse(String[] args, Set<String> accepted) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value;
            int eq = name.indexOf('=');
            if (name.startsWith("--") && eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            if (!name.startsWith("--") || !accepted.contains(name.substring(2))) {
                throw new IllegalArgumentException("unknown option " + name + "; accepted: --" + String.join(", --", accepted));
            }
            map.put(name.substring(2), value);
        }
        return new CommandArgs(map);
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing option --" + name);
        }
        return v;
    }

    String optional(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** Sends all logging to stderr (stdout carries a command's result), INFO and above. */
    static void logToStderr() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        var encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0}: %msg%n");
        encoder.start();
        var appender = new ConsoleAppender<ILoggingEvent>();
        appender.setContext(context);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(appender);
        context.getLogger("io.grpc").setLevel(Level.WARN);
        context.getLogger("io.grpc.netty").setLevel(Level.WARN);
    }
}

package dev.jneon.compute.postgres;

import dev.jneon.compute.spec.GenericOption;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Quoting for SQL and postgresql.conf text (spec A.3): identifiers always double-quoted, SQL literals
 * single-quoted with {@code '} doubled (standard_conforming_strings is on), configuration-file
 * strings with {@code '} doubled and {@code \} escaped. Stateless.
 */
public final class SqlText {

    private SqlText() {
    }

    /** {@code "name"} with embedded double quotes doubled. */
    public static String ident(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code 'text'} with embedded single quotes doubled. */
    public static String literal(String text) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a SQL literal cannot hold a NUL byte");
        }
        return '\'' + text.replace("'", "''") + '\'';
    }

    /** A value in postgresql.conf: {@code 'text'} with {@code '} doubled and {@code \} escaped. */
    public static String confString(String text) {
        return '\'' + text.replace("\\", "\\\\").replace("'", "''") + '\'';
    }

    /** Role or database options as SQL: {@code NAME value}, the value literal-quoted only for vartype string. */
    public static String options(List<GenericOption> options) {
        return options.stream().map(o -> o.value() == null ? o.name()
                : o.name() + ' ' + (o.isString() ? literal(o.value()) : o.value()))
                .collect(Collectors.joining(" "));
    }

    /** A setting line: {@code name = value}, the value quoted as a conf string for vartype string. */
    public static String setting(GenericOption o) {
        String value = o.value() == null ? "''" : o.isString() ? confString(o.value()) : o.value();
        return o.name() + " = " + value;
    }
}

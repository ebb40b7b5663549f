package dev.jneon.proxy.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses PostgreSQL's text form of an array: an optional dimension prefix ({@code [1:2]=}, dropped), braces,
 * comma-separated elements, double-quoted elements with backslash escapes, unquoted {@code NULL} (any case) as
 * null, nested braces as nested lists. Elements stay text. Stateless; one instance per parse.
 */
final class PgArrayText {

    private final String text;
    private int pos;

    private PgArrayText(String text) {
        this.text = text;
    }

    /** The elements: {@code String} (or null) and nested {@code List}s. */
    static List<Object> parse(String text) {
        var parser = new PgArrayText(text);
        if (text.startsWith("[")) {
            int eq = text.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("bad array bounds: " + text);
            }
            parser.pos = eq + 1;
        }
        List<Object> out = parser.array();
        return out;
    }

    private List<Object> array() {
        expect('{');
        List<Object> items = new ArrayList<>();
        skipSpaces();
        if (peek() == '}') {
            pos++;
            return items;
        }
        while (true) {
            skipSpaces();
            char c = peek();
            if (c == '{') {
                items.add(array());
            } else if (c == '"') {
                items.add(quoted());
            } else {
                items.add(unquoted());
            }
            skipSpaces();
            char sep = text.charAt(pos++);
            if (sep == '}') {
                return items;
            }
            if (sep != ',') {
                throw new IllegalArgumentException("bad array text at " + (pos - 1) + ": " + text);
            }
        }
    }

    private String quoted() {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = text.charAt(pos++);
            if (c == '\\') {
                sb.append(text.charAt(pos++));
            } else if (c == '"') {
                return sb.toString();
            } else {
                sb.append(c);
            }
        }
    }

    private String unquoted() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) != ',' && text.charAt(pos) != '}') {
            pos++;
        }
        String raw = text.substring(start, pos).strip();
        return raw.equalsIgnoreCase("NULL") ? null : raw;
    }

    private void expect(char c) {
        if (pos >= text.length() || text.charAt(pos) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + pos + ": " + text);
        }
        pos++;
    }

    private char peek() {
        if (pos >= text.length()) {
            throw new IllegalArgumentException("array text ends early: " + text);
        }
        return text.charAt(pos);
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}

package dev.jneon.proxy.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One executed statement as the compute described it: its RowDescription fields, rows of text values (null for
 * SQL NULL) and its command tag ({@code SELECT 3}, {@code INSERT 0 1}, {@code CREATE TABLE}). Immutable once
 * built.
 */
public record QueryResult(List<Field> fields, List<List<String>> rows, String commandTag) {

    /** A RowDescription entry. */
    public record Field(String name, int tableOid, int columnNumber, int typeOid, int typeSize, int typeModifier) {
    }

    public QueryResult {
        fields = List.copyOf(fields);
        rows = Collections.unmodifiableList(new ArrayList<>(rows));
    }

    /** The first word of the tag. */
    public String command() {
        int space = commandTag.indexOf(' ');
        return space < 0 ? commandTag : commandTag.substring(0, space);
    }

    /** The last number of the tag (the row count), or null when the tag has none. */
    public Long rowCount() {
        String[] words = commandTag.split(" ");
        if (words.length < 2) {
            return null;
        }
        try {
            return Long.parseLong(words[words.length - 1]);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

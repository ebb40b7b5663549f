package dev.jneon.pageserver.layer;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.KeyRange;

/**
 * The name of a layer file (spec D.3), which states what the layer covers:
 * <pre>
 * delta  &lt;keyStart&gt;-&lt;keyEnd&gt;__&lt;lsnStart %016X&gt;-&lt;lsnEnd %016X&gt;
 * image  &lt;keyStart&gt;-&lt;keyEnd&gt;__&lt;lsn %016X&gt;
 * </pre>
 * Keys are 36 hex digits. A local file is {@code <name>-v1-<generation %08x>} (bare name without a
 * generation); a file being written ends {@value #TEMP_SUFFIX}. An L0 delta covers the whole key
 * space {@code [MIN, MAX)}. Immutable.
 */
public record LayerName(KeyRange keys, LsnRange lsns, boolean image) implements Comparable<LayerName> {

    public static final String TEMP_SUFFIX = "___temp";
    private static final String LOCAL_VERSION = "-v1";

    public LayerName {
        if (keys == null || lsns == null) {
            throw new IllegalArgumentException("layer name needs a key range and an LSN range");
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("layer key range " + keys + " is empty");
        }
        if (image && lsns.end().minus(lsns.start()) != 1) {
            throw new IllegalArgumentException("an image layer covers one LSN, not " + lsns);
        }
    }

    public static LayerName delta(KeyRange keys, LsnRange lsns) {
        return new LayerName(keys, lsns, false);
    }

    public static LayerName image(KeyRange keys, Lsn lsn) {
        return new LayerName(keys, LsnRange.single(lsn), true);
    }

    /** Whether this is an L0 delta (whole key space). */
    public boolean isL0() {
        return !image && keys.start().equals(Key.MIN) && keys.end().equals(Key.MAX);
    }

    /** The local file name for a layer written under {@code generation}. */
    public String fileName(Generation generation) {
        return generation.isNone() ? toString() : this + LOCAL_VERSION + generation.suffix();
    }

    /** Parses a local file name (with or without {@code -v1-<gen>}); returns the name and its generation. */
    public static Local parseFileName(String fileName) {
        String name = fileName;
        Generation generation = Generation.NONE;
        int v = fileName.lastIndexOf(LOCAL_VERSION + "-");
        if (v > 0) {
            name = fileName.substring(0, v);
            generation = Generation.parseSuffix(fileName.substring(v + LOCAL_VERSION.length() + 1));
        }
        return new Local(parse(name), generation);
    }

    /** A parsed local file name. */
    public record Local(LayerName name, Generation generation) {}

    public static LayerName parse(String text) {
        int sep = text.indexOf("__");
        if (sep != 73 || text.charAt(36) != '-') {
            throw new IllegalArgumentException("malformed layer name '" + text + "'");
        }
        KeyRange keys = new KeyRange(Key.parse(text.substring(0, 36)), Key.parse(text.substring(37, 73)));
        String lsns = text.substring(75);
        if (lsns.length() == 16) {
            return image(keys, Lsn.parseHex16(lsns));
        }
        if (lsns.length() == 33 && lsns.charAt(16) == '-') {
            return delta(keys, new LsnRange(Lsn.parseHex16(lsns.substring(0, 16)), Lsn.parseHex16(lsns.substring(17))));
        }
        throw new IllegalArgumentException("malformed LSN part of layer name '" + text + "'");
    }

    @Override
    public int compareTo(LayerName o) {
        int c = lsns.start().compareTo(o.lsns.start());
        if (c == 0) c = lsns.end().compareTo(o.lsns.end());
        if (c == 0) c = keys.start().compareTo(o.keys.start());
        if (c == 0) c = Boolean.compare(image, o.image);
        return c;
    }

    @Override
    public String toString() {
        String lsnPart = image ? lsns.start().toHex16() : lsns.start().toHex16() + "-" + lsns.end().toHex16();
        return keys.start() + "-" + keys.end() + "__" + lsnPart;
    }
}

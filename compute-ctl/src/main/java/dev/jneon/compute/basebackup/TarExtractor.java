package dev.jneon.compute.basebackup;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Unpacks a tar stream into a directory as it arrives, never holding more than one 512-byte block
 * and a copy buffer. Format: 512-byte headers (ustar: name 0..100, size 124..136 in octal or
 * base-256, type flag 156, link name 157..257, magic {@code ustar} at 257, name prefix 345..500),
 * each entry's data padded to a multiple of 512, two zero blocks at the end. Entry types: regular
 * file ({@code 0} or NUL), directory ({@code 5}), symbolic link ({@code 2}), GNU long name
 * ({@code L}) and pax headers ({@code x}: its {@code path} is used; {@code g}: ignored). Anything
 * else, an absolute path or a {@code ..} segment fails the extraction. Directories get mode 0700,
 * files 0600 (Postgres wants its data directory private). Not thread-safe; one use per stream.
 */
public final class TarExtractor {

    private static final int BLOCK = 512;

    private final InputStream in;
    private final Path target;
    private final byte[] header = new byte[BLOCK];
    private long files;
    private long bytes;

    private TarExtractor(InputStream in, Path target) {
        this.in = in;
        this.target = target;
    }

    /** What was unpacked. */
    public record Result(long files, long bytes) {}

    /** Unpacks {@code in} into {@code target} (which must exist) until the end-of-archive marker. */
    public static Result extract(InputStream in, Path target) throws IOException {
        var x = new TarExtractor(in, target);
        x.run();
        return new Result(x.files, x.bytes);
    }

    private void run() throws IOException {
        String longName = null;
        while (true) {
            readFully(header, BLOCK);
            if (isZero(header)) {
                return; // first of the two end blocks; what follows is padding
            }
            String name = longName != null ? longName : name();
            longName = null;
            long size = size();
            char type = (char) header[156];
            switch (type) {
                case 'L' -> longName = cString(readData(size));
                case 'x' -> longName = paxPath(readData(size));
                case 'g' -> readData(size);
                case '5' -> {
                    Files.createDirectories(resolve(name));
                    Files.setPosixFilePermissions(resolve(name), PosixFilePermissions.fromString("rwx------"));
                    skip(size);
                }
                case '0', '\0' -> writeFile(resolve(name), size);
                case '2' -> {
                    Path link = resolve(name);
                    Files.createDirectories(link.getParent());
                    Files.createSymbolicLink(link, Path.of(field(157, 100)));
                    skip(size);
                }
                default -> throw new IOException("tar entry '" + name + "' has unsupported type '" + type + "'");
            }
        }
    }

    private Path resolve(String name) throws IOException {
        Path rel = Path.of(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
        if (name.isEmpty() || rel.isAbsolute() || rel.normalize().startsWith("..")) {
            throw new IOException("tar entry name '" + name + "' escapes the target directory");
        }
        return target.resolve(rel).normalize();
    }

    private void writeFile(Path file, long size) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] buf = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            long left = size;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new EOFException("tar stream ended inside " + file.getFileName());
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        skipPadding(size);
        files++;
        bytes += size;
    }

    private byte[] readData(long size) throws IOException {
        if (size > 1 << 20) {
            throw new IOException("tar metadata entry of " + size + " bytes");
        }
        byte[] data = new byte[(int) size];
        readFully(data, data.length);
        skipPadding(size);
        return data;
    }

    private void skip(long size) throws IOException {
        long total = size + padding(size);
        while (total > 0) {
            long n = in.skip(total);
            if (n <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("tar stream ended inside an entry");
                }
                n = 1;
            }
            total -= n;
        }
    }

    private void skipPadding(long size) throws IOException {
        int pad = padding(size);
        if (pad > 0) {
            readFully(new byte[pad], pad);
        }
    }

    private static int padding(long size) {
        return (int) ((BLOCK - size % BLOCK) % BLOCK);
    }

    private String name() {
        String name = field(0, 100);
        if ("ustar".equals(field(257, 5))) {
            String prefix = field(345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
        }
        return name;
    }

    private long size() throws IOException {
        if ((header[124] & 0x80) != 0) { // base-256 for sizes that do not fit 11 octal digits
            long v = 0;
            for (int i = 125; i < 136; i++) {
                v = (v << 8) | (header[i] & 0xFF);
            }
            return v;
        }
        String octal = field(124, 12).trim();
        try {
            return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
        } catch (NumberFormatException e) {
            throw new IOException("bad tar size field '" + octal + "'");
        }
    }

    private String field(int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static String cString(byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    /** A pax header's {@code path} record ({@code "<len> path=<value>\n"}), or null. */
    private static String paxPath(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        for (String rec : text.split("\n")) {
            int space = rec.indexOf(' ');
            if (space > 0 && rec.startsWith("path=", space + 1)) {
                return rec.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private void readFully(byte[] buf, int len) throws IOException {
        int off = 0;
        while (off < len) {
            int n = in.read(buf, off, len - off);
            if (n < 0) {
                throw new EOFException("tar stream ended after " + files + " files (no end-of-archive marker)");
            }
            off += n;
        }
    }
}

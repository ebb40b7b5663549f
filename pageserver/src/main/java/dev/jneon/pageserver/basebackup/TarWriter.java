package dev.jneon.pageserver.basebackup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A streaming ustar (POSIX.1-1988) writer, enough for a PostgreSQL data directory: regular files
 * and directories, names up to 255 bytes (split into prefix and name), sizes below 8 GiB.
 *
 * <p>Format: each entry is a 512-byte header, then the file's bytes padded with zeros to a
 * multiple of 512; the archive ends with two zero blocks. Header fields (NUL-terminated octal
 * numbers): name @0 (100), mode @100 (8), uid @108 (8), gid @116 (8), size @124 (12), mtime @136
 * (12), checksum @148 (8: sum of all header bytes with this field read as spaces, six octal digits,
 * NUL, space), type @156 ('0' file, '5' directory), magic @257 "ustar\0", version @263 "00",
 * uname @265 (32), gname @297 (32), prefix @345 (155). uid/gid are 0 and names empty: the
 * extracting user owns the files.
 *
 * <p>A file's size is declared first and the caller must then write exactly that many bytes with
 * {@link #write}; {@link #endFile} checks it and pads. Not thread-safe; owned by one basebackup.
 */
public final class TarWriter {

    static final int BLOCK = 512;
    private static final long MAX_SIZE = 077777777777L;
    private static final byte[] ZEROS = new byte[BLOCK];

    private final OutputStream out;
    private final long mtime;
    private long remaining = -1;
    private long fileSize;
    private String fileName;

    /** Writes to {@code out}; every entry gets modification time {@code mtimeSeconds}. */
    public TarWriter(OutputStream out, long mtimeSeconds) {
        this.out = out;
        this.mtime = mtimeSeconds;
    }

    /** A directory entry {@code name/} with mode 0700. */
    public void directory(String name) throws IOException {
        requireNoOpenFile();
        out.write(header(name.endsWith("/") ? name : name + "/", 0700, 0, '5'));
    }

    /** A whole file with mode 0600. */
    public void file(String name, byte[] content) throws IOException {
        beginFile(name, content.length);
        write(content, 0, content.length);
        endFile();
    }

    /** Starts a file of exactly {@code size} bytes (mode 0600); its bytes follow through {@link #write}. */
    public void beginFile(String name, long size) throws IOException {
        requireNoOpenFile();
        if (size < 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("tar entry " + name + " of " + size + " bytes does not fit ustar");
        }
        out.write(header(name, 0600, size, '0'));
        remaining = size;
        fileSize = size;
        fileName = name;
    }

    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (remaining < length) {
            throw new IllegalStateException("tar entry " + fileName + " declared " + fileSize + " bytes; "
                    + (remaining < 0 ? "no file is open" : "writing " + length + " more would exceed it"));
        }
        out.write(bytes, offset, length);
        remaining -= length;
    }

    public void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    /** Ends the open file: checks every declared byte came and pads to the next 512-byte block. */
    public void endFile() throws IOException {
        if (remaining != 0) {
            throw new IllegalStateException("tar entry " + fileName + " declared " + fileSize + " bytes but "
                    + remaining + " were not written");
        }
        int pad = (int) ((BLOCK - fileSize % BLOCK) % BLOCK);
        out.write(ZEROS, 0, pad);
        remaining = -1;
    }

    /** Writes the end-of-archive marker (two zero blocks) and flushes; does not close the stream. */
    public void finish() throws IOException {
        requireNoOpenFile();
        out.write(ZEROS);
        out.write(ZEROS);
        out.flush();
    }

    private void requireNoOpenFile() {
        if (remaining >= 0) {
            throw new IllegalStateException("tar entry " + fileName + " is still open");
        }
    }

    private byte[] header(String path, int mode, long size, char type) {
        byte[] h = new byte[BLOCK];
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        if (name.length <= 100) {
            System.arraycopy(name, 0, h, 0, name.length);
        } else {
            int split = splitPoint(name, path);
            System.arraycopy(name, split + 1, h, 0, name.length - split - 1);
            System.arraycopy(name, 0, h, 345, split);
        }
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        h[156] = (byte) type;
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        octal(h, 148, 7, sum);
        h[155] = ' ';
        return h;
    }

    /** The '/' at which a long name splits into prefix (≤ 155 bytes) and name (≤ 100 bytes). */
    private static int splitPoint(byte[] name, String path) {
        for (int i = Math.min(name.length - 2, 155); i > 0; i--) {
            if (name[i] == '/' && name.length - i - 1 <= 100) {
                return i;
            }
        }
        throw new IllegalArgumentException("tar entry name " + path + " cannot be split into ustar prefix and name");
    }

    /** {@code value} as zero-padded octal in {@code width - 1} digits plus a NUL. */
    private static void octal(byte[] h, int offset, int width, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > width - 1) {
            throw new IllegalArgumentException(value + " does not fit a " + width + "-byte tar field");
        }
        int pad = width - 1 - digits.length();
        for (int i = 0; i < pad; i++) {
            h[offset + i] = '0';
        }
        for (int i = 0; i < digits.length(); i++) {
            h[offset + pad + i] = (byte) digits.charAt(i);
        }
        h[offset + width - 1] = 0;
    }
}

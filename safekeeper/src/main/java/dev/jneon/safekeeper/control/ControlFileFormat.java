package dev.jneon.safekeeper.control;

import dev.jneon.safekeeper.acceptor.AcceptorState;
import dev.jneon.safekeeper.grpc.ControlFilePayload;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Framing of {@code safekeeper.control} (spec D.5): {@code u32 LE magic 0xCAFECEEF | u32 LE format
 * version | payload | u32 LE CRC32C} over every byte before the CRC. Version history: 1 = protobuf
 * {@code ControlFile} payload ({@link ControlFilePayload}). A reader rejects a bad CRC, a bad magic
 * or an unknown version. Stateless.
 */
public final class ControlFileFormat {

    public static final int MAGIC = 0xCAFECEEF;
    public static final int VERSION = 1;
    private static final int HEADER = 8;
    private static final int TRAILER = 4;

    private ControlFileFormat() {
    }

    public static byte[] encode(AcceptorState state) {
        byte[] payload = ControlFilePayload.encode(state);
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length + TRAILER).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(VERSION).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** Decodes a whole file; an invalid one is an {@link IllegalArgumentException} saying why. */
    public static AcceptorState decode(byte[] file) {
        if (file.length < HEADER + TRAILER) {
            throw new IllegalArgumentException("control file has " + file.length + " bytes, too short");
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(file, 0, file.length - TRAILER);
        if ((int) crc.getValue() != b.getInt(file.length - TRAILER)) {
            throw new IllegalArgumentException("control file CRC32C mismatch");
        }
        if (b.getInt(0) != MAGIC) {
            throw new IllegalArgumentException("control file magic is 0x" + Integer.toHexString(b.getInt(0))
                    + ", expected 0x" + Integer.toHexString(MAGIC));
        }
        int version = b.getInt(4);
        if (version != VERSION) {
            throw new IllegalArgumentException("control file format version " + Integer.toUnsignedString(version)
                    + " is not supported (this build reads " + VERSION + ")");
        }
        byte[] payload = new byte[file.length - HEADER - TRAILER];
        System.arraycopy(file, HEADER, payload, 0, payload.length);
        return ControlFilePayload.decode(payload);
    }
}

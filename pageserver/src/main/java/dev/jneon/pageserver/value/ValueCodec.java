package dev.jneon.pageserver.value;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Neon's BeSer (bincode, big-endian fixed-width integers) encoding of {@link Value}, used for every
 * value in in-memory and layer files.
 *
 * <pre>
 * Value       = u32 tag (0 Image, 1 WalRecord) then
 *               Image:     u64 length, bytes
 *               WalRecord: NeonWalRecord
 * NeonWalRecord = u32 variant then fields:
 *   0 Postgres                 u8 will_init, u64 length, bytes
 *   1 ClearVisibilityMapFlags  Option u32 new_heap_blkno, Option u32 old_heap_blkno, u8 flags
 *   2 ClogSetCommitted         u64 count, count x u32 xid, i64 timestamp (µs since 2000-01-01)
 *   3 ClogSetAborted           u64 count, count x u32 xid
 *   4 MultixactOffsetCreate    u32 mid, u32 moff
 *   5 MultixactMembersCreate   u32 moff, u64 count, count x (u32 xid, u32 status)
 *   6 AuxFile                  legacy; rejected
 *   7 TruncateVisibilityMap    u64 trunc_byte, u64 trunc_offs
 * Option = u8 0 (None) | u8 1 then the value
 * </pre>
 *
 * Example: ClearVisibilityMapFlags{Some(0x11), None, 3} = {@code 00000001 00000001 01 00000011 00 03}.
 * Decoding rejects trailing bytes, unknown tags and truncated input with
 * {@link IllegalArgumentException}. Stateless.
 */
public final class ValueCodec {

    private ValueCodec() {}

    public static byte[] encode(Value value) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            switch (value) {
                case Value.Image image -> {
                    out.writeInt(0);
                    writeBytes(out, image.bytes());
                }
                case Value.WalRecord rec -> {
                    out.writeInt(1);
                    writeRecord(out, rec.record());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] encode(NeonWalRecord record) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            writeRecord(out, record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static Value decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            int tag = in.getInt();
            Value value = switch (tag) {
                case 0 -> new Value.Image(readBytes(in));
                case 1 -> new Value.WalRecord(readRecord(in));
                default -> throw new IllegalArgumentException("unknown value tag " + tag);
            };
            requireEnd(in);
            return value;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("value truncated at byte " + in.position() + " of " + bytes.length);
        }
    }

    public static NeonWalRecord decodeRecord(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            NeonWalRecord record = readRecord(in);
            requireEnd(in);
            return record;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("record truncated at byte " + in.position() + " of " + bytes.length);
        }
    }

    private static void writeRecord(DataOutputStream out, NeonWalRecord record) throws IOException {
        switch (record) {
            case NeonWalRecord.Postgres p -> {
                out.writeInt(0);
                out.writeByte(p.willInit() ? 1 : 0);
                writeBytes(out, p.record());
            }
            case NeonWalRecord.ClearVisibilityMapFlags c -> {
                out.writeInt(1);
                writeOptionalU32(out, c.newHeapBlkno());
                writeOptionalU32(out, c.oldHeapBlkno());
                out.writeByte(c.flags());
            }
            case NeonWalRecord.ClogSetCommitted c -> {
                out.writeInt(2);
                writeU32List(out, c.xids());
                out.writeLong(c.timestamp());
            }
            case NeonWalRecord.ClogSetAborted c -> {
                out.writeInt(3);
                writeU32List(out, c.xids());
            }
            case NeonWalRecord.MultixactOffsetCreate m -> {
                out.writeInt(4);
                out.writeInt(m.mid());
                out.writeInt(m.moff());
            }
            case NeonWalRecord.MultixactMembersCreate m -> {
                out.writeInt(5);
                out.writeInt(m.moff());
                out.writeLong(m.members().size());
                for (NeonWalRecord.Member member : m.members()) {
                    out.writeInt(member.xid());
                    out.writeInt(member.status());
                }
            }
            case NeonWalRecord.TruncateVisibilityMap t -> {
                out.writeInt(7);
                out.writeLong(t.truncByte());
                out.writeLong(t.truncOffs());
            }
        }
    }

    private static NeonWalRecord readRecord(ByteBuffer in) {
        int variant = in.getInt();
        return switch (variant) {
            case 0 -> new NeonWalRecord.Postgres(readBool(in), readBytes(in));
            case 1 -> new NeonWalRecord.ClearVisibilityMapFlags(readOptionalU32(in), readOptionalU32(in), in.get() & 0xFF);
            case 2 -> new NeonWalRecord.ClogSetCommitted(readU32List(in), in.getLong());
            case 3 -> new NeonWalRecord.ClogSetAborted(readU32List(in));
            case 4 -> new NeonWalRecord.MultixactOffsetCreate(in.getInt(), in.getInt());
            case 5 -> {
                int moff = in.getInt();
                int count = readCount(in, 8);
                List<NeonWalRecord.Member> members = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    members.add(new NeonWalRecord.Member(in.getInt(), in.getInt()));
                }
                yield new NeonWalRecord.MultixactMembersCreate(moff, members);
            }
            case 6 -> throw new IllegalArgumentException("legacy AuxFile records (variant 6) are not supported");
            case 7 -> new NeonWalRecord.TruncateVisibilityMap(in.getLong(), in.getLong());
            default -> throw new IllegalArgumentException("unknown NeonWalRecord variant " + variant);
        };
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeLong(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(ByteBuffer in) {
        byte[] bytes = new byte[readCount(in, 1)];
        in.get(bytes);
        return bytes;
    }

    private static void writeOptionalU32(DataOutputStream out, Integer value) throws IOException {
        if (value == null) {
            out.writeByte(0);
        } else {
            out.writeByte(1);
            out.writeInt(value);
        }
    }

    private static Integer readOptionalU32(ByteBuffer in) {
        return readBool(in) ? in.getInt() : null;
    }

    private static void writeU32List(DataOutputStream out, List<Integer> values) throws IOException {
        out.writeLong(values.size());
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static List<Integer> readU32List(ByteBuffer in) {
        int count = readCount(in, 4);
        List<Integer> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(in.getInt());
        }
        return values;
    }

    private static boolean readBool(ByteBuffer in) {
        int b = in.get() & 0xFF;
        if (b > 1) {
            throw new IllegalArgumentException("boolean/option byte " + b + " at " + (in.position() - 1) + " is not 0 or 1");
        }
        return b == 1;
    }

    /** A u64 length whose {@code elementSize}-byte elements must fit in what is left. */
    private static int readCount(ByteBuffer in, int elementSize) {
        long count = in.getLong();
        if (count < 0 || count > in.remaining() / elementSize) {
            throw new IllegalArgumentException("length " + Long.toUnsignedString(count) + " at byte "
                    + (in.position() - 8) + " exceeds the " + in.remaining() + " bytes left");
        }
        return (int) count;
    }

    private static void requireEnd(ByteBuffer in) {
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " trailing bytes after the value");
        }
    }
}

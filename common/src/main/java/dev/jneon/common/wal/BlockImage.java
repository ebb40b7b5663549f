package dev.jneon.common.wal;

import com.github.luben.zstd.Zstd;
import dev.jneon.common.id.Lsn;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * A full-page image carried by a block reference, as stored in the record: {@code stored} holds
 * bimg_len bytes, the page minus the hole [{@code holeOffset}, {@code holeOffset + holeLength}),
 * compressed as {@code bimg_info} says (raw LZ4 block, pglz, or one zstd frame) or not at all.
 * {@link #restore()} turns it back into an 8192-byte page with zeros in the hole, as PostgreSQL's
 * RestoreBlockImage does. The decoder checked the hole invariants; decompression happens only
 * on restore, and a failure there is a {@link WalDecodeException} of kind
 * {@link WalDecodeException.Kind#BAD_IMAGE}. Immutable ({@code stored} is a read-only view).
 */
public record BlockImage(ByteBuffer stored, int holeOffset, int holeLength, int bimgInfo, Lsn recordLsn) {

    private static final LZ4SafeDecompressor LZ4 = LZ4Factory.fastestInstance().safeDecompressor();
    private static final int PD_LSN_OFFSET = 0;
    private static final int PD_UPPER_OFFSET = 14;

    @Override
    public ByteBuffer stored() {
        return stored.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** bimg_len: bytes of the image in the record. */
    public int storedLength() {
        return stored.remaining();
    }

    public ImageCompression compression() {
        return ImageCompression.fromBimgInfo(bimgInfo);
    }

    public boolean hasHole() {
        return (bimgInfo & WalFormat.BKPIMAGE_HAS_HOLE) != 0;
    }

    /** BKPIMAGE_APPLY: redo restores this image (a normal full-page write), not only a consistency check. */
    public boolean apply() {
        return (bimgInfo & WalFormat.BKPIMAGE_APPLY) != 0;
    }

    /** Bytes compression saved, as pg_waldump prints it: 8192 - hole - bimg_len. */
    public int compressionSaved() {
        return WalFormat.BLCKSZ - holeLength - storedLength();
    }

    /** The page as PostgreSQL restores it: a new 8192-byte array. */
    public byte[] restore() throws WalDecodeException {
        byte[] page = new byte[WalFormat.BLCKSZ];
        restoreInto(page);
        return page;
    }

    /**
     * The page as the primary had it once its LSN was set: {@link #restore()}, then, unless the
     * page is new (pd_upper 0), pd_lsn := {@code pageLsn} (the record's end). The checksum is not
     * touched.
     */
    public byte[] restoreWithLsn(Lsn pageLsn) throws WalDecodeException {
        byte[] page = restore();
        ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getShort(PD_UPPER_OFFSET) != 0) {
            b.putInt(PD_LSN_OFFSET, (int) (pageLsn.value() >>> 32)).putInt(PD_LSN_OFFSET + 4, (int) pageLsn.value());
        }
        return page;
    }

    /** Restores into {@code page} (8192 bytes, overwritten completely). */
    public void restoreInto(byte[] page) throws WalDecodeException {
        if (page.length != WalFormat.BLCKSZ) {
            throw new IllegalArgumentException("page buffer must be " + WalFormat.BLCKSZ + " bytes, got " + page.length);
        }
        int dataLen = WalFormat.BLCKSZ - holeLength;
        byte[] src;
        int srcOff;
        int srcLen = stored.remaining();
        if (stored.hasArray()) {
            src = stored.array();
            srcOff = stored.arrayOffset() + stored.position();
        } else {
            src = new byte[srcLen];
            stored.duplicate().get(src);
            srcOff = 0;
        }
        ImageCompression method = compression();
        if (method == null) {
            throw fail("bimg_info 0x" + Integer.toHexString(bimgInfo) + " names more than one compression method");
        }
        switch (method) {
            case NONE -> {
                if (srcLen != dataLen) {
                    throw fail("uncompressed image of " + srcLen + " bytes with a hole of " + holeLength);
                }
                System.arraycopy(src, srcOff, page, 0, dataLen);
            }
            case PGLZ -> {
                if (!Pglz.decompressExactly(src, srcOff, srcLen, page, 0, dataLen)) {
                    throw fail("pglz image does not decompress to " + dataLen + " bytes");
                }
            }
            case LZ4 -> {
                int n;
                try {
                    n = LZ4.decompress(src, srcOff, srcLen, page, 0, dataLen);
                } catch (RuntimeException e) {
                    throw fail("malformed lz4 image: " + e.getMessage());
                }
                if (n != dataLen) {
                    throw fail("lz4 image decompresses to " + n + " bytes, expected " + dataLen);
                }
            }
            case ZSTD -> {
                long n;
                try {
                    n = Zstd.decompressByteArray(page, 0, dataLen, src, srcOff, srcLen);
                } catch (RuntimeException e) {
                    throw fail("malformed zstd image: " + e.getMessage());
                }
                if (Zstd.isError(n) || n != dataLen) {
                    throw fail("zstd image decompresses to " + (Zstd.isError(n) ? Zstd.getErrorName(n) : n + " bytes")
                            + ", expected " + dataLen);
                }
            }
        }
        if (holeLength > 0) {
            System.arraycopy(page, holeOffset, page, holeOffset + holeLength, dataLen - holeOffset);
            Arrays.fill(page, holeOffset, holeOffset + holeLength, (byte) 0);
        }
    }

    private WalDecodeException fail(String reason) {
        return new WalDecodeException(recordLsn, WalDecodeException.Kind.BAD_IMAGE, reason);
    }
}

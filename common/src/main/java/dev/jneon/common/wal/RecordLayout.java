package dev.jneon.common.wal;

import static dev.jneon.common.wal.WalFormat.*;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a reassembled, CRC-checked record into its parts (PostgreSQL's DecodeXLogRecord). After
 * the 24-byte header come the body headers: block headers with strictly increasing ids 0..32,
 * then optionally ORIGIN (253, u16), TOPLEVEL_XID (252, u32) and the main-data header (255 + u8
 * length, or 254 + u32 length). A block header is u8 id, u8 fork_flags, u16 data_length; with
 * HAS_IMAGE u16 bimg_len, u16 hole_offset, u8 bimg_info and, for a compressed image with a hole,
 * u16 hole_length; unless SAME_REL a 12-byte RelFileNode; then u32 block number. The payloads
 * follow in header order (per block its image, then its data), then the main data, and must end
 * exactly at xl_tot_len. Every length is checked against the bytes that remain before it is used.
 * Stateless.
 */
final class RecordLayout {

    private RecordLayout() {}

    static WalRecord decode(byte[] raw, int totLen, Lsn lsn, Lsn endLsn) throws WalDecodeException {
        ByteBuffer b = ByteBuffer.wrap(raw, 0, totLen).order(ByteOrder.LITTLE_ENDIAN);
        int xid = b.getInt(4);
        long prev = b.getLong(8);
        int info = b.get(16) & 0xFF;
        int rmid = b.get(17) & 0xFF;
        int pos = RECORD_HEADER_SIZE;
        long remaining = totLen - RECORD_HEADER_SIZE;
        long payloadTotal = 0;
        int maxBlockId = -1;
        int origin = 0;
        int toplevelXid = 0;
        long mainDataLen = 0;
        RelTag lastRel = null;
        List<PendingBlock> pending = new ArrayList<>(4);
        while (remaining > payloadTotal) {
            need(lsn, remaining - payloadTotal, 1, "block id");
            int blockId = raw[pos] & 0xFF;
            pos++;
            remaining--;
            if (blockId == XLR_BLOCK_ID_DATA_SHORT) {
                need(lsn, remaining - payloadTotal, 1, "short main data length");
                mainDataLen = raw[pos] & 0xFF;
                pos++;
                remaining--;
                payloadTotal += mainDataLen;
                break;
            } else if (blockId == XLR_BLOCK_ID_DATA_LONG) {
                need(lsn, remaining - payloadTotal, 4, "long main data length");
                mainDataLen = b.getInt(pos) & 0xFFFFFFFFL;
                pos += 4;
                remaining -= 4;
                payloadTotal += mainDataLen;
                break;
            } else if (blockId == XLR_BLOCK_ID_ORIGIN) {
                need(lsn, remaining - payloadTotal, 2, "origin");
                origin = b.getShort(pos) & 0xFFFF;
                pos += 2;
                remaining -= 2;
            } else if (blockId == XLR_BLOCK_ID_TOPLEVEL_XID) {
                need(lsn, remaining - payloadTotal, 4, "top-level xid");
                toplevelXid = b.getInt(pos);
                pos += 4;
                remaining -= 4;
            } else if (blockId <= XLR_MAX_BLOCK_ID) {
                if (blockId <= maxBlockId) {
                    throw bad(lsn, "out-of-order block id " + blockId);
                }
                maxBlockId = blockId;
                need(lsn, remaining - payloadTotal, 3, "block header");
                int forkFlags = raw[pos] & 0xFF;
                int dataLen = b.getShort(pos + 1) & 0xFFFF;
                pos += 3;
                remaining -= 3;
                boolean hasData = (forkFlags & BKPBLOCK_HAS_DATA) != 0;
                if (hasData && dataLen == 0) {
                    throw bad(lsn, "block " + blockId + " has HAS_DATA but no data");
                }
                if (!hasData && dataLen != 0) {
                    throw bad(lsn, "block " + blockId + " has " + dataLen + " data bytes but no HAS_DATA");
                }
                payloadTotal += dataLen;
                int bimgLen = 0;
                int holeOffset = 0;
                int holeLength = 0;
                int bimgInfo = 0;
                boolean hasImage = (forkFlags & BKPBLOCK_HAS_IMAGE) != 0;
                if (hasImage) {
                    need(lsn, remaining - payloadTotal, 5, "image header");
                    bimgLen = b.getShort(pos) & 0xFFFF;
                    holeOffset = b.getShort(pos + 2) & 0xFFFF;
                    bimgInfo = raw[pos + 4] & 0xFF;
                    pos += 5;
                    remaining -= 5;
                    ImageCompression method = ImageCompression.fromBimgInfo(bimgInfo);
                    if (method == null) {
                        throw bad(lsn, "block " + blockId + " image names several compression methods");
                    }
                    boolean compressed = method != ImageCompression.NONE;
                    boolean hasHole = (bimgInfo & BKPIMAGE_HAS_HOLE) != 0;
                    if (hasHole && compressed) {
                        need(lsn, remaining - payloadTotal, 2, "hole length");
                        holeLength = b.getShort(pos) & 0xFFFF;
                        pos += 2;
                        remaining -= 2;
                    } else if (hasHole) {
                        holeLength = BLCKSZ - bimgLen;
                    }
                    checkImage(lsn, blockId, bimgLen, holeOffset, holeLength, hasHole, compressed);
                    payloadTotal += bimgLen;
                }
                RelTag rel;
                ForkNumber fork = fork(lsn, forkFlags & BKPBLOCK_FORK_MASK);
                if ((forkFlags & BKPBLOCK_SAME_REL) == 0) {
                    need(lsn, remaining - payloadTotal, 12, "relation");
                    rel = new RelTag(b.getInt(pos), b.getInt(pos + 4), b.getInt(pos + 8), fork);
                    pos += 12;
                    remaining -= 12;
                } else if (lastRel == null) {
                    throw bad(lsn, "block " + blockId + " has SAME_REL but no previous relation");
                } else {
                    rel = lastRel.fork() == fork ? lastRel : lastRel.withFork(fork);
                }
                lastRel = rel;
                need(lsn, remaining - payloadTotal, 4, "block number");
                int blockNumber = b.getInt(pos);
                pos += 4;
                remaining -= 4;
                pending.add(new PendingBlock(blockId, rel, blockNumber, forkFlags, dataLen, hasImage, bimgLen,
                        holeOffset, holeLength, bimgInfo));
            } else {
                throw bad(lsn, "invalid block id " + blockId);
            }
        }
        if (remaining != payloadTotal) {
            throw bad(lsn, "payload of " + payloadTotal + " bytes does not fill the " + remaining + " left");
        }
        ByteBuffer whole = ByteBuffer.wrap(raw, 0, totLen).slice();
        List<BlockReference> blocks = new ArrayList<>(pending.size());
        for (PendingBlock p : pending) {
            BlockImage image = null;
            if (p.hasImage) {
                image = new BlockImage(whole.slice(pos, p.bimgLen), p.holeOffset, p.holeLength, p.bimgInfo, lsn);
                pos += p.bimgLen;
            }
            ByteBuffer data = whole.slice(pos, p.dataLen);
            pos += p.dataLen;
            blocks.add(new BlockReference(p.id, p.rel, p.blockNumber, p.forkFlags, data, image));
        }
        ByteBuffer main = whole.slice(pos, (int) mainDataLen);
        return new WalRecord(lsn, endLsn, totLen, xid, Lsn.of(prev), info, rmid, blocks, main, origin, toplevelXid,
                whole);
    }

    private static void checkImage(Lsn lsn, int id, int bimgLen, int holeOffset, int holeLength, boolean hasHole,
            boolean compressed) throws WalDecodeException {
        if (hasHole && (holeOffset == 0 || holeLength == 0 || bimgLen == BLCKSZ)) {
            throw bad(lsn, "block " + id + ": HAS_HOLE with hole offset " + holeOffset + ", length " + holeLength
                    + ", image length " + bimgLen);
        }
        if (!hasHole && (holeOffset != 0 || holeLength != 0)) {
            throw bad(lsn, "block " + id + ": no HAS_HOLE but hole offset " + holeOffset + ", length " + holeLength);
        }
        if (compressed && bimgLen >= BLCKSZ) {
            throw bad(lsn, "block " + id + ": compressed image of " + bimgLen + " bytes");
        }
        if (!hasHole && !compressed && bimgLen != BLCKSZ) {
            throw bad(lsn, "block " + id + ": uncompressed image without hole of " + bimgLen + " bytes");
        }
        if (holeLength > BLCKSZ || holeOffset > BLCKSZ - holeLength) {
            throw bad(lsn, "block " + id + ": hole [" + holeOffset + ", +" + holeLength + ") outside the page");
        }
    }

    private static ForkNumber fork(Lsn lsn, int number) throws WalDecodeException {
        if (number > 3) {
            throw bad(lsn, "invalid fork number " + number);
        }
        return ForkNumber.of(number);
    }

    private static void need(Lsn lsn, long left, int bytes, String what) throws WalDecodeException {
        if (left < bytes) {
            throw bad(lsn, "record too short for its " + what);
        }
    }

    private static WalDecodeException bad(Lsn lsn, String reason) {
        return new WalDecodeException(lsn, WalDecodeException.Kind.BAD_RECORD_BODY, reason);
    }

    private record PendingBlock(int id, RelTag rel, int blockNumber, int forkFlags, int dataLen, boolean hasImage,
            int bimgLen, int holeOffset, int holeLength, int bimgInfo) {}
}

package dev.jneon.common.key;

import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.pg.SlruKind;

/**
 * What a {@link Key} addresses, with its fields decoded. Layout (field1 first, hex; "spc/db/rel"
 * are OIDs):
 * <pre>
 * DbDir        00 0   0  0      0    0
 * RelMap       00 spc db 0      0    0
 * RelDir       00 spc db 0      0    1
 * RelBlock     00 spc db rel    fork blk
 * RelSize      00 spc db rel    fork FFFFFFFF
 * SlruDir      01 kind 0 0      0    0
 * SlruBlock    01 kind 1 segno  0    blk
 * SlruSegSize  01 kind 1 segno  0    FFFFFFFF
 * TwoPhaseDir  02 0   0  0      0    0
 * TwoPhaseFile 02 0   0  xid>>40 (xid>>32)&FF xid&FFFFFFFF
 * ControlFile  03 0   0  0      0    0
 * Checkpoint   03 0   0  0      0    1
 * AuxFilesV1   03 0   0  0      0    2
 * </pre>
 * Anything else (sparse keys 0x60.., unknown forks or SLRU kinds, tablespace 0) decodes to
 * {@link Unrecognized}. {@code kind.key()} rebuilds the key, so decoding round-trips. Immutable.
 */
public sealed interface KeyKind {

    /** The key this kind and its fields encode to. */
    Key key();

    record DbDir() implements KeyKind {
        public Key key() {
            return Key.DB_DIR;
        }
    }

    record RelMap(DbTag db) implements KeyKind {
        public RelMap {
            if (db == null) {
                throw new IllegalArgumentException("db must not be null");
            }
        }

        public Key key() {
            return Key.relMap(db);
        }
    }

    record RelDir(DbTag db) implements KeyKind {
        public RelDir {
            if (db == null) {
                throw new IllegalArgumentException("db must not be null");
            }
        }

        public Key key() {
            return Key.relDir(db);
        }
    }

    record RelBlock(RelTag rel, int block) implements KeyKind {
        public RelBlock {
            if (rel == null) {
                throw new IllegalArgumentException("rel must not be null");
            }
            Key.relBlock(rel, block); // validates the other fields
        }

        public Key key() {
            return Key.relBlock(rel, block);
        }
    }

    record RelSize(RelTag rel) implements KeyKind {
        public RelSize {
            if (rel == null) {
                throw new IllegalArgumentException("rel must not be null");
            }
            Key.relSize(rel); // validates the other fields
        }

        public Key key() {
            return Key.relSize(rel);
        }
    }

    record SlruDir(SlruKind slru) implements KeyKind {
        public SlruDir {
            if (slru == null) {
                throw new IllegalArgumentException("slru must not be null");
            }
        }

        public Key key() {
            return Key.slruDir(slru);
        }
    }

    record SlruBlock(SlruKind slru, int segment, int block) implements KeyKind {
        public SlruBlock {
            if (slru == null) {
                throw new IllegalArgumentException("slru must not be null");
            }
            Key.slruBlock(slru, segment, block); // validates the other fields
        }

        public Key key() {
            return Key.slruBlock(slru, segment, block);
        }
    }

    record SlruSegSize(SlruKind slru, int segment) implements KeyKind {
        public SlruSegSize {
            if (slru == null) {
                throw new IllegalArgumentException("slru must not be null");
            }
        }

        public Key key() {
            return Key.slruSegSize(slru, segment);
        }
    }

    record TwoPhaseDir() implements KeyKind {
        public Key key() {
            return Key.TWO_PHASE_DIR;
        }
    }

    /** A prepared transaction's state file; {@code xid} is unsigned (32-bit before PG 17, 64-bit after). */
    record TwoPhaseFile(long xid) implements KeyKind {
        public TwoPhaseFile {
            Key.twoPhaseFile(xid); // validates
        }

        public Key key() {
            return Key.twoPhaseFile(xid);
        }
    }

    record ControlFile() implements KeyKind {
        public Key key() {
            return Key.CONTROL_FILE;
        }
    }

    record Checkpoint() implements KeyKind {
        public Key key() {
            return Key.CHECKPOINT;
        }
    }

    record AuxFilesV1() implements KeyKind {
        public Key key() {
            return Key.AUX_FILES_V1;
        }
    }

    record Unrecognized(Key key) implements KeyKind {
    }

    /** Decodes {@code key}; never throws. */
    static KeyKind of(Key key) {
        return switch (key.field1()) {
            case 0x00 -> relation(key);
            case 0x01 -> slru(key);
            case 0x02 -> twoPhase(key);
            case 0x03 -> misc(key);
            default -> new Unrecognized(key);
        };
    }

    private static KeyKind relation(Key k) {
        if (k.field2() == 0) {
            boolean allZero = k.field3() == 0 && k.field4() == 0 && k.field5() == 0 && k.field6() == 0;
            return allZero ? new DbDir() : new Unrecognized(k);
        }
        if (k.field4() == 0) {
            DbTag db = new DbTag(k.field2(), k.field3());
            if (k.field5() == 0 && k.field6() == 0) {
                return new RelMap(db);
            }
            return k.field5() == 0 && k.field6() == 1 ? new RelDir(db) : new Unrecognized(k);
        }
        if (k.field5() > ForkNumber.INIT.number()) {
            return new Unrecognized(k);
        }
        RelTag rel = new RelTag(k.field2(), k.field3(), k.field4(), ForkNumber.of(k.field5()));
        return k.field6() == Key.SIZE_MARKER ? new RelSize(rel) : new RelBlock(rel, k.field6());
    }

    private static KeyKind slru(Key k) {
        if (Integer.compareUnsigned(k.field2(), SlruKind.MULTIXACT_OFFSETS.number()) > 0 || k.field5() != 0) {
            return new Unrecognized(k);
        }
        SlruKind kind = SlruKind.of(k.field2());
        if (k.field3() == 0) {
            return k.field4() == 0 && k.field6() == 0 ? new SlruDir(kind) : new Unrecognized(k);
        }
        if (k.field3() != 1) {
            return new Unrecognized(k);
        }
        return k.field6() == Key.SIZE_MARKER ? new SlruSegSize(kind, k.field4()) : new SlruBlock(kind, k.field4(), k.field6());
    }

    private static KeyKind twoPhase(Key k) {
        if (k.field2() != 0 || k.field3() != 0 || (k.field4() >>> 24) != 0) {
            return new Unrecognized(k);
        }
        long xid = (long) k.field4() << 40 | (long) k.field5() << 32 | Integer.toUnsignedLong(k.field6());
        return xid == 0 ? new TwoPhaseDir() : new TwoPhaseFile(xid);
    }

    private static KeyKind misc(Key k) {
        if (k.field2() != 0 || k.field3() != 0 || k.field4() != 0 || k.field5() != 0) {
            return new Unrecognized(k);
        }
        return switch (k.field6()) {
            case 0 -> new ControlFile();
            case 1 -> new Checkpoint();
            case 2 -> new AuxFilesV1();
            default -> new Unrecognized(k);
        };
    }
}

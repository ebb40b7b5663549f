package dev.jneon.pageserver.value;

import java.util.Arrays;

/**
 * What the pageserver stores for a key at an LSN: a full image, or a record applied to an older
 * version. Encoded by {@link ValueCodec}. Immutable (byte arrays are copied in and out).
 */
public sealed interface Value {

    /** Whether this value alone determines the key's content (no older version is needed). */
    boolean willInit();

    static Value image(byte[] bytes) {
        return new Image(bytes);
    }

    static Value record(NeonWalRecord record) {
        return new WalRecord(record);
    }

    /** A complete value: a page image, a size, a directory, a control file. */
    record Image(byte[] bytes) implements Value {
        public Image {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** The length without copying. */
        public int length() {
            return bytes.length;
        }

        @Override
        public boolean willInit() {
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Image i && Arrays.equals(i.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Image[" + bytes.length + " bytes]";
        }
    }

    /** A change to apply to the previous version. */
    record WalRecord(NeonWalRecord record) implements Value {
        public WalRecord {
            if (record == null) {
                throw new IllegalArgumentException("record must not be null");
            }
        }

        @Override
        public boolean willInit() {
            return record.willInit();
        }
    }
}

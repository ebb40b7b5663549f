package dev.jneon.common.wal;

import dev.jneon.common.pg.RelTag;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One block a record touches (a {@code DecodedBkpBlock}): its id within the record (0..32), the
 * relation fork, the block number within the fork (unsigned), the fork_flags byte, the block's
 * rmgr data (empty when it has none) and its full-page image (null when it has none). Immutable;
 * {@code data} is a read-only view into the record's bytes.
 */
public record BlockReference(int id, RelTag rel, int blockNumber, int forkFlags, ByteBuffer data, BlockImage image) {

    @Override
    public ByteBuffer data() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    public boolean hasImage() {
        return image != null;
    }

    public boolean hasData() {
        return (forkFlags & WalFormat.BKPBLOCK_HAS_DATA) != 0;
    }

    /** BKPBLOCK_WILL_INIT: redo re-initialises the page, it does not read the old one. */
    public boolean willInit() {
        return (forkFlags & WalFormat.BKPBLOCK_WILL_INIT) != 0;
    }

    public int dataLength() {
        return data.remaining();
    }
}

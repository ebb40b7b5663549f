package dev.jneon.pageserver.value;

import dev.jneon.common.key.Key;
import java.util.List;

/**
 * Builds a key's content from its versions (spec C): the versions come newest first and end with a
 * will-init value; records are applied oldest first on a copy of that base. Stateless.
 */
public final class Reconstruction {

    private Reconstruction() {}

    /**
     * The content of {@code key} from {@code newestFirst}; {@link IllegalStateException} when no
     * version initialises the key (a missing base image means corruption or a wrong LSN).
     */
    public static byte[] reconstruct(Key key, List<PageVersion> newestFirst) {
        int base = -1;
        for (int i = 0; i < newestFirst.size(); i++) {
            if (newestFirst.get(i).value().willInit()) {
                base = i;
                break;
            }
        }
        if (base < 0) {
            throw new IllegalStateException("no image or initialising record for key " + key + " among "
                    + newestFirst.size() + " versions");
        }
        byte[] page = switch (newestFirst.get(base).value()) {
            case Value.Image image -> image.bytes();
            case Value.WalRecord rec -> NeonRedo.apply(key, new byte[0], rec.record(), newestFirst.get(base).lsn());
        };
        for (int i = base - 1; i >= 0; i--) {
            PageVersion version = newestFirst.get(i);
            page = switch (version.value()) {
                case Value.Image image -> image.bytes();
                case Value.WalRecord rec -> NeonRedo.apply(key, page, rec.record(), version.lsn());
            };
        }
        return page;
    }
}

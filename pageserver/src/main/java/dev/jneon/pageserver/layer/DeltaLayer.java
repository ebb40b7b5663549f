package dev.jneon.pageserver.layer;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.Key;
import dev.jneon.pageserver.value.PageVersion;
import java.util.List;

/** Every change to keys x {@code [lsnStart, lsnEnd)}: values and range deletes (spec D.3). Thread-safe. */
public record DeltaLayer(LayerName name, Generation generation, LayerResidence residence) implements PersistentLayer {

    public DeltaLayer {
        if (name.image()) {
            throw new IllegalArgumentException(name + " is an image layer");
        }
    }

    @Override
    public ReadOutcome collect(Key key, Lsn floor, Lsn cont, List<PageVersion> sink) {
        LayerFile f = file();
        Lsn deletedAt = Layer.newestDelete(f.tombstones(), key, floor, cont);
        return Layer.scan(f.versions(key, floor, cont), deletedAt, f::read, sink);
    }
}

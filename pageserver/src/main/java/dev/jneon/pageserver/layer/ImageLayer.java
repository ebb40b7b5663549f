package dev.jneon.pageserver.layer;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.key.Key;
import dev.jneon.pageserver.value.PageVersion;
import dev.jneon.pageserver.value.ValueCodec;
import java.util.List;

/**
 * Each key's value at one LSN (spec D.3); a key of the range that is not in the file does not
 * exist at that LSN. Thread-safe.
 */
public record ImageLayer(LayerName name, Generation generation, LayerResidence residence) implements PersistentLayer {

    public ImageLayer {
        if (!name.image()) {
            throw new IllegalArgumentException(name + " is a delta layer");
        }
    }

    public Lsn lsn() {
        return name.lsns().start();
    }

    @Override
    public ReadOutcome collect(Key key, Lsn floor, Lsn cont, List<PageVersion> sink) {
        LayerFile f = file();
        List<LayerFile.Entry> found = f.versions(key, lsn(), lsn().plus(1));
        if (found.isEmpty()) {
            return ReadOutcome.ABSENT;
        }
        LayerFile.Entry e = found.getFirst();
        sink.add(new PageVersion(e.lsn(), ValueCodec.decode(f.read(e))));
        return ReadOutcome.COMPLETE;
    }
}

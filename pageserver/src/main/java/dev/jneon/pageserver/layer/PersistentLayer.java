package dev.jneon.pageserver.layer;

import dev.jneon.common.id.Generation;
import dev.jneon.common.key.KeyRange;
import java.nio.file.Path;

/**
 * A layer in an immutable file, on local disk or, when evicted, only in remote storage (its
 * {@link LayerResidence}): a {@link DeltaLayer} or an {@link ImageLayer}. Thread-safe.
 */
public sealed interface PersistentLayer extends Layer, AutoCloseable permits DeltaLayer, ImageLayer {

    LayerName name();

    Generation generation();

    LayerResidence residence();

    /** The open file, downloaded first when the layer is evicted. */
    default LayerFile file() {
        return residence().file();
    }

    /** The local path of the file (absent while evicted). */
    default Path path() {
        return residence().path();
    }

    /** The file size in bytes, resident or not. */
    default long fileSize() {
        return residence().size();
    }

    @Override
    default KeyRange keyRange() {
        return name().keys();
    }

    @Override
    default LsnRange lsnRange() {
        return name().lsns();
    }

    @Override
    default void close() {
        residence().close();
    }

    /** Opens a finished layer file, checking that its summary agrees with its name. */
    static PersistentLayer open(Path path) {
        LayerName.Local local = LayerName.parseFileName(path.getFileName().toString());
        LayerFile file = LayerFile.open(path);
        LayerFile.Summary s = file.summary();
        if (!s.keys().equals(local.name().keys()) || !s.lsns().equals(local.name().lsns()) || s.image() != local.name().image()) {
            file.close();
            throw new IllegalArgumentException("layer file " + path + " summary (" + s.keys() + ", " + s.lsns()
                    + ") does not match its name");
        }
        return of(local.name(), local.generation(), LayerResidence.resident(file));
    }

    /** The layer {@code name} of {@code generation} with its bytes where {@code residence} says. */
    static PersistentLayer of(LayerName name, Generation generation, LayerResidence residence) {
        return name.image() ? new ImageLayer(name, generation, residence) : new DeltaLayer(name, generation, residence);
    }
}

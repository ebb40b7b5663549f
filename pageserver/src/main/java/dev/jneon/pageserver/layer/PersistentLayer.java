package dev.jneon.pageserver.layer;

import dev.jneon.common.id.Generation;
import dev.jneon.common.key.KeyRange;
import java.nio.file.Path;

/** A layer in an immutable file on local disk: a {@link DeltaLayer} or an {@link ImageLayer}. Thread-safe. */
public sealed interface PersistentLayer extends Layer, AutoCloseable permits DeltaLayer, ImageLayer {

    LayerName name();

    Generation generation();

    LayerFile file();

    default Path path() {
        return file().path();
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
        file().close();
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
        return local.name().image() ? new ImageLayer(local.name(), local.generation(), file)
                : new DeltaLayer(local.name(), local.generation(), file);
    }
}

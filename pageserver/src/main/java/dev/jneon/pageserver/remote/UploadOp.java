package dev.jneon.pageserver.remote;

import dev.jneon.common.remote.RemotePath;
import dev.jneon.pageserver.layer.PersistentLayer;
import java.util.List;

/**
 * One entry of a timeline's {@link UploadQueue}, executed in the order scheduled (spec E.4). Immutable.
 */
sealed interface UploadOp {

    /** Copy a new layer file to its remote key. */
    record UploadLayer(PersistentLayer layer) implements UploadOp {}

    /** Upload an index; everything it names was scheduled before it. */
    record UploadIndex(IndexPart index) implements UploadOp {}

    /** Delete remote objects that an index scheduled before no longer names. */
    record DeleteRemote(List<RemotePath> paths) implements UploadOp {
        public DeleteRemote {
            paths = List.copyOf(paths);
        }
    }

    /** Delete the local files of layers removed from the layer map, once their uploads are done. */
    record DeleteLocal(List<PersistentLayer> layers) implements UploadOp {
        public DeleteLocal {
            layers = List.copyOf(layers);
        }
    }
}

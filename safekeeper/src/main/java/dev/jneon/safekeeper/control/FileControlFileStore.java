package dev.jneon.safekeeper.control;

import dev.jneon.safekeeper.acceptor.AcceptorState;
import dev.jneon.safekeeper.acceptor.ControlFileStore;
import dev.jneon.safekeeper.disk.DurableFiles;
import dev.jneon.safekeeper.disk.FailStop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The control file {@code <timeline dir>/safekeeper.control} in {@link ControlFileFormat}. Persisting
 * writes {@code safekeeper.control.partial}, fsyncs it, renames it over the old file and fsyncs the
 * directory, so a crash leaves the old or the new state (a stale {@code .partial} is ignored and
 * overwritten). A failure to persist stops the process. Not thread-safe; owned by one acceptor.
 */
public final class FileControlFileStore implements ControlFileStore {

    public static final String FILE_NAME = "safekeeper.control";
    private static final String PARTIAL = FILE_NAME + ".partial";

    private final Path dir;

    public FileControlFileStore(Path timelineDir) {
        this.dir = timelineDir;
    }

    /** Reads the control file of {@code timelineDir}; an invalid file is an {@link IllegalArgumentException}. */
    public static AcceptorState load(Path timelineDir) throws IOException {
        return ControlFileFormat.decode(Files.readAllBytes(timelineDir.resolve(FILE_NAME)));
    }

    /** Writes the file durably, throwing instead of stopping the process (for creating a new timeline). */
    public static void write(Path timelineDir, AcceptorState state) throws IOException {
        Path partial = timelineDir.resolve(PARTIAL);
        DurableFiles.writeSynced(partial, ControlFileFormat.encode(state));
        DurableFiles.rename(partial, timelineDir.resolve(FILE_NAME));
    }

    @Override
    public void persist(AcceptorState state) {
        try {
            write(dir, state);
        } catch (IOException e) {
            throw FailStop.halt("persisting the control file in " + dir, e);
        }
    }
}

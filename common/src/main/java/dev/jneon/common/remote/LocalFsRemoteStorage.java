package dev.jneon.common.remote;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Remote storage in a local directory ({@code local_path}), the default backend: the object with key
 * {@code a/b/c} is the file {@code <root>/a/b/c}; folders are directories, removed again when their
 * last object is deleted. Unlike object stores, a key cannot be both an object and a folder
 * ({@code a} and {@code a/x}): the second put fails. Neon's layout never needs both.
 *
 * <p>Crash story: a PUT writes {@code <root>/.jneon-tmp/<uuid>.upload}, fsyncs it, renames it atomically
 * over the target and fsyncs the target's directory, so a reader sees the old object or the whole new
 * one. A crash leaves at most an orphan in {@code .jneon-tmp}, which listings never show and which is
 * removed when older than an hour at the next start. Keys whose first segment is {@code .jneon-tmp} are
 * refused. Time limits are not applied (local I/O); interrupting the caller cancels a call.
 * Thread-safe: every call works on its own files.
 */
public final class LocalFsRemoteStorage implements RemoteStorage {

    /** The directory under the root holding uploads in progress. */
    public static final String TEMP_DIR = ".jneon-tmp";

    private static final Duration ORPHAN_AGE = Duration.ofHours(1);
    private static final int COPY_BUFFER = 1 << 20;

    private final Path root;
    private final Path tempDir;

    public LocalFsRemoteStorage(RemoteStorageConfig.LocalFs config) {
        this.root = config.localPath().toAbsolutePath().normalize();
        this.tempDir = root.resolve(TEMP_DIR);
        try {
            Files.createDirectories(tempDir);
            removeOrphans();
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare local remote storage at " + root, e);
        }
    }

    @Override
    public Listing list(ListRequest request) throws RemoteStorageException {
        String prefix = request.keyPrefix();
        int slash = prefix.lastIndexOf('/');
        Path dir = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        List<RemoteObject> objects = new ArrayList<>();
        List<RemotePath> folders = new ArrayList<>();
        try {
            if (request.delimited()) {
                listChildren(dir, objects, folders);
            } else {
                walk(dir, prefix, objects);
            }
        } catch (IOException e) {
            throw failure("list " + prefix, e);
        }
        objects.sort(Comparator.comparing(RemoteObject::path));
        folders.sort(Comparator.naturalOrder());
        ListingCollector listing = new ListingCollector(request);
        listing.addPage(objects, folders);
        return listing.result();
    }

    @Override
    public RemoteObject head(RemotePath path) throws RemoteStorageException {
        try {
            return describe(path, Files.readAttributes(file(path), BasicFileAttributes.class));
        } catch (IOException e) {
            throw failure("head " + path, e);
        }
    }

    @Override
    public InputStream get(RemotePath path, ByteRange range) throws RemoteStorageException {
        Path file = file(path);
        try {
            if (Files.isDirectory(file)) {
                throw new NoSuchFileException(file.toString());
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            long size = channel.size();
            long start = Math.min(range.start(), size);
            long end = Math.min(range.end().orElse(size), size);
            channel.position(start);
            return new BoundedInputStream(Channels.newInputStream(channel), end - start);
        } catch (IOException e) {
            throw failure("get " + path, e);
        }
    }

    @Override
    public void put(RemotePath path, ObjectSource source, long length) throws RemoteStorageException {
        Path target = file(path);
        if (path.value().equals(TEMP_DIR) || path.value().startsWith(TEMP_DIR + "/")) {
            throw new IllegalArgumentException("key " + path + " is reserved for uploads in progress");
        }
        Path temp = tempDir.resolve(UUID.randomUUID() + ".upload");
        try {
            try (InputStream in = source.open();
                 FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                UploadParts parts = new UploadParts(in, length, COPY_BUFFER);
                while (parts.hasNext()) {
                    ByteBuffer buffer = ByteBuffer.wrap(parts.next());
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                }
                parts.finish();
                out.force(true);
            }
            moveIntoPlace(temp, target);
        } catch (IOException e) {
            throw failure("put " + path, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public void delete(RemotePath path) throws RemoteStorageException {
        Path file = file(path);
        try {
            if (!Files.isDirectory(file) && Files.deleteIfExists(file)) {
                removeEmptyParents(file.getParent());
            }
        } catch (IOException e) {
            throw failure("delete " + path, e);
        }
    }

    @Override
    public void deleteAll(Collection<RemotePath> paths) throws RemoteStorageException {
        for (RemotePath path : paths) {
            delete(path);
        }
    }

    @Override
    public void copy(RemotePath from, RemotePath to) throws RemoteStorageException {
        long size = head(from).size();
        Path source = file(from);
        put(to, () -> Files.newInputStream(source), size);
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "LocalFsRemoteStorage[" + root + "]";
    }

    private Path file(RemotePath path) {
        return root.resolve(path.value());
    }

    private RemotePath key(Path file) {
        return new RemotePath(root.relativize(file).toString());
    }

    private RemoteObject describe(RemotePath path, BasicFileAttributes attributes) throws NoSuchFileException {
        if (!attributes.isRegularFile()) {
            throw new NoSuchFileException(path.value());
        }
        Instant modified = attributes.lastModifiedTime().toInstant();
        long nanos = modified.getEpochSecond() * 1_000_000_000L + modified.getNano();
        return new RemoteObject(path, attributes.size(), modified,
                Long.toHexString(nanos) + "-" + Long.toHexString(attributes.size()));
    }

    private void listChildren(Path dir, List<RemoteObject> objects, List<RemotePath> folders) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.toList()) {
                if (child.equals(tempDir)) {
                    continue;
                }
                try {
                    BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class);
                    if (attributes.isRegularFile()) {
                        objects.add(describe(key(child), attributes));
                    } else if (attributes.isDirectory() && !isEmptyDirectory(child)) {
                        folders.add(key(child));
                    }
                } catch (NoSuchFileException concurrentlyDeleted) {
                    // gone between listing and reading: not part of the result
                }
            }
        }
    }

    private void walk(Path dir, String prefix, List<RemoteObject> objects) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                return d.equals(tempDir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    RemotePath key = key(f);
                    if (key.value().startsWith(prefix)) {
                        objects.add(describe(key, attrs));
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.findAny().isEmpty();
        }
    }

    /** Renames the fsynced temp file over the target; a concurrent delete may remove the parent in between. */
    private void moveIntoPlace(Path temp, Path target) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Files.createDirectories(target.getParent());
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                break;
            } catch (NoSuchFileException e) {
                if (attempt == 3) {
                    throw e;
                }
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("local remote storage needs atomic renames inside " + root, e);
            }
        }
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private void removeEmptyParents(Path dir) throws IOException {
        for (Path d = dir; d != null && d.startsWith(root) && !d.equals(root); d = d.getParent()) {
            try {
                Files.delete(d);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            }
        }
    }

    private void removeOrphans() throws IOException {
        Instant cutoff = Instant.now().minus(ORPHAN_AGE);
        try (Stream<Path> orphans = Files.list(tempDir)) {
            for (Path orphan : orphans.toList()) {
                if (Files.getLastModifiedTime(orphan).toInstant().isBefore(cutoff)) {
                    deleteQuietly(orphan);
                }
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // an orphan upload file is harmless and removed at the next start
        }
    }

    private static RemoteStorageException failure(String what, IOException e) {
        RemoteStorageException.Cancelled cancelled = RemoteStorageException.ifInterrupted(what, e);
        if (cancelled != null) {
            return cancelled;
        }
        if (e instanceof NoSuchFileException) {
            return new RemoteStorageException.NotFound(what + ": no such object", e);
        }
        return new RemoteStorageException.Other(what + ": " + e, true, e);
    }
}

package dev.jneon.common.arch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The "main code over 1,000 lines is a defect" rule of STYLE.md 3: finds every
 * {@code <module>/src/main/java/**}{@code /*.java} under a repository root (skipping build output
 * in {@code target/} and hidden directories) longer than {@code maxLines} lines. Immutable.
 */
record SourceSizeLimit(int maxLines) {

    /** A source file over the limit, its path relative to the repository root. */
    record Oversized(Path file, long lines) {
        @Override
        public String toString() {
            return file + " (" + lines + " lines)";
        }
    }

    private static final Pattern COMMON_MODULE = Pattern.compile("<module>\\s*common\\s*</module>");

    SourceSizeLimit {
        if (maxLines < 1) {
            throw new IllegalArgumentException("maxLines must be positive: " + maxLines);
        }
    }

    /** Main source files of {@code root} over the limit, sorted by path. */
    List<Oversized> oversized(Path root) throws IOException {
        List<Oversized> found = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                boolean skip = !dir.equals(root) && (name.equals("target") || name.startsWith("."));
                return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path relative = root.relativize(file);
                if (isMainJava(relative)) {
                    long lines = countLines(file);
                    if (lines > maxLines) {
                        found.add(new Oversized(relative, lines));
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort(Comparator.comparing(Oversized::file));
        return found;
    }

    /** {@code <module>/src/main/java/...} with the module at any depth, ending in .java. */
    private static boolean isMainJava(Path relative) {
        if (!relative.getFileName().toString().endsWith(".java")) {
            return false;
        }
        for (int i = 1; i + 2 < relative.getNameCount() - 1; i++) {
            if (relative.getName(i).toString().equals("src")
                    && relative.getName(i + 1).toString().equals("main")
                    && relative.getName(i + 2).toString().equals("java")) {
                return true;
            }
        }
        return false;
    }

    private static long countLines(Path file) throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
            return lines.count();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * The repository root: the nearest directory at or above {@code start} whose pom.xml lists
     * the {@code common} module.
     */
    static Path repositoryRoot(Path start) throws IOException {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom) && COMMON_MODULE.matcher(Files.readString(pom)).find()) {
                return dir;
            }
        }
        throw new IllegalStateException("no pom.xml with <module>common</module> at or above " + start);
    }
}

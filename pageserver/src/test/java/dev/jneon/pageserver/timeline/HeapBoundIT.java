package dev.jneon.pageserver.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingesting far more than the heap through the writer completes: a child JVM with {@code -Xmx256m}
 * writes 300 MiB of page images, and the data ends up in layer files.
 */
class HeapBoundIT {

    private static final long MEGABYTES = 300;

    @TempDir
    Path dir;

    @Test
    void threeHundredMegabytesOfPagesFitThroughA256MegabyteHeap() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                HeapBoundWriter.class.getName(), dir.toString(), Long.toString(MEGABYTES)))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output;
        try (var in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
        }
        System.out.print(output);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("DONE").doesNotContain("OutOfMemoryError");
        assertThat(layerBytes()).isGreaterThan(MEGABYTES * 1024 * 1024);
    }

    private long layerBytes() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().contains("__"))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
    }
}

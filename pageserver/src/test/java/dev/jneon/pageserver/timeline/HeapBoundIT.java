package dev.jneon.pageserver.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.pageserver.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        ChildJvm.Result child = ChildJvm.run("256m", HeapBoundWriter.class, Duration.ofMinutes(10), dir.toString(),
                Long.toString(MEGABYTES));
        String output = child.output();
        System.out.print(output);
        assertThat(child.exitCode()).as(output).isZero();
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

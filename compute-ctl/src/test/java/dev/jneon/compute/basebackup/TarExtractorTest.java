package dev.jneon.compute.basebackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.pg.server.PgCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacks archives written by GNU tar (ustar and gnu formats, long names, empty dirs, big files). */
class TarExtractorTest {

    @TempDir
    Path tmp;

    private Path source() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.createDirectories(src.resolve("pg_wal/archive_status"));
        Files.createDirectories(src.resolve("pg_notify"));
        Files.writeString(src.resolve("PG_VERSION"), "15\n");
        byte[] big = new byte[3 * 8192 + 17];
        new Random(42).nextBytes(big);
        Files.write(src.resolve("base_1_1259"), big);
        Path deep = src.resolve("base/" + "d".repeat(90) + "/" + "e".repeat(90));
        Files.createDirectories(deep);
        Files.writeString(deep.resolve("f".repeat(120)), "long name");
        Files.write(src.resolve("empty"), new byte[0]);
        return src;
    }

    private Path tar(Path src, String format) {
        Path archive = tmp.resolve(format + ".tar");
        PgCluster.run(List.of("tar", "--format=" + format, "-cf", archive.toString(), "-C", src.toString(), "."),
                Duration.ofMinutes(1));
        return archive;
    }

    @Test
    void unpacksGnuAndPaxArchivesExactly() throws IOException {
        Path src = source();
        for (String format : List.of("gnu", "posix")) {
            Path out = Files.createDirectories(tmp.resolve("out-" + format));
            TarExtractor.Result r;
            try (InputStream in = Files.newInputStream(tar(src, format))) {
                r = TarExtractor.extract(in, out);
            }
            assertThat(r.files()).isEqualTo(4);
            assertThat(Files.readAllBytes(out.resolve("base_1_1259"))).isEqualTo(Files.readAllBytes(src.resolve("base_1_1259")));
            assertThat(Files.readString(out.resolve("base/" + "d".repeat(90) + "/" + "e".repeat(90) + "/" + "f".repeat(120))))
                    .isEqualTo("long name");
            assertThat(out.resolve("pg_wal/archive_status")).isDirectory();
            assertThat(out.resolve("pg_notify")).isDirectory();
            assertThat(out.resolve("empty")).isEmptyFile();
            assertThat(Files.getPosixFilePermissions(out.resolve("PG_VERSION")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
        }
    }

    @Test
    void refusesEntriesOutsideTheTargetAndTruncatedStreams() throws IOException {
        byte[] header = new byte[512];
        byte[] name = "../escape".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, header, 0, name.length);
        System.arraycopy("00000000000\0".getBytes(StandardCharsets.US_ASCII), 0, header, 124, 12);
        header[156] = '0';
        var bad = new ByteArrayOutputStream();
        bad.write(header);
        bad.write(new byte[1024]);
        assertThatThrownBy(() -> TarExtractor.extract(new ByteArrayInputStream(bad.toByteArray()), tmp))
                .hasMessageContaining("escapes the target directory");

        byte[] whole = Files.readAllBytes(tar(source(), "gnu"));
        Path out = Files.createDirectories(tmp.resolve("cut"));
        assertThatThrownBy(() -> TarExtractor.extract(new ByteArrayInputStream(Arrays.copyOf(whole, 5000)), out))
                .isInstanceOf(java.io.EOFException.class);
    }
}

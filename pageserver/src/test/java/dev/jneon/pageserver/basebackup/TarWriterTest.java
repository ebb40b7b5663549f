package dev.jneon.pageserver.basebackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.pg.server.PgCluster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TarWriter} output read back by GNU tar (the reference), and its size bookkeeping. */
class TarWriterTest {

    @TempDir
    Path tmp;

    @Test
    void gnuTarExtractsWhatWeWrite() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TarWriter tar = new TarWriter(bytes, 1_700_000_000L);
        String longDir = "d/" + "x".repeat(60) + "/" + "z".repeat(60);
        tar.directory("d");
        tar.directory("d/" + "x".repeat(60));
        tar.directory(longDir);
        tar.file("d/empty", new byte[0]);
        tar.file(longDir + "/" + "y".repeat(90), "long name".getBytes(StandardCharsets.US_ASCII));
        byte[] big = new byte[8192 * 3 + 100];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        tar.beginFile("d/big", big.length);
        tar.write(big, 0, 1000);
        tar.write(big, 1000, big.length - 1000);
        tar.endFile();
        tar.finish();
        assertThat(bytes.size() % 512).isZero();

        Path archive = tmp.resolve("a.tar");
        Files.write(archive, bytes.toByteArray());
        Path out = Files.createDirectory(tmp.resolve("out"));
        PgCluster.run(List.of("tar", "-xf", archive.toString(), "-C", out.toString()), Duration.ofMinutes(1));
        assertThat(Files.readAllBytes(out.resolve("d/big"))).isEqualTo(big);
        assertThat(Files.size(out.resolve("d/empty"))).isZero();
        assertThat(Files.readString(out.resolve(longDir + "/" + "y".repeat(90)))).isEqualTo("long name");
        String verbose = PgCluster.run(List.of("tar", "-tvf", archive.toString()), Duration.ofMinutes(1));
        assertThat(verbose.lines().filter(l -> l.endsWith("d/big"))).singleElement().asString().startsWith("-rw-------");
        assertThat(verbose.lines().filter(l -> l.endsWith("d/"))).singleElement().asString().startsWith("drwx------");
    }

    @Test
    void refusesAFileThatDoesNotMatchItsDeclaredSize() throws Exception {
        TarWriter tar = new TarWriter(new ByteArrayOutputStream(), 0);
        tar.beginFile("f", 10);
        tar.write(new byte[4]);
        assertThatThrownBy(() -> tar.write(new byte[7])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(tar::endFile).isInstanceOf(IllegalStateException.class).hasMessageContaining("6 were not written");
        assertThatThrownBy(() -> tar.directory("d")).isInstanceOf(IllegalStateException.class);
        TarWriter other = new TarWriter(new ByteArrayOutputStream(), 0);
        assertThatThrownBy(() -> other.file("x".repeat(101), new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}

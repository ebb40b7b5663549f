package dev.jneon.common.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No main source file of any module is over 1,000 lines (STYLE.md 3); and the check can fail. */
class SourceSizeTest {

    private static final SourceSizeLimit LIMIT = new SourceSizeLimit(1000);

    @TempDir
    Path tmp;

    @Test
    void noMainSourceFileIsOverAThousandLines() throws IOException {
        Path root = SourceSizeLimit.repositoryRoot(Path.of(System.getProperty("user.dir")));

        assertThat(LIMIT.oversized(root)).as("main source files over 1,000 lines (split them)").isEmpty();
    }

    @Test
    void reportsEveryMainFileOverTheLimitAndNothingElse() throws IOException {
        write("pageserver/src/main/java/dev/jneon/pageserver/Big.java", 1001);
        write("proxy/src/main/java/dev/jneon/proxy/Bigger.java", 2000);
        write("proxy/src/main/java/dev/jneon/proxy/JustFits.java", 1000);
        write("proxy/src/test/java/dev/jneon/proxy/BigTest.java", 5000);
        write("proxy/target/generated-sources/protobuf/java/Gen.java", 5000);
        write("proxy/target/src/main/java/Copied.java", 5000);
        write("src/main/java/AtTheRoot.java", 5000);

        assertThat(LIMIT.oversized(tmp))
                .extracting(o -> o.file().toString() + ":" + o.lines())
                .containsExactly(
                        "pageserver/src/main/java/dev/jneon/pageserver/Big.java:1001",
                        "proxy/src/main/java/dev/jneon/proxy/Bigger.java:2000");
    }

    @Test
    void findsTheRootFromAModuleDirectory() throws IOException {
        Files.writeString(tmp.resolve("pom.xml"), "<modules>\n  <module>common</module>\n</modules>");
        Path module = Files.createDirectories(tmp.resolve("pageserver/src"));
        Files.writeString(tmp.resolve("pageserver/pom.xml"), "<artifactId>pageserver</artifactId>");

        assertThat(SourceSizeLimit.repositoryRoot(module)).isEqualTo(tmp.toAbsolutePath().normalize());
    }

    private void write(String relative, int lines) throws IOException {
        Path file = tmp.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "// line\n".repeat(lines));
    }
}

package dev.jneon.common.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles small Java sources at test time and imports the resulting classes, so the layering
 * rules can be run against deliberately bad classes in the real packages they guard (for example
 * {@code dev.jneon.common.key}) without shipping such classes in any source tree. Not
 * thread-safe; one instance per test.
 */
final class CompiledFixture {

    private static final Pattern DECLARATION =
            Pattern.compile("package\\s+([\\w.]+);.*?\\b(?:class|record|interface|enum)\\s+(\\w+)", Pattern.DOTALL);

    private final Path dir;

    CompiledFixture(Path dir) {
        this.dir = dir;
    }

    /** Compiles the sources (each one top-level type with a package clause) and imports them. */
    JavaClasses compile(String... sources) throws IOException {
        Path src = dir.resolve("src");
        Path out = Files.createDirectories(dir.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-proc:none"));
        for (String source : sources) {
            Matcher m = DECLARATION.matcher(source);
            if (!m.find()) {
                throw new IllegalArgumentException("fixture source needs a package and a type: " + source);
            }
            Path file = src.resolve(m.group(1).replace('.', '/')).resolve(m.group(2) + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source);
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        if (javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("fixture did not compile:\n" + diagnostics);
        }
        return new ClassFileImporter().importPath(out);
    }
}

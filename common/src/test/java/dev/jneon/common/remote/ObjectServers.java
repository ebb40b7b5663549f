package dev.jneon.common.remote;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension owning the S3 and Azure Blob test servers of a test class: s3rver and Azurite,
 * installed into {@code <repo>/.tools/node} by {@code test-support/install-object-servers.sh} on first
 * use, started lazily on free loopback ports with data under a temporary directory, and killed by PID
 * (and their data removed) after the class. A server that cannot be installed or started fails the
 * test that needs it. Register it in a static field (public for other modules' tests, such as
 * endpoint-storage's). Not thread-safe (tests use it from one thread).
 */
public final class ObjectServers implements AfterAllCallback {

    public static final String BUCKET = "jneon-test";
    public static final String CONTAINER = "jneon-test";
    /** Azurite's well-known development account and key. */
    public static final String AZURITE_ACCOUNT = "devstoreaccount1";
    public static final String AZURITE_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Path workDir;
    private ObjectServerProcess s3rver;
    private ObjectServerProcess azurite;

    /** The running s3rver (with bucket {@link #BUCKET}), started on first call. */
    public ObjectServerProcess s3rver() throws IOException {
        if (s3rver == null) {
            Path bin = install().resolve("s3rver");
            s3rver = ObjectServerProcess.start("s3rver", port -> List.of(bin.toString(), "--directory",
                    workDir.resolve("s3rver").toString(), "--address", "127.0.0.1", "--port", Integer.toString(port),
                    "--silent", "--no-vhost-buckets", "--configure-bucket", BUCKET),
                    // s3rver's list continuation tokens use DES, which OpenSSL 3 keeps in its legacy provider
                    Map.of("NODE_OPTIONS", "--openssl-legacy-provider"), workDir.resolve("s3rver"));
        }
        return s3rver;
    }

    /** The running Azurite blob service, started on first call (containers are made by the caller). */
    public ObjectServerProcess azurite() throws IOException {
        if (azurite == null) {
            Path bin = install().resolve("azurite-blob");
            azurite = ObjectServerProcess.start("azurite", port -> List.of(bin.toString(), "--blobHost", "127.0.0.1",
                    "--blobPort", Integer.toString(port), "--location", workDir.resolve("azurite").toString(),
                    "--silent", "--skipApiVersionCheck", "--disableTelemetry"), Map.of(), workDir.resolve("azurite"));
        }
        return azurite;
    }

    public static URI s3Endpoint(ObjectServerProcess server) {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public static URI azuriteEndpoint(ObjectServerProcess server) {
        return URI.create("http://127.0.0.1:" + server.port() + "/" + AZURITE_ACCOUNT);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (s3rver != null) {
                s3rver.stop();
            }
            if (azurite != null) {
                azurite.stop();
            }
        } finally {
            s3rver = null;
            azurite = null;
            if (workDir != null) {
                try (Stream<Path> files = Files.walk(workDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
                workDir = null;
            }
        }
    }

    /** Runs the install script (idempotent) and returns {@code .tools/node/node_modules/.bin}. */
    private Path install() throws IOException {
        if (workDir == null) {
            workDir = Files.createTempDirectory("jneon-object-servers");
        }
        Path repo = repoRoot();
        Path script = repo.resolve("test-support/install-object-servers.sh");
        Process install = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        String output = new String(install.getInputStream().readAllBytes());
        try {
            if (!install.waitFor(10, TimeUnit.MINUTES) || install.exitValue() != 0) {
                install.destroyForcibly();
                throw new IllegalStateException("cannot install s3rver and Azurite with " + script + " (npm must reach "
                        + "its registry):\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            install.destroyForcibly();
            throw new IOException("interrupted while installing object servers", e);
        }
        return repo.resolve(".tools/node/node_modules/.bin");
    }

    private static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("test-support/install-object-servers.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("test-support/install-object-servers.sh not found above "
                + Path.of("").toAbsolutePath());
    }
}

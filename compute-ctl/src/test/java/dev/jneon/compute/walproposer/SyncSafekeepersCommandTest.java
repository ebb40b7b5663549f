package dev.jneon.compute.walproposer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantTimelineId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** sync-safekeepers run as a separate JVM process: the C contract of stdout, stderr and exit code. */
class SyncSafekeepersCommandTest {

    private record Result(int exit, String stdout, String stderr) {
    }

    private static Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SyncSafekeepersCommand.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        var err = new StringBuilder();
        Thread pump = Thread.ofVirtual().start(() -> err.append(new String(readAll(p.getErrorStream()),
                StandardCharsets.UTF_8)));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("sync-safekeepers did not exit");
        }
        pump.join();
        return new Result(p.exitValue(), out, err.toString());
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            return new byte[0];
        }
    }

    @Test
    void printsTheAgreedEndOfWalOnStdout() throws Exception {
        Lsn start = Lsn.parse("0/3000028");
        List<LoopbackSafekeeper> sks = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                sks.add(new LoopbackSafekeeper(i, start));
            }
            TenantTimelineId ttid = TenantTimelineId.generate();
            String list = sks.stream().map(sk -> sk.address().toString()).collect(Collectors.joining(","));
            Result r = run("--tenant-id", ttid.tenantId().toString(), "--timeline-id", ttid.timelineId().toString(),
                    "--safekeepers", list, "--pg-version", "15", "--timeout", "60");
            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.stdout()).isEqualTo("0/3000028\n");
            assertThat(sks).allSatisfy(sk -> assertThat(sk.term()).isEqualTo(1));
        } finally {
            for (LoopbackSafekeeper sk : sks) {
                sk.close();
            }
        }
    }

    @Test
    void failsWithAMessageWhenNoQuorumAnswers() throws Exception {
        TenantTimelineId ttid = TenantTimelineId.generate();
        Result r = run("--tenant-id", ttid.tenantId().toString(), "--timeline-id", ttid.timelineId().toString(),
                "--safekeepers", "127.0.0.1:1,127.0.0.1:2,127.0.0.1:3", "--pg-version", "15", "--timeout", "3");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("sync-safekeepers failed: safekeepers did not sync within PT3S");
    }

    @Test
    void rejectsBadArguments() throws Exception {
        Result r = run("--tenant-id", "nothex");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr()).contains("sync-safekeepers:");
    }
}

package dev.jneon.safekeeper.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.NodeId;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.safekeeper.RealWal;
import dev.jneon.safekeeper.acceptor.AcceptorState;
import dev.jneon.safekeeper.acceptor.Configuration;
import dev.jneon.safekeeper.acceptor.SafekeeperMember;
import dev.jneon.safekeeper.acceptor.ServerInfo;
import dev.jneon.safekeeper.acceptor.Term;
import dev.jneon.safekeeper.acceptor.TermHistory;
import dev.jneon.safekeeper.acceptor.TermSwitch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Control-file framing and the v1 golden file (src/test/resources/golden/control_file/v1). */
class ControlFileFormatTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden/control_file/v1/safekeeper.control");

    static AcceptorState sample() {
        var ttid = new TenantTimelineId(TenantId.parse("0123456789abcdef0123456789abcdef"),
                TimelineId.parse("fedcba9876543210fedcba9876543210"));
        var conf = new Configuration(2, List.of(new SafekeeperMember(NodeId.of(1), "sk1", 5454),
                new SafekeeperMember(NodeId.of(2), "sk2", 5455)), null);
        return new AcceptorState(ttid, conf, Term.of(7),
                TermHistory.of(TermSwitch.of(0, 0x1000028), TermSwitch.of(3, 0x1511A68), TermSwitch.of(7, 0x2000100)),
                new ServerInfo(150013, 7312345678901234567L, 16 * 1024 * 1024), Lsn.of(0x1000028), Lsn.of(0x1000028),
                Lsn.of(0x2000100), Lsn.of(0x2000000), Lsn.of(0x1800000), Lsn.of(0x1900000), 1_700_000_000_000_000L);
    }

    @Test
    void goldenV1DecodesToTheKnownStateAndIsReproducedByteForByte() throws Exception {
        if (Boolean.getBoolean("jneon.golden.write")) {
            Files.write(GOLDEN, ControlFileFormat.encode(sample()));
        }
        byte[] golden = Files.readAllBytes(GOLDEN);
        assertThat(ControlFileFormat.decode(golden)).isEqualTo(sample());
        assertThat(ControlFileFormat.encode(sample())).isEqualTo(golden);
        assertThat(golden[0] & 0xFF).isEqualTo(0xEF); // u32 LE 0xCAFECEEF
        assertThat(golden[4]).isEqualTo((byte) 1);
    }

    @Test
    void rejectsCorruptionBadMagicAndUnknownVersions() {
        byte[] file = ControlFileFormat.encode(sample());
        byte[] flipped = file.clone();
        flipped[20] ^= 1;
        assertThatThrownBy(() -> ControlFileFormat.decode(flipped)).hasMessageContaining("CRC32C");
        assertThatThrownBy(() -> ControlFileFormat.decode(new byte[3])).hasMessageContaining("too short");
    }

    @Test
    void persistIsAtomicRenameAndLoadReadsItBack() throws Exception {
        Path dir = Files.createTempDirectory("jneon-sk-control");
        try {
            var store = new FileControlFileStore(dir);
            store.persist(sample());
            store.persist(sample().withTerm(Term.of(9)));
            assertThat(FileControlFileStore.load(dir).term()).isEqualTo(Term.of(9));
            assertThat(dir.resolve("safekeeper.control.partial")).doesNotExist();
        } finally {
            RealWal.deleteTree(dir);
        }
    }
}

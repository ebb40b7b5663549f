package dev.jneon.compute.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Lsn;
import dev.jneon.compute.walproposer.SafekeeperAddress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SpecParserTest {

    static String neonShaped() throws IOException {
        try (InputStream in = SpecParserTest.class.getResourceAsStream("/spec/neon-shaped-config.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static ComputeSpec neonShapedSpec() throws IOException {
        return SpecParser.parse(neonShaped()).spec();
    }

    @Test
    void readsANeonShapedConfigIgnoringWhatDoesNotApply() throws IOException {
        ComputeConfig config = SpecParser.parse(neonShaped());
        ComputeSpec spec = config.spec();
        assertThat(spec.formatVersion()).isEqualTo(1.0);
        assertThat(spec.suspendTimeoutSeconds()).isEqualTo(300);
        assertThat(spec.mode()).isEqualTo(new ComputeMode.Primary());
        assertThat(spec.ttid().toString()).isEqualTo("3aa8fcc61f6d357410b7de754b1d9001/de200bd42b49cc1814412c7e592dd6e9");
        assertThat(spec.safekeepers()).containsExactly(SafekeeperAddress.parse("127.0.0.1:5454"),
                SafekeeperAddress.parse("127.0.0.1:5455"), SafekeeperAddress.parse("127.0.0.1:5456"));
        assertThat(spec.pageserverAddress().getHostString()).isEqualTo("127.0.0.1");
        assertThat(spec.pageserverAddress().getPort()).isEqualTo(51051);
        assertThat(spec.cluster().roles()).extracting(Role::name).containsExactly("alice", "bob \"the\" builder");
        assertThat(spec.cluster().roles().get(1).options()).containsExactly(
                new GenericOption("CONNECTION LIMIT", "5", "integer"));
        assertThat(spec.cluster().databases()).extracting(Database::owner).containsExactly("alice", "bob \"the\" builder");
        assertThat(spec.deltaOperations()).extracting(DeltaOperation::action)
                .containsExactly("rename_role", "delete_db", "delete_role");
        assertThat(spec.features()).contains("some_future_feature");
        assertThat(spec.skipPgCatalogUpdates()).isFalse();
        assertThat(config.computeCtlConfig()).containsKey("jwks");
    }

    @Test
    void staticModeCarriesItsLsnAndRoundTrips() throws IOException {
        String json = neonShaped().replace("\"mode\": \"Primary\"", "\"mode\": {\"Static\": \"0/16B5A50\"}");
        ComputeSpec spec = SpecParser.parse(json).spec();
        assertThat(spec.mode()).isEqualTo(new ComputeMode.Static(Lsn.parse("0/16B5A50")));
        assertThat(SpecParser.write(spec)).contains("\"mode\":{\"Static\":\"0/16B5A50\"}");
        assertThat(SpecParser.parse("{\"spec\": " + SpecParser.write(spec) + "}").spec()).isEqualTo(spec);
    }

    @Test
    void aNullSpecMeansWaitForOne() {
        assertThat(SpecParser.parse("{\"spec\": null, \"compute_ctl_config\": {\"jwks\": {\"keys\": []}}}").spec()).isNull();
    }

    @Test
    void tenantAndTimelineMayComeFromSettings() throws IOException {
        String json = neonShaped().replace("\"tenant_id\": \"3aa8fcc61f6d357410b7de754b1d9001\",", "");
        assertThat(SpecParser.parse(json).spec().tenantId().toString()).isEqualTo("ffffffffffffffffffffffffffffffff");
    }

    @Test
    void refusesWhatCannotRunWithAMessage() throws IOException {
        String ok = neonShaped();
        assertRefused(ok.replace("\"mode\": \"Primary\"", "\"mode\": \"Replica\""), "Replica is not supported");
        assertRefused(ok.replace("\"mode\": \"Primary\"", "\"mode\": {\"Static\": \"nonsense\"}"), "nonsense");
        assertRefused(ok.replace("\"mode\": \"Primary\"", "\"mode\": \"Secondary\""), "mode must be");
        assertRefused(ok.replace("\"suspend_timeout_seconds\": 300,", ""), "suspend_timeout_seconds is required");
        assertRefused(ok.replace("\"format_version\": 1.0,", ""), "format_version is required");
        assertRefused(ok.replace("[\"127.0.0.1:5454\", \"127.0.0.1:5455\", \"127.0.0.1:5456\"]", "[]"),
                "at least one safekeeper");
        assertRefused(ok.replace("\"127.0.0.1:5455\"", "\"127.0.0.1:5454\""), "twice");
        assertRefused(ok.replace("grpc://127.0.0.1:51051", "http://127.0.0.1:51051"), "grpc://host:port");
        assertRefused(ok.replace("3aa8fcc61f6d357410b7de754b1d9001", "not-hex"), "not-hex");
        assertRefused(ok.replace("\"name\": \"appdb\"", "\"name\": \"alice\"").replace("\"bob's db\"", "\"alice\""),
                "appears twice");
        assertRefused(ok.replace("SCRAM-SHA-256$4096:MDEy", "md5"), "SCRAM-SHA-256 verifier");
        assertRefused(ok.replace("\"delete_db\"", "\"truncate_db\""), "unknown delta operation");
        assertRefused("{\"spec\": ", "invalid compute config");
        assertRefused("", "empty compute config");
    }

    private static void assertRefused(String json, String message) {
        assertThatThrownBy(() -> SpecParser.parse(json)).isInstanceOf(SpecParser.SpecException.class)
                .hasMessageContaining(message);
    }

    private static ComputeSpec withFields(String fields) throws IOException {
        return SpecParser.parse(neonShaped().replace("\"mode\": \"Primary\",", "\"mode\": \"Primary\", " + fields + ","))
                .spec();
    }

    @Test
    void prewarmFieldsAcceptNeonsOldNameAndAreChecked() throws IOException {
        ComputeSpec plain = neonShapedSpec();
        assertThat(plain.autoprewarm()).isFalse();
        assertThat(plain.endpointStorage()).isEmpty();
        assertThat(plain.offloadLfcIntervalSeconds()).isNull();
        assertThat(withFields("\"prewarm_lfc_on_startup\": true").autoprewarm()).as("name before #12120").isTrue();
        ComputeSpec full = withFields("\"autoprewarm\": true, \"offload_lfc_interval_seconds\": 30,"
                + " \"endpoint_storage_addr\": \"127.0.0.1:9993\", \"endpoint_storage_token\": \"t\"");
        assertThat(full.autoprewarm()).isTrue();
        assertThat(full.offloadLfcIntervalSeconds()).isEqualTo(30);
        assertThat(full.endpointStorage().orElseThrow().getPort()).isEqualTo(9993);
        assertThat(full.endpointStorageToken()).isEqualTo("t");
        assertThatThrownBy(() -> withFields("\"offload_lfc_interval_seconds\": 0"))
                .hasMessageContaining("offload_lfc_interval_seconds must be positive");
        assertThatThrownBy(() -> withFields("\"endpoint_storage_addr\": \"127.0.0.1\""))
                .hasMessageContaining("endpoint_storage_addr must be host:port");
    }
}

package dev.jneon.endpointstorage.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeyTest {

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource({
            "lfc_state, lfc_state",
            "/lfc_state, lfc_state",
            "//lfc_state, lfc_state",
            "/a/b/c, a/b/c",
            "a/./b, a/b",
            "./a, a",
            "a/b/../c, a/c",
            "a/../b, b",
            "a/b/.., a",
            "a//b/, a/b",
            "a/b/c/../../d, a/d",
            "'a b/%2e', 'a b/%2e'",
    })
    void normalisesLexically(String raw, String normalised) {
        assertThat(ObjectKey.parse(raw).toString()).isEqualTo(normalised);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "/", "//", ".", "/.", "./.", "a/..", "/a/../"})
    void rejectsKeysThatAreEmptyAfterNormalisation(String raw) {
        assertThatThrownBy(() -> ObjectKey.parse(raw)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"..", "/..", "../x", "a/../../x", "a/b/../../..", "./../a", "/../../etc/passwd"})
    void rejectsKeysThatEscapeTheEndpointFolder(String raw) {
        assertThatThrownBy(() -> ObjectKey.parse(raw)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("escapes");
    }

    @Test
    void rejectsBackslashesAndControlCharacters() {
        assertThatThrownBy(() -> ObjectKey.parse("a\\..\\b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectKey.parse("a\u0000b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void locationsLiveUnderTenantTimelineAndEndpoint() {
        String tenant = "0123456789ABCDEF0123456789abcdef";
        String timeline = "fedcba98765432100123456789abcdef";
        ObjectLocation location = ObjectLocation.parse(tenant, timeline, "ep-1", "/dir/../lfc_state");
        assertThat(location.path().value()).isEqualTo(tenant.toLowerCase() + "/" + timeline + "/ep-1/lfc_state");
        assertThat(StoragePrefix.tenant(tenant).path().value()).isEqualTo(tenant.toLowerCase());
        assertThat(StoragePrefix.timeline(tenant, timeline).path().value())
                .isEqualTo(tenant.toLowerCase() + "/" + timeline);
        assertThat(StoragePrefix.endpoint(tenant, timeline, "ep-1").path().value())
                .isEqualTo(tenant.toLowerCase() + "/" + timeline + "/ep-1");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", ".", "..", "a\\b"})
    void rejectsInvalidEndpointIds(String endpoint) {
        assertThatThrownBy(() -> new EndpointId(endpoint)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "abc", "0123456789abcdef0123456789abcde", "0123456789abcdef0123456789abcdefa",
            "0123456789abcdef0123456789abcdeg", "../../../../../../../../../../.."})
    void tenantAndTimelineMustBe32HexDigits(String id) {
        String good = "0123456789abcdef0123456789abcdef";
        assertThatThrownBy(() -> ObjectLocation.parse(id, good, "ep", "k")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectLocation.parse(good, id, "ep", "k")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StoragePrefix.tenant(id)).isInstanceOf(IllegalArgumentException.class);
    }
}

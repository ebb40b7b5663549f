package dev.jneon.common.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RemotePathTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "/a", "a/", "a//b", "./a", "a/./b", "a/..", "../a", "a\\b", "a/\u0000b", "a\nb",
            "a/\u007fb"})
    void rejectsPathsThatAreNotPlainRelativeKeys(String bad) {
        assertThatThrownBy(() -> RemotePath.of(bad)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "tenants/0123/timelines/ab/index_part.json-00000001", "a/.hidden", "a/..b/c",
            "000000010000000000000002_2_0000000002534868_0000000002534410_sk1.partial", "unicode/ключ"})
    void acceptsRelativeKeys(String good) {
        assertThat(RemotePath.of(good).value()).isEqualTo(good);
    }

    @Test
    void joinsAndSplitsSegments() {
        RemotePath timeline = RemotePath.of("tenants", "t1", "timelines/tl");

        assertThat(timeline.value()).isEqualTo("tenants/t1/timelines/tl");
        assertThat(timeline.join("layer").value()).isEqualTo("tenants/t1/timelines/tl/layer");
        assertThat(timeline.name()).isEqualTo("tl");
        assertThat(timeline.parent()).contains(RemotePath.of("tenants/t1/timelines"));
        assertThat(RemotePath.of("top").parent()).isEmpty();
        assertThat(RemotePath.of("top").name()).isEqualTo("top");
        assertThatThrownBy(() -> timeline.join("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> timeline.join("/x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void containmentIsBySegmentNotByCharacters() {
        RemotePath tenant = RemotePath.of("tenants/abc");

        assertThat(RemotePath.of("tenants/abc/timelines").isWithin(tenant)).isTrue();
        assertThat(tenant.isWithin(tenant)).isTrue();
        assertThat(RemotePath.of("tenants/abcd/timelines").isWithin(tenant)).isFalse();
        assertThat(RemotePath.of("tenants/abc/timelines/x").relativeTo(tenant)).isEqualTo(RemotePath.of("timelines/x"));
        assertThatThrownBy(() -> RemotePath.of("tenants/abcd").relativeTo(tenant))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listRequestsKeepTheirPrefixValid() {
        assertThat(ListRequest.under(RemotePath.of("a/b")).keyPrefix()).isEqualTo("a/b/");
        assertThat(ListRequest.keysStartingWith(RemotePath.of("a/index_part.json")).keyPrefix())
                .isEqualTo("a/index_part.json");
        assertThat(ListRequest.children(Optional.empty()).keyPrefix()).isEmpty();
        assertThat(ListRequest.children(Optional.of(RemotePath.of("a"))).delimited()).isTrue();
        assertThatThrownBy(() -> new ListRequest("a", true, java.util.OptionalInt.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ListRequest("/a/", false, java.util.OptionalInt.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ListRequest.everything().limit(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void byteRangesAreHalfOpen() {
        assertThat(ByteRange.of(0, 100).httpHeader()).isEqualTo("bytes=0-99");
        assertThat(ByteRange.from(7).httpHeader()).isEqualTo("bytes=7-");
        assertThat(ByteRange.of(5, 5).isEmpty()).isTrue();
        assertThat(ByteRange.ALL.isAll()).isTrue();
        assertThatThrownBy(() -> ByteRange.of(5, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ByteRange.from(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}

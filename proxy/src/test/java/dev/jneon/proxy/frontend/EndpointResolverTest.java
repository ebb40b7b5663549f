package dev.jneon.proxy.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.proxy.frontend.EndpointResolution.Found;
import dev.jneon.proxy.frontend.EndpointResolution.Invalid;
import dev.jneon.proxy.frontend.EndpointResolution.NeedPasswordHack;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointResolverTest {

    private static final Set<String> DOMAINS = Set.of("local.jneon.dev");

    @Test
    void serverNameUnderAServedDomainNamesTheEndpoint() {
        assertThat(EndpointResolver.resolve("ep-cool-1.local.jneon.dev", DOMAINS, null))
                .isEqualTo(new Found("ep-cool-1", true));
        assertThat(EndpointResolver.resolve("api.local.jneon.dev", DOMAINS, null)).isInstanceOf(NeedPasswordHack.class);
        assertThat(EndpointResolver.resolve("localhost", DOMAINS, null)).isInstanceOf(NeedPasswordHack.class);
        assertThat(EndpointResolver.resolve("ep.other.dev", DOMAINS, null)).isInstanceOf(NeedPasswordHack.class);
    }

    @Test
    void optionsNameTheEndpointOnlyWhenOneTokenDoes() {
        assertThat(EndpointResolver.resolve(null, DOMAINS, "-c search_path=x endpoint=ep-a"))
                .isEqualTo(new Found("ep-a", false));
        assertThat(EndpointResolver.resolve(null, DOMAINS, "project=ep-b")).isEqualTo(new Found("ep-b", false));
        assertThat(EndpointResolver.resolve(null, DOMAINS, "endpoint=a endpoint=b"))
                .isInstanceOf(NeedPasswordHack.class);
        assertThat(EndpointResolver.resolve("ep-a.local.jneon.dev", DOMAINS, "endpoint=ep-a"))
                .isEqualTo(new Found("ep-a", true));
    }

    @Test
    void inconsistentOrMalformedNamesAreRefusedWithTheirMessages() {
        assertThat(EndpointResolver.resolve("ep-a.local.jneon.dev", DOMAINS, "endpoint=ep-b"))
                .isEqualTo(new Invalid("Inconsistent project name inferred from SNI ('ep-a') and project option"
                        + " ('ep-b')."));
        assertThat(EndpointResolver.resolve(null, DOMAINS, "endpoint=ep_x"))
                .isEqualTo(new Invalid("Project name ('ep_x') must contain only alphanumeric characters and"
                        + " hyphen."));
    }

    @Test
    void escapedSpacesDoNotSplitTheEndpointToken() {
        assertThat(EndpointResolver.resolve(null, DOMAINS, "-c\\ endpoint=x endpoint=ep-c"))
                .isEqualTo(new Found("ep-c", false));
    }

    @Test
    void passwordHackSplitsEndpointAndPassword() {
        assertThat(PasswordHack.parse("endpoint=ep-1;s3cr;t")).contains(new PasswordHack("ep-1", "s3cr;t"));
        assertThat(PasswordHack.parse("project=ep-2$pw")).contains(new PasswordHack("ep-2", "pw"));
        assertThat(PasswordHack.parse("just-a-password")).isEmpty();
        assertThat(PasswordHack.parse("endpoint=ep;pw").orElseThrow().toString()).doesNotContain("pw");
    }
}

package dev.jneon.proxy.cplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedIpsTest {

    static InetAddress ip(String s) {
        return InetAddress.ofLiteral(s);
    }

    @Test
    void emptyAllowsEveryone() {
        assertThat(AllowedIps.all().allows(ip("203.0.113.9"))).isTrue();
        assertThat(AllowedIps.parseList(" ").allows(ip("::1"))).isTrue();
    }

    @Test
    void matchesExactRangeAndCidr() {
        var ips = new AllowedIps(List.of("10.1.2.3", "192.168.0.10-192.168.0.20", "172.16.0.0/12", "2001:db8::/32"));
        assertThat(ips.allows(ip("10.1.2.3"))).isTrue();
        assertThat(ips.allows(ip("10.1.2.4"))).isFalse();
        assertThat(ips.allows(ip("192.168.0.10"))).isTrue();
        assertThat(ips.allows(ip("192.168.0.20"))).isTrue();
        assertThat(ips.allows(ip("192.168.0.21"))).isFalse();
        assertThat(ips.allows(ip("172.31.255.255"))).isTrue();
        assertThat(ips.allows(ip("172.32.0.0"))).isFalse();
        assertThat(ips.allows(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(ips.allows(ip("2001:db9::1"))).isFalse();
    }

    @Test
    void familiesDoNotMixAndGarbageMatchesNothing() {
        assertThat(new AllowedIps(List.of("0.0.0.0/0")).allows(ip("::1"))).isFalse();
        assertThat(new AllowedIps(List.of("0.0.0.0/0")).allows(ip("8.8.8.8"))).isTrue();
        assertThat(new AllowedIps(List.of("::/0")).allows(ip("127.0.0.1"))).isFalse();
        var garbage = AllowedIps.parseList("localhost, 10.0.0.0/33, 1.2.3.4-::1, not-an-ip");
        assertThat(garbage.entries()).hasSize(4);
        assertThat(garbage.allows(ip("127.0.0.1"))).isFalse();
        assertThat(garbage.allows(ip("10.0.0.1"))).isFalse();
    }
}

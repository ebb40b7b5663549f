package dev.jneon.endpointstorage.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.endpointstorage.object.EndpointId;
import dev.jneon.endpointstorage.object.ObjectLocation;
import dev.jneon.endpointstorage.object.StoragePrefix;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which routes a token's claims open (spec C: object routes vs the three prefix routes). */
class TokenClaimsTest {

    private static final String T = "11111111111111111111111111111111";
    private static final String T2 = "22222222222222222222222222222222";
    private static final String TL = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String TL2 = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    private static TokenClaims claims(String tenant, String timeline, String endpoint) {
        return new TokenClaims(TenantId.parse(tenant), Optional.ofNullable(timeline).map(TimelineId::parse),
                Optional.ofNullable(endpoint).map(EndpointId::new), TestTokens.inAnHour());
    }

    private static ObjectLocation object(String tenant, String timeline, String endpoint) {
        return ObjectLocation.parse(tenant, timeline, endpoint, "lfc_state");
    }

    @Test
    void anObjectTokenWritesOnlyItsOwnEndpoint() {
        TokenClaims token = claims(T, TL, "ep-1");
        assertThat(token.allowsWrite(object(T, TL, "ep-1"))).isTrue();
        assertThat(token.allowsWrite(object(T, TL, "ep-2"))).isFalse();
        assertThat(token.allowsWrite(object(T, TL2, "ep-1"))).isFalse();
        assertThat(token.allowsWrite(object(T2, TL, "ep-1"))).isFalse();
    }

    @Test
    void anObjectTokenReadsEveryEndpointOfItsTimeline() {
        TokenClaims token = claims(T, TL, "ep-1");
        assertThat(token.allowsRead(object(T, TL, "ep-1"))).isTrue();
        assertThat(token.allowsRead(object(T, TL, "ep-2"))).isTrue();
        assertThat(token.allowsRead(object(T, TL2, "ep-1"))).isFalse();
        assertThat(token.allowsRead(object(T2, TL, "ep-1"))).isFalse();
    }

    @Test
    void prefixTokensOpenNoObject() {
        for (TokenClaims token : new TokenClaims[] {claims(T, null, null), claims(T, TL, null)}) {
            assertThat(token.allowsRead(object(T, TL, "ep-1"))).isFalse();
            assertThat(token.allowsWrite(object(T, TL, "ep-1"))).isFalse();
        }
    }

    @Test
    void aPrefixDeleteNeedsExactlyThePrefixClaims() {
        StoragePrefix tenant = StoragePrefix.tenant(T);
        StoragePrefix timeline = StoragePrefix.timeline(T, TL);
        StoragePrefix endpoint = StoragePrefix.endpoint(T, TL, "ep-1");

        assertThat(claims(T, null, null).allowsPrefixDelete(tenant)).isTrue();
        assertThat(claims(T, null, null).allowsPrefixDelete(timeline)).isFalse();
        assertThat(claims(T, null, null).allowsPrefixDelete(endpoint)).isFalse();

        assertThat(claims(T, TL, null).allowsPrefixDelete(timeline)).isTrue();
        assertThat(claims(T, TL, null).allowsPrefixDelete(tenant)).isFalse();
        assertThat(claims(T, TL, null).allowsPrefixDelete(endpoint)).isFalse();
        assertThat(claims(T, TL2, null).allowsPrefixDelete(StoragePrefix.timeline(T, TL))).isFalse();

        assertThat(claims(T, TL, "ep-1").allowsPrefixDelete(endpoint)).isTrue();
        assertThat(claims(T, TL, "ep-1").allowsPrefixDelete(timeline)).isFalse();
        assertThat(claims(T, TL, "ep-2").allowsPrefixDelete(endpoint)).isFalse();
        assertThat(claims(T2, null, null).allowsPrefixDelete(tenant)).isFalse();
    }
}

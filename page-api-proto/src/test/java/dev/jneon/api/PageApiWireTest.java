package dev.jneon.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.api.page.GetPageClass;
import dev.jneon.api.page.GetPageRequest;
import dev.jneon.api.page.ReadLsn;
import dev.jneon.api.page.RelTag;
import dev.jneon.api.page.RequestID;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
  * Pins the page service's wire bytes to values worked out by hand from the field numbers and
  * wire types Neon's {@code page_api} uses, so a renumbered or retyped field fails here.
  *
  * <p>Key = field number {@literal <<} 3 | wire type (0 varint, 2 length-delimited). Varints are
  * little-endian 7-bit groups with the high bit set on every byte but the last. Nested messages
  * and packed repeated scalars are a key, a varint length and the bytes.
  */
class PageApiWireTest {

    private static final String GET_PAGE_HEX =
            // 1 request_id, LEN 4: {1 id = 7} {2 attempt = 1}
            "0a04" + "0807" + "1001"
            // 2 request_class = GET_PAGE_CLASS_PREFETCH (2), varint
            + "1002"
            // 3 read_lsn, LEN 10: {1 request_lsn = 2^25} {2 not_modified_since_lsn = 2^24}
            + "1a0a" + "0880808010" + "1080808008"
            // 4 rel, LEN 11: {1 spc_oid = 1663 = 0x7f + 12<<7} {2 db_oid = 5} {3 rel_number = 2^14}
            //                {4 fork_number = 2}
            + "220b" + "08ff0c" + "1005" + "18808001" + "2002"
            // 5 block_number, packed, LEN 3: 1, 300 (= 0x2c | 2<<7)
            + "2a03" + "01" + "ac02";

    private static GetPageRequest knownRequest() {
        return GetPageRequest.newBuilder()
                .setRequestId(RequestID.newBuilder().setId(7).setAttempt(1))
                .setRequestClass(GetPageClass.GET_PAGE_CLASS_PREFETCH)
                .setReadLsn(ReadLsn.newBuilder().setRequestLsn(1L << 25).setNotModifiedSinceLsn(1L << 24))
                .setRel(RelTag.newBuilder().setSpcOid(1663).setDbOid(5).setRelNumber(16384).setForkNumber(2))
                .addBlockNumber(1)
                .addBlockNumber(300)
                .build();
    }

    @Test
    void getPageRequestSerialisesToHandComputedBytes() {
        assertThat(HexFormat.of().formatHex(knownRequest().toByteArray())).isEqualTo(GET_PAGE_HEX);
    }

    @Test
    void handComputedBytesParseToTheSameRequest() throws Exception {
        GetPageRequest parsed = GetPageRequest.parseFrom(HexFormat.of().parseHex(GET_PAGE_HEX));

        assertThat(parsed).isEqualTo(knownRequest());
        assertThat(parsed.getReadLsn().getRequestLsn()).isEqualTo(1L << 25);
        assertThat(parsed.getBlockNumberList()).containsExactly(1, 300);
    }

    @Test
    void unpackedBlockNumbersAreAcceptedToo() throws Exception {
        // Proto3 parsers must accept a repeated scalar sent unpacked: key 5<<3|0 per element.
        GetPageRequest parsed = GetPageRequest.parseFrom(HexFormat.of().parseHex("2801" + "28ac02"));

        assertThat(parsed.getBlockNumberList()).containsExactly(1, 300);
    }
}

package dev.jneon.compute.prewarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code autoprewarm.blocks} format (golden file written by PostgreSQL 15) and its zstd wrapping. */
class PrewarmBlocksTest {

    private static byte[] golden() throws IOException {
        try (var in = PrewarmBlocksTest.class.getResourceAsStream("/golden/autoprewarm-blocks/v"
                + PrewarmBlocks.FORMAT_VERSION + "/pg15-128-buffers.blocks")) {
            return in.readAllBytes();
        }
    }

    private static PrewarmBlocks parse(String text) {
        return PrewarmBlocks.parse(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void parsesWhatPostgres15WroteAndFormatsItBackByteForByte() throws Exception {
        PrewarmBlocks blocks = PrewarmBlocks.parse(golden());
        assertThat(blocks.size()).isEqualTo(128);
        assertThat(blocks.blocks().getFirst()).isEqualTo(new BlockRef(0, 1664, 1262, 0, 0));
        assertThat(blocks.blocks().get(1)).isEqualTo(new BlockRef(5, 1663, 1255, 0, 47));
        assertThat(blocks.blocks()).extracting(BlockRef::fork).containsOnly(0, 1, 2);
        assertThat(blocks.format()).isEqualTo(golden());
        assertThat(blocks.loadable().size()).as("the map forks are not loaded").isEqualTo(113);
        assertThat(blocks.loadable().blocks()).extracting(BlockRef::fork).containsOnly(0);
    }

    @Test
    void numbersAreUnsigned32Bit() {
        PrewarmBlocks blocks = parse("<<1>>\n4294967295,1663,3000000000,3,4294967294\n");
        BlockRef b = blocks.blocks().getFirst();
        assertThat(Integer.toUnsignedString(b.database())).isEqualTo("4294967295");
        assertThat(b.forkName()).isEqualTo("init");
        assertThat(new String(blocks.format(), StandardCharsets.US_ASCII))
                .isEqualTo("<<1>>\n4294967295,1663,3000000000,3,4294967294\n");
        assertThat(parse("<<0>>\n").size()).isZero();
    }

    @Test
    void refusesWhatTheLeaderCouldNotRead() {
        for (String bad : List.of("", "<<1>>", "<1>\n", "<<x>>\n", "<<-1>>\n", "<<2>>\n5,1663,1,0,0\n",
                "<<1>>\n5,1663,1,0,0\n5,1663,1,0,1\n", "<<1>>\n5,1663,1,0\n", "<<1>>\n5,1663,1,0,0,9\n",
                "<<1>>\n5,1663,1,4,0\n", "<<1>>\n5,1663,-1,0,0\n", "<<1>>\n5,1663,4294967296,0,0\n",
                "<<1>>\n5, 1663,1,0,0\n", "<<1>>\n5,1663,1,0,0")) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("line ");
        }
    }

    @Test
    void zstdRoundTripAndGarbageIsRefused() throws Exception {
        byte[] object = LfcStateCodec.compress(golden());
        assertThat(object.length).isLessThan(golden().length);
        assertThat(LfcStateCodec.decode(object)).isEqualTo(PrewarmBlocks.parse(golden()));
        assertThatThrownBy(() -> LfcStateCodec.decode("not zstd".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IOException.class).hasMessageContaining("not zstd");
        assertThatThrownBy(() -> LfcStateCodec.decode(LfcStateCodec.compress("<<3>>\n".getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(IOException.class).hasMessageContaining("not an autoprewarm.blocks file");
    }

    @Test
    void blockRunsAreSortedDistinctAndClippedToTheForkSize() {
        assertThat(SharedBuffers.runs(List.of(7, 1, 2, 3, 3, 9, 8, 20, 5), 10))
                .containsExactly(new long[] {1, 3}, new long[] {5, 5}, new long[] {7, 9});
        assertThat(SharedBuffers.runs(List.of(4, 5), 0)).isEmpty();
        assertThat(SharedBuffers.runs(List.of(-1, -2), 1L << 32))
                .containsExactly(new long[] {4294967294L, 4294967295L});
    }
}

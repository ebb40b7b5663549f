package dev.jneon.proxy.compute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.proxy.wire.ErrorFields;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** B.9's retry questions and B.6.7's forwarded startup parameters. */
class ComputeRulesTest {

    @Test
    void ioFailuresAreWakeWorthyAndOnlyRefusedOrTimedOutAreRetried() {
        var refused = new ComputeFailure("connect", new ConnectException("refused"));
        assertThat(refused.wakeWorthy()).isTrue();
        assertThat(refused.retriable()).isTrue();
        assertThat(new ComputeFailure("connect", new SocketTimeoutException("slow")).retriable()).isTrue();
        var reset = new ComputeFailure("read", new IOException("connection reset"));
        assertThat(reset.wakeWorthy()).isTrue();
        assertThat(reset.retriable()).isFalse();
    }

    @Test
    void postgresErrorsOfALiveRightComputeDoNotWakeAgain() {
        assertThat(new ComputeFailure(ErrorFields.error("53300", "too many connections")).wakeWorthy()).isFalse();
        assertThat(new ComputeFailure(ErrorFields.error("3D000", "database \"x\" does not exist")).wakeWorthy())
                .isFalse();
        assertThat(new ComputeFailure(ErrorFields.error("08P01",
                "no more connections allowed (max_client_conn)")).wakeWorthy()).isFalse();
        assertThat(new ComputeFailure(ErrorFields.error("08P01", "other protocol error")).wakeWorthy()).isTrue();
        assertThat(new ComputeFailure(ErrorFields.error("57P03", "the database system is starting up"))
                .wakeWorthy()).isTrue();
        assertThat(new ComputeFailure(ErrorFields.error("28P01", "auth")).retriable()).isFalse();
    }

    @Test
    void onlyTheSessionParametersReachTheCompute() {
        var client = new LinkedHashMap<String, String>();
        client.put("user", "alice");
        client.put("database", "db");
        client.put("application_name", "psql");
        client.put("options", "endpoint=ep-1 -c search_path=a\\ b neon_lsn:0/1");
        client.put("_pq_.x", "1");
        client.put("DateStyle", "ISO");
        assertThat(ComputeStartupParameters.of(client)).containsExactly(Map.entry("user", "alice"),
                Map.entry("database", "db"), Map.entry("application_name", "psql"),
                Map.entry("options", "-c search_path=a\\ b"), Map.entry("client_encoding", "UTF8"));
    }
}

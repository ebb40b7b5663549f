package dev.jneon.proxy.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** B.13 value conversion, array text, request bodies and connection strings. */
class SqlConversionTest {

    static String json(String text, int oid) {
        return PgTextToJson.convert(text, oid).toString();
    }

    @Test
    void scalarsConvertByType() {
        assertThat(json("t", 16)).isEqualTo("true");
        assertThat(json("f", 16)).isEqualTo("false");
        assertThat(json("-32768", 21)).isEqualTo("-32768");
        assertThat(json("42", 23)).isEqualTo("42");
        assertThat(json("9007199254740993", 20)).isEqualTo("\"9007199254740993\"");
        assertThat(json("1.10", 1700)).isEqualTo("\"1.10\"");
        assertThat(json("1.5", 701)).isEqualTo("1.5");
        assertThat(json("NaN", 701)).isEqualTo("\"NaN\"");
        assertThat(json("-Infinity", 700)).isEqualTo("\"-Infinity\"");
        assertThat(json("{\"a\": [1, null]}", 3802)).isEqualTo("{\"a\":[1,null]}");
        assertThat(json("\"s\"", 114)).isEqualTo("\"s\"");
        assertThat(json(null, 23)).isEqualTo("null");
        assertThat(json("2024-01-02", 1082)).isEqualTo("\"2024-01-02\"");
    }

    @Test
    void arraysConvertByElementType() {
        assertThat(json("{1,2,NULL}", 1007)).isEqualTo("[1,2,null]");
        assertThat(json("[0:1]={3,4}", 1007)).isEqualTo("[3,4]");
        assertThat(json("{{t,f},{f,t}}", 1000)).isEqualTo("[[true,false],[false,true]]");
        assertThat(json("{a,\"b c\",\"q\\\"x\",\"NULL\",null}", 1009)).isEqualTo("[\"a\",\"b c\",\"q\\\"x\",\"NULL\",null]");
        assertThat(json("{\"{\\\"k\\\": 1}\"}", 3807)).isEqualTo("[{\"k\":1}]");
        assertThat(json("{}", 1016)).isEqualTo("[]");
        assertThat(json("{1.5,NaN}", 1022)).isEqualTo("[1.5,\"NaN\"]");
        assertThat(PgArrayText.parse("{ 1 , 2 }")).isEqualTo(Arrays.asList("1", "2"));
        assertThatThrownBy(() -> PgArrayText.parse("{1,2")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void paramsBecomeText() {
        var request = SqlRequest.parse("""
                {"query": "select $1, $2, $3, $4, $5, $6", "params": ["s", 1.5, null, true, {"k": [1]},
                 [1, "a\\"b", null, [2, 3], {"o": 1}]], "arrayMode": true}""".getBytes(StandardCharsets.UTF_8));
        assertThat(request.batch()).isFalse();
        var s = request.statements().getFirst();
        assertThat(s.arrayMode()).contains(true);
        assertThat(s.params()).containsExactly("s", "1.5", null, "true", "{\"k\":[1]}",
                "{1,\"a\\\"b\",NULL,{2,3},\"{\\\"o\\\":1}\"}");
        var batch = SqlRequest.parse("{\"queries\": [{\"query\": \"select 1\"}, {\"query\": \"select 2\", \"params\": []}]}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(batch.batch()).isTrue();
        assertThat(batch.statements()).extracting(SqlRequest.Statement::sql).containsExactly("select 1", "select 2");
        for (String bad : List.of("[]", "{\"query\": 1}", "{\"queries\": {}}", "{\"query\": \"x\", \"params\": 1}", "nope")) {
            assertThatThrownBy(() -> SqlRequest.parse(bad.getBytes(StandardCharsets.UTF_8))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void connectionStringsNameEndpointUserAndOptions() {
        var t = ConnectionTarget.parse("postgresql://al%40ice:p%40ss@ep-cool-1.local.jneon.dev/app"
                + "?options=endpoint%3Dep-cool-1%20neon_lsn%3A0%2F1%20-c%20search_path%3Dx&application_name=node");
        assertThat(t.endpoint().value()).isEqualTo("ep-cool-1");
        assertThat(t.user()).isEqualTo("al@ice");
        assertThat(t.password()).isEqualTo("p@ss");
        assertThat(t.database()).isEqualTo("app");
        assertThat(t.neonOptions().values()).containsEntry("neon_lsn", "0/1");
        assertThat(t.startupParams()).containsEntry("options", "-c search_path=x")
                .containsEntry("application_name", "node").containsEntry("user", "al@ice")
                .containsEntry("database", "app").containsEntry("client_encoding", "UTF8");
        assertThat(t.toString()).doesNotContain("p@ss");
        assertThatThrownBy(() -> ConnectionTarget.parse("postgres://u:p@127.0.0.1/db")).hasMessageContaining("IP");
        assertThatThrownBy(() -> ConnectionTarget.parse("postgres://u:p@[::1]/db")).hasMessageContaining("IP");
        assertThatThrownBy(() -> ConnectionTarget.parse(null)).hasMessageContaining("Neon-Connection-String");
        assertThatThrownBy(() -> ConnectionTarget.parse("http://x")).hasMessageContaining("invalid connection string");
    }

    @Test
    void commandTagsGiveCommandAndRowCount() {
        assertThat(new QueryResult(List.of(), List.of(), "INSERT 0 3").rowCount()).isEqualTo(3);
        assertThat(new QueryResult(List.of(), List.of(), "INSERT 0 3").command()).isEqualTo("INSERT");
        assertThat(new QueryResult(List.of(), List.of(), "SELECT 7").rowCount()).isEqualTo(7);
        assertThat(new QueryResult(List.of(), List.of(), "CREATE TABLE").rowCount()).isNull();
        assertThat(new QueryResult(List.of(), List.of(), "CREATE TABLE").command()).isEqualTo("CREATE");
    }
}

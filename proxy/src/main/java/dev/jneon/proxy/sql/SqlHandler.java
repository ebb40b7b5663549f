package dev.jneon.proxy.sql;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.jneon.proxy.cplane.CallContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /sql} and {@code OPTIONS /sql} (B.13). Every answer carries {@code Access-Control-Allow-Origin: *}
 * and {@code Neon-Request-Id} (the client's, if it sent a UUID, else a new one, also used as the control-plane
 * session id). Bodies over 10 MiB get 413, results over 10 MiB get 507. Headers count only when exactly
 * {@code true}. A batch runs as {@code BEGIN [ISOLATION LEVEL ...] [READ ONLY] [DEFERRABLE]} ... {@code COMMIT};
 * the first error rolls it back. One compute connection per request. Thread-safe (no mutable state).
 */
final class SqlHandler implements HttpHandler {

    static final int MAX_REQUEST_BYTES = 10 << 20;
    static final long MAX_RESPONSE_BYTES = 10 << 20;

    private static final Logger log = LoggerFactory.getLogger(SqlHandler.class);
    private static final String ALLOWED_HEADERS = "Authorization, Neon-Connection-String, Neon-Raw-Text-Output, "
            + "Neon-Array-Mode, Neon-Pool-Opt-In, Neon-Batch-Read-Only, Neon-Batch-Isolation-Level";
    private static final Map<String, String> ISOLATION = Map.of("Serializable", "SERIALIZABLE",
            "ReadUncommitted", "READ UNCOMMITTED", "ReadCommitted", "READ COMMITTED",
            "RepeatableRead", "REPEATABLE READ");

    private final ComputeConnector connector;

    SqlHandler(ComputeConnector connector) {
        this.connector = connector;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            serve(exchange);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try {
            String requestId = requestId(exchange.getRequestHeaders().getFirst("Neon-Request-Id"));
            var headers = exchange.getResponseHeaders();
            headers.set("Access-Control-Allow-Origin", "*");
            headers.set("Neon-Request-Id", requestId);
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/sql") && !path.equals("/sql/")) {
                send(exchange, 404, SqlResponses.msg("no route for " + path));
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "OPTIONS" -> {
                    headers.set("Allow", "OPTIONS, POST");
                    headers.set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
                    headers.set("Access-Control-Max-Age", "86400");
                    exchange.sendResponseHeaders(200, -1);
                }
                case "POST" -> post(exchange, UUID.fromString(requestId));
                default -> send(exchange, 405, SqlResponses.msg("method not allowed; use POST"));
            }
        } catch (RuntimeException e) {
            log.error("sql over http request failed", e);
            send(exchange, 500, SqlResponses.error("internal error: " + e.getMessage(), null));
        }
    }

    private void post(HttpExchange exchange, UUID requestId) throws IOException {
        try {
            byte[] body = readBody(exchange.getRequestBody());
            var h = exchange.getRequestHeaders();
            ConnectionTarget target;
            SqlRequest request;
            try {
                target = ConnectionTarget.parse(h.getFirst("Neon-Connection-String"));
                request = SqlRequest.parse(body);
            } catch (IllegalArgumentException e) {
                throw SqlFailure.user(e.getMessage(), null);
            }
            boolean raw = isTrue(h.getFirst("Neon-Raw-Text-Output"));
            boolean arrayMode = isTrue(h.getFirst("Neon-Array-Mode"));
            String begin = null;
            if (request.batch()) {
                begin = begin(exchange);
            }
            var context = new CallContext(requestId,
                    Optional.ofNullable(target.startupParams().get("application_name")));
            try (ComputeSession session = connector.connect(target,
                    exchange.getRemoteAddress().getAddress(), context)) {
                JsonNode answer = run(session, request, begin, arrayMode, raw);
                send(exchange, 200, answer);
            }
        } catch (SqlFailure f) {
            log.info("sql over http: {} {}", f.status(), f.body().path("message").asString(""));
            send(exchange, f.status(), f.body());
        }
    }

    private static JsonNode run(ComputeSession session, SqlRequest request, String begin, boolean arrayMode,
            boolean raw) throws SqlFailure {
        long budget = MAX_RESPONSE_BYTES;
        try {
            if (!request.batch()) {
                SqlRequest.Statement s = request.statements().getFirst();
                QueryResult r = session.query(s.sql(), s.params(), budget);
                return SqlResponses.result(r, s.arrayMode().orElse(arrayMode), raw);
            }
            session.execute(begin);
            List<ObjectNode> results = new ArrayList<>();
            try {
                for (SqlRequest.Statement s : request.statements()) {
                    QueryResult r = session.query(s.sql(), s.params(), budget);
                    budget -= r.rows().stream().flatMap(List::stream)
                            .mapToLong(v -> v == null ? 4 : v.length() + 4).sum();
                    results.add(SqlResponses.result(r, s.arrayMode().orElse(arrayMode), raw));
                }
            } catch (PgError e) {
                session.execute("ROLLBACK");
                throw e;
            }
            session.execute("COMMIT");
            return SqlResponses.batch(results);
        } catch (PgError e) {
            throw new SqlFailure(400, SqlResponses.error(e));
        } catch (ComputeSession.TooLarge e) {
            throw new SqlFailure(507, SqlResponses.error("response is too large (max is " + MAX_RESPONSE_BYTES
                    + " bytes)", null));
        } catch (IOException e) {
            throw SqlFailure.service("connection to the compute failed: " + e.getMessage());
        }
    }

    private static String begin(HttpExchange exchange) throws SqlFailure {
        var h = exchange.getRequestHeaders();
        var response = exchange.getResponseHeaders();
        StringBuilder sql = new StringBuilder("BEGIN");
        String level = h.getFirst("Neon-Batch-Isolation-Level");
        if (level != null) {
            String mapped = ISOLATION.get(level);
            if (mapped == null) {
                throw SqlFailure.user("invalid Neon-Batch-Isolation-Level: " + level, null);
            }
            sql.append(" ISOLATION LEVEL ").append(mapped);
            response.set("Neon-Batch-Isolation-Level", level);
        }
        if (isTrue(h.getFirst("Neon-Batch-Read-Only"))) {
            sql.append(" READ ONLY");
            response.set("Neon-Batch-Read-Only", "true");
        }
        if (isTrue(h.getFirst("Neon-Batch-Deferrable"))) {
            sql.append(" DEFERRABLE");
            response.set("Neon-Batch-Deferrable", "true");
        }
        return sql.toString();
    }

    private static byte[] readBody(InputStream in) throws IOException, SqlFailure {
        byte[] body = in.readNBytes(MAX_REQUEST_BYTES + 1);
        if (body.length > MAX_REQUEST_BYTES) {
            throw new SqlFailure(413, SqlResponses.error("request is too large (max is " + MAX_REQUEST_BYTES
                    + " bytes)", null));
        }
        return body;
    }

    private static boolean isTrue(String header) {
        return "true".equals(header);
    }

    private static String requestId(String header) {
        if (header != null) {
            try {
                return UUID.fromString(header).toString();
            } catch (IllegalArgumentException ignored) {
                // not a UUID: make our own
            }
        }
        return UUID.randomUUID().toString();
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = SqlResponses.JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}

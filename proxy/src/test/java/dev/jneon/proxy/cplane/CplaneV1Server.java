package dev.jneon.proxy.cplane;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A JDK HttpServer on 127.0.0.1 that answers {@code /proxy/v1/<segment>} with scripted B.7 JSON, for contract
 * tests of our client (the real control plane is another module). Records every request.
 */
final class CplaneV1Server implements AutoCloseable {

    record Answer(int status, String body) {
    }

    record Request(URI uri, Map<String, List<String>> headers) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final Map<String, List<Answer>> scripts = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    CplaneV1Server() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/proxy/v1/", this::handle);
        server.start();
    }

    /** Answers the next calls to {@code segment} with these, the last one repeating. */
    void script(String segment, Answer... answers) {
        scripts.put(segment, new CopyOnWriteArrayList<>(List.of(answers)));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/proxy/v1";
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.add(new Request(exchange.getRequestURI(), Map.copyOf(exchange.getRequestHeaders())));
        String segment = exchange.getRequestURI().getPath().substring("/proxy/v1/".length());
        List<Answer> answers = scripts.get(segment);
        Answer answer = answers == null ? new Answer(404, "{\"error\":\"no route\"}")
                : answers.size() > 1 ? answers.removeFirst() : answers.getFirst();
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

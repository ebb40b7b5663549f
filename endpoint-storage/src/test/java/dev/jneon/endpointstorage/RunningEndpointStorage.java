package dev.jneon.endpointstorage;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Test fixture: the endpoint-storage application in this JVM on a free loopback port, started with
 * the given {@code --key=value} arguments, with a small HTTP client for its routes. Closing it stops
 * the application. Not thread-safe.
 */
final class RunningEndpointStorage implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private RunningEndpointStorage(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Starts the application with {@code args} added to a random port and gRPC off. */
    static RunningEndpointStorage start(String... args) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--jneon.grpc.port=0", "--spring.main.banner-mode=off"));
        all.addAll(List.of(args));
        return new RunningEndpointStorage(new SpringApplicationBuilder(EndpointStorageApplication.class)
                .run(all.toArray(String[]::new)));
    }

    int port() {
        return port;
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /**
     * Sends {@code method path} with an optional bearer token, body and extra header name/value pairs;
     * the path is sent exactly as given.
     */
    HttpResponse<byte[]> send(String method, String path, String token, byte[] body, String... headers)
            throws IOException, InterruptedException {
        return exchange(method, path, token == null ? null : "Bearer " + token, body, headers);
    }

    /** Sends a request without body and with the given {@code Authorization} header value. */
    HttpResponse<byte[]> sendWithAuthorization(String method, String path, String authorization)
            throws IOException, InterruptedException {
        return exchange(method, path, authorization, null);
    }

    private HttpResponse<byte[]> exchange(String method, String path, String authorization, byte[] body,
                                          String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Sends a request line with a raw, unnormalised target over a plain socket (HTTP/1.1, no body) and
     * returns the status code: for paths a URI class would refuse or rewrite.
     */
    int sendRaw(String method, String rawTarget, String token) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            String request = method + " " + rawTarget + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "Content-Length: 0\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String statusLine = new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        context.close();
    }
}

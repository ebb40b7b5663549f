package dev.jneon.proxy.sql;

import dev.jneon.common.scram.ChannelBinding;
import dev.jneon.common.scram.ScramClientExchange;
import dev.jneon.common.scram.ScramException;
import dev.jneon.common.scram.ScramKeys;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One plaintext protocol-3 connection from the proxy to a compute, for SQL over HTTP: startup and authentication
 * (trust, cleartext, md5, or SCRAM-SHA-256 replayed from the client's {@link ScramKeys}, B.6.6), then statements
 * through the extended protocol in one round trip each (Parse, Bind with text parameters, Describe portal,
 * Execute, Sync) with text results, so field OIDs, type modifiers and command tags come back exactly as the
 * compute sent them. COPY is refused. Not thread-safe; owned by one HTTP request, except {@link #cancel}, which
 * opens its own socket.
 */
final class ComputeSession implements AutoCloseable {

    /** The result grew past the response limit; the session is unusable afterwards. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("response is too large");
        }
    }

    private static final int PROTOCOL_3 = 196608;
    private static final int CANCEL_CODE = 80877102;

    private final Socket socket;
    private final InetSocketAddress address;
    private final DataInputStream in;
    private final DataOutputStream out;
    private int pid;
    private int secret;

    private ComputeSession(Socket socket, InetSocketAddress address) throws IOException {
        this.socket = socket;
        this.address = address;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 65536));
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 65536));
    }

    /** Connects and authenticates; {@code params} are the startup parameters (user, database, ...). */
    static ComputeSession open(String host, int port, Duration timeout, Map<String, String> params, String password,
            Optional<ScramKeys> keys) throws IOException, PgError {
        var address = new InetSocketAddress(host, port);
        var socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(address, (int) timeout.toMillis());
            var session = new ComputeSession(socket, address);
            session.startup(params, password, keys);
            return session;
        } catch (IOException | PgError | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void startup(Map<String, String> params, String password, Optional<ScramKeys> keys)
            throws IOException, PgError {
        var body = new ByteArrayOutputStream();
        writeInt(body, PROTOCOL_3);
        params.forEach((k, v) -> {
            cstring(body, k);
            cstring(body, v);
        });
        body.write(0);
        out.writeInt(body.size() + 4);
        body.writeTo(out);
        out.flush();
        ScramClientExchange scram = null;
        while (true) {
            Message m = read();
            switch (m.type()) {
                case 'R' -> scram = authenticate(m.body(), params.get("user"), password, keys, scram);
                case 'K' -> {
                    pid = m.body().getInt();
                    secret = m.body().getInt();
                }
                case 'E' -> throw error(m.body());
                case 'Z' -> {
                    return;
                }
                default -> { /* ParameterStatus, NoticeResponse */ }
            }
        }
    }

    private ScramClientExchange authenticate(ByteBuffer body, String user, String password, Optional<ScramKeys> keys,
            ScramClientExchange scram) throws IOException {
        int code = body.getInt();
        try {
            switch (code) {
                case 0 -> { }
                case 3 -> send('p', cstringBytes(password));
                case 5 -> {
                    byte[] salt = new byte[4];
                    body.get(salt);
                    send('p', cstringBytes("md5" + md5Hex(concat(md5Hex((password + user).getBytes(
                            StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII), salt))));
                }
                case 10 -> {
                    List<String> mechanisms = new ArrayList<>();
                    for (String s = cstring(body); !s.isEmpty(); s = cstring(body)) {
                        mechanisms.add(s);
                    }
                    ScramClientExchange exchange = ScramClientExchange.start(keys.orElseThrow(() ->
                            new IOException("compute asks for SCRAM but no keys are known")), ChannelBinding.none(),
                            mechanisms);
                    byte[] first = exchange.clientFirst().getBytes(StandardCharsets.UTF_8);
                    var msg = new ByteArrayOutputStream();
                    cstring(msg, exchange.mechanism());
                    writeInt(msg, first.length);
                    msg.writeBytes(first);
                    send('p', msg.toByteArray());
                    return exchange;
                }
                case 11 -> send('p', scram.clientFinal(rest(body)).getBytes(StandardCharsets.UTF_8));
                case 12 -> scram.verifyServerFinal(rest(body));
                default -> throw new IOException("unsupported authentication request " + code + " from compute");
            }
        } catch (ScramException e) {
            throw new IOException("SCRAM with compute failed: " + e.getMessage(), e);
        }
        out.flush();
        return scram;
    }

    /** Runs one statement with text parameters (null = NULL); stops reading rows past {@code maxBytes}. */
    QueryResult query(String sql, List<String> params, long maxBytes) throws IOException, PgError {
        var parse = new ByteArrayOutputStream();
        cstring(parse, "");
        cstring(parse, sql);
        writeShort(parse, 0);
        var bind = new ByteArrayOutputStream();
        cstring(bind, "");
        cstring(bind, "");
        writeShort(bind, 0);
        writeShort(bind, params.size());
        for (String p : params) {
            if (p == null) {
                writeInt(bind, -1);
            } else {
                byte[] bytes = p.getBytes(StandardCharsets.UTF_8);
                writeInt(bind, bytes.length);
                bind.writeBytes(bytes);
            }
        }
        writeShort(bind, 0);
        sendQuiet('P', parse.toByteArray());
        sendQuiet('B', bind.toByteArray());
        sendQuiet('D', new byte[] {'P', 0});
        sendQuiet('E', new byte[] {0, 0, 0, 0, 0});
        sendQuiet('S', new byte[0]);
        out.flush();
        List<QueryResult.Field> fields = List.of();
        List<List<String>> rows = new ArrayList<>();
        String tag = "";
        PgError error = null;
        long bytes = 0;
        while (true) {
            Message m = read();
            switch (m.type()) {
                case 'T' -> fields = rowDescription(m.body());
                case 'D' -> {
                    bytes += m.body().remaining();
                    if (bytes > maxBytes) {
                        throw new TooLarge();
                    }
                    rows.add(dataRow(m.body()));
                }
                case 'C' -> tag = cstring(m.body());
                case 'E' -> error = error(m.body());
                case 'G', 'H', 'W' -> throw new IOException("COPY is not supported over HTTP");
                case 'Z' -> {
                    if (error != null) {
                        throw error;
                    }
                    return new QueryResult(fields, rows, tag);
                }
                default -> { /* ParseComplete, BindComplete, NoData, EmptyQuery, Notice, ParameterStatus */ }
            }
        }
    }

    /** Runs a statement through the simple protocol, ignoring any rows. */
    void execute(String sql) throws IOException, PgError {
        send('Q', cstringBytes(sql));
        PgError error = null;
        while (true) {
            Message m = read();
            if (m.type() == 'E') {
                error = error(m.body());
            } else if (m.type() == 'Z') {
                if (error != null) {
                    throw error;
                }
                return;
            }
        }
    }

    /** Asks the compute to cancel the running statement (a CancelRequest on a new connection). */
    void cancel() {
        try (var s = new Socket()) {
            s.connect(address, 2000);
            var o = new DataOutputStream(s.getOutputStream());
            o.writeInt(16);
            o.writeInt(CANCEL_CODE);
            o.writeInt(pid);
            o.writeInt(secret);
            o.flush();
            s.getInputStream().read();
        } catch (IOException ignored) {
            // best effort: the request is cut anyway
        }
    }

    @Override
    public void close() {
        try {
            send('X', new byte[0]);
        } catch (IOException ignored) {
            // the compute may be gone already
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    private record Message(char type, ByteBuffer body) {
    }

    private Message read() throws IOException {
        char type = (char) in.readUnsignedByte();
        int length = in.readInt();
        if (length < 4 || length > 1 << 30) {
            throw new IOException("bad message length " + length + " from compute");
        }
        byte[] body = new byte[length - 4];
        in.readFully(body);
        return new Message(type, ByteBuffer.wrap(body));
    }

    private static List<QueryResult.Field> rowDescription(ByteBuffer b) {
        int n = b.getShort();
        List<QueryResult.Field> fields = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = cstring(b);
            int table = b.getInt();
            int column = b.getShort();
            int type = b.getInt();
            int size = b.getShort();
            int modifier = b.getInt();
            b.getShort();
            fields.add(new QueryResult.Field(name, table, column, type, size, modifier));
        }
        return fields;
    }

    private static List<String> dataRow(ByteBuffer b) {
        int n = b.getShort();
        List<String> row = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = b.getInt();
            if (len < 0) {
                row.add(null);
            } else {
                row.add(new String(b.array(), b.position(), len, StandardCharsets.UTF_8));
                b.position(b.position() + len);
            }
        }
        return row;
    }

    private static PgError error(ByteBuffer b) {
        Map<Character, String> fields = new LinkedHashMap<>();
        for (byte code = b.get(); code != 0; code = b.get()) {
            fields.put((char) code, cstring(b));
        }
        return new PgError(fields);
    }

    private void send(char type, byte[] body) throws IOException {
        sendQuiet(type, body);
        out.flush();
    }

    private void sendQuiet(char type, byte[] body) throws IOException {
        out.writeByte(type);
        out.writeInt(body.length + 4);
        out.write(body);
    }

    private static String cstring(ByteBuffer b) {
        int start = b.position();
        while (b.get() != 0) {
            // scan to the terminator
        }
        return new String(b.array(), start, b.position() - start - 1, StandardCharsets.UTF_8);
    }

    private static String rest(ByteBuffer b) {
        return new String(b.array(), b.position(), b.remaining(), StandardCharsets.UTF_8);
    }

    private static byte[] cstringBytes(String s) {
        var o = new ByteArrayOutputStream();
        cstring(o, s);
        return o.toByteArray();
    }

    private static void cstring(ByteArrayOutputStream o, String s) {
        o.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        o.write(0);
    }

    private static void writeInt(ByteArrayOutputStream o, int v) {
        o.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
    }

    private static void writeShort(ByteArrayOutputStream o, int v) {
        o.writeBytes(ByteBuffer.allocate(2).putShort((short) v).array());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String md5Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

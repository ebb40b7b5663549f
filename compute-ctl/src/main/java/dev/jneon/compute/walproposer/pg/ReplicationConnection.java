package dev.jneon.compute.walproposer.pg;

import dev.jneon.common.id.Lsn;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A physical replication connection to Postgres speaking frontend/backend protocol 3.0 directly
 * (postgres-formats.md J): startup with {@code replication=true}, trust/cleartext/MD5
 * authentication, simple queries (IDENTIFY_SYSTEM, CREATE_REPLICATION_SLOT), then
 * START_REPLICATION and the CopyBoth stream. Messages are a type byte and a big-endian int32
 * length (including itself) followed by the body; the startup message has no type byte.
 *
 * <p>Over TCP, or over the Unix socket {@code <dir>/.s.PGSQL.<port>} when the host starts with
 * {@code /}. Thread-safety: one reader thread calls {@link #query}, {@link #startReplication} and
 * {@link #read}; {@link #sendStatus} may be called from any thread (writes are guarded by a lock).
 */
public final class ReplicationConnection implements AutoCloseable {

    private final SocketChannel channel;
    private final DataInputStream in;
    private final ReentrantLock writeLock = new ReentrantLock();

    private ReplicationConnection(SocketChannel channel) {
        this.channel = channel;
        this.in = new DataInputStream(new java.io.BufferedInputStream(new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return channel.read(ByteBuffer.wrap(b, off, len));
            }
        }, 64 * 1024));
    }

    /** Connects and authenticates as {@code user} ({@code password} may be null) with the given application name. */
    public static ReplicationConnection connect(String host, int port, String user, String password,
            String applicationName) throws IOException {
        SocketAddress address = host.startsWith("/")
                ? UnixDomainSocketAddress.of(host + "/.s.PGSQL." + port)
                : new InetSocketAddress(host, port);
        SocketChannel channel = host.startsWith("/")
                ? SocketChannel.open(StandardProtocolFamily.UNIX)
                : SocketChannel.open();
        try {
            channel.connect(address);
            if (!host.startsWith("/")) {
                // status updates are tiny and latency-critical: no Nagle delay before a commit is released
                channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            }
            var conn = new ReplicationConnection(channel);
            conn.startup(user, password, applicationName);
            return conn;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void startup(String user, String password, String applicationName) throws IOException {
        var body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0, 3, 0, 0});
        for (String s : List.of("user", user, "replication", "true", "application_name", applicationName)) {
            cstring(body, s);
        }
        body.write(0);
        byte[] b = body.toByteArray();
        write(ByteBuffer.allocate(4 + b.length).putInt(4 + b.length).put(b).array());
        while (true) {
            Message m = next();
            switch (m.type) {
                case 'R' -> authenticate(m, user, password);
                case 'Z' -> {
                    return;
                }
                case 'S', 'K', 'N' -> {
                    // parameter status, cancel key, notice: not needed
                }
                default -> throw new PgWireException(null, "unexpected message '" + m.type + "' during startup");
            }
        }
    }

    private void authenticate(Message m, String user, String password) throws IOException {
        int code = ByteBuffer.wrap(m.body).getInt();
        switch (code) {
            case 0 -> {
                // AuthenticationOk
            }
            case 3 -> sendPassword(requirePassword(password));
            case 5 -> {
                byte[] salt = java.util.Arrays.copyOfRange(m.body, 4, 8);
                String inner = md5Hex((requirePassword(password) + user).getBytes(StandardCharsets.UTF_8));
                byte[] outer = concat(inner.getBytes(StandardCharsets.US_ASCII), salt);
                sendPassword("md5" + md5Hex(outer));
            }
            default -> throw new PgWireException(null, "authentication method " + code + " is not supported by the"
                    + " walproposer: allow its role with trust, peer, password or md5");
        }
    }

    private static String requirePassword(String password) throws PgWireException {
        if (password == null) {
            throw new PgWireException(null, "Postgres asks for a password and none was given");
        }
        return password;
    }

    private void sendPassword(String password) throws IOException {
        var body = new ByteArrayOutputStream();
        cstring(body, password);
        send('p', body.toByteArray());
    }

    /** Runs a simple query; returns its rows as column name → text value (null for SQL NULL). */
    public List<Map<String, String>> query(String sql) throws IOException {
        var body = new ByteArrayOutputStream();
        cstring(body, sql);
        send('Q', body.toByteArray());
        List<String> columns = List.of();
        List<Map<String, String>> rows = new ArrayList<>();
        PgWireException error = null;
        while (true) {
            Message m = next();
            switch (m.type) {
                case 'T' -> columns = rowDescription(m.body);
                case 'D' -> rows.add(dataRow(m.body, columns));
                case 'E' -> error = error(m.body);
                case 'Z' -> {
                    if (error != null) {
                        throw error;
                    }
                    return rows;
                }
                case 'C', 'I', 'N', 'S' -> {
                    // command complete, empty query, notice, parameter status
                }
                default -> throw new PgWireException(null, "unexpected message '" + m.type + "' after a query");
            }
        }
    }

    /** Sends START_REPLICATION for {@code slot} at {@code start} and waits for CopyBothResponse. */
    public void startReplication(String slot, Lsn start) throws IOException {
        var body = new ByteArrayOutputStream();
        cstring(body, "START_REPLICATION SLOT " + slot + " PHYSICAL " + start + " TIMELINE 1");
        send('Q', body.toByteArray());
        while (true) {
            Message m = next();
            switch (m.type) {
                case 'W' -> {
                    return;
                }
                case 'E' -> throw error(m.body);
                case 'N', 'S' -> {
                    // notice, parameter status
                }
                default -> throw new PgWireException(null, "unexpected message '" + m.type + "' starting replication");
            }
        }
    }

    /** The next replication message; throws at the end of the stream or on a server error. */
    public ReplicationMessage read() throws IOException {
        while (true) {
            Message m = next();
            switch (m.type) {
                case 'd' -> {
                    try {
                        return ReplicationMessage.parse(m.body);
                    } catch (IllegalArgumentException e) {
                        throw new PgWireException(null, e.getMessage());
                    }
                }
                case 'E' -> throw error(m.body);
                case 'c' -> throw new EOFException("Postgres ended the replication stream (CopyDone)");
                case 'N', 'S' -> {
                    // notice, parameter status
                }
                default -> throw new PgWireException(null, "unexpected message '" + m.type + "' in replication");
            }
        }
    }

    /** Sends a standby status update with the given positions. */
    public void sendStatus(Lsn write, Lsn flush, Lsn apply) throws IOException {
        long micros = java.time.Instant.now().toEpochMilli() * 1000;
        send('d', ReplicationMessage.standbyStatus(write, flush, apply, micros));
    }

    private record Message(char type, byte[] body) {
    }

    private Message next() throws IOException {
        char type = (char) in.readUnsignedByte();
        int len = in.readInt();
        if (len < 4 || len > (1 << 30)) {
            throw new PgWireException(null, "bad message length " + len + " for '" + type + "'");
        }
        byte[] body = new byte[len - 4];
        in.readFully(body);
        return new Message(type, body);
    }

    private void send(char type, byte[] body) throws IOException {
        write(ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(4 + body.length).put(body).array());
    }

    private void write(byte[] bytes) throws IOException {
        writeLock.lock();
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } finally {
            writeLock.unlock();
        }
    }

    private static List<String> rowDescription(byte[] body) {
        ByteBuffer b = ByteBuffer.wrap(body);
        int n = b.getShort();
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(cstring(b));
            b.position(b.position() + 18);
        }
        return names;
    }

    private static Map<String, String> dataRow(byte[] body, List<String> columns) {
        ByteBuffer b = ByteBuffer.wrap(body);
        int n = b.getShort();
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            int len = b.getInt();
            String value = null;
            if (len >= 0) {
                value = new String(body, b.position(), len, StandardCharsets.UTF_8);
                b.position(b.position() + len);
            }
            row.put(i < columns.size() ? columns.get(i) : "column" + i, value);
        }
        return row;
    }

    private static PgWireException error(byte[] body) {
        ByteBuffer b = ByteBuffer.wrap(body);
        String state = null;
        String message = "unknown error";
        while (b.hasRemaining()) {
            byte field = b.get();
            if (field == 0) {
                break;
            }
            String value = cstring(b);
            if (field == 'C') {
                state = value;
            } else if (field == 'M') {
                message = value;
            }
        }
        return new PgWireException(state, message);
    }

    private static String cstring(ByteBuffer b) {
        int start = b.position();
        while (b.get() != 0) {
            // scan to the terminator
        }
        return new String(b.array(), start, b.position() - start - 1, StandardCharsets.UTF_8);
    }

    private static void cstring(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }

    private static String md5Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks MD5", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Closes the socket (no Terminate message: the server sees the connection end). */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}

package dev.jneon.common.remote;

import java.io.FilterInputStream;
import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * The body of a GetObject: closing it before the end aborts the HTTP request instead of reading the
 * rest of a possibly large object to reuse the connection. Not thread-safe; owned by one reader.
 */
final class S3Download extends FilterInputStream {

    private final ResponseInputStream<?> response;
    private boolean ended;

    S3Download(ResponseInputStream<?> response) {
        super(response);
        this.response = response;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        ended |= b < 0;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        ended |= n < 0;
        return n;
    }

    @Override
    public void close() throws IOException {
        if (!ended) {
            response.abort();
        }
        super.close();
    }
}

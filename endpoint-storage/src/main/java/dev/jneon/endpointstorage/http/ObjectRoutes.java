package dev.jneon.endpointstorage.http;

import dev.jneon.common.remote.ByteRange;
import dev.jneon.common.remote.ObjectSource;
import dev.jneon.common.remote.RemoteStorage;
import dev.jneon.common.remote.RemoteStorageException;
import dev.jneon.common.service.ApiError;
import dev.jneon.endpointstorage.auth.Authorizer;
import dev.jneon.endpointstorage.config.EndpointStorageProperties;
import dev.jneon.endpointstorage.object.ObjectLocation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET|PUT|DELETE /{tenant}/{timeline}/{endpoint}/{*key}}: one object of one endpoint. GET streams
 * the bytes ({@code application/octet-stream}; 404 with the object's path as body when missing), PUT
 * stores the whole body (at most {@code max_upload_file_limit} bytes, else 400) replacing any object,
 * DELETE removes it (200 also when absent). Path parts are validated (400) before the token is
 * checked ({@link Authorizer}). Thread-safe (stateless; the backend is).
 */
@RestController
class ObjectRoutes {

    private static final String ROUTE = "/{tenant}/{timeline}/{endpoint}/{*key}";

    private final RemoteStorage storage;
    private final Authorizer authorizer;
    private final RequestMetrics metrics;
    private final long uploadLimit;

    ObjectRoutes(RemoteStorage storage, Authorizer authorizer, RequestMetrics metrics,
                 EndpointStorageProperties properties) {
        this.storage = storage;
        this.authorizer = authorizer;
        this.metrics = metrics;
        this.uploadLimit = properties.maxUploadFileLimit().toBytes();
    }

    @GetMapping(ROUTE)
    void get(@PathVariable String tenant, @PathVariable String timeline, @PathVariable String endpoint,
             @PathVariable String key, @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth,
             HttpServletResponse response) throws RemoteStorageException, IOException {
        ObjectLocation location = ObjectLocation.parse(tenant, timeline, endpoint, key);
        authorizer.checkRead(auth, location);
        InputStream in;
        try {
            in = storage.get(location.path(), ByteRange.ALL);
        } catch (RemoteStorageException.NotFound e) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            response.setContentType(MediaType.TEXT_PLAIN_VALUE);
            response.getOutputStream().write(location.path().value().getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (in) {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
            OutputStream out = response.getOutputStream();
            metrics.sent(in.transferTo(out));
        }
    }

    @PutMapping(ROUTE)
    void put(@PathVariable String tenant, @PathVariable String timeline, @PathVariable String endpoint,
             @PathVariable String key, @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth,
             HttpServletRequest request) throws RemoteStorageException, IOException {
        ObjectLocation location = ObjectLocation.parse(tenant, timeline, endpoint, key);
        authorizer.checkWrite(auth, location);
        long declared = request.getContentLengthLong();
        if (declared > uploadLimit) {
            throw tooLarge(declared + " bytes");
        }
        byte[] body = request.getInputStream().readNBytes((int) uploadLimit + 1);
        if (body.length > uploadLimit) {
            throw tooLarge("more than " + uploadLimit + " bytes");
        }
        metrics.received(body.length);
        storage.put(location.path(), ObjectSource.of(body), body.length);
    }

    @DeleteMapping(ROUTE)
    void delete(@PathVariable String tenant, @PathVariable String timeline, @PathVariable String endpoint,
                @PathVariable String key, @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth)
            throws RemoteStorageException {
        ObjectLocation location = ObjectLocation.parse(tenant, timeline, endpoint, key);
        authorizer.checkWrite(auth, location);
        storage.delete(location.path());
    }

    private ApiError.BadRequest tooLarge(String size) {
        return new ApiError.BadRequest("body of " + size + " exceeds max_upload_file_limit of " + uploadLimit
                + " bytes");
    }
}

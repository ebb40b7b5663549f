package dev.jneon.endpointstorage.http;

import dev.jneon.common.remote.RemoteStorage;
import dev.jneon.common.remote.RemoteStorageException;
import dev.jneon.endpointstorage.auth.Authorizer;
import dev.jneon.endpointstorage.object.StoragePrefix;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code DELETE /{tenant}}, {@code /{tenant}/{timeline}}, {@code /{tenant}/{timeline}/{endpoint}}:
 * removes every object below the prefix (200 also when there is none), with a token naming exactly
 * that prefix; and {@code GET /status}, Neon's unauthenticated liveness route. Paths are taken as
 * given: a trailing slash is not the same route (Spring answers 404 or, for a longer path, another
 * route). Thread-safe (stateless).
 */
@RestController
class PrefixRoutes {

    private final RemoteStorage storage;
    private final Authorizer authorizer;

    PrefixRoutes(RemoteStorage storage, Authorizer authorizer) {
        this.storage = storage;
        this.authorizer = authorizer;
    }

    @GetMapping("/status")
    String status() {
        return "OK";
    }

    @DeleteMapping("/{tenant}")
    void deleteTenant(@PathVariable String tenant,
                      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth)
            throws RemoteStorageException {
        delete(StoragePrefix.tenant(tenant), auth);
    }

    @DeleteMapping("/{tenant}/{timeline}")
    void deleteTimeline(@PathVariable String tenant, @PathVariable String timeline,
                        @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth)
            throws RemoteStorageException {
        delete(StoragePrefix.timeline(tenant, timeline), auth);
    }

    @DeleteMapping("/{tenant}/{timeline}/{endpoint}")
    void deleteEndpoint(@PathVariable String tenant, @PathVariable String timeline, @PathVariable String endpoint,
                        @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String auth)
            throws RemoteStorageException {
        delete(StoragePrefix.endpoint(tenant, timeline, endpoint), auth);
    }

    private void delete(StoragePrefix prefix, String auth) throws RemoteStorageException {
        authorizer.checkPrefixDelete(auth, prefix);
        storage.deletePrefix(prefix.path());
    }
}

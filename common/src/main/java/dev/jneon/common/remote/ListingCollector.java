package dev.jneon.common.remote;

import java.util.ArrayList;
import java.util.List;

/**
 * Gathers the pages of a backend's list API into a {@link Listing}: merges each page's objects and
 * folders in key order and stops at the request's {@code maxKeys}. Pages must arrive in key order
 * (as S3 and Azure return them). Not thread-safe; owned by one list call.
 */
final class ListingCollector {

    private final ListRequest request;
    private final List<RemoteObject> objects = new ArrayList<>();
    private final List<RemotePath> folders = new ArrayList<>();

    ListingCollector(ListRequest request) {
        this.request = request;
    }

    /** Adds one page (each list in key order), as far as the request has room. */
    void addPage(List<RemoteObject> pageObjects, List<RemotePath> pageFolders) {
        int o = 0;
        int f = 0;
        while ((o < pageObjects.size() || f < pageFolders.size()) && !isFull()) {
            boolean takeObject = f == pageFolders.size() || o < pageObjects.size()
                    && pageObjects.get(o).path().compareTo(pageFolders.get(f)) < 0;
            if (takeObject) {
                objects.add(pageObjects.get(o++));
            } else {
                folders.add(pageFolders.get(f++));
            }
        }
    }

    /** Whether the request's {@code maxKeys} is reached. */
    boolean isFull() {
        return request.isFull(objects.size() + folders.size());
    }

    /** How many more entries to ask for, at most {@code pageLimit}. */
    int nextPageSize(int pageLimit) {
        int taken = objects.size() + folders.size();
        return request.maxKeys().isPresent() ? Math.min(pageLimit, request.maxKeys().getAsInt() - taken) : pageLimit;
    }

    Listing result() {
        return new Listing(objects, folders);
    }
}

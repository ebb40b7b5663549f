package dev.jneon.common.remote;

import com.azure.core.exception.HttpResponseException;

/** Maps Azure SDK failures to {@link RemoteStorageException}s. Stateless. */
final class AzureErrors {

    private AzureErrors() {
    }

    static RemoteStorageException map(String what, Exception e) {
        RemoteStorageException.Cancelled cancelled = RemoteStorageException.ifInterrupted(what, e);
        if (cancelled != null) {
            return cancelled;
        }
        if (RemoteStorageException.isTimeout(e)) {
            return new RemoteStorageException.Timeout(what + ": " + e.getMessage(), e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpResponseException http && http.getResponse() != null) {
                int status = http.getResponse().getStatusCode();
                if (status == 404) {
                    return new RemoteStorageException.NotFound(what + ": " + firstLine(http.getMessage()), e);
                }
                return new RemoteStorageException.Other(what + ": " + firstLine(http.getMessage()),
                        S3Errors.isRetryable(status), e);
            }
        }
        return new RemoteStorageException.Other(what + ": " + e, true, e);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

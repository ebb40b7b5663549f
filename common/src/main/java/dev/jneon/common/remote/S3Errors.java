package dev.jneon.common.remote;

import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/** Maps AWS SDK failures to {@link RemoteStorageException}s. Stateless. */
final class S3Errors {

    private static final int RANGE_NOT_SATISFIABLE = 416;

    private S3Errors() {
    }

    static RemoteStorageException map(String what, Exception e) {
        RemoteStorageException.Cancelled cancelled = RemoteStorageException.ifInterrupted(what, e);
        if (cancelled != null) {
            return cancelled;
        }
        if (e instanceof AbortedException) {
            return new RemoteStorageException.Cancelled(what + ": aborted", e);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException
                || RemoteStorageException.isTimeout(e)) {
            return new RemoteStorageException.Timeout(what + ": " + e.getMessage(), e);
        }
        if (e instanceof NoSuchKeyException || e instanceof NoSuchBucketException || e instanceof NoSuchUploadException) {
            return new RemoteStorageException.NotFound(what + ": " + e.getMessage(), e);
        }
        if (e instanceof SdkServiceException service) {
            int status = service.statusCode();
            if (status == 404) {
                return new RemoteStorageException.NotFound(what + ": " + e.getMessage(), e);
            }
            return new RemoteStorageException.Other(what + ": " + e.getMessage(), isRetryable(status), e);
        }
        return new RemoteStorageException.Other(what + ": " + e, true, e);
    }

    /** Server errors, throttling and request timeouts may pass on a repeat; other client errors will not. */
    static boolean isRetryable(int status) {
        return status >= 500 || status == 429 || status == 408 || status == 409;
    }

    /** Whether a get failed because its range starts at or after the end of the object. */
    static boolean isRangeNotSatisfiable(RemoteStorageException e) {
        return e.getCause() instanceof SdkServiceException service && service.statusCode() == RANGE_NOT_SATISFIABLE;
    }
}

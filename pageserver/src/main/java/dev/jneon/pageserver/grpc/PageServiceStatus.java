package dev.jneon.pageserver.grpc;

import dev.jneon.api.page.GetPageStatusCode;
import dev.jneon.common.service.ApiError;
import dev.jneon.pageserver.page.PageReadException;
import dev.jneon.pageserver.timeline.read.MissingKeyException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * How page-service failures become gRPC statuses (spec G.1), and which of them a GetPages stream
 * reports as a per-request {@link GetPageStatusCode} instead of ending. Stateless.
 */
final class PageServiceStatus {

    private PageServiceStatus() {}

    static Status of(Throwable t) {
        Status status = switch (t) {
            case StatusRuntimeException e -> e.getStatus();
            case PageReadException.InvalidRequest e -> Status.INVALID_ARGUMENT;
            case PageReadException.NotFound e -> Status.NOT_FOUND;
            case PageReadException.LsnTimeout e -> Status.UNAVAILABLE;
            case MissingKeyException e -> Status.NOT_FOUND;
            case ApiError.NotFound e -> Status.NOT_FOUND;
            case ApiError.BadRequest e -> Status.INVALID_ARGUMENT;
            case ApiError.Unavailable e -> Status.UNAVAILABLE;
            case IllegalArgumentException e -> Status.INVALID_ARGUMENT;
            case IllegalStateException e -> Status.UNAVAILABLE;
            case InterruptedException e -> Status.UNAVAILABLE.withDescription("interrupted (shutting down)");
            default -> Status.INTERNAL;
        };
        if (status.getDescription() == null && t.getMessage() != null) {
            status = status.withDescription(t.getMessage());
        }
        return t instanceof StatusRuntimeException ? status : status.withCause(t);
    }

    /** The per-request code for {@code code}, or null when the failure must end the stream. */
    static GetPageStatusCode pageCode(Status.Code code) {
        return switch (code) {
            case OK -> GetPageStatusCode.GET_PAGE_STATUS_CODE_OK;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE, ALREADY_EXISTS -> GetPageStatusCode.GET_PAGE_STATUS_CODE_INVALID_REQUEST;
            case NOT_FOUND -> GetPageStatusCode.GET_PAGE_STATUS_CODE_NOT_FOUND;
            case INTERNAL, DATA_LOSS -> GetPageStatusCode.GET_PAGE_STATUS_CODE_INTERNAL_ERROR;
            case RESOURCE_EXHAUSTED -> GetPageStatusCode.GET_PAGE_STATUS_CODE_SLOW_DOWN;
            default -> null;
        };
    }
}

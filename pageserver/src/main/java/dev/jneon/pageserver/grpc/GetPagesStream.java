package dev.jneon.pageserver.grpc;

import com.google.protobuf.ByteString;
import dev.jneon.api.page.GetPageRequest;
import dev.jneon.api.page.GetPageResponse;
import dev.jneon.api.page.GetPageStatusCode;
import dev.jneon.api.page.Page;
import dev.jneon.api.page.ReadLsn;
import dev.jneon.common.pg.RelTag;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * One GetPages call: answers each batch in arrival order with its pages in request order. A
 * per-request failure (bad request, missing relation, internal error) becomes a response with a
 * {@link GetPageStatusCode} and the stream goes on; any other failure (timeline shut down, LSN wait
 * timed out) ends the call with its status. gRPC delivers inbound messages one at a time, so the
 * stream is used by one thread at a time.
 */
final class GetPagesStream implements StreamObserver<GetPageRequest> {

    /** Reads one batch; null when the call already failed at setup. */
    interface Batch {
        List<byte[]> read(RelTag rel, int[] blocks, ReadLsn lsn) throws InterruptedException;
    }

    private final Batch batch;
    private final StreamObserver<GetPageResponse> responses;
    private boolean ended;

    GetPagesStream(Batch batch, StreamObserver<GetPageResponse> responses) {
        this.batch = batch;
        this.responses = responses;
        this.ended = batch == null;
    }

    @Override
    public void onNext(GetPageRequest request) {
        if (ended) {
            return;
        }
        var response = GetPageResponse.newBuilder().setRequestId(request.getRequestId()).setRel(request.getRel());
        try {
            int[] blocks = request.getBlockNumberList().stream().mapToInt(Integer::intValue).toArray();
            List<byte[]> pages = batch.read(GrpcPageService.relTag(request.getRel()), blocks, request.getReadLsn());
            response.setStatusCode(GetPageStatusCode.GET_PAGE_STATUS_CODE_OK);
            for (int i = 0; i < blocks.length; i++) {
                response.addPage(Page.newBuilder().setBlockNumber(blocks[i]).setImage(ByteString.copyFrom(pages.get(i))));
            }
        } catch (InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Status status = PageServiceStatus.of(e);
            GetPageStatusCode code = PageServiceStatus.pageCode(status.getCode());
            if (code == null) {
                ended = true;
                responses.onError(status.asRuntimeException());
                return;
            }
            response.setStatusCode(code).setReason(status.getDescription() == null ? status.getCode().name() : status.getDescription());
        }
        responses.onNext(response.build());
    }

    @Override
    public void onError(Throwable t) {
        ended = true;
    }

    @Override
    public void onCompleted() {
        if (!ended) {
            ended = true;
            responses.onCompleted();
        }
    }
}

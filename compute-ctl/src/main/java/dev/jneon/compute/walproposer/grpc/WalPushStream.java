package dev.jneon.compute.walproposer.grpc;

import dev.jneon.api.safekeeper.SafekeeperWalGrpc;
import dev.jneon.compute.walproposer.AcceptorMessage;
import dev.jneon.compute.walproposer.ProposerMessage;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

/**
 * One WalPush call to one safekeeper (safekeeper-broker.md B.1): the proposer's side of a
 * connection. Incoming messages are converted and handed to the {@link Listener} on gRPC's
 * executor, one at a time and in order; the end of the call (error or completion) is reported
 * exactly once through {@link Listener#closed}. {@link #send} must be called from one thread at a
 * time (the connection's sender); {@link #cancel} from any thread.
 */
public final class WalPushStream {

    /** Receives what the safekeeper sends. */
    public interface Listener {
        void message(AcceptorMessage message);

        /** The call ended; {@code reason} says why. */
        void closed(String reason);
    }

    private final ClientCallStreamObserver<dev.jneon.api.safekeeper.ProposerMessage> requests;

    private WalPushStream(ClientCallStreamObserver<dev.jneon.api.safekeeper.ProposerMessage> requests) {
        this.requests = requests;
    }

    /** Opens the call on safekeeper {@code sk}'s channel. */
    public static WalPushStream open(SafekeeperChannels channels, int sk, Listener listener) {
        var holder = new ClientCallStreamObserver[1];
        var observer = new ClientResponseObserver<dev.jneon.api.safekeeper.ProposerMessage,
                dev.jneon.api.safekeeper.AcceptorMessage>() {
            private boolean done;

            @Override
            public void beforeStart(ClientCallStreamObserver<dev.jneon.api.safekeeper.ProposerMessage> stream) {
                holder[0] = stream;
            }

            @Override
            public void onNext(dev.jneon.api.safekeeper.AcceptorMessage value) {
                if (done) {
                    return;
                }
                AcceptorMessage message;
                try {
                    message = WalPushCodec.fromProto(value);
                } catch (IllegalArgumentException e) {
                    done = true;
                    holder[0].cancel("malformed acceptor message", e);
                    listener.closed("malformed message from safekeeper: " + e.getMessage());
                    return;
                }
                listener.message(message);
            }

            @Override
            public void onError(Throwable t) {
                if (!done) {
                    done = true;
                    listener.closed(Status.fromThrowable(t).toString());
                }
            }

            @Override
            public void onCompleted() {
                if (!done) {
                    done = true;
                    listener.closed("safekeeper ended the stream");
                }
            }
        };
        SafekeeperWalGrpc.newStub(channels.channel(sk)).walPush(observer);
        @SuppressWarnings("unchecked")
        var requests = (ClientCallStreamObserver<dev.jneon.api.safekeeper.ProposerMessage>) holder[0];
        return new WalPushStream(requests);
    }

    public void send(ProposerMessage message) {
        requests.onNext(WalPushCodec.toProto(message));
    }

    /**
     * Half-closes the call after the messages already sent: the safekeeper processes them, answers
     * and completes (then the listener hears {@link Listener#closed}).
     */
    public void finish() {
        requests.onCompleted();
    }

    /** Ends the call from our side; the listener then hears {@link Listener#closed}. */
    public void cancel(String reason) {
        requests.cancel(reason, null);
    }
}

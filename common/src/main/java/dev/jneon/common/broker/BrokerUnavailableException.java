package dev.jneon.common.broker;

/**
 * The broker could not be reached or refused a call. Broker traffic is best effort: callers log
 * this and try again on their next tick. Immutable.
 */
public final class BrokerUnavailableException extends RuntimeException {

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

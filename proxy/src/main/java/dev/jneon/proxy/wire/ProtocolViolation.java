package dev.jneon.proxy.wire;

import java.io.IOException;

/**
 * The peer broke the Postgres protocol (bad length, unknown code, oversized packet). The session
 * ends; whether the peer is told depends on where it happened (B.2: a broken startup packet is a
 * silent close).
 */
public final class ProtocolViolation extends IOException {

    public ProtocolViolation(String message) {
        super(message);
    }
}

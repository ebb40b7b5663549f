package dev.jneon.common.scram;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The two keys a party needs to act as a SCRAM-SHA-256 client without the password (B.6.6): ClientKey =
 * HMAC(SaltedPassword, "Client Key") and ServerKey = HMAC(SaltedPassword, "Server Key"), 32 bytes each. The
 * proxy learns them from a successful server exchange or cleartext check and replays them to the compute, whose
 * verifier is the same. Immutable (the arrays are copied in and out).
 */
public record ScramKeys(byte[] clientKey, byte[] serverKey) {

    public ScramKeys {
        if (clientKey.length != ScramMath.KEY_LENGTH || serverKey.length != ScramMath.KEY_LENGTH) {
            throw new IllegalArgumentException("SCRAM-SHA-256 keys are 32 bytes");
        }
        clientKey = clientKey.clone();
        serverKey = serverKey.clone();
    }

    @Override
    public byte[] clientKey() {
        return clientKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    /** StoredKey = H(ClientKey). */
    public byte[] storedKey() {
        return ScramMath.sha256(clientKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramKeys k && MessageDigest.isEqual(clientKey, k.clientKey)
                && MessageDigest.isEqual(serverKey, k.serverKey);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(clientKey) + Arrays.hashCode(serverKey);
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "ScramKeys[***]";
    }
}

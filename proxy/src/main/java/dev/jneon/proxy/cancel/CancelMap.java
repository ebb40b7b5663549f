package dev.jneon.proxy.cancel;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cancel keys of the sessions this proxy serves (B.11, single proxy [jneon]): a random 64-bit
 * key per session, shown to the client as BackendKeyData (pid = high 32 bits, secret = low 32),
 * mapped to the compute's own key pair. Entries live as long as their session. Thread-safe.
 */
public final class CancelMap {

    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<Long, CancelTarget> targets = new ConcurrentHashMap<>();

    /** Registers {@code target} under a fresh key and returns the key. */
    public long register(CancelTarget target) {
        while (true) {
            long key = random.nextLong();
            if (targets.putIfAbsent(key, target) == null) {
                return key;
            }
        }
    }

    public Optional<CancelTarget> lookup(long key) {
        return Optional.ofNullable(targets.get(key));
    }

    public void remove(long key) {
        targets.remove(key);
    }

    public int size() {
        return targets.size();
    }
}

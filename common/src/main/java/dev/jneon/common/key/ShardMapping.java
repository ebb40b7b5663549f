package dev.jneon.common.key;

import dev.jneon.common.id.ShardCount;
import dev.jneon.common.id.ShardNumber;
import dev.jneon.common.id.ShardStripeSize;

/**
 * Which shard of a tenant stores a key. Must match Neon (and PostgreSQL's hashfn.h) bit for bit:
 * <ol>
 * <li>fewer than 2 shards: shard 0;</li>
 * <li>a key that is not a relation block ({@link Key#isRelBlock()}), or a block of an init fork:
 *     shard 0;</li>
 * <li>else {@code h = murmur(relnode); h = combine(h, murmur(block / stripe)); shard = h mod count},
 *     all unsigned 32-bit.</li>
 * </ol>
 * Tablespace and database are not hashed, so a CREATE DATABASE copy stays on the shard it is read
 * from. Besides the shard a key maps to, {@link #isGlobal} keys are written by every shard. Immutable.
 */
public record ShardMapping(ShardCount count, ShardStripeSize stripeSize) {

    private static final int INIT_FORK = 3;

    public ShardMapping {
        if (count == null || stripeSize == null) {
            throw new IllegalArgumentException("shard count and stripe size must not be null");
        }
    }

    /** The shard {@code key} maps to (rules 1 to 3). */
    public ShardNumber shardOf(Key key) {
        if (count.value() < 2 || isShardZeroKey(key)) {
            return ShardNumber.ZERO;
        }
        int hash = murmur(key.field4());
        hash = combine(hash, murmur(Integer.divideUnsigned(key.field6(), stripeSize.pages())));
        return ShardNumber.of(Integer.remainderUnsigned(hash, count.value()));
    }

    /** Rule 2: keys every sharded tenant keeps on shard 0 (all but non-init relation blocks). */
    public static boolean isShardZeroKey(Key key) {
        return !key.isRelBlock() || key.field5() == INIT_FORK;
    }

    /**
     * Keys every shard writes and keeps: everything except relation blocks and the SLRU and aux-file
     * keys, which live on one shard. Relation size keys are global (only shard 0's is exact).
     */
    public static boolean isGlobal(Key key) {
        if (key.isSlruBlock() || key.isSlruSegSize() || key.isAuxFile() || key.isSlruDir()) {
            return false;
        }
        return !key.isRelBlock();
    }

    /** Whether shard {@code number} must store {@code key} as its own (not counting global keys). */
    public boolean isLocal(Key key, ShardNumber number) {
        if (count.value() < 2 || (isShardZeroKey(key) && number.value() == 0)) {
            return true;
        }
        return shardOf(key).equals(number);
    }

    /** Whether shard {@code number} may drop {@code key}, e.g. when compacting after a split. */
    public boolean isDisposable(Key key, ShardNumber number) {
        return count.value() >= 2 && !isGlobal(key) && !isLocal(key, number);
    }

    /** PostgreSQL's murmurhash32 finalizer. */
    static int murmur(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /** PostgreSQL's hash_combine. */
    static int combine(int a, int b) {
        b += 0x9e3779b9 + (a << 6) + (a >>> 2);
        return a ^ b;
    }
}

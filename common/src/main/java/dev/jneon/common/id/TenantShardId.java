package dev.jneon.common.id;

import java.util.Arrays;
import java.util.List;

/**
 * One shard of a tenant: the unit that is attached, located and stored. Text form is the tenant id
 * alone when the shard count is 0 (legacy unsharded, 32 characters), else
 * {@code <tenant>-<slug>} (37 characters), e.g. {@code 1f35...7a-0104}; parsing tells the forms
 * apart by length. Binary form is the 16 tenant bytes, the number byte and the count byte. Ordered
 * by tenant, then shard number, then count. Immutable.
 */
public record TenantShardId(TenantId tenantId, ShardIndex shard) implements Comparable<TenantShardId> {

    private static final int UNSHARDED_LENGTH = 32;
    private static final int SHARDED_LENGTH = 37;

    public TenantShardId {
        if (tenantId == null || shard == null) {
            throw new IllegalArgumentException("tenant id and shard index must not be null");
        }
    }

    public static TenantShardId unsharded(TenantId tenantId) {
        return new TenantShardId(tenantId, ShardIndex.UNSHARDED);
    }

    /** Parses either text form; throws {@link IllegalArgumentException} naming the bad input. */
    public static TenantShardId parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("TenantShardId must not be null");
        }
        if (text.length() == UNSHARDED_LENGTH) {
            return unsharded(TenantId.parse(text));
        }
        if (text.length() != SHARDED_LENGTH || text.charAt(UNSHARDED_LENGTH) != '-') {
            throw new IllegalArgumentException("malformed TenantShardId '" + text
                    + "': expected 32 hex digits, optionally followed by '-' and a 4-digit shard slug");
        }
        try {
            return new TenantShardId(TenantId.parse(text.substring(0, UNSHARDED_LENGTH)),
                    ShardIndex.parse(text.substring(UNSHARDED_LENGTH + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed TenantShardId '" + text + "': " + e.getMessage());
        }
    }

    /** From the 18-byte binary form. */
    public static TenantShardId fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != 18) {
            throw new IllegalArgumentException("TenantShardId needs exactly 18 bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        byte[] tenant = Arrays.copyOf(bytes, 16);
        return new TenantShardId(TenantId.fromBytes(tenant), ShardIndex.of(bytes[16] & 0xFF, bytes[17] & 0xFF));
    }

    public byte[] toBytes() {
        byte[] out = Arrays.copyOf(tenantId.toBytes(), 18);
        out[16] = (byte) shard.number().value();
        out[17] = (byte) shard.count().value();
        return out;
    }

    public ShardNumber number() {
        return shard.number();
    }

    public ShardCount count() {
        return shard.count();
    }

    public boolean isUnsharded() {
        return shard.isUnsharded();
    }

    public boolean isShardZero() {
        return shard.isShardZero();
    }

    /** The child shards after splitting into {@code newCount}; see {@link ShardIndex#split}. */
    public List<TenantShardId> split(ShardCount newCount) {
        return shard.split(newCount).stream().map(child -> new TenantShardId(tenantId, child)).toList();
    }

    @Override
    public int compareTo(TenantShardId o) {
        int c = tenantId.compareTo(o.tenantId);
        return c != 0 ? c : shard.compareTo(o.shard);
    }

    @Override
    public String toString() {
        return tenantId + shard.suffix();
    }
}

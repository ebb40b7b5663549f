package dev.jneon.pageserver.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.remote.ListRequest;
import dev.jneon.common.remote.ObjectServers;
import dev.jneon.common.remote.RemotePath;
import dev.jneon.common.remote.RemoteStorage;
import dev.jneon.common.remote.RemoteStorageConfig;
import dev.jneon.common.remote.RetryPolicy;
import dev.jneon.common.remote.RetryingRemoteStorage;
import dev.jneon.pageserver.basebackup.Basebackup;
import dev.jneon.pageserver.basebackup.BasebackupLsn;
import dev.jneon.pageserver.config.PageserverProperties;
import dev.jneon.pageserver.layer.PersistentLayer;
import dev.jneon.pageserver.tenant.LocationConf;
import dev.jneon.pageserver.tenant.LocationMode;
import dev.jneon.pageserver.tenant.TenantShard;
import dev.jneon.pageserver.tenant.Tenants;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.value.Value;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tenant written on one pageserver workdir (real initdb bootstrap, then many small layers,
 * compacted) comes back on an EMPTY workdir from remote storage alone: attached with the next
 * generation, every layer starts Evicted and is downloaded when read, and basebackups (every
 * relation page of the initdb image) and the written pages are the same at several LSNs. Eviction
 * of a resident layer and the download on the next read are checked on the way; the new
 * generation's uploads carry its suffix; deleting the timeline empties its remote prefix. Runs
 * against a local directory and against s3rver.
 */
class RemoteAttachIT {

    @RegisterExtension
    static final ObjectServers SERVERS = new ObjectServers();

    private static final RelTag REL = new RelTag(1663, 5, 99999, ForkNumber.MAIN);
    private static final int BLOCKS = 24;
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, Object> CONF = Map.of("checkpoint_distance", 65536, "compaction_threshold", 4,
            "image_creation_threshold", 3, "image_layer_creation_check_threshold", 0);

    @TempDir
    Path dir;

    private RemoteStorageConfig config(String backend) throws Exception {
        return switch (backend) {
            case "local" -> new RemoteStorageConfig.LocalFs(dir.resolve("remote"));
            case "s3rver" -> RemoteStorageConfig.S3.bucket(ObjectServers.BUCKET, "us-east-1")
                    .withEndpoint(ObjectServers.s3Endpoint(SERVERS.s3rver()),
                            new RemoteStorageConfig.S3Credentials("S3RVER", "S3RVER"))
                    .withLayout(Optional.of(RemotePath.of("pageserver-" + UUID.randomUUID())), OptionalInt.empty(),
                            RemoteStorageConfig.DEFAULT_PART_SIZE);
            default -> throw new IllegalArgumentException(backend);
        };
    }

    private Tenants pageserver(String workdir, RemoteStorageConfig config) {
        var properties = new PageserverProperties(dir.resolve(workdir), Duration.ofSeconds(10), false);
        return new Tenants(properties, new RemoteClient(new RetryingRemoteStorage(RemoteStorage.open(config), RetryPolicy.DEFAULT)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3rver"})
    void emptyDiskAttachServesTheSamePages(String backend) throws Exception {
        RemoteStorageConfig config = config(backend);
        TenantShardId id = TenantShardId.unsharded(TenantId.generate());
        TimelineId tl = TimelineId.generate();

        Tenants first = pageserver("ps1", config);
        TenantShard tenant = first.attach(id, new LocationConf(LocationMode.AttachedSingle, Generation.of(1), 2048, CONF));
        Timeline t = first.creation().bootstrap(tenant, tl, PgMajorVersion.PG15);
        assertThat(t.remoteConsistentLsn()).as("creation waits for the first index").isEqualTo(t.diskConsistentLsn());
        List<Lsn> points = new ArrayList<>(List.of(t.lastRecordLsn()));
        Lsn lsn = t.lastRecordLsn();
        for (int round = 1; round <= 3; round++) {
            lsn = write(t, lsn, round * 100, 100);
            points.add(lsn);
        }
        t.checkpoint();
        assertThat(t.awaitUploads(WAIT)).isTrue();
        assertThat(t.remoteConsistentLsn()).isEqualTo(lsn);
        Map<Lsn, byte[]> basebackups = new LinkedHashMap<>();
        Map<Lsn, List<byte[]>> pages = new LinkedHashMap<>();
        for (Lsn p : points) {
            basebackups.put(p, basebackup(t, p));
            pages.put(p, pages(t, p));
        }

        // evict every layer, then read: what the reads need is downloaded again
        RemoteCounters counters1 = first.remote().counters();
        List<PersistentLayer> layers = t.layers().historic();
        for (PersistentLayer l : layers) {
            assertThat(l.residence().evict()).as("evict %s", l.name()).isTrue();
            assertThat(l.path()).doesNotExist();
        }
        assertThat(pages(t, lsn)).usingRecursiveComparison().isEqualTo(pages.get(lsn));
        assertThat(basebackup(t, points.getFirst())).isEqualTo(basebackups.get(points.getFirst()));
        assertThat(counters1.downloads()).isPositive();
        List<PersistentLayer> downloaded = layers.stream().filter(l -> l.residence().isResident()).toList();
        assertThat(downloaded).hasSize((int) counters1.downloads());
        for (PersistentLayer l : downloaded) {
            assertThat(Files.size(l.path())).isEqualTo(l.fileSize());
        }
        first.shutdown();

        // a second pageserver with an empty disk attaches generation 2
        Tenants second = pageserver("ps2", config);
        TenantShard attached = second.attach(id, new LocationConf(LocationMode.AttachedSingle, Generation.of(2), 2048, CONF));
        Timeline back = attached.timeline(tl);
        assertThat(back.layers().historic()).isNotEmpty().allSatisfy(l -> assertThat(l.residence().isResident()).isFalse());
        assertThat(back.diskConsistentLsn()).isEqualTo(lsn);
        assertThat(back.lastRecordLsn()).isEqualTo(lsn);
        assertThat(back.remoteConsistentLsn()).isEqualTo(lsn);
        for (Lsn p : points) {
            assertThat(basebackup(back, p)).as("basebackup at %s", p).isEqualTo(basebackups.get(p));
            assertThat(pages(back, p)).as("pages at %s", p).usingRecursiveComparison().isEqualTo(pages.get(p));
        }
        assertThat(second.remote().counters().downloads()).isPositive();

        // generation 2 writes under its own suffix and leaves generation 1's index alone
        Lsn more = write(back, lsn, 1000, 50);
        back.checkpoint();
        assertThat(back.awaitUploads(WAIT)).isTrue();
        assertThat(back.remoteConsistentLsn()).isEqualTo(more);
        List<String> names = second.remote().storage().list(ListRequest.under(RemoteLayout.timeline(id, tl))).keys()
                .stream().map(RemotePath::name).toList();
        assertThat(names).contains("index_part.json-00000001", "index_part.json-00000002");
        assertThat(names).anyMatch(n -> n.endsWith("-00000002") && !n.startsWith("index_part"));
        assertThat(pages(back, more)).isNotEmpty();

        attached.deleteTimeline(tl);
        assertThat(second.remote().storage().list(ListRequest.under(RemoteLayout.timeline(id, tl))).keys()).isEmpty();
        second.shutdown();
    }

    /** {@code count} records from {@code from + 8}, each rewriting one block; returns the last LSN. */
    private static Lsn write(Timeline t, Lsn from, int seed, int count) {
        Lsn lsn = from;
        for (int i = 0; i < count; i++) {
            lsn = lsn.plus(8);
            byte[] page = new byte[8192];
            Arrays.fill(page, (byte) (seed + i));
            t.writer().put(Key.relBlock(REL, (seed + i) % BLOCKS), lsn, Value.image(page));
            t.writer().finishWrite(lsn);
        }
        return lsn;
    }

    /** The written blocks at {@code lsn} (null where a block did not exist yet). */
    private static List<byte[]> pages(Timeline t, Lsn lsn) {
        List<byte[]> out = new ArrayList<>();
        for (int b = 0; b < BLOCKS; b++) {
            try {
                out.add(t.get(Key.relBlock(REL, b), lsn));
            } catch (RuntimeException missing) {
                out.add(null);
            }
        }
        return out;
    }

    private static byte[] basebackup(Timeline t, Lsn lsn) throws Exception {
        var out = new ByteArrayOutputStream();
        new Basebackup(t, new BasebackupLsn(lsn, Lsn.INVALID), NOW).writeTo(out);
        return out.toByteArray();
    }
}

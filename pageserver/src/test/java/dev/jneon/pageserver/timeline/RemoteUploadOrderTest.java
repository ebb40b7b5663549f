package dev.jneon.pageserver.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.remote.LocalFsRemoteStorage;
import dev.jneon.common.remote.RemotePath;
import dev.jneon.common.remote.RemoteStorageConfig;
import dev.jneon.common.remote.RemoteStorageException;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.layer.LayerName;
import dev.jneon.pageserver.layer.PersistentLayer;
import dev.jneon.pageserver.remote.IndexPart;
import dev.jneon.pageserver.remote.RecordingRemoteStorage;
import dev.jneon.pageserver.remote.RemoteClient;
import dev.jneon.pageserver.remote.RemoteLayout;
import dev.jneon.pageserver.remote.RemoteTimelineLoad;
import dev.jneon.pageserver.timeline.gc.GcResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload queue's order (spec E.4) on a local-directory backend: layers before the index that
 * names them, a GC'd layer deleted remotely only after an index without it, and a reload where the
 * index is authoritative over the local directory.
 */
class RemoteUploadOrderTest {

    private static final Generation GEN = Generation.of(1);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static TenantConf conf() {
        return TimelineFixture.conf(16 * 1024).withCompactionThreshold(100).withImageCreation(3, 0).withGc(0, Duration.ZERO);
    }

    @Test
    void layersThenIndexAndGcDeletesOnlyAfterTheNewIndex() throws Exception {
        var storage = new RecordingRemoteStorage(new LocalFsRemoteStorage(new RemoteStorageConfig.LocalFs(dir.resolve("remote"))));
        RemoteClient client = new RemoteClient(storage);
        PageModel model = new PageModel();
        TimelineId id = TimelineId.generate();
        Timeline t = TimelineFixture.root(dir.resolve("tenant"), id, conf());
        t.enableUploads(client.newQueue(TimelineFixture.TENANT, id, GEN, t.dir(), Lsn.INVALID));
        Lsn last = model.bootstrapAndWrite(t, 80);
        t.checkpoint();
        assertThat(t.awaitUploads(WAIT)).isTrue();

        List<PersistentLayer> before = t.layers().historic();
        for (PersistentLayer l : before) {
            RemotePath key = RemoteLayout.layer(TimelineFixture.TENANT, id, l.name(), GEN);
            assertThat(key.name()).isEqualTo(l.name() + "-00000001");
            assertThat(storage.head(key).size()).isEqualTo(l.fileSize());
        }
        IndexPart index = client.latestIndex(TimelineFixture.TENANT, id, GEN).orElseThrow();
        assertThat(index.layers().keySet()).containsExactlyInAnyOrderElementsOf(names(before));
        assertThat(index.layers().values()).allSatisfy(m -> assertThat(m.generation()).isEqualTo(GEN));
        assertThat(index.diskConsistentLsn()).isEqualTo(t.diskConsistentLsn()).isEqualTo(last);
        assertThat(t.remoteConsistentLsn()).isEqualTo(last);
        assertEveryIndexFollowsItsLayers(storage.writes());

        GcResult result = t.gc(64, List.of());
        assertThat(result.layersRemoved()).isPositive();
        assertThat(t.awaitUploads(WAIT)).isTrue();
        Set<LayerName> kept = names(t.layers().historic());
        List<PersistentLayer> removed = before.stream().filter(l -> !kept.contains(l.name())).toList();
        assertThat(removed).hasSize((int) result.layersRemoved());
        List<RecordingRemoteStorage.Write> writes = storage.writes();
        for (PersistentLayer l : removed) {
            RemotePath key = RemoteLayout.layer(TimelineFixture.TENANT, id, l.name(), GEN);
            int deletedAt = indexOf(writes, new RecordingRemoteStorage.Write(false, key, null));
            assertThat(deletedAt).as("%s deleted remotely", l.name()).isPositive();
            assertThat(writes.subList(0, deletedAt)).as("an index without %s was uploaded before its deletion", l.name())
                    .anySatisfy(w -> assertThat(w.index() != null && !w.index().layers().containsKey(l.name())).isTrue());
            assertThatThrownBy(() -> storage.head(key)).isInstanceOf(RemoteStorageException.NotFound.class);
            assertThat(l.path()).doesNotExist();
        }
        IndexPart afterGc = client.latestIndex(TimelineFixture.TENANT, id, GEN).orElseThrow();
        assertThat(afterGc.layers().keySet()).containsExactlyInAnyOrderElementsOf(kept);
        assertThat(afterGc.metadata().latestGcCutoffLsn()).isEqualTo(t.gcCutoffLsn());
        Lsn cutoff = t.gcCutoffLsn();
        model.checkAllReads(t, cutoff, last);
        t.shutdown(true);

        // a stray local file (a layer flushed after the last index) is deleted on reload: the index is authoritative
        PersistentLayer any = t.layers().historic().getFirst();
        Path stray = t.dir().resolve(LayerName.delta(any.keyRange(), new dev.jneon.pageserver.layer.LsnRange(last.plus(1),
                last.plus(100))).fileName(GEN));
        Files.copy(any.path(), stray);
        Timeline reloaded = RemoteTimelineLoad.load(client, Optional.of(afterGc), t.dir(), TimelineFixture.TENANT, id, GEN,
                null, conf(), Clock.systemUTC());
        reloaded.activate();
        assertThat(stray).doesNotExist();
        assertThat(names(reloaded.layers().historic())).isEqualTo(kept);
        assertThat(reloaded.layers().historic()).allSatisfy(l -> assertThat(l.residence().isResident()).isTrue());
        assertThat(reloaded.remoteConsistentLsn()).isEqualTo(last);
        model.checkAllReads(reloaded, cutoff, last);
        reloaded.shutdown(false);
        client.close();
    }

    /** Each index put comes after the put of every layer it names. */
    private static void assertEveryIndexFollowsItsLayers(List<RecordingRemoteStorage.Write> writes) {
        for (int i = 0; i < writes.size(); i++) {
            IndexPart index = writes.get(i).index();
            if (index == null) {
                continue;
            }
            Set<String> earlier = writes.subList(0, i).stream().filter(RecordingRemoteStorage.Write::put)
                    .map(w -> w.path().name()).collect(Collectors.toSet());
            index.layers().forEach((name, meta) -> assertThat(earlier).contains(name + meta.generation().suffix()));
        }
    }

    private static int indexOf(List<RecordingRemoteStorage.Write> writes, RecordingRemoteStorage.Write w) {
        return writes.indexOf(w);
    }

    private static Set<LayerName> names(List<PersistentLayer> layers) {
        return layers.stream().map(PersistentLayer::name).collect(Collectors.toSet());
    }
}

package dev.jneon.pageserver.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantShardId;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.DbDirectory;
import dev.jneon.common.key.Key;
import dev.jneon.common.key.RelDirectory;
import dev.jneon.common.key.SlruSegmentDirectory;
import dev.jneon.common.pg.DbTag;
import dev.jneon.common.pg.ForkNumber;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.RelTag;
import dev.jneon.common.pg.SlruKind;
import dev.jneon.common.pg.file.PgControl;
import dev.jneon.common.pg.file.SlruPage;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.layer.ImageLayer;
import dev.jneon.pageserver.timeline.Timeline;
import dev.jneon.pageserver.timeline.TimelineLoader;
import dev.jneon.pageserver.timeline.TimelineMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bootstraps a timeline from the real initdb of PostgreSQL 15 and reads every imported page back,
 * comparing it with the bytes of the data directory, before and after a reload from disk.
 */
class BootstrapImportIT {

    private static final Pattern REL_FILE = Pattern.compile("(\\d+)(?:_(fsm|vm|init))?");
    private static final TenantShardId TENANT = TenantShardId.unsharded(TenantId.generate());

    @TempDir
    Path tmp;

    @Test
    void everyPageOfTheInitdbOutputReadsBackEqual() throws Exception {
        Path pgdata = tmp.resolve("pgdata");
        Initdb.run(PgBinaries.of(PgMajorVersion.PG15), pgdata, true);
        PgControl control = DataDirImport.controlFile(pgdata);
        Lsn lsn = control.checkPoint().alignUp8();
        TimelineId id = TimelineId.generate();
        var metadata = new TimelineMetadata(Lsn.INVALID, null, null, Lsn.INVALID, Lsn.INVALID, lsn, PgMajorVersion.PG15);
        Timeline timeline = TimelineLoader.create(tmp.resolve("tl"), TENANT, id, Generation.of(1), null, metadata,
                TenantConf.DEFAULTS, Clock.systemUTC());
        timeline.activate();
        DataDirImport.importAt(pgdata, timeline.writer(), lsn, PgMajorVersion.PG15);
        timeline.checkpoint();
        assertThat(timeline.lastRecordLsn()).isEqualTo(lsn);
        assertThat(timeline.diskConsistentLsn()).isEqualTo(lsn);
        assertThat(timeline.layers().historic()).singleElement().isInstanceOf(ImageLayer.class);
        int pages = compareWithDataDir(timeline, pgdata, lsn);
        assertThat(pages).isGreaterThan(1000);
        timeline.shutdown(false);

        Timeline reloaded = TimelineLoader.load(tmp.resolve("tl"), TENANT, id, Generation.of(1), null, TenantConf.DEFAULTS,
                Clock.systemUTC());
        reloaded.activate();
        assertThat(compareWithDataDir(reloaded, pgdata, lsn)).isEqualTo(pages);
        reloaded.shutdown(false);
    }

    /** Compares relations, directories, SLRUs and control data; returns the number of pages compared. */
    private static int compareWithDataDir(Timeline t, Path pgdata, Lsn lsn) throws IOException {
        int pages = 0;
        DbDirectory dbs = DbDirectory.decode(t.get(Key.DB_DIR, lsn));
        List<Path> dbDirs;
        try (Stream<Path> base = Files.list(pgdata.resolve("base"))) {
            dbDirs = Stream.concat(Stream.of(pgdata.resolve("global")), base).toList();
        }
        assertThat(dbs.databases()).hasSize(dbDirs.size());
        for (Path dir : dbDirs) {
            DbTag db = dir.getFileName().toString().equals("global") ? DbTag.GLOBAL
                    : new DbTag(RelTag.DEFAULT_TABLESPACE, Integer.parseInt(dir.getFileName().toString()));
            assertThat(dbs.contains(db)).isTrue();
            assertThat(t.get(Key.relMap(db), lsn)).isEqualTo(Files.readAllBytes(dir.resolve("pg_filenode.map")));
            RelDirectory rels = RelDirectory.decode(t.get(Key.relDir(db), lsn));
            int forks = 0;
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Matcher m = REL_FILE.matcher(file.getFileName().toString());
                    if (!m.matches()) {
                        continue;
                    }
                    forks++;
                    ForkNumber fork = m.group(2) == null ? ForkNumber.MAIN : switch (m.group(2)) {
                        case "fsm" -> ForkNumber.FSM;
                        case "vm" -> ForkNumber.VISIBILITY_MAP;
                        default -> ForkNumber.INIT;
                    };
                    RelTag rel = db.rel(Integer.parseUnsignedInt(m.group(1)), fork);
                    assertThat(rels.contains(rel.relNode(), fork)).as("%s in RelDir", rel).isTrue();
                    byte[] bytes = Files.readAllBytes(file);
                    int blocks = bytes.length / 8192;
                    assertThat(t.get(Key.relSize(rel), lsn)).as("size of %s", rel)
                            .isEqualTo(new byte[] {(byte) blocks, (byte) (blocks >>> 8), (byte) (blocks >>> 16), 0});
                    for (int b = 0; b < blocks; b++) {
                        assertThat(t.get(Key.relBlock(rel, b), lsn)).as("%s block %d", rel, b)
                                .isEqualTo(Arrays.copyOfRange(bytes, b * 8192, (b + 1) * 8192));
                        pages++;
                    }
                }
            }
            assertThat(rels.rels()).hasSize(forks);
        }
        for (SlruKind kind : SlruKind.values()) {
            SlruSegmentDirectory segments = SlruSegmentDirectory.decode(t.get(Key.slruDir(kind), lsn));
            try (Stream<Path> files = Files.list(pgdata.resolve(kind.directory()))) {
                List<Path> list = files.toList();
                assertThat(segments.segments()).hasSize(list.size());
                for (Path file : list) {
                    int seg = (int) SlruPage.parseSegmentFileName(file.getFileName().toString());
                    byte[] bytes = Files.readAllBytes(file);
                    for (int b = 0; b < bytes.length / 8192; b++) {
                        assertThat(t.get(Key.slruBlock(kind, seg, b), lsn)).isEqualTo(Arrays.copyOfRange(bytes, b * 8192, (b + 1) * 8192));
                        pages++;
                    }
                }
            }
        }
        byte[] control = Files.readAllBytes(pgdata.resolve("global/pg_control"));
        assertThat(t.get(Key.CONTROL_FILE, lsn)).isEqualTo(control);
        assertThat(t.get(Key.CHECKPOINT, lsn)).isEqualTo(PgControl.parse(control).checkPointCopy().encode());
        return pages;
    }
}

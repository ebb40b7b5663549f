package dev.jneon.pageserver.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Generation;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TimelineId;
import dev.jneon.common.key.Key;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.pageserver.config.TenantConf;
import dev.jneon.pageserver.value.Value;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** checkpoint_timeout by a clock the test moves: old open layers freeze, idle timelines still advance disk_consistent_lsn. */
class CheckpointTimeoutTest {

    @TempDir
    Path dir;

    /** A clock that moves only when told. */
    static final class ManualClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void oldLayersFreezeAndIdleTimelinesAdvance() throws Exception {
        ManualClock clock = new ManualClock();
        var metadata = new TimelineMetadata(Lsn.INVALID, null, null, Lsn.INVALID, Lsn.INVALID, TimelineFixture.INITDB,
                PgMajorVersion.PG15);
        TenantConf conf = TenantConf.of(1 << 30, Duration.ofMinutes(10));
        Timeline t = TimelineLoader.create(dir.resolve("tl"), TimelineFixture.TENANT, TimelineId.generate(), Generation.of(1),
                null, metadata, conf, clock);
        t.writer().put(Key.CHECKPOINT, TimelineFixture.INITDB, Value.image(new byte[88]));
        t.writer().finishWrite(TimelineFixture.INITDB);
        t.activate();
        t.checkpoint();

        Lsn a = Lsn.of(0x100);
        t.writer().put(Key.CHECKPOINT, a, Value.image(new byte[88]));
        t.writer().finishWrite(a);
        t.freezeIfDue(false);
        assertThat(t.layers().open()).isNotNull(); // young: stays open
        clock.advance(Duration.ofMinutes(11));
        t.freezeIfDue(false);
        assertThat(t.layers().open()).isNull();

        Lsn b = Lsn.of(0x200); // a record that stored nothing
        t.writer().finishWrite(b);
        t.checkpoint(); // waits out the flush of the frozen layer
        assertThat(t.diskConsistentLsn()).isEqualTo(b); // checkpoint moves an idle timeline at once
        Lsn c = Lsn.of(0x300);
        t.writer().finishWrite(c);
        t.freezeIfDue(false);
        assertThat(t.diskConsistentLsn()).isEqualTo(b);
        clock.advance(Duration.ofMinutes(11));
        t.freezeIfDue(false);
        assertThat(t.diskConsistentLsn()).isEqualTo(c);
        assertThat(TimelineMetadataFile.read(t.dir()).diskConsistentLsn()).isEqualTo(c);
        t.shutdown(false);
    }
}

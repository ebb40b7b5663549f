package dev.jneon.common.pg.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.file.Clog.XidStatus;
import dev.jneon.common.pg.file.MultiXactMembers.Member;
import dev.jneon.common.pg.file.MultiXactMembers.Status;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.common.pg.server.PgCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our readers of PostgreSQL's files against what a running PG15 cluster (data checksums on) reports. */
class PgFileFormatsIT {

    private static Path base;
    private static PgCluster cluster;

    @BeforeAll
    static void startCluster() throws IOException {
        base = Files.createTempDirectory("jneon-pgfiles");
        cluster = new PgCluster(PgBinaries.of(PgMajorVersion.PG15), base.resolve("data"));
        cluster.initdb(List.of("--data-checksums"));
        cluster.configure(Map.of("fsync", "off", "autovacuum", "off"));
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        cluster.start(port);
    }

    @AfterAll
    static void stopCluster() throws IOException {
        if (cluster != null) {
            cluster.stop("fast");
            cluster.close();
        }
        if (base != null) {
            try (Stream<Path> all = Files.walk(base)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static Path data(String relative) {
        return cluster.dataDir().resolve(relative);
    }

    @Test
    void pageChecksumsMatchEveryPageOfAChecksummedRelation() throws IOException {
        cluster.psql("postgres", "create table sums (id int primary key, payload text);"
                + " insert into sums select g, md5(g::text) from generate_series(1, 5000) g;"
                + " delete from sums where id % 7 = 0;");
        cluster.psql("postgres", "vacuum sums");
        cluster.psql("postgres", "checkpoint");
        List<String> files = new ArrayList<>();
        String heap = cluster.psql("postgres", "select pg_relation_filepath('sums')");
        files.addAll(List.of(heap, heap + "_fsm", heap + "_vm"));
        files.add(cluster.psql("postgres", "select pg_relation_filepath('sums_pkey')"));
        files.add(cluster.psql("postgres", "select pg_relation_filepath('pg_class')"));
        int compared = 0;
        for (String file : files) {
            byte[] bytes = Files.readAllBytes(data(file));
            assertThat(bytes.length % 8192).isZero();
            for (int blk = 0; blk < bytes.length / 8192; blk++) {
                byte[] page = Arrays.copyOfRange(bytes, blk * 8192, (blk + 1) * 8192);
                if (PageChecksum.isNew(page)) {
                    continue;
                }
                assertThat(PageChecksum.compute(page, blk)).as("%s block %d", file, blk).isEqualTo(PageChecksum.stored(page));
                compared++;
            }
        }
        assertThat(compared).as("pages compared").isGreaterThan(40);
    }

    @Test
    void clogBitsAgreeWithTxidStatus() throws IOException {
        cluster.psql("postgres", "create table x (v int)");
        List<Integer> xids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            xids.add(xid(cluster.psql("postgres", "begin; insert into x values (1) returning xmin; commit;")));
            xids.add(xid(cluster.psql("postgres", "begin; insert into x values (2) returning xmin; rollback;")));
        }
        for (String line : cluster.psql("postgres", "begin; insert into x values (3) returning xmin;"
                + " savepoint a; insert into x values (4) returning xmin; rollback to savepoint a;"
                + " savepoint b; insert into x values (5) returning xmin; release savepoint b; commit;").split("\n")) {
            xids.add(xid(line));
        }
        cluster.psql("postgres", "checkpoint");
        Map<Long, byte[]> pages = new HashMap<>();
        for (int xid : xids) {
            String expected = cluster.psql("postgres", "select txid_status(" + Integer.toUnsignedString(xid) + ")");
            byte[] page = pages.computeIfAbsent(Clog.pageOf(xid), p -> slruPage("pg_xact", p));
            XidStatus status = Clog.status(page, xid);
            assertThat(status).as("xid %d (%s)", xid, expected)
                    .isEqualTo(expected.equals("committed") ? XidStatus.COMMITTED : XidStatus.ABORTED);
        }
        assertThat(xids).hasSize(11);
    }

    @Test
    void multixactOffsetsAndMembersAgreeWithPgGetMultixactMembers() {
        cluster.psql("postgres", "create table mx (id int primary key, v int); insert into mx select g, 0 from generate_series(1, 3) g");
        for (int id = 1; id <= 3; id++) {
            cluster.psql("postgres", "begin; select * from mx where id = " + id + " for key share;"
                    + " savepoint a; select * from mx where id = " + id + " for share;"
                    + " savepoint b; update mx set v = 1 where id = " + id + "; commit;");
        }
        cluster.psql("postgres", "begin; select * from mx where id = 1 for no key update;"
                + " savepoint a; select * from mx where id = 1 for update; commit;");
        cluster.psql("postgres", "checkpoint");
        int nextMulti = Integer.parseInt(cluster.psql("postgres", "select next_multixact_id from pg_control_checkpoint()"));
        assertThat(nextMulti).isGreaterThan(2);
        for (int multi = 1; multi < nextMulti; multi++) {
            byte[] offsets = slruPage("pg_multixact/offsets", MultiXactOffsets.pageOf(multi));
            int first = MultiXactOffsets.offset(offsets, multi);
            int next = MultiXactOffsets.offset(slruPage("pg_multixact/offsets",
                    MultiXactOffsets.pageOf(MultiXactOffsets.next(multi))), MultiXactOffsets.next(multi));
            List<String> ours = new ArrayList<>();
            for (int o = first; o != next; o++) {
                Member m = MultiXactMembers.member(slruPage("pg_multixact/members", MultiXactMembers.pageOf(o)), o);
                ours.add(Integer.toUnsignedString(m.xid()) + "|" + mode(m.status()));
            }
            String theirs = cluster.psql("postgres", "select xid, mode from pg_get_multixact_members('" + multi + "')");
            assertThat(ours).as("multixact %d", multi).isNotEmpty().containsExactlyElementsOf(List.of(theirs.split("\n")));
        }
    }

    @Test
    void relmapFilesParseAndReserialiseAndFollowVacuumFull() throws IOException {
        cluster.psql("postgres", "vacuum full pg_class");
        cluster.psql("postgres", "checkpoint");
        byte[] shared = Files.readAllBytes(data("global/pg_filenode.map"));
        assertThat(RelMapFile.parse(shared).encode()).isEqualTo(shared);
        int dbOid = Integer.parseInt(cluster.psql("postgres", "select oid from pg_database where datname = 'postgres'"));
        for (String db : cluster.psql("postgres", "select oid from pg_database").split("\n")) {
            byte[] file = Files.readAllBytes(data("base/" + db + "/pg_filenode.map"));
            assertThat(RelMapFile.parse(file).encode()).as("database %s", db).isEqualTo(file);
        }
        RelMapFile map = RelMapFile.parse(Files.readAllBytes(data("base/" + dbOid + "/pg_filenode.map")));
        String pgClassNode = cluster.psql("postgres", "select pg_relation_filenode('pg_class')");
        assertThat(Integer.toUnsignedString(map.filenodeOf(1259))).isEqualTo(pgClassNode).isNotEqualTo("1259");
        int authidNode = Integer.parseInt(cluster.psql("postgres", "select pg_relation_filenode('pg_authid')"));
        assertThat(RelMapFile.parse(shared).filenodeOf(1260)).isEqualTo(authidNode);
    }

    @Test
    void pgControlFieldsAgreeWithPgControldata() throws IOException {
        cluster.psql("postgres", "checkpoint");
        byte[] file = Files.readAllBytes(data("global/pg_control"));
        PgControl c = PgControl.parse(file);
        assertThat(c.encode()).isEqualTo(file);
        Map<String, String> shown = new HashMap<>();
        String out = PgCluster.run(List.of(cluster.binaries().tool("pg_controldata").toString(), cluster.dataDir().toString()),
                Duration.ofMinutes(1));
        for (String line : out.split("\n")) {
            int colon = line.indexOf(':');
            shown.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        assertThat(shown.get("Database system identifier")).isEqualTo(Long.toUnsignedString(c.systemIdentifier()));
        assertThat(shown.get("Database cluster state")).isEqualTo("in production");
        assertThat(c.state()).isEqualTo(DbState.IN_PRODUCTION);
        assertThat(Lsn.parse(shown.get("Latest checkpoint location"))).isEqualTo(c.checkPoint());
        assertThat(Lsn.parse(shown.get("Latest checkpoint's REDO location"))).isEqualTo(Lsn.of(c.checkPointCopy().redo()));
        assertThat(shown.get("Latest checkpoint's NextXID"))
                .isEqualTo((c.checkPointCopy().nextFullXid() >>> 32) + ":" + Integer.toUnsignedString(c.checkPointCopy().nextXid()));
        assertThat(shown.get("Latest checkpoint's NextOID")).isEqualTo(Integer.toUnsignedString(c.checkPointCopy().nextOid()));
        assertThat(shown.get("Latest checkpoint's NextMultiXactId")).isEqualTo(Integer.toUnsignedString(c.checkPointCopy().nextMulti()));
        assertThat(shown.get("Latest checkpoint's NextMultiOffset"))
                .isEqualTo(Integer.toUnsignedString(c.checkPointCopy().nextMultiOffset()));
        assertThat(shown.get("Latest checkpoint's oldestXID")).isEqualTo(Integer.toUnsignedString(c.checkPointCopy().oldestXid()));
        assertThat(Lsn.parse(shown.get("Fake LSN counter for unlogged rels"))).isEqualTo(c.unloggedLsn());
        assertThat(shown.get("max_connections setting")).isEqualTo(Integer.toString(c.settings().maxConnections()));
        assertThat(shown.get("Bytes per WAL segment")).isEqualTo(Integer.toString(c.build().xlogSegSize()));
        assertThat(shown.get("Data page checksum version")).isEqualTo("1").isEqualTo(Integer.toString(c.dataChecksumVersion()));
        assertThat(shown.get("Mock authentication nonce")).isEqualTo(HexFormat.of().formatHex(c.mockAuthenticationNonce()));
    }

    private static int xid(String text) {
        return Integer.parseUnsignedInt(text.strip());
    }

    private static String mode(Status status) {
        return switch (status) {
            case FOR_KEY_SHARE -> "keysh";
            case FOR_SHARE -> "sh";
            case FOR_NO_KEY_UPDATE -> "fornokeyupd";
            case FOR_UPDATE -> "forupd";
            case NO_KEY_UPDATE -> "nokeyupd";
            case UPDATE -> "upd";
        };
    }

    private static byte[] slruPage(String dir, long page) {
        Path file = data(dir).resolve(SlruPage.segmentFileName(SlruPage.segmentOf(page)));
        try {
            byte[] segment = Files.readAllBytes(file);
            int offset = SlruPage.offsetInSegment(page);
            assertThat(segment.length).as("%s holds page %d", file, page).isGreaterThanOrEqualTo(offset + SlruPage.SIZE);
            return Arrays.copyOfRange(segment, offset, offset + SlruPage.SIZE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

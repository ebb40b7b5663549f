package dev.jneon.common.pg.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** v1 golden: pg_filenode.map files written by PostgreSQL 15.18's initdb. */
class RelMapFileGoldenTest {

    @Test
    void sharedMapParsesAndReserialisesByteIdentically() throws IOException {
        byte[] file = PgControlGoldenTest.golden("relmap/v1/global.pg_filenode.map");
        RelMapFile map = RelMapFile.parse(file);
        assertThat(map.mappings()).hasSize(48);
        assertThat(map.mappings().getFirst()).isEqualTo(new RelMapFile.Mapping(1262, 1262)); // pg_database
        assertThat(map.filenodeOf(1260)).isEqualTo(1260); // pg_authid
        assertThat(map.filenodeOf(1259)).isZero(); // pg_class is not shared
        assertThat(map.encode()).isEqualTo(file);
    }

    @Test
    void databaseMapParsesAndReserialisesByteIdentically() throws IOException {
        byte[] file = PgControlGoldenTest.golden("relmap/v1/database.pg_filenode.map");
        RelMapFile map = RelMapFile.parse(file);
        assertThat(map.mappings()).hasSize(17);
        assertThat(map.filenodeOf(1259)).isEqualTo(1259); // pg_class
        assertThat(map.encode()).isEqualTo(file);
    }

    @Test
    void editedMapRoundTrips() throws IOException {
        RelMapFile map = RelMapFile.parse(PgControlGoldenTest.golden("relmap/v1/database.pg_filenode.map"));
        List<RelMapFile.Mapping> edited = new ArrayList<>();
        for (RelMapFile.Mapping m : map.mappings()) {
            edited.add(m.catalogOid() == 1259 ? new RelMapFile.Mapping(1259, 16999) : m);
        }
        RelMapFile changed = new RelMapFile(edited);
        assertThat(RelMapFile.parse(changed.encode())).isEqualTo(changed);
        assertThat(RelMapFile.parse(changed.encode()).filenodeOf(1259)).isEqualTo(16999);
    }

    @Test
    void rejectsCorruptFiles() throws IOException {
        byte[] file = PgControlGoldenTest.golden("relmap/v1/global.pg_filenode.map");
        byte[] flipped = file.clone();
        flipped[100] ^= 1;
        assertThatThrownBy(() -> RelMapFile.parse(flipped)).hasMessageContaining("CRC mismatch");
        byte[] badMagic = file.clone();
        badMagic[0] = 0;
        assertThatThrownBy(() -> RelMapFile.parse(badMagic)).hasMessageContaining("magic");
        assertThatThrownBy(() -> RelMapFile.parse(new byte[511])).hasMessageContaining("512 bytes");
        List<RelMapFile.Mapping> tooMany = new ArrayList<>();
        for (int i = 0; i < 63; i++) {
            tooMany.add(new RelMapFile.Mapping(i, i));
        }
        assertThatThrownBy(() -> new RelMapFile(tooMany)).hasMessageContaining("at most 62");
    }
}

package dev.jneon.common.wal.record;

import dev.jneon.common.pg.RelTag;

/** PostgreSQL 15's relpath() text for a relation fork, as WAL descriptions print it. Stateless. */
public final class RelPaths {

    private static final String TABLESPACE_VERSION_DIR = "PG_15_202209061";

    private RelPaths() {}

    public static String path(RelTag rel) {
        String spc = Integer.toUnsignedString(rel.spcNode());
        String db = Integer.toUnsignedString(rel.dbNode());
        String file = Integer.toUnsignedString(rel.relNode()) + rel.fork().fileSuffix();
        if (rel.spcNode() == RelTag.GLOBAL_TABLESPACE) {
            return "global/" + file;
        }
        if (rel.spcNode() == RelTag.DEFAULT_TABLESPACE) {
            return "base/" + db + "/" + file;
        }
        return "pg_tblspc/" + spc + "/" + TABLESPACE_VERSION_DIR + "/" + db + "/" + file;
    }
}

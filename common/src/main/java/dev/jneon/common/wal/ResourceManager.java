package dev.jneon.common.wal;

import java.util.Map;

/**
 * PostgreSQL 15's built-in resource managers (xl_rmid 0..21), named as pg_waldump names them, plus
 * {@link #CUSTOM} for extension rmgrs (ids 128..255). Ids 22..127 are invalid in WAL.
 * {@link #identify(int)} gives pg_waldump's record type name for an xl_info byte. Immutable.
 */
public enum ResourceManager {
    XLOG(0, "XLOG", Map.ofEntries(e(0x00, "CHECKPOINT_SHUTDOWN"), e(0x10, "CHECKPOINT_ONLINE"), e(0x20, "NOOP"),
            e(0x30, "NEXTOID"), e(0x40, "SWITCH"), e(0x50, "BACKUP_END"), e(0x60, "PARAMETER_CHANGE"),
            e(0x70, "RESTORE_POINT"), e(0x80, "FPW_CHANGE"), e(0x90, "END_OF_RECOVERY"), e(0xA0, "FPI_FOR_HINT"),
            e(0xB0, "FPI"), e(0xD0, "OVERWRITE_CONTRECORD"))),
    TRANSACTION(1, "Transaction", Map.ofEntries(e(0x00, "COMMIT"), e(0x10, "PREPARE"), e(0x20, "ABORT"),
            e(0x30, "COMMIT_PREPARED"), e(0x40, "ABORT_PREPARED"), e(0x50, "ASSIGNMENT"), e(0x60, "INVALIDATION"))),
    STORAGE(2, "Storage", Map.of(0x10, "CREATE", 0x20, "TRUNCATE")),
    CLOG(3, "CLOG", Map.of(0x00, "ZEROPAGE", 0x10, "TRUNCATE")),
    DATABASE(4, "Database", Map.of(0x00, "CREATE_FILE_COPY", 0x10, "CREATE_WAL_LOG", 0x20, "DROP")),
    TABLESPACE(5, "Tablespace", Map.of(0x00, "CREATE", 0x10, "DROP")),
    MULTIXACT(6, "MultiXact", Map.of(0x00, "ZERO_OFF_PAGE", 0x10, "ZERO_MEM_PAGE", 0x20, "CREATE_ID", 0x30,
            "TRUNCATE_ID")),
    RELMAP(7, "RelMap", Map.of(0x00, "UPDATE")),
    STANDBY(8, "Standby", Map.of(0x00, "LOCK", 0x10, "RUNNING_XACTS", 0x20, "INVALIDATIONS")),
    HEAP2(9, "Heap2", Map.ofEntries(e(0x00, "REWRITE"), e(0x10, "PRUNE"), e(0x20, "VACUUM"), e(0x30, "FREEZE_PAGE"),
            e(0x40, "VISIBLE"), e(0x50, "MULTI_INSERT"), e(0xD0, "MULTI_INSERT+INIT"), e(0x60, "LOCK_UPDATED"),
            e(0x70, "NEW_CID"))),
    HEAP(10, "Heap", Map.ofEntries(e(0x00, "INSERT"), e(0x80, "INSERT+INIT"), e(0x10, "DELETE"), e(0x20, "UPDATE"),
            e(0xA0, "UPDATE+INIT"), e(0x40, "HOT_UPDATE"), e(0xC0, "HOT_UPDATE+INIT"), e(0x30, "TRUNCATE"),
            e(0x50, "CONFIRM"), e(0x60, "LOCK"), e(0x70, "INPLACE"))),
    BTREE(11, "Btree", Map.ofEntries(e(0x00, "INSERT_LEAF"), e(0x10, "INSERT_UPPER"), e(0x20, "INSERT_META"),
            e(0x30, "SPLIT_L"), e(0x40, "SPLIT_R"), e(0x50, "INSERT_POST"), e(0x60, "DEDUP"), e(0x70, "DELETE"),
            e(0x80, "UNLINK_PAGE"), e(0x90, "UNLINK_PAGE_META"), e(0xA0, "NEWROOT"), e(0xB0, "MARK_PAGE_HALFDEAD"),
            e(0xC0, "VACUUM"), e(0xD0, "REUSE_PAGE"), e(0xE0, "META_CLEANUP"))),
    HASH(12, "Hash", Map.ofEntries(e(0x00, "INIT_META_PAGE"), e(0x10, "INIT_BITMAP_PAGE"), e(0x20, "INSERT"),
            e(0x30, "ADD_OVFL_PAGE"), e(0x40, "SPLIT_ALLOCATE_PAGE"), e(0x50, "SPLIT_PAGE"), e(0x60, "SPLIT_COMPLETE"),
            e(0x70, "MOVE_PAGE_CONTENTS"), e(0x80, "SQUEEZE_PAGE"), e(0x90, "DELETE"), e(0xA0, "SPLIT_CLEANUP"),
            e(0xB0, "UPDATE_META_PAGE"), e(0xC0, "VACUUM_ONE_PAGE"))),
    GIN(13, "Gin", Map.ofEntries(e(0x10, "CREATE_PTREE"), e(0x20, "INSERT"), e(0x30, "SPLIT"), e(0x40, "VACUUM_PAGE"),
            e(0x90, "VACUUM_DATA_LEAF_PAGE"), e(0x50, "DELETE_PAGE"), e(0x60, "UPDATE_META_PAGE"),
            e(0x70, "INSERT_LISTPAGE"), e(0x80, "DELETE_LISTPAGE"))),
    GIST(14, "Gist", Map.of(0x00, "PAGE_UPDATE", 0x10, "DELETE", 0x20, "PAGE_REUSE", 0x30, "PAGE_SPLIT", 0x60,
            "PAGE_DELETE", 0x70, "ASSIGN_LSN")),
    SEQUENCE(15, "Sequence", Map.of(0x00, "LOG")),
    SPGIST(16, "SPGist", Map.ofEntries(e(0x10, "ADD_LEAF"), e(0x20, "MOVE_LEAFS"), e(0x30, "ADD_NODE"),
            e(0x40, "SPLIT_TUPLE"), e(0x50, "PICKSPLIT"), e(0x60, "VACUUM_LEAF"), e(0x70, "VACUUM_ROOT"),
            e(0x80, "VACUUM_REDIRECT"))),
    BRIN(17, "BRIN", Map.ofEntries(e(0x00, "CREATE_INDEX"), e(0x10, "INSERT"), e(0x90, "INSERT+INIT"), e(0x20, "UPDATE"),
            e(0xA0, "UPDATE+INIT"), e(0x30, "SAMEPAGE_UPDATE"), e(0x40, "REVMAP_EXTEND"), e(0x50, "DESUMMARIZE"))),
    COMMIT_TS(18, "CommitTs", Map.of(0x00, "ZEROPAGE", 0x10, "TRUNCATE")),
    REPLICATION_ORIGIN(19, "ReplicationOrigin", Map.of(0x00, "SET", 0x10, "DROP")),
    GENERIC(20, "Generic", Map.of()),
    LOGICAL_MESSAGE(21, "LogicalMessage", Map.of(0x00, "MESSAGE")),
    /** An extension's rmgr (ids 128..255); its records are not interpreted. */
    CUSTOM(-1, "custom", Map.of());

    public static final int MAX_BUILTIN_ID = 21;
    public static final int MIN_CUSTOM_ID = 128;

    private static final ResourceManager[] BY_ID = new ResourceManager[MAX_BUILTIN_ID + 1];

    static {
        for (ResourceManager r : values()) {
            if (r.id >= 0) {
                BY_ID[r.id] = r;
            }
        }
    }

    private final int id;
    private final String pgName;
    private final Map<Integer, String> recordNames;

    ResourceManager(int id, String pgName, Map<Integer, String> recordNames) {
        this.id = id;
        this.pgName = pgName;
        this.recordNames = recordNames;
    }

    private static Map.Entry<Integer, String> e(int info, String name) {
        return Map.entry(info, name);
    }

    /** Whether {@code rmid} (0..255) may appear in WAL: built-in or custom. */
    public static boolean isValidId(int rmid) {
        return (rmid >= 0 && rmid <= MAX_BUILTIN_ID) || (rmid >= MIN_CUSTOM_ID && rmid <= 255);
    }

    /** The rmgr of a valid id; {@link #CUSTOM} for 128..255. */
    public static ResourceManager of(int rmid) {
        if (rmid >= 0 && rmid <= MAX_BUILTIN_ID) {
            return BY_ID[rmid];
        }
        if (rmid >= MIN_CUSTOM_ID && rmid <= 255) {
            return CUSTOM;
        }
        throw new IllegalArgumentException("invalid rmgr id " + rmid + ": expected 0.." + MAX_BUILTIN_ID + " or 128..255");
    }

    /** xl_rmid, or -1 for {@link #CUSTOM}. */
    public int id() {
        return id;
    }

    /** The name pg_waldump prints in its {@code rmgr:} column. */
    public String pgName() {
        return pgName;
    }

    /**
     * pg_waldump's record type name for {@code info} (the whole xl_info byte), or
     * {@code UNKNOWN (x)} as pg_waldump prints it. Generic records are all named {@code Generic}.
     */
    public String identify(int info) {
        int rmgrInfo = info & WalFormat.XLR_RMGR_INFO_MASK;
        if (this == GENERIC) {
            return "Generic";
        }
        int key = this == TRANSACTION ? rmgrInfo & 0x70 : rmgrInfo;
        String name = recordNames.get(key);
        return name != null ? name : "UNKNOWN (" + Integer.toHexString(rmgrInfo) + ")";
    }
}

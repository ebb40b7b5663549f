package dev.jneon.compute.postgres;

import dev.jneon.compute.spec.ComputeMode;
import dev.jneon.compute.spec.ComputeSpec;
import dev.jneon.compute.spec.GenericOption;
import java.nio.file.Path;

/**
 * Renders the compute's {@code postgresql.conf} (spec A.6), rewritten completely at every start and
 * reconfigure, in this order (later lines win): {@code cluster.postgresql_conf} verbatim; locale
 * settings; for a static endpoint {@code hot_standby=on} and {@code recovery_target_lsn}; the
 * spec's settings between {@code # Managed by compute_ctl: begin/end}; then what jneon forces: the
 * listener ({@code port} from {@code --connstr}, {@code listen_addresses='127.0.0.1'}, the Unix socket
 * directory compute-ctl owns), on a primary the walproposer settings (DESIGN D2, safekeeper-broker.md
 * K: sync standby {@code walproposer}, {@code synchronous_commit=on}, {@code restart_after_crash=off},
 * sender/slot limits), D4's {@code wal_consistency_checking='all'} + {@code wal_compression=lz4},
 * {@code shared_preload_libraries} = the spec's without Neon's libraries plus {@code pg_prewarm}, and
 * {@code pg_prewarm.autoprewarm=on} with {@code autoprewarm_interval=0} (spec D.2: only compute-ctl
 * asks for dumps);
 * last {@code include_if_exists = 'compute_ctl_temp_override.conf'}. Stateless.
 */
public final class PostgresConf {

    public static final String TEMP_OVERRIDE = "compute_ctl_temp_override.conf";
    static final String PRELOAD = "shared_preload_libraries";
    /** Bound on the WAL the walproposer's slot may hold back (safekeeper-broker.md K.4). */
    static final String MAX_SLOT_WAL_KEEP_SIZE = "'4GB'";

    private PostgresConf() {
    }

    /** The file text for {@code spec}, listening on {@code port} and Unix socket directory {@code socketDir}. */
    public static String render(ComputeSpec spec, int port, Path socketDir) {
        var out = new StringBuilder();
        String verbatim = spec.cluster().postgresqlConf();
        if (verbatim != null && !verbatim.isEmpty()) {
            out.append(verbatim);
            if (!verbatim.endsWith("\n")) {
                out.append('\n');
            }
        }
        for (String lc : new String[] {"lc_messages", "lc_monetary", "lc_time", "lc_numeric"}) {
            line(out, lc, "'C.UTF-8'");
        }
        switch (spec.mode()) {
            case ComputeMode.Static s -> {
                line(out, "hot_standby", "on");
                line(out, "recovery_target_lsn", "'" + s.lsn() + "'");
                line(out, "recovery_target_action", "'pause'");
            }
            case ComputeMode.Replica r -> line(out, "hot_standby", "on");
            case ComputeMode.Primary p -> { }
        }
        out.append("# Managed by compute_ctl: begin\n");
        for (GenericOption setting : spec.cluster().settings()) {
            if (!setting.name().startsWith("neon.") && !setting.name().equals(PRELOAD)) {
                out.append(SqlText.setting(setting)).append('\n');
            }
        }
        out.append("# Managed by compute_ctl: end\n");
        out.append("# Forced by jneon compute-ctl\n");
        line(out, "listen_addresses", "'127.0.0.1'");
        line(out, "port", Integer.toString(port));
        line(out, "unix_socket_directories", SqlText.confString(socketDir.toString()));
        line(out, "password_encryption", "'scram-sha-256'");
        line(out, "restart_after_crash", "off");
        line(out, "wal_level", "replica");
        line(out, "wal_consistency_checking", "'all'");
        line(out, "wal_compression", "lz4");
        if (spec.isPrimary()) {
            line(out, "synchronous_standby_names", "'walproposer'");
            line(out, "synchronous_commit", "on");
            line(out, "max_wal_senders", "10");
            line(out, "max_replication_slots", "10");
            line(out, "wal_sender_timeout", "'10s'");
            line(out, "wal_keep_size", "0");
            line(out, "max_slot_wal_keep_size", MAX_SLOT_WAL_KEEP_SIZE);
        }
        line(out, PRELOAD, SqlText.confString(preloadLibraries(spec.cluster().setting(PRELOAD))));
        line(out, "pg_prewarm.autoprewarm", "on");
        line(out, "pg_prewarm.autoprewarm_interval", "0");
        line(out, "include_if_exists", "'" + TEMP_OVERRIDE + "'");
        return out.toString();
    }

    /**
     * The spec's {@code shared_preload_libraries} without Neon's own libraries (every name starting
     * with {@code neon}: vanilla Postgres has none of them) and with {@code pg_prewarm} (spec D.2).
     */
    static String preloadLibraries(String fromSpec) {
        var libraries = new java.util.LinkedHashSet<String>();
        if (fromSpec != null) {
            for (String name : fromSpec.replace("'", "").split(",")) {
                String lib = name.strip();
                if (!lib.isEmpty() && !lib.startsWith("neon")) {
                    libraries.add(lib);
                }
            }
        }
        libraries.add("pg_prewarm");
        return String.join(",", libraries);
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append(name).append(" = ").append(value).append('\n');
    }
}

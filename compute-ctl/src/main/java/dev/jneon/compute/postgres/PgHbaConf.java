package dev.jneon.compute.postgres;

/**
 * The compute's {@code pg_hba.conf} (spec A.5 step 7, [jneon] form), replacing the basebackup's:
 * the admin role {@code cloud_admin} is trusted on the Unix socket and loopback (compute-ctl's own
 * connections); replication only for role {@code walproposer} over the Unix socket (DESIGN D2: no
 * one else may act as the synchronous standby); everyone else with SCRAM-SHA-256. Stateless.
 */
public final class PgHbaConf {

    public static final String ADMIN_ROLE = "cloud_admin";
    public static final String WALPROPOSER_ROLE = "walproposer";

    private PgHbaConf() {
    }

    public static String render() {
        return """
                # TYPE  DATABASE     USER         ADDRESS        METHOD
                local   all          cloud_admin                 trust
                host    all          cloud_admin  127.0.0.1/32   trust
                host    all          cloud_admin  ::1/128        trust
                local   replication  walproposer                 trust
                local   all          all                         scram-sha-256
                host    all          all          all            scram-sha-256
                """;
    }
}

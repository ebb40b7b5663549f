package dev.jneon.compute.prewarm;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens a superuser connection to one database of the compute's Postgres (the caller closes it). */
@FunctionalInterface
public interface AdminConnection {

    /** The database pg_prewarm is installed in and compute-ctl works from (spec A.7 step 10). */
    String DATABASE = "postgres";

    Connection open(String database) throws SQLException;
}

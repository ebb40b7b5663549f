package dev.jneon.common.wal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A SQL workload that makes every kind of WAL record the decoder types, run over JDBC against a
 * real PostgreSQL 15: inserts, updates, deletes, vacuum with truncation, an index build,
 * savepoints with writes (70 in one transaction), two-phase commit and rollback, a multixact (two sessions locking one row
 * FOR SHARE), a sequence, TOASTed rows, TRUNCATE, DROP, and CREATE DATABASE with both strategies.
 * Every session sets {@code wal_compression} to the method under test.
 */
final class WalWorkload {

    private final String jdbcUrl;
    private final String compression;
    private final String tag;

    WalWorkload(String jdbcUrl, String compression) {
        this.jdbcUrl = jdbcUrl;
        this.compression = compression;
        this.tag = compression;
    }

    void run(int rows) throws SQLException {
        try (Connection c = connect()) {
            String t = "t_" + tag;
            exec(c, "create table " + t + " (id int primary key, v text)");
            exec(c, "insert into " + t + " select g, md5(g::text) from generate_series(1, " + rows + ") g");
            exec(c, "update " + t + " set v = v || 'x' where id % 7 = 0");
            exec(c, "delete from " + t + " where id % 11 = 0 or id > " + (rows * 5 / 6));
            exec(c, "vacuum " + t);
            exec(c, "create index " + t + "_v on " + t + " (v)");

            c.setAutoCommit(false);
            exec(c, "insert into " + t + " values (-1, 'top')");
            exec(c, "savepoint s1");
            exec(c, "insert into " + t + " values (-2, 'sub1')");
            exec(c, "release savepoint s1");
            exec(c, "savepoint s2");
            exec(c, "insert into " + t + " values (-3, 'sub2')");
            exec(c, "rollback to savepoint s2");
            exec(c, "savepoint s3");
            exec(c, "update " + t + " set v = 'sub3' where id = 1");
            c.commit();

            // more than 64 subtransactions with xids: the overflow is logged as XACT ASSIGNMENT
            for (int i = 0; i < 70; i++) {
                exec(c, "savepoint many" + i);
                exec(c, "insert into " + t + " values (" + (-100 - i) + ", 'many')");
            }
            c.commit();

            exec(c, "insert into " + t + " values (-10, 'prepared')");
            exec(c, "prepare transaction 'p_" + tag + "_commit'");
            c.setAutoCommit(true);
            exec(c, "commit prepared 'p_" + tag + "_commit'");
            c.setAutoCommit(false);
            exec(c, "insert into " + t + " values (-11, 'prepared')");
            exec(c, "prepare transaction 'p_" + tag + "_abort'");
            c.setAutoCommit(true);
            exec(c, "rollback prepared 'p_" + tag + "_abort'");

            exec(c, "create sequence sq_" + tag);
            exec(c, "select nextval('sq_" + tag + "') from generate_series(1, 100)");

            String big = "big_" + tag;
            exec(c, "create table " + big + " (t text)");
            exec(c, "insert into " + big + " select string_agg(md5(random()::text), '') from generate_series(1, 3000)");
            exec(c, "truncate " + big);
            exec(c, "insert into " + big + " values (repeat('z', 10))");
            exec(c, "drop table " + big);

            exec(c, "create database db_" + tag + "_wal strategy wal_log");
            exec(c, "create database db_" + tag + "_copy strategy file_copy");
            exec(c, "drop database db_" + tag + "_wal");
            shareLock(t);
        }
    }

    /** Two sessions lock the same row FOR SHARE, which makes a multixact of both. */
    private void shareLock(String table) throws SQLException {
        try (Connection a = connect(); Connection b = connect()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            exec(a, "select * from " + table + " where id = 2 for share");
            exec(b, "select * from " + table + " where id = 2 for share");
            a.commit();
            b.commit();
        }
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl);
        exec(c, "set wal_compression = '" + compression + "'");
        return c;
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}

package dev.jneon.compute.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches Postgres for user activity (spec A.10) every {@value #INTERVAL_MILLIS} ms on one
 * connection ({@code compute_ctl:compute_monitor}) and reports "active at" times: now, when the
 * summed {@code active_time}/{@code sessions} of the user databases in {@code pg_stat_database}
 * changed, when a client backend of a user (not {@code cloud_admin}) is in any state but
 * {@code idle}, when a replication client other than the walproposer or an autovacuum worker runs;
 * else the newest {@code state_change} of idle user backends. Query failures count as downtime
 * ({@link #downtime()}), and the connection is reopened on the next round.
 *
 * <p>Runs on its own virtual thread; {@link #downtime()} is safe from any thread.
 */
public final class ActivityMonitor implements AutoCloseable {

    static final long INTERVAL_MILLIS = 500;

    private static final Logger log = LoggerFactory.getLogger(ActivityMonitor.class);
    private static final String DATABASE_ACTIVITY = "SELECT coalesce(sum(active_time), 0)::float8,"
            + " coalesce(sum(sessions), 0) FROM pg_catalog.pg_stat_database"
            + " WHERE datname NOT IN ('postgres', 'template0', 'template1')";
    private static final String BACKENDS = "SELECT bool_or(state <> 'idle'), max(state_change)"
            + " FROM pg_catalog.pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
            + " AND usename <> 'cloud_admin'";
    private static final String OTHER_WORK = "SELECT (SELECT count(*) FROM pg_catalog.pg_stat_replication"
            + " WHERE application_name <> 'walproposer') + (SELECT count(*) FROM pg_catalog.pg_stat_activity"
            + " WHERE backend_type = 'autovacuum worker')";

    private final SpecApplier connector;
    private final Consumer<Instant> onActive;
    private final Thread thread;
    private volatile long downtimeStartNanos;
    private volatile long downtimeTotalMillis;
    private volatile boolean running = true;
    private Connection connection;
    private String lastDatabaseActivity;

    /** Starts monitoring; {@code onActive} hears every activity time (it may repeat older ones). */
    public ActivityMonitor(SpecApplier connector, Consumer<Instant> onActive) {
        this.connector = connector;
        this.onActive = onActive;
        this.thread = Thread.ofVirtual().name("compute-monitor").start(this::loop);
    }

    /** Downtime so far: the current stretch of failed checks and the total, in ms. */
    public record Downtime(long currentMillis, long totalMillis) {}

    public Downtime downtime() {
        long start = downtimeStartNanos;
        long current = start == 0 ? 0 : Duration.ofNanos(System.nanoTime() - start).toMillis();
        return new Downtime(current, downtimeTotalMillis + current);
    }

    private void loop() {
        while (running) {
            try {
                check();
                long start = downtimeStartNanos;
                if (start != 0) {
                    downtimeTotalMillis += Duration.ofNanos(System.nanoTime() - start).toMillis();
                    downtimeStartNanos = 0;
                }
            } catch (SQLException e) {
                if (downtimeStartNanos == 0) {
                    downtimeStartNanos = System.nanoTime();
                    if (running) {
                        log.warn("activity check failed: {}", e.getMessage());
                    }
                }
                closeConnection();
            }
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                break;
            }
        }
        closeConnection();
    }

    private void check() throws SQLException {
        if (connection == null) {
            connection = connector.connect(SpecApplyPlan.ADMIN_DATABASE);
            try (Statement st = connection.createStatement()) {
                st.execute("SET application_name = 'compute_ctl:compute_monitor'");
            }
        }
        Instant now = Instant.now();
        try (Statement st = connection.createStatement()) {
            try (ResultSet rs = st.executeQuery(DATABASE_ACTIVITY)) {
                rs.next();
                String activity = rs.getDouble(1) + "/" + rs.getLong(2);
                if (lastDatabaseActivity != null && !activity.equals(lastDatabaseActivity)) {
                    onActive.accept(now);
                }
                lastDatabaseActivity = activity;
            }
            try (ResultSet rs = st.executeQuery(BACKENDS)) {
                rs.next();
                if (rs.getBoolean(1)) {
                    onActive.accept(now);
                } else {
                    Timestamp idleSince = rs.getTimestamp(2);
                    if (idleSince != null) {
                        onActive.accept(idleSince.toInstant());
                    }
                }
            }
            try (ResultSet rs = st.executeQuery(OTHER_WORK)) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    onActive.accept(now);
                }
            }
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it is being dropped anyway
            }
            connection = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}

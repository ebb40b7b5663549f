package dev.jneon.controller.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jneon.controller.LocalPostgres;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

class ControllerSchemaIT {

    @RegisterExtension
    static final LocalPostgres postgres = new LocalPostgres();

    private static final AtomicInteger databases = new AtomicInteger();

    /** A fresh, empty database for one test. */
    private static String freshDatabase() {
        String name = "schema_test_" + databases.incrementAndGet();
        postgres.psql("postgres", "create database " + name);
        return name;
    }

    private static ControllerSchema schemaOn(String db) {
        var ds = new PGSimpleDataSource();
        ds.setUrl(postgres.jdbcUrl(db));
        return new ControllerSchema(ds);
    }

    @Test
    void createsTheSchemaInAnEmptyDatabase() {
        String db = freshDatabase();
        var schema = schemaOn(db);
        assertThat(schema.version()).isZero();

        assertThat(schema.ensureCurrent()).isEqualTo(ControllerSchema.CURRENT_VERSION);

        assertThat(schema.version()).isEqualTo(ControllerSchema.CURRENT_VERSION);
        assertThat(postgres.psql(db, "select version || ':' || description from schema_version"))
                .isEqualTo("1:schema_version table");
    }

    @Test
    void runningTwiceChangesNothing() {
        String db = freshDatabase();
        schemaOn(db).ensureCurrent();
        String before = postgres.psql(db, "select version, applied_at from schema_version");

        schemaOn(db).ensureCurrent();

        assertThat(postgres.psql(db, "select version, applied_at from schema_version")).isEqualTo(before);
    }

    @Test
    void refusesADatabaseWrittenByANewerController() {
        String db = freshDatabase();
        schemaOn(db).ensureCurrent();
        postgres.psql(db, "insert into schema_version (version, description) values (99, 'from the future')");

        assertThatThrownBy(() -> schemaOn(db).ensureCurrent())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("schema version 99");
        assertThat(postgres.psql(db, "select count(*) from schema_version")).isEqualTo("2");
    }
}

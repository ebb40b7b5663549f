package dev.jneon.controller.persistence;

import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the controller's database: the data source comes from {@code spring.datasource.*} (the
 * launcher points it at its local PostgreSQL); the schema is brought to the current version before
 * the HTTP listener opens, so a controller that cannot use its database never starts serving.
 */
@Configuration(proxyBeanMethods = false)
public class PersistenceConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PersistenceConfiguration.class);

    @Bean
    ControllerSchema controllerSchema(DataSource dataSource) {
        var schema = new ControllerSchema(dataSource);
        int version = schema.ensureCurrent();
        log.info("storage controller database at schema version {}", version);
        return schema;
    }
}

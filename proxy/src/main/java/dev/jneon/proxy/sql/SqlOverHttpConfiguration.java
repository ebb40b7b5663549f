package dev.jneon.proxy.sql;

import dev.jneon.proxy.cplane.CachingControlPlane;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Starts the SQL-over-HTTP listener when {@code jneon.proxy.sql-port} is set (>= 0) and a control plane is. */
@Configuration
@EnableConfigurationProperties(SqlProperties.class)
@ConditionalOnExpression("${jneon.proxy.sql-port:-1} >= 0 and '${jneon.proxy.auth-endpoint:}' != ''")
public class SqlOverHttpConfiguration {

    @Bean
    SqlOverHttpServer sqlOverHttpServer(SqlProperties props, CachingControlPlane controlPlane) {
        return new SqlOverHttpServer(props.listenAddress(), props.sqlPort(), controlPlane, Duration.ofSeconds(2));
    }
}

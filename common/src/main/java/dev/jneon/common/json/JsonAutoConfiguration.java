package dev.jneon.common.json;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Gives every Spring service the {@link JneonJacksonModule}: Spring Boot's Jackson auto-configuration
 * adds every {@code JacksonModule} bean to the application's {@code JsonMapper}, so REST bodies carry
 * ids, LSNs and versions in Neon's forms.
 */
@AutoConfiguration
public class JsonAutoConfiguration {

    @Bean
    public JneonJacksonModule jneonJacksonModule() {
        return new JneonJacksonModule();
    }
}

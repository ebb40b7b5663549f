package dev.jneon.common.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jneon.common.id.Lsn;
import dev.jneon.common.pg.PgMajorVersion;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

/** The module reaches Spring Boot's JsonMapper through the auto-configuration imports file. */
class JsonAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, JsonAutoConfiguration.class));

    @Test
    void bootJsonMapperUsesNeonForms() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(JneonJacksonModule.class);
            JsonMapper mapper = context.getBean(JsonMapper.class);
            assertThat(mapper.writeValueAsString(Lsn.parse("0/16B5A50"))).isEqualTo("\"0/16B5A50\"");
            assertThat(mapper.writeValueAsString(PgMajorVersion.PG15)).isEqualTo("15");
            assertThat(mapper.readValue("\"1/0\"", Lsn.class)).isEqualTo(Lsn.parse("1/0"));
        });
    }

    @Test
    void autoConfigurationIsListedForEveryService() throws Exception {
        String imports = new String(getClass().getResourceAsStream(
                "/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports").readAllBytes());
        assertThat(imports.lines()).contains(JsonAutoConfiguration.class.getName());
    }
}

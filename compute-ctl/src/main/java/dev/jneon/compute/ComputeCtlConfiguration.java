package dev.jneon.compute;

import dev.jneon.common.pg.PgMajorVersion;
import dev.jneon.common.pg.server.PgBinaries;
import dev.jneon.compute.http.ComputeMetrics;
import dev.jneon.compute.node.ComputeNode;
import dev.jneon.compute.node.ComputeOptions;
import dev.jneon.compute.spec.ComputeConfig;
import dev.jneon.compute.spec.SpecParser;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds the compute from compute_ctl's flags (spec A.1, as Spring properties): {@code --pgdata},
 * {@code --connstr} (its port is Postgres' port), {@code --compute-id}, optional {@code --config}
 * (a ComputeConfig JSON file; with a spec the compute starts at once, without it waits for
 * {@code POST /configure}), optional {@code --pgbin} (path of the {@code postgres} binary; default
 * PostgreSQL 15 as found by {@link PgBinaries}), {@code --privileged-role-name} (default
 * {@code neon_superuser}) and {@code --jneon.compute.linger} (default 30s).
 */
@Configuration(proxyBeanMethods = false)
public class ComputeCtlConfiguration {

    @Bean
    ComputeOptions computeOptions(@Value("${pgdata:}") String pgdata, @Value("${connstr:}") String connstr,
            @Value("${compute-id:}") String computeId, @Value("${pgbin:}") String pgbin,
            @Value("${privileged-role-name:neon_superuser}") String privileged,
            @Value("${jneon.compute.linger:30s}") Duration linger) {
        if (pgdata.isBlank()) {
            throw new IllegalArgumentException("--pgdata is required");
        }
        PgBinaries binaries = PgBinaries.of(PgMajorVersion.PG15);
        if (!pgbin.isBlank()) {
            Path postgres = Path.of(pgbin).toAbsolutePath();
            if (!Files.isExecutable(postgres)) {
                throw new IllegalArgumentException("--pgbin " + pgbin + " is not an executable postgres binary");
            }
            binaries = new PgBinaries(binaries.version(), postgres.getParent(), binaries.runAsUser());
        }
        return new ComputeOptions(Path.of(pgdata), ComputeOptions.portOf(connstr), computeId, binaries, privileged, linger);
    }

    @Bean
    ComputeNode computeNode(ComputeOptions options, MeterRegistry registry,
            @Value("${jneon.build-tag:dev}") String buildTag) throws IOException {
        var node = new ComputeNode(options);
        ComputeMetrics.register(registry, node, buildTag);
        return node;
    }

    /** With {@code --config} holding a spec: start the compute once the HTTP API is up. */
    @Bean
    ApplicationRunner startFromConfigFile(ComputeNode node, @Value("${config:}") String config) {
        return args -> {
            if (config.isBlank()) {
                return;
            }
            ComputeConfig parsed = SpecParser.read(Path.of(config));
            if (parsed.spec() != null) {
                node.startWith(parsed.spec());
            }
        };
    }
}

package dev.jneon.pageserver.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jneon.common.json.JneonJacksonModule;
import dev.jneon.pageserver.disk.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.json.JsonMapper;

/**
 * The file {@value #NAME} in a tenant shard directory: its {@link LocationConf} as JSON,
 * <pre>
 * {"format_version": 1, "location": {"mode": "AttachedSingle", "generation": 7,
 *  "shard_stripe_size": 2048, "tenant_conf": {"checkpoint_distance": 65536, ...}}}
 * </pre>
 * Replaced whole through {@link DurableFiles#replace}, so a crash leaves the old or the new
 * content. A tenant directory without it is an attach cut short and is deleted at start-up.
 *
 * <p>Version history: v1 ({@code golden/tenant-config/v1/}) is the first format. Stateless.
 */
public final class TenantConfigFile {

    public static final String NAME = "config-v1.json";
    public static final int FORMAT_VERSION = 1;
    private static final JsonMapper JSON = JsonMapper.builder().addModule(new JneonJacksonModule()).build();

    private TenantConfigFile() {}

    record Envelope(@JsonProperty("format_version") int formatVersion, @JsonProperty("location") LocationConf location) {}

    public static boolean exists(Path tenantDir) {
        return Files.exists(tenantDir.resolve(NAME));
    }

    public static LocationConf read(Path tenantDir) {
        try {
            return parse(Files.readAllBytes(tenantDir.resolve(NAME)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tenant config in " + tenantDir, e);
        }
    }

    public static LocationConf parse(byte[] json) {
        Envelope envelope = JSON.readValue(json, Envelope.class);
        if (envelope.formatVersion() != FORMAT_VERSION) {
            throw new IllegalArgumentException("tenant config format " + envelope.formatVersion() + " is not " + FORMAT_VERSION);
        }
        return envelope.location();
    }

    public static void write(Path tenantDir, LocationConf location) {
        DurableFiles.replace(tenantDir.resolve(NAME), JSON.writeValueAsBytes(new Envelope(FORMAT_VERSION, location)));
    }
}

package dev.jneon.cli.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jneon.cli.CliException;
import dev.jneon.cli.http.JsonHttp;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TimelineId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The CLI's names, kept in {@code <stack>/cli/branches.json} like neon_local's config: the default
 * tenant and, per tenant, branch name -> timeline. Written atomically (temp file + rename). Not
 * thread-safe: one CLI process at a time edits it.
 *
 * <pre>{"default_tenant_id": "…", "branches": {"&lt;tenant&gt;": {"main": "&lt;timeline&gt;"}}}</pre>
 */
public final class Branches {

    private record FileForm(@JsonProperty("default_tenant_id") TenantId defaultTenant,
            @JsonProperty("branches") Map<String, Map<String, TimelineId>> branches) {
    }

    private final Path file;
    private TenantId defaultTenant;
    private final Map<String, Map<String, TimelineId>> byTenant = new TreeMap<>();

    private Branches(Path file) {
        this.file = file;
    }

    public static Branches load(Path stackDir) {
        var b = new Branches(stackDir.resolve("cli").resolve("branches.json"));
        if (Files.isRegularFile(b.file)) {
            FileForm form = JsonHttp.JSON.readValue(b.file.toFile(), FileForm.class);
            b.defaultTenant = form.defaultTenant();
            if (form.branches() != null) {
                form.branches().forEach((t, m) -> b.byTenant.put(t, new TreeMap<>(m)));
            }
        }
        return b;
    }

    /** The tenant given on the command line, else the default one. */
    public TenantId tenant(Optional<String> given) {
        if (given.isPresent()) {
            return TenantId.parse(given.get());
        }
        if (defaultTenant == null) {
            throw CliException.usage("no --tenant-id given and no default tenant: run ./jneon tenant create first");
        }
        return defaultTenant;
    }

    public Optional<TenantId> defaultTenant() {
        return Optional.ofNullable(defaultTenant);
    }

    public void setDefaultTenant(TenantId tenant) {
        this.defaultTenant = tenant;
    }

    public Optional<TimelineId> timeline(TenantId tenant, String branch) {
        return Optional.ofNullable(byTenant.getOrDefault(tenant.toString(), Map.of()).get(branch));
    }

    /** The branch's timeline; fails with the known names if there is none. */
    public TimelineId requireTimeline(TenantId tenant, String branch) {
        return timeline(tenant, branch).orElseThrow(() -> CliException.failed("no branch '" + branch
                + "' in tenant " + tenant + " (known: " + byTenant.getOrDefault(tenant.toString(), Map.of()).keySet() + ")"));
    }

    /** The branch name of a timeline, if the CLI named it. */
    public Optional<String> name(TenantId tenant, TimelineId timeline) {
        return byTenant.getOrDefault(tenant.toString(), Map.of()).entrySet().stream()
                .filter(e -> e.getValue().equals(timeline)).map(Map.Entry::getKey).findFirst();
    }

    public void put(TenantId tenant, String branch, TimelineId timeline) {
        if (timeline(tenant, branch).isPresent()) {
            throw CliException.failed("branch '" + branch + "' already exists in tenant " + tenant);
        }
        byTenant.computeIfAbsent(tenant.toString(), t -> new TreeMap<>()).put(branch, timeline);
    }

    public void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, JsonHttp.JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(new FileForm(defaultTenant, byTenant)));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

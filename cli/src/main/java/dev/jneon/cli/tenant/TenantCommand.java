package dev.jneon.cli.tenant;

import dev.jneon.cli.Args;
import dev.jneon.cli.CliException;
import dev.jneon.cli.http.JsonHttp;
import dev.jneon.cli.stack.Stack;
import dev.jneon.cli.state.Branches;
import dev.jneon.cli.timeline.TimelineCommand;
import dev.jneon.common.id.TenantId;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./jneon tenant create|list|attach}. Create attaches the tenant on the pageserver with generation
 * 1 (there is one pageserver and no storage controller in the loop yet) and bootstraps its first
 * timeline as branch {@code main}, as neon_local does. Attach sends {@code location_config}
 * AttachedSingle with the tenant's next generation, which makes a pageserver that lost its disk
 * load the tenant from remote storage (or a running one move to the new generation). The last
 * generation handed out per tenant is kept in {@code <stack>/cli/generations.json}
 * ({@code {"<tenant_id>": 2}}, written atomically; a tenant missing there was created with 1).
 */
public final class TenantCommand {

    private final Stack stack;
    private final JsonHttp http;
    private final PrintStream out;

    public TenantCommand(Stack stack, JsonHttp http, PrintStream out) {
        this.stack = stack;
        this.http = http;
        this.out = out;
    }

    public void run(String verb, Args args) {
        switch (verb) {
            case "create" -> create(args);
            case "list" -> list(args);
            case "attach" -> attach(args);
            default -> throw CliException.usage("unknown tenant command '" + verb + "' (create, list, attach)");
        }
    }

    private void create(Args args) {
        TenantId tenant = args.option("tenant-id").map(TenantId::parse).orElseGet(TenantId::generate);
        int pgVersion = Integer.parseInt(args.option("pg-version").orElse("15"));
        boolean setDefault = args.flag("set-default");
        args.finish(0);
        Branches branches = Branches.load(stack.dir());
        http.put(stack.pageserver().httpBase() + "/v1/tenant/" + tenant + "/location_config",
                Map.of("mode", "AttachedSingle", "generation", 1, "tenant_conf", Map.of()));
        var timeline = new TimelineCommand(stack, http, out).bootstrap(tenant, pgVersion);
        saveGeneration(tenant, 1);
        branches.put(tenant, "main", timeline);
        if (setDefault || branches.defaultTenant().isEmpty()) {
            branches.setDefaultTenant(tenant);
        }
        branches.save();
        out.println("tenant " + tenant + " created, timeline " + timeline + " (branch main)");
    }

    private void attach(Args args) {
        TenantId tenant = TenantId.parse(args.positional(0, "tenant id"));
        args.finish(1);
        long generation = generations().getOrDefault(tenant.toString(), 1L) + 1;
        http.put(stack.pageserver().httpBase() + "/v1/tenant/" + tenant + "/location_config",
                Map.of("mode", "AttachedSingle", "generation", generation, "tenant_conf", Map.of()));
        saveGeneration(tenant, generation);
        out.println("tenant " + tenant + " attached with generation " + generation);
    }

    private Path generationsFile() {
        return stack.dir().resolve("cli").resolve("generations.json");
    }

    private Map<String, Long> generations() {
        Path file = generationsFile();
        if (!Files.isRegularFile(file)) {
            return new TreeMap<>();
        }
        return new TreeMap<>(JsonHttp.JSON.readValue(file.toFile(), new TypeReference<Map<String, Long>>() { }));
    }

    private void saveGeneration(TenantId tenant, long generation) {
        Map<String, Long> all = generations();
        all.put(tenant.toString(), generation);
        Path file = generationsFile();
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, JsonHttp.JSON.writeValueAsBytes(all));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private void list(Args args) {
        args.finish(0);
        Branches branches = Branches.load(stack.dir());
        for (JsonNode t : http.get(stack.pageserver().httpBase() + "/v1/tenant")) {
            String id = t.get("id").asString();
            boolean isDefault = branches.defaultTenant().map(d -> d.toString().equals(id)).orElse(false);
            out.println(id + " " + t.path("state").path("slug").asString(t.path("state").toString())
                    + (isDefault ? " (default)" : ""));
        }
    }
}

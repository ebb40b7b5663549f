package dev.jneon.cli.tenant;

import dev.jneon.cli.Args;
import dev.jneon.cli.CliException;
import dev.jneon.cli.http.JsonHttp;
import dev.jneon.cli.stack.Stack;
import dev.jneon.cli.state.Branches;
import dev.jneon.cli.timeline.TimelineCommand;
import dev.jneon.common.id.TenantId;
import java.io.PrintStream;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./jneon tenant create|list}. Create attaches the tenant on the pageserver with generation
 * 1 (there is one pageserver and no storage controller in the loop yet) and bootstraps its first
 * timeline as branch {@code main}, as neon_local does.
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
            default -> throw CliException.usage("unknown tenant command '" + verb + "' (create, list)");
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
        branches.put(tenant, "main", timeline);
        if (setDefault || branches.defaultTenant().isEmpty()) {
            branches.setDefaultTenant(tenant);
        }
        branches.save();
        out.println("tenant " + tenant + " created, timeline " + timeline + " (branch main)");
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

package dev.jneon.cli.timeline;

import dev.jneon.cli.Args;
import dev.jneon.cli.CliException;
import dev.jneon.cli.http.JsonHttp;
import dev.jneon.cli.stack.Stack;
import dev.jneon.cli.state.Branches;
import dev.jneon.common.id.Lsn;
import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TimelineId;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./jneon timeline create|branch|list}. A timeline is created on the pageserver first, then
 * on every safekeeper starting at the pageserver's LSN for it (the bootstrap LSN, or the branch
 * point), which is where a primary compute's WAL will begin. That is the storage controller's job
 * in Neon; with no controller in the loop yet the CLI does it.
 */
public final class TimelineCommand {

    private final Stack stack;
    private final JsonHttp http;
    private final PrintStream out;

    public TimelineCommand(Stack stack, JsonHttp http, PrintStream out) {
        this.stack = stack;
        this.http = http;
        this.out = out;
    }

    public void run(String verb, Args args) {
        switch (verb) {
            case "create" -> create(args);
            case "branch" -> branch(args);
            case "list" -> list(args);
            default -> throw CliException.usage("unknown timeline command '" + verb + "' (create, branch, list)");
        }
    }

    /** Bootstraps a new timeline with initdb on the pageserver and registers it on the safekeepers. */
    public TimelineId bootstrap(TenantId tenant, int pgVersion) {
        TimelineId timeline = TimelineId.generate();
        JsonNode info = http.post(timelinesUrl(tenant), Map.of("new_timeline_id", timeline.toString(),
                "pg_version", pgVersion));
        onSafekeepers(tenant, timeline, pgVersion, Lsn.parse(info.get("last_record_lsn").asString()));
        return timeline;
    }

    private void create(Args args) {
        Branches branches = Branches.load(stack.dir());
        TenantId tenant = branches.tenant(args.option("tenant-id"));
        String name = args.required("branch-name");
        int pgVersion = Integer.parseInt(args.option("pg-version").orElse("15"));
        args.finish(0);
        if (branches.timeline(tenant, name).isPresent()) {
            throw CliException.failed("branch '" + name + "' already exists in tenant " + tenant);
        }
        TimelineId timeline = bootstrap(tenant, pgVersion);
        branches.put(tenant, name, timeline);
        branches.save();
        out.println("timeline " + timeline + " created (branch " + name + ")");
    }

    private void branch(Args args) {
        Branches branches = Branches.load(stack.dir());
        TenantId tenant = branches.tenant(args.option("tenant-id"));
        String name = args.required("branch-name");
        String parentName = args.option("ancestor-branch-name").orElse("main");
        var startLsn = args.option("ancestor-start-lsn").map(Lsn::parse);
        args.finish(0);
        if (branches.timeline(tenant, name).isPresent()) {
            throw CliException.failed("branch '" + name + "' already exists in tenant " + tenant);
        }
        TimelineId parent = branches.requireTimeline(tenant, parentName);
        TimelineId timeline = TimelineId.generate();
        var body = new LinkedHashMap<String, Object>();
        body.put("new_timeline_id", timeline.toString());
        body.put("ancestor_timeline_id", parent.toString());
        startLsn.ifPresent(lsn -> body.put("ancestor_start_lsn", lsn.toString()));
        JsonNode info = http.post(timelinesUrl(tenant), body);
        Lsn branchPoint = Lsn.parse(info.get("ancestor_lsn").asString());
        onSafekeepers(tenant, timeline, info.get("pg_version").asInt(), branchPoint);
        branches.put(tenant, name, timeline);
        branches.save();
        out.println("timeline " + timeline + " branched from " + parentName + " at " + branchPoint + " (branch " + name + ")");
    }

    private void list(Args args) {
        Branches branches = Branches.load(stack.dir());
        TenantId tenant = branches.tenant(args.option("tenant-id"));
        args.finish(0);
        for (JsonNode t : http.get(timelinesUrl(tenant))) {
            TimelineId id = TimelineId.parse(t.get("timeline_id").asString());
            String ancestor = t.path("ancestor_timeline_id").isString()
                    ? " ancestor " + t.get("ancestor_timeline_id").asString() + "@" + t.get("ancestor_lsn").asString()
                    : "";
            out.println(id + " " + branches.name(tenant, id).orElse("-") + " last_record_lsn "
                    + t.get("last_record_lsn").asString() + ancestor);
        }
    }

    private void onSafekeepers(TenantId tenant, TimelineId timeline, int pgVersion, Lsn start) {
        for (var sk : stack.safekeepers()) {
            http.post(sk.httpBase() + "/v1/tenant/timeline", Map.of("tenant_id", tenant.toString(),
                    "timeline_id", timeline.toString(), "pg_version", pgVersion, "start_lsn", start.toString()));
        }
    }

    private String timelinesUrl(TenantId tenant) {
        return stack.pageserver().httpBase() + "/v1/tenant/" + tenant + "/timeline";
    }
}

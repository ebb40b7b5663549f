package dev.jneon.controlplane.registry;

import dev.jneon.common.id.TimelineId;
import java.util.Objects;

/**
 * A branch of a project: one timeline. Immutable.
 *
 * @param id        {@code [a-z0-9-]+}, unique over all projects
 * @param projectId its project
 * @param name      unique within the project; the bootstrap branch is {@code main}
 * @param timeline  its timeline on the pageserver and safekeepers
 * @param parentId  the branch it was branched from, or null for {@code main}
 */
public record Branch(String id, String projectId, String name, TimelineId timeline, String parentId) {

    public Branch {
        Ids.check("branch", id);
        Objects.requireNonNull(timeline, "timeline");
        if (name == null || name.isBlank() || name.length() > 256) {
            throw new IllegalArgumentException("branch name must be 1..256 characters");
        }
    }
}

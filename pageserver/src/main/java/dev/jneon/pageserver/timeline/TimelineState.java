package dev.jneon.pageserver.timeline;

/** Life cycle of a timeline (spec D.1): Loading, then Active, then Stopping; Broken on a fail-stop error. */
public enum TimelineState {
    LOADING("Loading"),
    ACTIVE("Active"),
    STOPPING("Stopping"),
    BROKEN("Broken");

    private final String apiName;

    TimelineState(String apiName) {
        this.apiName = apiName;
    }

    /** The name Neon's API uses. */
    public String apiName() {
        return apiName;
    }
}

package dev.jneon.safekeeper;

import dev.jneon.common.arch.LayeringRules;
import org.junit.jupiter.api.Test;

/** The safekeeper module keeps to the shared layering rules (see {@link LayeringRules}). */
class LayeringTest {

    @Test
    void followsTheSharedLayeringRules() {
        LayeringRules.checkService("safekeeper", SafekeeperApplication.class);
    }
}

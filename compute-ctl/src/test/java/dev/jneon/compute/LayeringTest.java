package dev.jneon.compute;

import dev.jneon.common.arch.LayeringRules;
import org.junit.jupiter.api.Test;

/** The compute-ctl module keeps to the shared layering rules (see {@link LayeringRules}). */
class LayeringTest {

    @Test
    void followsTheSharedLayeringRules() {
        LayeringRules.checkService("compute-ctl", ComputeCtlApplication.class);
    }
}

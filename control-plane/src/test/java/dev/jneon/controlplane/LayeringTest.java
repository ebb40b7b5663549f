package dev.jneon.controlplane;

import dev.jneon.common.arch.LayeringRules;
import org.junit.jupiter.api.Test;

/** The control-plane module keeps to the shared layering rules (see {@link LayeringRules}). */
class LayeringTest {

    @Test
    void followsTheSharedLayeringRules() {
        LayeringRules.checkService("control-plane", ControlPlaneApplication.class);
    }
}

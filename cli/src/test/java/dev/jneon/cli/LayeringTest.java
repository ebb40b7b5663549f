package dev.jneon.cli;

import dev.jneon.common.arch.LayeringRules;
import org.junit.jupiter.api.Test;

/** The cli module keeps to the shared layering rules (see {@link LayeringRules}). */
class LayeringTest {

    @Test
    void followsTheSharedLayeringRules() {
        LayeringRules.checkService("cli", Jneon.class);
    }
}

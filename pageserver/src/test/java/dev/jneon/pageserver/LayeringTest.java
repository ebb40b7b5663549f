package dev.jneon.pageserver;

import dev.jneon.common.arch.LayeringRules;
import org.junit.jupiter.api.Test;

/** The pageserver module keeps to the shared layering rules (see {@link LayeringRules}). */
class LayeringTest {

    @Test
    void followsTheSharedLayeringRules() {
        LayeringRules.checkService("pageserver", PageserverApplication.class);
    }
}

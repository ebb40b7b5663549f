package dev.jneon.controller;

import dev.jneon.common.arch.LayeringRules;
import org.junit.jupiter.api.Test;

/** The storage-controller module keeps to the shared layering rules (see {@link LayeringRules}). */
class LayeringTest {

    @Test
    void followsTheSharedLayeringRules() {
        LayeringRules.checkService("storage-controller", StorageControllerApplication.class);
    }
}

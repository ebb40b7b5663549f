package dev.jneon.endpointstorage;

import dev.jneon.common.arch.LayeringRules;
import org.junit.jupiter.api.Test;

/** The endpoint-storage module keeps to the shared layering rules (see {@link LayeringRules}). */
class LayeringTest {

    @Test
    void followsTheSharedLayeringRules() {
        LayeringRules.checkService("endpoint-storage", EndpointStorageApplication.class);
    }
}

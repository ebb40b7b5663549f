package dev.jneon.broker;

import dev.jneon.common.arch.LayeringRules;
import org.junit.jupiter.api.Test;

/** The storage-broker module keeps to the shared layering rules (see {@link LayeringRules}). */
class LayeringTest {

    @Test
    void followsTheSharedLayeringRules() {
        LayeringRules.checkService("storage-broker", StorageBrokerApplication.class);
    }
}

package dev.jneon.proxy;

import dev.jneon.common.arch.LayeringRules;
import org.junit.jupiter.api.Test;

/** The proxy module keeps to the shared layering rules (see {@link LayeringRules}). */
class LayeringTest {

    @Test
    void followsTheSharedLayeringRules() {
        LayeringRules.checkService("proxy", ProxyApplication.class);
    }
}

package dev.jneon.common.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.jneon.common.id.Lsn;
import org.junit.jupiter.api.Test;

/** Checks common's own main classes: value types use only the JDK (rule (a)), and the rest. */
class LayeringTest {

    private static final JavaClasses COMMON = LayeringRules.mainClassesOf(Lsn.class);

    @Test
    void valueTypesUseOnlyTheJdk() {
        // The rule allows an empty subject for service modules; here it must have one.
        assertThat(COMMON.that(resideInAnyPackage(LayeringRules.VALUE_PACKAGES.toArray(String[]::new))))
                .extracting(c -> c.getName())
                .contains("dev.jneon.common.id.Lsn", "dev.jneon.common.pg.RelTag");

        LayeringRules.VALUE_TYPES_USE_ONLY_THE_JDK.check(COMMON);
    }

    @Test
    void commonFollowsEveryLayeringRule() {
        LayeringRules.ALL.check(COMMON);
    }
}

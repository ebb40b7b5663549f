package dev.jneon.common.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shows each layering rule failing on a deliberately bad class compiled into the package the rule
 * guards, and passing on the good counterpart, so a rule that silently matches nothing is caught.
 */
class LayeringRulesTest {

    private static final String OUTSIDE = "package dev.jneon.outside; public record Thing() {}";
    private static final String GENERATED = "package dev.jneon.api.page; public record FakeMessage() {}";

    @TempDir
    Path dir;

    private JavaClasses compile(String... sources) throws Exception {
        return new CompiledFixture(dir).compile(sources);
    }

    private static String violations(ArchRule rule, JavaClasses classes) {
        EvaluationResult result = rule.evaluate(classes);
        assertThat(result.hasViolation()).as("%s has a violation", rule.getDescription()).isTrue();
        return String.join("\n", result.getFailureReport().getDetails());
    }

    private static void passes(ArchRule rule, JavaClasses classes) {
        assertThat(rule.evaluate(classes).getFailureReport().getDetails()).isEmpty();
    }

    @Test
    void valueTypeUsingANonJdkClassViolatesRuleA() throws Exception {
        JavaClasses classes = compile(OUTSIDE,
                "package dev.jneon.common.key; public record LeakyKey(dev.jneon.outside.Thing t) {}",
                "package dev.jneon.common.pg; public record LeakyPg(dev.jneon.outside.Thing t) {}",
                "package dev.jneon.common.pg.file; public record LeakyFile(dev.jneon.outside.Thing t) {}",
                "package dev.jneon.common.id.sub; public record LeakyId(dev.jneon.outside.Thing t) {}");

        assertThat(violations(LayeringRules.VALUE_TYPES_USE_ONLY_THE_JDK, classes))
                .contains("dev.jneon.common.key.LeakyKey", "dev.jneon.common.pg.LeakyPg",
                        "dev.jneon.common.pg.file.LeakyFile", "dev.jneon.common.id.sub.LeakyId");
    }

    @Test
    void valueTypesUsingTheJdkAndEachOtherPassRuleA() throws Exception {
        JavaClasses classes = compile(OUTSIDE,
                "package dev.jneon.common.id; public record SomeId(long value) {}",
                """
                package dev.jneon.common.key;
                public record GoodKey(dev.jneon.common.id.SomeId id, java.util.List<String> names, byte[] raw) {
                    public GoodKey { java.util.Objects.requireNonNull(id); }
                }""",
                // pg.server runs processes and may use anything: it is not a value package.
                "package dev.jneon.common.pg.server; public record Runner(dev.jneon.outside.Thing t) {}");

        passes(LayeringRules.VALUE_TYPES_USE_ONLY_THE_JDK, classes);
    }

    @Test
    void generatedCodeOutsideGrpcPackagesViolatesRuleB() throws Exception {
        JavaClasses classes = compile(GENERATED,
                "package dev.jneon.pageserver.timeline; public record Reads(dev.jneon.api.page.FakeMessage m) {}",
                // A segment that merely starts with "grpc" does not count.
                "package dev.jneon.pageserver.grpcish; public record Near(dev.jneon.api.page.FakeMessage m) {}");

        assertThat(violations(LayeringRules.ONLY_GRPC_PACKAGES_USE_GENERATED_CODE, classes))
                .contains("dev.jneon.pageserver.timeline.Reads", "dev.jneon.pageserver.grpcish.Near");
    }

    @Test
    void generatedCodeInGrpcPackagesPassesRuleB() throws Exception {
        JavaClasses classes = compile(GENERATED,
                "package dev.jneon.pageserver.grpc; public record Edge(dev.jneon.api.page.FakeMessage m) {}",
                "package dev.jneon.safekeeper.grpc.wal; public record Deeper(dev.jneon.api.page.FakeMessage m) {}");

        passes(LayeringRules.ONLY_GRPC_PACKAGES_USE_GENERATED_CODE, classes);
    }

    @Test
    void serviceUsingAnotherServiceViolatesRuleC() throws Exception {
        JavaClasses classes = compile(
                "package dev.jneon.safekeeper.acceptor; public record Acceptor() {}",
                "package dev.jneon.pageserver; public record Reader(dev.jneon.safekeeper.acceptor.Acceptor a) {}",
                // controlplane and controller share a prefix but are different services.
                "package dev.jneon.controller; public record Reconciler() {}",
                "package dev.jneon.controlplane; public record Wake(dev.jneon.controller.Reconciler r) {}");

        assertThat(violations(LayeringRules.SERVICES_KEEP_TO_THEMSELVES, classes))
                .contains("dev.jneon.pageserver.Reader", "dev.jneon.controlplane.Wake");
    }

    @Test
    void serviceUsingItsOwnPackagesPassesRuleC() throws Exception {
        JavaClasses classes = compile(
                "package dev.jneon.compute.spec; public record Spec() {}",
                "package dev.jneon.compute; public record Ctl(dev.jneon.compute.spec.Spec s) {}");

        passes(LayeringRules.SERVICES_KEEP_TO_THEMSELVES, classes);
    }

    @Test
    void allContainsEveryRule() throws Exception {
        JavaClasses classes = compile(OUTSIDE, GENERATED,
                "package dev.jneon.common.key; public record LeakyKey(dev.jneon.outside.Thing t) {}",
                "package dev.jneon.proxy.auth; public record Login(dev.jneon.api.page.FakeMessage m) {}",
                "package dev.jneon.broker; public record Hub() {}",
                "package dev.jneon.proxy; public record Route(dev.jneon.broker.Hub h) {}");

        assertThat(violations(LayeringRules.ALL, classes))
                .contains("dev.jneon.common.key.LeakyKey", "dev.jneon.proxy.auth.Login", "dev.jneon.proxy.Route");
    }

    @Test
    void checkServiceRejectsAWrongRootClass() {
        assertThatThrownBy(() -> LayeringRules.checkService("pageserver", LayeringRules.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("dev.jneon.pageserver");
    }
}

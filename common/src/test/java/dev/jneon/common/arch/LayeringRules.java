package dev.jneon.common.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The layering rules of STYLE.md 19, shared by every module's {@code LayeringTest} through
 * common's test-jar. Each module imports its own main classes with {@link #mainClassesOf} and
 * checks {@link #ALL}; a rule whose subject a module lacks passes vacuously there (every rule
 * allows an empty "should"), so modules that must contain the subject assert it themselves.
 *
 * <p>Package patterns use ArchUnit's syntax: {@code a.b..} is {@code a.b} and its subpackages,
 * {@code ..grpc..} is any package with a segment named exactly {@code grpc}. Immutable.
 */
public final class LayeringRules {

    /** The value-type packages: the shared vocabulary every layer may use. */
    public static final List<String> VALUE_PACKAGES = List.of(
            "dev.jneon.common.id..", "dev.jneon.common.pg", "dev.jneon.common.pg.file..", "dev.jneon.common.key..");

    /** Generated protobuf and gRPC code (module page-api-proto). */
    public static final String GENERATED_PACKAGES = "dev.jneon.api..";

    /** Each service module's root package, keyed by module name. */
    public static final Map<String, String> SERVICE_ROOTS = Map.of(
            "storage-broker", "dev.jneon.broker",
            "safekeeper", "dev.jneon.safekeeper",
            "pageserver", "dev.jneon.pageserver",
            "storage-controller", "dev.jneon.controller",
            "control-plane", "dev.jneon.controlplane",
            "proxy", "dev.jneon.proxy",
            "compute-ctl", "dev.jneon.compute",
            "endpoint-storage", "dev.jneon.endpointstorage",
            "cli", "dev.jneon.cli");

    /** (a) Value types depend only on the JDK and on each other. */
    public static final ArchRule VALUE_TYPES_USE_ONLY_THE_JDK = classes()
            .that().resideInAnyPackage(VALUE_PACKAGES.toArray(String[]::new))
            .should().onlyDependOnClassesThat()
            .resideInAnyPackage(Stream.concat(Stream.of("java.."), VALUE_PACKAGES.stream()).toArray(String[]::new))
            .because("value types are the vocabulary of every layer and must not drag frameworks along")
            .allowEmptyShould(true);

    /** (b) Generated wire code is converted at the edge, in {@code grpc} packages only. */
    public static final ArchRule ONLY_GRPC_PACKAGES_USE_GENERATED_CODE = noClasses()
            .that().resideOutsideOfPackages("..grpc..", GENERATED_PACKAGES)
            .should().dependOnClassesThat().resideInAPackage(GENERATED_PACKAGES)
            .because("domain code sees domain records; protobuf types stay in grpc packages (STYLE.md 6)")
            .allowEmptyShould(true);

    /** (c) A service's packages are its own: nothing outside them depends on them. */
    public static final ArchRule SERVICES_KEEP_TO_THEMSELVES = CompositeArchRule.of(
            SERVICE_ROOTS.values().stream().sorted().map(LayeringRules::privateTo).toList());

    /** Everything a module checks. */
    public static final ArchRule ALL = CompositeArchRule
            .of(VALUE_TYPES_USE_ONLY_THE_JDK)
            .and(ONLY_GRPC_PACKAGES_USE_GENERATED_CODE)
            .and(SERVICES_KEEP_TO_THEMSELVES);

    private LayeringRules() {
    }

    private static ArchRule privateTo(String serviceRoot) {
        return noClasses()
                .that().resideOutsideOfPackage(serviceRoot + "..")
                .should().dependOnClassesThat().resideInAPackage(serviceRoot + "..")
                .as("no class outside " + serviceRoot + " should depend on it")
                .because("services share common and the api protos, never each other's internals")
                .allowEmptyShould(true);
    }

    /**
     * What a service module's {@code LayeringTest} runs: imports the module's main classes via
     * {@code anchor} (its application class), checks that the module is the one named, that all its
     * classes live under its root package (so rule (c) sees them all) and then {@link #ALL}.
     */
    public static void checkService(String module, Class<?> anchor) {
        String root = SERVICE_ROOTS.get(module);
        if (root == null || !anchor.getPackageName().equals(root)) {
            throw new AssertionError(anchor + " is not the root class of service module " + module
                    + " (expected package " + root + ")");
        }
        JavaClasses classes = mainClassesOf(anchor);
        classes().should().resideInAPackage(root + "..")
                .because("rule (c) knows a service by its root package")
                .check(classes);
        ALL.check(classes);
    }

    /**
     * Imports the classes of the directory or jar that {@code anchor} was loaded from: a module's
     * {@code target/classes} when {@code anchor} is one of its main classes.
     */
    public static JavaClasses mainClassesOf(Class<?> anchor) {
        try {
            Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new ClassFileImporter().importPath(location);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + anchor, e);
        }
    }
}

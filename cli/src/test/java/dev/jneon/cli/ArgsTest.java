package dev.jneon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {

    @Test
    void optionsSwitchesAndPositionals() {
        var args = new Args(List.of("ep1", "--branch-name", "b1", "--lsn=0/16B5A50", "--destroy"), Set.of("destroy"));
        assertThat(args.positional(0, "name")).isEqualTo("ep1");
        assertThat(args.required("branch-name")).isEqualTo("b1");
        assertThat(args.option("lsn")).contains("0/16B5A50");
        assertThat(args.flag("destroy")).isTrue();
        args.finish(1);
    }

    @Test
    void leftoverOptionsAndMissingValuesAreUsageErrors() {
        assertThatThrownBy(() -> new Args(List.of("--branch-name"), Set.of()))
                .isInstanceOf(CliException.class).hasMessageContaining("--branch-name needs a value");
        var args = new Args(List.of("--brnach-name", "x"), Set.of());
        assertThatThrownBy(() -> args.finish(0)).isInstanceOf(CliException.class)
                .hasMessageContaining("unknown option --brnach-name")
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(2));
        assertThatThrownBy(() -> new Args(List.of(), Set.of()).required("tenant-id"))
                .hasMessageContaining("--tenant-id is required");
    }
}

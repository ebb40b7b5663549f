"""The launcher itself: stopping leaves nothing behind, and bad invocations are refused."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from fixtures.launcher import jneon
from fixtures.stack import DB_PROCESS, Stack, running_stack


def test_down_leaves_no_process(tmp_path: Path):
    directory = tmp_path / "small"
    with running_stack(directory, "--only", "storage-controller,safekeeper-1") as stack:
        assert set(stack.processes) == {DB_PROCESS, "storage-controller", "safekeeper-1"}
        assert len(stack.alive()) == 3
        # A stopped JVM cannot act on SIGTERM: down must fall back to SIGKILL.
        os.kill(stack["safekeeper-1"].pid, signal.SIGSTOP)

        proc = jneon("down", "--dir", str(directory), env={"JNEON_STOP_TIMEOUT": "3"})

        assert "sending SIGKILL" in proc.stderr
        assert stack.alive() == []
        assert list((directory / "pids").iterdir()) == []
        assert not (directory / "storage_controller_db" / "postmaster.pid").exists()
        # Stopping again finds nothing and succeeds.
        again = jneon("down", "--dir", str(directory), "--json")
        assert json.loads(again.stdout) == {"stopped": []}


def test_status_of_an_empty_directory_fails(tmp_path: Path):
    proc = jneon("status", "--dir", str(tmp_path / "none"), "--json", check=False)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["services"] == {}


@pytest.mark.parametrize("args", [
    ["frobnicate"],
    ["up", "--ports", "sometimes"],
    ["up", "--only", "no-such-service"],
    ["status", "--verbose"],
    ["down", "extra"],
    ["walcat"],
    ["test", "--maven-only", "--pytest-only"],
])
def test_bad_invocations_exit_2(args: list[str]):
    proc = jneon(*args, check=False)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("jneon: ")


def test_help_lists_the_commands():
    proc = jneon("--help")
    for command in ("up", "down", "status", "test", "walcat"):
        assert f"\n  {command} " in proc.stdout


def test_log_gate_catches_unexpected_error_lines(tmp_path: Path):
    (tmp_path / "logs").mkdir()
    (tmp_path / "stack.json").write_text("{}")
    (tmp_path / "logs" / "pageserver.log").write_text(
        "2026-01-01T00:00:00Z  INFO 1 --- [pageserver] started\n"
        "2026-01-01T00:00:01Z ERROR 1 --- [pageserver] something broke\n")
    stack = Stack.load(tmp_path)
    with pytest.raises(AssertionError, match="something broke"):
        stack.down_and_check()
    stack.allowed_errors.append("something broke")
    stack.down_and_check()

"""Issue 7, safekeeper part: a safekeeper whose disk is wiped recovers its timelines from its peers by
itself, and commits keep being acknowledged with it in the quorum. Uses a stack of its own (it kills
and wipes safekeepers), offloading WAL to D/remote_storage/safekeeper as ./jneon up configures it."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time

import pytest

from fixtures.launcher import jneon
from fixtures.neon import Env, Lsn
from fixtures.stack import Stack, pid_alive, running_stack


@pytest.fixture(scope="module")
def own_env(tmp_path_factory: pytest.TempPathFactory):
    with running_stack(tmp_path_factory.mktemp("sk-offload")) as stack:
        env = Env(stack)
        yield env
        env.endpoints.stop_all()


def kill(process) -> None:
    """SIGKILL one process of the stack by its pid and wait until it is gone."""
    os.kill(process.pid, signal.SIGKILL)
    for _ in range(300):
        if not pid_alive(process.pid):
            return
        time.sleep(0.1)
    raise AssertionError(f"{process.name} (pid {process.pid}) did not die")


def timeline_status(stack: Stack, name: str, tenant: str, timeline: str) -> dict | None:
    try:
        r = stack[name].get(f"/v1/tenant/{tenant}/timeline/{timeline}")
    except OSError:
        return None
    return r.json() if r.status_code == 200 else None


def wait_for(what: str, condition, timeout: float = 180) -> None:
    """Polls condition; the timeout only guards against a hang."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def test_wiped_safekeeper_recovers_and_keeps_the_quorum(own_env: Env):
    env = own_env
    tenant = env.create_tenant()
    timeline = env.timeline_id(tenant, "main")
    ep = env.endpoints.create_start("main", tenant_id=tenant)
    ep.pg_tool("pgbench", "-i", "-s", "2", "-q")

    bench: dict[str, str] = {}
    runner = threading.Thread(target=lambda: bench.update(out=ep.pg_tool("pgbench", "-c", "2", "-T", "60", "-n")))
    runner.start()

    # wipe safekeeper-2 while pgbench commits, then start it again with an empty disk
    stack = env.stack
    sk2 = stack["safekeeper-2"]
    kill(sk2)
    shutil.rmtree(stack.dir / "safekeepers" / "sk2")
    jneon("up", "--dir", str(stack.dir), "--only", "safekeeper-2")
    restarted = Stack.load(stack.dir)
    stack.processes["safekeeper-2"] = restarted["safekeeper-2"]

    wait_for("safekeeper-2 to recover the timeline",
             lambda: timeline_status(stack, "safekeeper-2", tenant, timeline) is not None)
    runner.join()
    assert "number of transactions actually processed" in bench.get("out", ""), bench

    ep.safe_psql("create table after_wipe (id int)")
    ep.safe_psql("insert into after_wipe select generate_series(1, 1000)")
    committed = ep.current_lsn()
    wait_for("safekeeper-2 to hold the WAL committed after its recovery",
             lambda: Lsn.parse(timeline_status(stack, "safekeeper-2", tenant, timeline)["flush_lsn"]) >= committed)

    # without safekeeper-1 the quorum is safekeeper-2 (recovered) + safekeeper-3
    kill(stack["safekeeper-1"])
    ep.safe_psql("insert into after_wipe select generate_series(1001, 2000)")
    assert ep.safe_psql("select count(*) from after_wipe") == [(2000,)]
    assert ep.safe_psql("select sync_state from pg_stat_replication where application_name = 'walproposer'") \
        == [("sync",)]

    # the timeline's WAL is offloaded: full segments in remote storage
    objects = list((stack.dir / "remote_storage" / "safekeeper" / tenant / timeline).iterdir())
    assert any(len(o.name) == 24 for o in objects), sorted(o.name for o in objects)

"""Issue 7 acceptance, pageserver part: a pageserver that loses its disk gets its tenant back from
remote storage (layers and index_part.json uploaded under D/remote_storage/pageserver) and a new
compute sees every committed row (pg_dump equal). Uses its own stack: it kills and wipes the
pageserver."""

from __future__ import annotations

import difflib
import os
import shutil
import signal
import time

import pytest
import requests

from fixtures.launcher import jneon
from fixtures.neon import Env, Lsn
from fixtures.stack import Stack, pid_alive, running_stack

ROWS = 50000


@pytest.fixture(scope="module")
def remote_env(tmp_path_factory: pytest.TempPathFactory):
    with running_stack(tmp_path_factory.mktemp("psremote")) as stack:
        env = Env(stack)
        try:
            yield env
        finally:
            env.endpoints.stop_all()


def test_wiped_pageserver_attaches_from_remote_storage(remote_env: Env):
    env = remote_env
    tenant = env.create_tenant()
    ep = env.endpoints.create_start("main", tenant_id=tenant)
    ep.safe_psql("create table t (id int primary key, payload text)")
    ep.safe_psql(f"insert into t select g, md5(g::text) from generate_series(1, {ROWS}) g")
    ep.safe_psql("create index t_payload on t (payload)")
    lsn = ep.current_lsn()
    dump_before = dump(ep)
    ep.stop()

    info = wait_uploaded(env, tenant, lsn)
    remote_dir = env.stack.dir / "remote_storage" / "pageserver" / "tenants" / tenant / "timelines" / info["timeline_id"]
    names = sorted(p.name for p in remote_dir.iterdir())
    assert "index_part.json-00000001" in names, names
    assert any(n.endswith("-00000001") and "__" in n for n in names), names

    kill_pageserver(env)
    shutil.rmtree(env.stack.dir / "pageserver_1")
    jneon("up", "--dir", str(env.stack.dir), "--only", "pageserver")
    env.stack.processes.update(Stack.load(env.stack.dir).processes)
    out = env.cli("tenant", "attach", tenant).stdout
    assert "generation 2" in out, out

    attached = env.timeline_info(tenant, "main")
    assert Lsn.parse(attached["remote_consistent_lsn"]) >= lsn, attached
    layers = env.stack["pageserver"].get(f"/v1/tenant/{tenant}/timeline/{info['timeline_id']}/layer").json()
    listed = {layer["layer_file_name"] + "-00000001" for layer in layers["historic_layers"]}
    assert listed and listed <= set(names), (listed, names)  # every layer comes from remote storage

    again = env.endpoints.create_start("main", tenant_id=tenant)
    assert again.safe_psql("select count(*), sum(id) from t") == [(ROWS, ROWS * (ROWS + 1) // 2)]
    dump_after = dump(again)
    difference = list(difflib.unified_diff(dump_before.splitlines(), dump_after.splitlines(), "before", "after", n=1))
    assert not difference, "pg_dump differs after the attach:\n" + "\n".join(difference[:60])
    metrics = env.stack["pageserver"].get("/metrics").text
    assert downloads(metrics) > 0, "no layer was downloaded on demand"
    again.stop()


def wait_uploaded(env: Env, tenant: str, lsn: Lsn, timeout: float = 120) -> dict:
    """Waits until the pageserver has ingested lsn, checkpoints and waits until its index covers it."""
    ps = env.stack["pageserver"]
    timeline = env.timeline_id(tenant, "main")
    r = requests.post(f"{ps.url}/v1/tenant/{tenant}/wait_lsn",
                      json={timeline: str(lsn), "timeout": {"secs": 60, "nanos": 0}}, timeout=90)
    assert r.status_code == 200, r.text
    r = requests.put(f"{ps.url}/v1/tenant/{tenant}/timeline/{timeline}/checkpoint",
                     params={"wait_until_uploaded": "true"}, timeout=330)
    assert r.status_code == 200, r.text
    deadline = time.monotonic() + timeout
    while True:
        info = env.timeline_info(tenant, "main")
        if Lsn.parse(info["remote_consistent_lsn"]) >= lsn:
            return info
        assert time.monotonic() < deadline, f"remote_consistent_lsn stayed below {lsn}: {info}"
        time.sleep(0.5)


def kill_pageserver(env: Env) -> None:
    pid = env.stack["pageserver"].pid
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while pid_alive(pid):
        assert time.monotonic() < deadline, f"pageserver pid {pid} survived SIGKILL"
        time.sleep(0.1)


def downloads(metrics: str) -> float:
    for line in metrics.splitlines():
        if line.startswith("pageserver_remote_layer_downloads_total"):
            return float(line.split()[-1])
    return 0.0


def dump(ep) -> str:
    """pg_dump of the endpoint's postgres database, without the per-run random \\restrict key lines."""
    text = ep.pg_tool("pg_dump", "--no-sync")
    return "\n".join(line for line in text.splitlines() if not line.startswith(("\\restrict", "\\unrestrict")))

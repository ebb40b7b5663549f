"""Issue 6 acceptance: computes start from the pageserver, commit through the safekeepers, and can be thrown away."""

from __future__ import annotations

import re
import threading
import time

import psycopg2
import pytest

from fixtures.neon import Env


def test_data_survives_a_new_compute(env: Env):
    tenant = env.create_tenant()
    ep = env.endpoints.create_start("main", tenant_id=tenant)
    ep.safe_psql("create table t (id int primary key, payload text)")
    ep.safe_psql("insert into t select g, md5(g::text) from generate_series(1, 100000) g")
    ep.safe_psql("create index t_payload on t (payload)")
    dump_before = ep.pg_tool("pg_dump", "--no-sync")
    ep.stop()

    again = env.endpoints.create_start("main", tenant_id=tenant)
    assert again.safe_psql("select count(*), sum(id) from t") == [(100000, 100000 * 100001 // 2)]
    again.pg_tool("pg_amcheck", "--heapallindexed", "--install-missing")
    assert again.pg_tool("pg_dump", "--no-sync") == dump_before


def test_committed_pgbench_transactions_survive_kill_9(env: Env):
    tenant = env.create_tenant()
    ep = env.endpoints.create_start("main", tenant_id=tenant)
    ep.pg_tool("pgbench", "-i", "-s", "10", "-q")
    out = ep.pg_tool("pgbench", "-c", "4", "-j", "2", "-T", "30", "-n")
    committed = int(re.search(r"number of transactions actually processed: (\d+)", out).group(1))
    assert committed > 0
    ep.kill9()

    again = env.endpoints.create_start("main", tenant_id=tenant)
    history = again.safe_psql("select count(*) from pgbench_history")[0][0]
    assert history >= committed, f"{committed} transactions were acknowledged but only {history} survived"


def test_branch_sees_exactly_its_start_and_diverges(env: Env):
    tenant = env.create_tenant()
    main = env.endpoints.create_start("main", tenant_id=tenant)
    main.safe_psql("create table t (id int)")
    main.safe_psql("insert into t select generate_series(1, 1000)")
    at = main.current_lsn()
    main.safe_psql("insert into t select generate_series(1001, 2000)")

    env.create_branch("b1", tenant_id=tenant, ancestor_start_lsn=at)
    branch = env.endpoints.create_start("b1", tenant_id=tenant)
    assert branch.safe_psql("select count(*), max(id) from t") == [(1000, 1000)]

    branch.safe_psql("insert into t values (-1)")
    main.safe_psql("insert into t values (-2)")
    assert branch.safe_psql("select count(*) from t where id < 0") == [(1,)]
    assert branch.safe_psql("select id from t where id < 0") == [(-1,)]
    assert main.safe_psql("select id from t where id < 0") == [(-2,)]
    assert main.safe_psql("select count(*) from t") == [(2001,)]


def test_static_endpoint_shows_the_past_and_refuses_writes(env: Env):
    tenant = env.create_tenant()
    main = env.endpoints.create_start("main", tenant_id=tenant)
    main.safe_psql("create table t (id int)")
    main.safe_psql("insert into t select generate_series(1, 10)")
    at = main.current_lsn()
    main.safe_psql("insert into t select generate_series(11, 20)")
    # The static endpoint needs its LSN on the pageserver: the primary's flush LSN is enough.

    static = env.endpoints.create_start("main", tenant_id=tenant, lsn=at)
    assert static.safe_psql("select count(*) from t") == [(10,)]
    with pytest.raises(psycopg2.Error, match="read-only"):
        static.safe_psql("insert into t values (99)")
    assert main.safe_psql("select count(*) from t") == [(20,)]


def test_second_primary_fences_the_first(env: Env):
    tenant = env.create_tenant()
    first = env.endpoints.create_start("main", tenant_id=tenant)
    first.safe_psql("create table t (id int)")
    first.safe_psql("insert into t select generate_series(1, 100)")

    # The second primary's sync-safekeepers takes a newer term; the first compute's walproposer is
    # refused at its next append, so nothing it commits from now on is acknowledged.
    second = env.endpoints.create_start("main", tenant_id=tenant)
    late = first_commit_outcome(first, "insert into t values (-1)", wait_seconds=10)
    assert late != "committed", "the fenced primary acknowledged a commit"

    reason = wait_for_log(first, "another proposer holds term")
    assert "failed" in reason.lower() or "ERROR" in reason, reason
    assert second.safe_psql("select count(*) from t where id > 0") == [(100,)]
    second.safe_psql("insert into t values (101)")
    assert second.safe_psql("select count(*) from t where id > 0") == [(101,)]


def first_commit_outcome(ep, sql: str, wait_seconds: float) -> str:
    """'committed', 'error' or 'waiting' after wait_seconds for an autocommit statement on ep."""
    outcome = {"value": "waiting"}

    def run():
        try:
            ep.safe_psql(sql)
            outcome["value"] = "committed"
        except psycopg2.Error:
            outcome["value"] = "error"

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(wait_seconds)
    return outcome["value"]


def wait_for_log(ep, text: str, timeout: float = 60) -> str:
    """The first line of ep's compute-ctl log containing text, waiting for it to appear."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for line in (ep.dir / "compute.log").read_text(errors="replace").splitlines():
            if text in line:
                return line
        time.sleep(0.3)
    raise AssertionError(f"{ep.name}'s log never mentioned {text!r}")

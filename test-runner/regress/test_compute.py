"""Issue 6 acceptance: computes start from the pageserver, commit through the safekeepers, and can be thrown away."""

from __future__ import annotations

import re

import psycopg2
import pytest

from fixtures.neon import Env, Lsn


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

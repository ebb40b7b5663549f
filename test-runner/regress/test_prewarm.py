"""Issue 7 acceptance for prewarm (spec D.2): a compute's cached blocks are offloaded to endpoint
storage and loaded again at the next start, on the session stack."""

from __future__ import annotations

import time

from fixtures.neon import Env
from fixtures.prewarm import cached_blocks, create_endpoint, lfc, wait_lfc

# About 9 MB: more than a few MB, well under a quarter of the default 128 MB of shared_buffers (a
# sequential scan of a bigger table would go through a small ring of buffers and not stay cached).
CREATE_TABLE = "create table t as select g as id, repeat('x', 200) as payload from generate_series(1, 40000) g"


def test_offloaded_blocks_are_prewarmed_at_the_next_start(env: Env):
    tenant = env.create_tenant()
    ep = create_endpoint(env, "main", tenant_id=tenant, autoprewarm=True)
    ep.start()
    assert wait_lfc(ep, "prewarm")["status"] == "skipped", "nothing was offloaded yet (404)"
    ep.safe_psql(CREATE_TABLE)
    blocks = ep.safe_psql("select pg_relation_size('t') / 8192")[0][0]
    assert blocks > 500
    ep.safe_psql("select count(*) from t")
    assert cached_blocks(ep, "t") == blocks

    assert lfc(ep, "POST", "offload").status_code == 202
    offloaded = wait_lfc(ep, "offload")
    assert offloaded["status"] == "completed", offloaded
    assert set(offloaded) >= {"state_query_time_ms", "compress_time_ms", "state_upload_time_ms"}
    ep.stop()

    ep.start()
    prewarmed = wait_lfc(ep, "prewarm")
    assert prewarmed["status"] == "completed", prewarmed
    assert prewarmed["prewarmed"] >= blocks and prewarmed["total"] == prewarmed["prewarmed"] + prewarmed["skipped"]
    warm = cached_blocks(ep, "t")
    ep.stop()

    cold_ep = create_endpoint(env, "main", tenant_id=tenant)
    cold_ep.start()
    assert wait_lfc(cold_ep, "prewarm")["status"] == "not_prewarmed"
    cold = cached_blocks(cold_ep, "t")
    print(f"table t: {blocks} blocks; cached right after start: {warm} with autoprewarm, {cold} without")
    assert warm >= blocks * 9 // 10, f"only {warm} of {blocks} blocks loaded by the start-up prewarm"
    assert cold < blocks // 10, f"{cold} of {blocks} blocks cached without prewarm"

    # on demand, from the first endpoint's saved state (an endpoint may read its sibling's)
    assert lfc(cold_ep, "POST", "prewarm", from_endpoint=ep.name).status_code == 202
    on_demand = wait_lfc(cold_ep, "prewarm")
    assert on_demand["status"] == "completed", on_demand
    assert cached_blocks(cold_ep, "t") == blocks


def test_periodic_offload_and_refusals(env: Env):
    tenant = env.create_tenant()
    ep = create_endpoint(env, "main", tenant_id=tenant, offload_interval=1)
    ep.start()
    ep.safe_psql(CREATE_TABLE)
    ep.safe_psql("select count(*) from t")
    deadline = time.time() + 60
    while lfc(ep, "GET", "offload").json()["status"] != "completed":
        assert time.time() < deadline, lfc(ep, "GET", "offload").json()
        time.sleep(0.2)
    assert lfc(ep, "POST", "prewarm", from_endpoint="../x").status_code == 400
    assert lfc(ep, "DELETE", "prewarm").status_code == 202
    assert lfc(ep, "GET", "prewarm").json() == {"status": "not_prewarmed"}, "nothing to cancel"

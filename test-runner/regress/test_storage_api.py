"""The storage services' management APIs on a real stack: safekeeper timelines, pageserver tenants and timelines."""

from __future__ import annotations

import secrets

import requests

from fixtures.stack import Stack

SAFEKEEPERS = ("safekeeper-1", "safekeeper-2", "safekeeper-3")


def new_id() -> str:
    return secrets.token_hex(16)


def test_timeline_created_on_every_safekeeper(stack: Stack):
    tenant, timeline = new_id(), new_id()
    body = {"tenant_id": tenant, "timeline_id": timeline, "pg_version": 150020, "start_lsn": "0/1000028"}
    for name in SAFEKEEPERS:
        sk = stack[name]
        assert requests.post(f"{sk.url}/v1/tenant/timeline", json=body, timeout=30).status_code == 200
        # Creation is idempotent.
        assert requests.post(f"{sk.url}/v1/tenant/timeline", json=body, timeout=30).status_code == 200
        status = sk.get(f"/v1/tenant/{tenant}/timeline/{timeline}").json()
        assert status["flush_lsn"] == "0/1000028"
        assert status["commit_lsn"] == "0/1000028"
        assert status["acceptor_state"]["term"] == 0


def test_safekeeper_rejects_bad_input_with_a_message(stack: Stack):
    sk = stack["safekeeper-1"]
    bad = requests.post(f"{sk.url}/v1/tenant/timeline", json={"tenant_id": "zz"}, timeout=30)
    assert bad.status_code == 400
    assert "malformed TenantId" in bad.json()["msg"]
    missing = sk.get(f"/v1/tenant/{new_id()}/timeline/{new_id()}")
    assert missing.status_code == 404 and missing.json()["msg"]


def test_safekeepers_publish_to_the_broker(stack: Stack):
    metrics = stack["storage-broker"].get("/metrics").text
    publishers = [line for line in metrics.splitlines() if line.startswith("storage_broker_active_publishers ")]
    assert publishers and float(publishers[0].split()[1]) == len(SAFEKEEPERS)


def test_pageserver_tenant_and_bootstrapped_timeline(stack: Stack):
    ps = stack["pageserver"]
    tenant, timeline = new_id(), new_id()
    attach = requests.put(f"{ps.url}/v1/tenant/{tenant}/location_config",
                          json={"mode": "AttachedSingle", "generation": 1, "tenant_conf": {}}, timeout=30)
    assert attach.status_code == 200
    created = requests.post(f"{ps.url}/v1/tenant/{tenant}/timeline",
                            json={"new_timeline_id": timeline, "pg_version": 15}, timeout=300)
    assert created.status_code == 201, created.text
    info = created.json()
    assert info["pg_version"] == 15 and info["state"] == "Active"
    assert info["last_record_lsn"] == info["initdb_lsn"] != "0/0"
    assert info["current_logical_size"] > 0
    branch = new_id()
    branched = requests.post(f"{ps.url}/v1/tenant/{tenant}/timeline",
                             json={"new_timeline_id": branch, "ancestor_timeline_id": timeline}, timeout=60)
    assert branched.status_code == 201, branched.text
    assert branched.json()["ancestor_lsn"] == info["last_record_lsn"]
    listed = {t["timeline_id"] for t in ps.get(f"/v1/tenant/{tenant}/timeline").json()}
    assert listed == {timeline, branch}
    assert ps.get(f"/v1/tenant/{new_id()}").status_code == 404
    assert ps.get("/v1/tenant/not-an-id").status_code == 400

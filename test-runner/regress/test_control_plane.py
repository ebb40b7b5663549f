"""Issue 8, control plane: REST creates a project, endpoint and role; wake_compute starts a compute the role
can log in to with its password; the compute is suspended when idle and the next wake brings the data back."""

from __future__ import annotations

import json

from fixtures.control_plane import ControlPlane, connect
from fixtures.stack import Stack


def test_create_wake_connect_suspend_and_wake_again(stack: Stack):
    cp = ControlPlane(stack)
    project = cp.ok("POST", "/v1/projects", {})
    branch = next(b["id"] for b in project["branches"] if b["name"] == "main")
    endpoint = cp.ok("POST", "/v1/endpoints", {"project_id": project["id"], "suspend_timeout_seconds": 5})
    assert endpoint["state"] == "idle"
    password = cp.ok("POST", f"/v1/branches/{branch}/roles", {"name": "alice"})["password"]
    cp.ok("POST", f"/v1/branches/{branch}/databases", {"name": "shop", "owner": "alice"})
    try:
        woken = cp.wake(endpoint["id"])
        assert woken["aux"]["cold_start_info"] == "pool_miss"
        assert woken["aux"]["project_id"] == project["id"]
        with connect(woken, "alice", password, "shop") as conn, conn.cursor() as cur:
            cur.execute("create table orders (id int primary key)")
            cur.execute("insert into orders select generate_series(1, 500)")
            cur.execute("select current_user, count(*) from orders")
            assert cur.fetchone() == ("alice", 500)
        assert cp.wake(project["id"])["aux"]["cold_start_info"] == "warm", "a project id wakes its default endpoint"

        suspended = cp.await_state(endpoint["id"], "idle", seconds=120)
        assert suspended["pid"] is None

        again = cp.wake(endpoint["id"])
        assert again["aux"]["cold_start_info"] == "pool_miss"
        assert again["aux"]["compute_id"] != woken["aux"]["compute_id"]
        with connect(again, "alice", password, "shop") as conn, conn.cursor() as cur:
            cur.execute("select count(*) from orders")
            assert cur.fetchone() == (500,)
    finally:
        cp.ok("POST", f"/v1/endpoints/{endpoint['id']}/stop")


def test_up_created_the_default_endpoint(stack: Stack):
    saved = json.loads((stack.dir / "control_plane" / "default_endpoint.json").read_text())
    assert saved["endpoint_id"] == "ep-default" and saved["role"] == "jneon" and len(saved["password"]) == 24
    cp = ControlPlane(stack)
    assert cp.endpoint("ep-default")["project_id"] == "default"
    access = cp.ok("GET", "/proxy/v1/get_endpoint_access_control?endpointish=ep-default&role=jneon")
    assert access["role_secret"].startswith("SCRAM-SHA-256$4096:")
    missing = cp.call("GET", "/proxy/v1/wake_compute?endpointish=ep-nowhere")
    assert missing.status_code == 404
    assert missing.json()["status"]["details"]["error_info"]["reason"] == "ENDPOINT_NOT_FOUND"

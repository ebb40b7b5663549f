"""Every service of a whole stack answers its status and metrics; the controller uses its database."""

from __future__ import annotations

import json
import re

import psycopg2
import pytest

from fixtures.launcher import jneon
from fixtures.stack import DB_PROCESS, SERVICES, Stack

# One Prometheus text-format sample: name, optional labels, value, optional timestamp.
SAMPLE = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+0-9.eEInfa]+( -?\d+)?$')


def test_stack_has_every_process(stack: Stack):
    assert set(stack.processes) == set(SERVICES) | {DB_PROCESS}


@pytest.mark.parametrize("name", SERVICES)
def test_status_names_the_service(stack: Stack, name: str):
    service, node_id = SERVICES[name]
    response = stack[name].get("/v1/status")
    assert response.status_code == 200
    body = response.json()
    assert body["service"] == service
    assert body["id"] == node_id
    assert body["version"]


@pytest.mark.parametrize("name", SERVICES)
def test_metrics_are_prometheus_text(stack: Stack, name: str):
    response = stack[name].get("/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    samples = [line for line in response.text.splitlines() if line and not line.startswith("#")]
    assert any(line.startswith("jvm_") for line in samples)
    malformed = [line for line in samples if not SAMPLE.match(line)]
    assert not malformed, malformed[:5]


def test_controller_keeps_its_schema_in_its_postgres(stack: Stack):
    db = stack[DB_PROCESS]
    with psycopg2.connect(host="127.0.0.1", port=db.pg_port, user="cloud_admin",
                          dbname="storage_controller") as conn, conn.cursor() as cur:
        cur.execute("select version from schema_version order by version")
        assert cur.fetchall() == [(1,)]
    conn.close()


def test_controller_is_ready_with_its_database(stack: Stack):
    response = stack["storage-controller"].get("/health/readiness")
    assert response.status_code == 200
    assert response.json()["status"] == "UP"
    health = stack["storage-controller"].get("/health").json()
    assert health["components"]["db"]["status"] == "UP"


def test_status_json_lists_every_process_running(stack: Stack):
    proc = jneon("status", "--dir", str(stack.dir), "--json")
    report = json.loads(proc.stdout)
    assert report["dir"] == str(stack.dir)
    assert set(report["services"]) == set(stack.processes)
    for name, entry in report["services"].items():
        assert entry["running"] is True, name
        assert entry["pid"] == stack[name].pid
        if name == DB_PROCESS:
            assert entry["status"] == "accepting connections"
        else:
            assert entry["status"]["service"] == SERVICES[name][0]


def test_up_on_a_running_stack_starts_nothing(stack: Stack):
    proc = jneon("up", "--dir", str(stack.dir), "--ports", "auto")
    assert "0 started" in proc.stderr
    assert Stack.load(stack.dir).processes == stack.processes

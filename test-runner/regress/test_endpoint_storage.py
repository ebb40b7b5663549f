"""Issue 7 acceptance for endpoint storage, on the session stack's service: tokens, paths, round trips.

Statuses are jneon's (endpoint-storage/README.md): a missing, malformed, wrongly signed or expired
token gets 401, a valid token whose claims do not cover the route 403 (Neon answers 400 and 401).
"""

from __future__ import annotations

import secrets
import time

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fixtures.prewarm import Tokens, raw_request
from fixtures.stack import Stack


def ids() -> tuple[str, str]:
    return secrets.token_hex(16), secrets.token_hex(16)


def url(stack: Stack, *parts: str) -> str:
    return stack["endpoint-storage"].url + "/" + "/".join(parts)


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_round_trip_with_a_good_token(stack: Stack):
    tokens = Tokens(stack)
    tenant, timeline = ids()
    token = tokens.object_token(tenant, timeline, "ep-a")
    target = url(stack, tenant, timeline, "ep-a", "lfc_state")
    assert requests.get(target, headers=auth(token), timeout=10).status_code == 404
    payload = secrets.token_bytes(100_000)
    assert requests.put(target, data=payload, headers=auth(token), timeout=10).status_code == 200
    got = requests.get(target, headers=auth(token), timeout=10)
    assert got.status_code == 200 and got.content == payload
    sibling = tokens.object_token(tenant, timeline, "ep-b")
    assert requests.get(target, headers=auth(sibling), timeout=10).content == payload, \
        "an endpoint may read another endpoint's state of the same timeline"
    assert requests.delete(target, headers=auth(token), timeout=10).status_code == 200
    assert requests.get(target, headers=auth(token), timeout=10).status_code == 404
    assert requests.delete(target, headers=auth(token), timeout=10).status_code == 200, "deleting twice is fine"


def test_missing_malformed_forged_and_expired_tokens_are_unauthenticated(stack: Stack):
    tokens = Tokens(stack)
    tenant, timeline = ids()
    target = url(stack, tenant, timeline, "ep-a", "lfc_state")
    good = tokens.object_token(tenant, timeline, "ep-a")
    assert requests.put(target, data=b"state", headers=auth(good), timeout=10).status_code == 200
    bad = {
        "missing": {},
        "not bearer": {"Authorization": "Basic dXNlcjpwdw=="},
        "malformed": auth("not.a-jwt"),
        "two parts": auth(good.rsplit(".", 1)[0]),
        "other key": auth(tokens.object_token(tenant, timeline, "ep-a", key=Ed25519PrivateKey.generate())),
        "expired": auth(tokens.object_token(tenant, timeline, "ep-a", exp_in=-3600)),
        "no exp": auth(tokens.sign({"tenant_id": tenant, "timeline_id": timeline, "endpoint_id": "ep-a"})),
        "alg none": auth(tokens.object_token(tenant, timeline, "ep-a", alg="none")),
    }
    for case, headers in bad.items():
        for method in ("GET", "PUT", "DELETE"):
            r = requests.request(method, target, data=b"x" if method == "PUT" else None, headers=headers, timeout=10)
            assert r.status_code == 401, f"{case} {method}: {r.status_code} {r.text}"
    assert requests.get(target, headers=auth(good), timeout=10).content == b"state", "nothing was changed"


def test_tokens_of_another_tenant_timeline_or_endpoint_are_forbidden(stack: Stack):
    tokens = Tokens(stack)
    tenant, timeline = ids()
    other_tenant, other_timeline = ids()
    target = url(stack, tenant, timeline, "ep-a", "lfc_state")
    assert requests.put(target, data=b"mine", headers=auth(tokens.object_token(tenant, timeline, "ep-a")),
                        timeout=10).status_code == 200
    for case, token in {
        "other tenant": tokens.object_token(other_tenant, timeline, "ep-a"),
        "other timeline": tokens.object_token(tenant, other_timeline, "ep-a"),
    }.items():
        for method in ("GET", "PUT", "DELETE"):
            r = requests.request(method, target, data=b"x" if method == "PUT" else None, headers=auth(token), timeout=10)
            assert r.status_code == 403, f"{case} {method}: {r.status_code}"
    sibling = tokens.object_token(tenant, timeline, "ep-b")
    assert requests.put(target, data=b"x", headers=auth(sibling), timeout=10).status_code == 403
    assert requests.delete(target, headers=auth(sibling), timeout=10).status_code == 403
    # prefix deletes need a token of exactly that prefix
    endpoint_token = tokens.object_token(tenant, timeline, "ep-a")
    assert requests.delete(url(stack, tenant, timeline), headers=auth(endpoint_token), timeout=10).status_code == 403
    assert requests.delete(url(stack, tenant), headers=auth(endpoint_token), timeout=10).status_code == 403
    timeline_token = tokens.sign({"tenant_id": tenant, "timeline_id": timeline, "exp": int(time.time()) + 600})
    assert requests.delete(url(stack, tenant, timeline), headers=auth(timeline_token), timeout=10).status_code == 200
    assert requests.get(target, headers=auth(endpoint_token), timeout=10).status_code == 404


def test_path_traversal_and_bad_ids_are_rejected(stack: Stack):
    tokens = Tokens(stack)
    tenant, timeline = ids()
    token = tokens.object_token(tenant, timeline, "ep-a")
    port = stack["endpoint-storage"].http_port
    base = f"/{tenant}/{timeline}"
    for path in (f"{base}/ep-a/../escaped", f"{base}/ep-a/a/../../escaped", f"{base}/ep-a/%2e%2e/escaped",
                 f"{base}/ep-a/%2e%2e%2fescaped", f"{base}/../ep-a/escaped", f"{base}/ep-a/",
                 f"{base}/%2e%2e/escaped", f"/{tenant}/../{timeline}/ep-a/escaped"):
        for method in ("PUT", "GET"):
            status = raw_request(port, method, path, token, b"x" if method == "PUT" else None)
            assert 400 <= status < 500, f"{method} {path}: {status}"
    assert raw_request(port, "PUT", f"/not-hex/{timeline}/ep-a/k", token, b"x") == 400
    assert raw_request(port, "PUT", f"/{tenant}/{timeline[1:]}/ep-a/k", token, b"x") == 400
    data = stack.dir / "endpoint_storage" / "data"
    assert not [p for p in data.rglob("*") if "escaped" in p.name], "a traversal wrote a file"

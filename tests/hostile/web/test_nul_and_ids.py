"""M8: NUL characters and out-of-range ids are a 422 naming the field on every route, signed in
or not, on SQLite and PostgreSQL: every API operation from the OpenAPI document (each path
parameter, query parameter and string body field in turn) and every page form."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.web.conftest import PROFILE

BIG = 1_099_511_627_776  # 2^40


def _body(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """A minimal valid-looking body: every string property set to "x", numbers to 1."""
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    out: dict[str, Any] = {}
    for name, prop in schema.get("properties", {}).items():
        kinds = {prop.get("type")} | {p.get("type") for p in prop.get("anyOf", [])}
        out[name] = "x" if "string" in kinds else (1 if kinds & {"integer", "number"} else
                                                    (False if "boolean" in kinds else ([] if "array" in kinds else None)))  # fmt: skip
    return out


def _operations(app: Any) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    spec = app.openapi()
    out = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            out.append((method.upper(), path, op, spec))
    return out


def test_m8_nul_anywhere_in_an_api_request_is_a_422_naming_it(client: Any) -> None:
    client.signup("nul@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    checked = 0
    for method, path, op, spec in _operations(client.app):
        params = op.get("parameters", [])
        base_path = {p["name"]: ("1" if p["schema"].get("type") == "integer" else "1414140C0")
                     for p in params if p["in"] == "path"}  # fmt: skip
        # each path and query parameter in turn
        for p in params:
            values = dict(base_path)
            query = {}
            if p["in"] == "path" and p["schema"].get("type") != "integer":
                values[p["name"]] = "a%00b"
            elif p["in"] == "query":
                query[p["name"]] = "a\x00b"
            else:
                continue
            url = path.format(**values)
            r = client.call(
                method,
                url,
                params=query,
                json={} if method in ("POST", "PUT", "PATCH", "DELETE") else None,
            )
            assert r.status_code == 422, (method, url, query, r.status_code, r.text[:200])
            assert p["name"] in r.json()["fields"], (method, url, r.json())
            checked += 1
        # each string field of the JSON body in turn
        content = op.get("requestBody", {}).get("content", {}).get("application/json")
        if (content and "properties" in json.dumps(content["schema"])) or (
            content and "$ref" in content["schema"]
        ):
            body = _body(content["schema"], spec)
            for name, value in body.items():
                if value != "x":
                    continue
                bad = {**body, name: "a\x00b"}
                r = client.call(method, path.format(**base_path), json=bad)
                assert r.status_code == 422, (method, path, name, r.status_code, r.text[:200])
                assert any(k.startswith(name) for k in r.json()["fields"]), (
                    method,
                    path,
                    name,
                    r.json(),
                )
                checked += 1
    assert checked > 40


def test_m8_nul_before_sign_in_is_a_422(client: Any) -> None:
    for url, body in (("/api/signin", {"email": "a\x00@b.org", "password": "x" * 10}),
                      ("/api/signup", {"email": "a\x00@b.org", "password": "some-long-passphrase"}),
                      ("/api/signup", {"email": "a@b.org", "password": "some-long-passphrase", "name": "a\x00"}),
                      ("/api/password/forgot", {"email": "a\x00@b.org"})):  # fmt: skip
        r = client.http.post(url, json=body)
        assert r.status_code == 422, (url, r.status_code)


def test_m8_nul_in_every_page_form_is_a_422_naming_it(client: Any) -> None:
    client.signup("formnul@example.org")
    token = client.page_token("/account")
    from imgpath.web import pages, pages_accounts, pages_couples, pages_organisations, pages_tracker

    modules = (pages, pages_accounts, pages_tracker, pages_organisations, pages_couples)
    routes = [r for module in modules for r in module.router.routes
              if "POST" in (getattr(r, "methods", None) or set()) and r.path != "/applications/import"]  # fmt: skip
    assert len(routes) > 30
    for route in routes:
        url = route.path.replace("{code}", "1414140C0")
        for name in ("letter_id", "doc_id", "rotation_id", "slot_id", "applicant_id", "share_id",
                     "request_id", "couple_id", "rank"):  # fmt: skip
            url = url.replace("{" + name + "}", "1")
        r = client.http.post(url, data={"csrf_token": token, "name": "a\x00b", "title": "a\x00b"})
        assert r.status_code == 422, (url, r.status_code)
        assert "name" in r.text or "title" in r.text, url


@pytest.mark.parametrize("suffix", [f"/api/letters/{BIG}", f"/api/shares/{BIG}", f"/api/profile?user={BIG}",
                                    f"/api/slots/{BIG}", f"/api/programs?offset={BIG}", "/api/programs?limit=-1"])  # fmt: skip
def test_m8_out_of_range_ids_are_a_422(client: Any, suffix: str) -> None:
    client.signup("ids@example.org")
    method = "GET" if "?" in suffix else "DELETE"
    r = client.call(method, suffix)
    assert r.status_code == 422, (suffix, r.status_code)
    assert r.json()["fields"]


def test_m8_the_slot_form_refuses_an_out_of_range_applicant(client: Any) -> None:
    client.signup("org@example.org", role="advisor")
    slot = client.call("POST", "/api/slots", json={"site": "A", "specialty": "IM", "start_on": "2027-01-04",
                                                   "end_on": "2027-01-31", "capacity": 2}).json()["id"]  # fmt: skip
    token = client.page_token("/slots")
    for value in (str(BIG), "-1", "0", "9" * 50, "x"):
        r = client.http.post(f"/slots/{slot}/place", data={"csrf_token": token, "applicant": value})
        assert r.status_code == 422, value

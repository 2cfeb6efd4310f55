"""The OpenAPI document shows a response shape for every JSON route (issue 14)."""

from __future__ import annotations

from typing import Any

JSON = "application/json"


def _resolve(schema: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref is None:
        return schema
    name = ref.removeprefix("#/components/schemas/")
    resolved: dict[str, Any] = doc["components"]["schemas"][name]
    return resolved


def test_every_json_route_documents_its_response(app: Any) -> None:
    from fastapi.testclient import TestClient

    doc = TestClient(app).get("/api/openapi.json").json()
    checked, files, missing = 0, 0, []
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            ok = {code: r for code, r in operation["responses"].items() if code.startswith("2")}
            assert ok, (method, path)
            for code, response in ok.items():
                content = response.get("content", {})
                if JSON not in content:
                    assert content, (method, path, code)  # a file: CSV, PNG or iCalendar
                    files += 1
                    continue
                schema = _resolve(content[JSON].get("schema", {}), doc)
                if not schema.get("properties"):
                    missing.append(f"{method.upper()} {path} {code}")
                checked += 1
    assert not missing, missing
    assert checked >= 59  # every JSON route of today; new ones only add
    assert files >= 4

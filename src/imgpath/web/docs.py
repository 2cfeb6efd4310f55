"""/api/docs: the OpenAPI page, from Swagger UI files bundled with imgpath (no CDN, no inline
script; see static/NOTICE.md for the version and licence)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>imgpath API</title>
<link rel="stylesheet" href="/static/swagger-ui/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script></body></html>
"""


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs() -> HTMLResponse:
    return HTMLResponse(PAGE)

"""Links in emails point at the server people reach (the review found a server on port 8765
mailing links to port 8000)."""

from __future__ import annotations

import pytest

from imgpath.web.server import served_url


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", 8765, "http://127.0.0.1:8765"),
        ("0.0.0.0", 8000, "http://127.0.0.1:8000"),
        ("::", 9000, "http://127.0.0.1:9000"),
        ("::1", 8001, "http://[::1]:8001"),
        ("localhost", 8080, "http://localhost:8080"),
    ],
)
def test_the_default_public_url_is_the_address_served(host: str, port: int, url: str) -> None:
    assert served_url(host, port) == url

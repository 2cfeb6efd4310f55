"""What every JSON API shape shares: :class:`Shape` (the keys listed are always there, others are
kept), the small answers several areas give, and the OpenAPI entry of a file response."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = ["Created", "RemovedCode", "RemovedId", "Shape", "file_response"]


def file_response(media_type: str, what: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI entry of a route that answers with a file (CSV, PNG, iCalendar)."""
    return {
        200: {
            "description": what,
            "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
        }
    }


class Shape(BaseModel):
    """A response: the keys listed are always there; anything else the service adds is kept."""

    model_config = ConfigDict(extra="allow")


class Created(Shape):
    id: int


class RemovedCode(Shape):
    removed: str


class RemovedId(Shape):
    removed: int

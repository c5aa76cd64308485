"""Opaque keyset cursors: the sort name and the last row's key, base64url-encoded JSON."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from shared.errors import ValidationError, field_error


def encode_cursor(sort: str, values: list[Any]) -> str:
    """Encode the position after a row so the next page starts right after it."""
    raw = json.dumps({"s": sort, "v": values}, separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str, length: int) -> list[Any]:
    """Decode a cursor made for this sort; anything else is a 422 on `cursor`."""
    invalid = ValidationError(
        details=[field_error(["query", "cursor"], "Not a cursor from this list and sort order.")]
    )
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise invalid from exc
    if not isinstance(data, dict) or data.get("s") != sort:
        raise invalid
    values = data.get("v")
    if not isinstance(values, list) or len(values) != length:
        raise invalid
    return values

"""The service's notion of now, in one place so tests can fix it."""

from __future__ import annotations

from datetime import UTC, datetime

_frozen: datetime | None = None


def utcnow() -> datetime:
    """The current instant, timezone-aware in UTC."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def freeze(instant: datetime | None) -> None:
    """Fix the clock at an aware instant (or release it with None). For tests and tools only."""
    global _frozen
    if instant is not None and instant.tzinfo is None:
        raise ValueError("freeze() needs a timezone-aware datetime")
    _frozen = instant

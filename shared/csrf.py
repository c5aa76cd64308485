"""Cross-site request forgery defence for cookie-authenticated changes, as Better Auth does it.

A browser attaches the session cookie to any request, whichever site started it; a bearer token
or JWT it never sends by itself. So a cookie-authenticated request that changes state must show
where it came from: its `Origin` (or, without one, its `Referer`) must be a trusted origin.
Better Auth refuses a missing or `null` origin with 403, and so does this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers

from shared.errors import ForbiddenError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str | None:
    """The serialised origin (`scheme://host[:port]`) of an http(s) URL, or None if it has none.

    User information and backslashes are refused: browsers never put them in an Origin or a
    Referer, and parsers disagree about where the host of such a URL is.
    """
    if "\\" in url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = parts.hostname
    if scheme not in _DEFAULT_PORTS or not host or parts.username is not None:
        return None
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def require_trusted_origin(method: str, headers: Headers, trusted: Iterable[str]) -> None:
    """Raise ForbiddenError unless a state-changing request comes from a trusted origin.

    Call it only for requests authenticated by a cookie; safe methods always pass.
    """
    if method.upper() in SAFE_METHODS:
        return
    origins = headers.getlist("origin")
    if len(origins) > 1:
        raise ForbiddenError("The request's origin is not trusted: it sent more than one Origin.")
    claimed = (origins[0] if origins else "").strip() or headers.get("referer", "").strip()
    if not claimed or claimed == "null":
        raise ForbiddenError(
            "The request's origin is not trusted: a change authenticated by a cookie must "
            "send the Origin header of a trusted site."
        )
    allowed = {origin for origin in map(origin_of, trusted) if origin is not None}
    if origin_of(claimed) not in allowed:
        raise ForbiddenError(
            "The request's origin is not trusted: only the dashboard may make changes with a "
            "session cookie."
        )

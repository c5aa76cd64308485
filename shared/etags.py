"""Entity tags for optimistic concurrency: If-Match on writes, If-None-Match on reads."""

from __future__ import annotations

from shared.errors import PreconditionFailedError

IF_MATCH_HEADER = "If-Match"
IF_NONE_MATCH_HEADER = "If-None-Match"


def _tags(header: str) -> list[str]:
    # Weak tags are compared by their opaque part: proxies that compress a response often
    # weaken its ETag, and the version behind it is still exact.
    return [part.strip().removeprefix("W/") for part in header.split(",") if part.strip()]


def matches(header: str, current: str) -> bool:
    """Whether a conditional header's list of tags (or `*`) names the current ETag."""
    tags = _tags(header)
    return "*" in tags or current in tags


def require_match(if_match: str | None, current: str) -> None:
    """412 unless If-Match is absent or names the current ETag (given with the error)."""
    if if_match is None or matches(if_match, current):
        return
    raise PreconditionFailedError(
        "The task changed since you read it: fetch it again and reapply your change.",
        details=[
            {
                "field": IF_MATCH_HEADER,
                "message": "Does not match the current ETag.",
                "currentETag": current,
            }
        ],
        headers={"ETag": current},
    )


def entity_tag(entity_id: int, version: int) -> str:
    """The strong ETag of a versioned row: `"<id>-<version>"`."""
    return f'"{entity_id}-{version}"'


IF_MATCH_DESCRIPTION = (
    'Apply the change only if the task\'s ETag is one of these (or "*"); otherwise 412 with '
    "the current ETag in the error details."
)
IF_NONE_MATCH_DESCRIPTION = "Answer 304 Not Modified, with no body, if the ETag is one of these."
ETAG_DESCRIPTION = 'The task\'s version as a strong entity tag, "<id>-<version>".'

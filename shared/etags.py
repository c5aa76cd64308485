"""Entity tags for optimistic concurrency: If-Match on writes, If-None-Match on reads."""

from __future__ import annotations

from dataclasses import dataclass

from shared.errors import PreconditionFailedError

IF_MATCH_HEADER = "If-Match"
IF_NONE_MATCH_HEADER = "If-None-Match"


@dataclass(frozen=True)
class EntityTags:
    """A conditional header (If-Match, If-None-Match) parsed: the entity tags it names, or any
    (`*`). Services take this, never the header's text."""

    tags: frozenset[str]

    @classmethod
    def parse(cls, header: str | None) -> EntityTags | None:
        """The header's tags; None when there is no header."""
        if header is None:
            return None
        # Weak tags are compared by their opaque part: proxies that compress a response often
        # weaken its ETag, and the version behind it is still exact.
        return cls(
            frozenset(part.strip().removeprefix("W/") for part in header.split(",") if part.strip())
        )

    def names(self, current: str) -> bool:
        """Whether these tags (or `*`) name the current ETag."""
        return "*" in self.tags or current in self.tags


def require_match(expected: EntityTags | None, current: str) -> None:
    """412 unless there is no precondition or it names the current ETag (given with the error)."""
    if expected is None or expected.names(current):
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

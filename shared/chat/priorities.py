"""Priority phrases: "high priority", "priority: low", "urgent", "not urgent", "P1" and friends."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .patterns import AnyPattern, Guarded
from .text import DisjointSpans

__all__ = ["PriorityHit", "find_priority"]

_LEVEL = (
    r"(?P<v>highest|high|top|lowest|low|medium|med|normal|mid|moderate|regular|urgent|critical)"
)
_VALUES = {
    "highest": "high", "high": "high", "top": "high", "urgent": "high", "critical": "high",
    "lowest": "low", "low": "low",
    "medium": "medium", "med": "medium", "normal": "medium", "mid": "medium",
    "moderate": "medium", "regular": "medium",
    "1": "high", "0": "high", "2": "medium", "3": "low",
}  # fmt: skip

# Explicit "<level> priority" / "priority <level>" phrases count anywhere in a message.
_EXPLICIT = [
    Guarded(
        r"(?:\b(?:with|at|as|of|in|to|into|a|an|be)\s+){0,3}(?:(?:very|really|super|extra)\s+)?"
        rf"\b{_LEVEL}[\s-]*(?:priority|prio|pri|importance)\b(?:\s+(?:level|task|item|todo))?",
        needles=("pri", "importance"),
    ),
    Guarded(
        r"(?:\b(?:with|at|as|of|and|the)\s+){0,3}\b(?:priority|prio)\b(?:\s+level)?\s*"
        rf"(?:is\s+|of\s+|to\s+|=\s*|:\s*|as\s+|should\s+be\s+|be\s+|level\s+)?"
        rf"(?:{_LEVEL}|(?P<n>[123])\b)",
        needles=("prio",),
    ),
    Guarded(r"\b(?:with\s+)?p(?P<n>[0-3])\b", needles=("p0", "p1", "p2", "p3")),
]
# "Not urgent" must be read before "urgent" is.
_LOW_WORDS = Guarded(
    r"(?:(?:it'?s|it\s+is|this\s+is|that'?s)\s+)?\b(?:not\s+(?:very\s+|that\s+|so\s+)?"
    r"(?:urgent|important|a\s+priority)|no\s+rush|no\s+hurry|low\s+importance|"
    r"whenever\s+i\s+(?:can|get\s+(?:a\s+|the\s+)?(?:chance|time)))\b",
    needles=("not", "rush", "hurry", "importance", "whenever"),
)
_URGENT_WORDS = ("urgent", "important", "critical")
_URGENT = r"(?P<v>urgent|important|critical|crucial|asap|a\.s\.a\.p\.?|as\s+soon\s+as\s+possible)"
# Urgency words are also ordinary title words ("email about urgent invoice"), so they only count
# where they clearly qualify the task: before the task noun, at the very start or end, after "as".
_URGENT_CONTEXTS: list[AnyPattern] = [
    Guarded(
        r"\b(?P<v>urgent|important|critical)\s+(?=(?:task|todo|to-do|item|reminder|thing)s?\b)",
        needles=_URGENT_WORDS,
    ),
    Guarded(
        r"(?:(?:it'?s|it\s+is|this\s+is|that'?s|is|very|really|super|quite|extremely|"
        rf"top|and)\s+){{0,4}}\b{_URGENT}(?:\s+please)?[\s!.)]*$",
        needles=_URGENT_WORDS + ("crucial", "asap", "a.s.a.p", "possible"),
    ),
    re.compile(rf"^{_URGENT}\s*[:!\-,]\s*"),
    Guarded(
        r"\b(?:as|it|that|this)\s+(?P<v>urgent|important|critical)\b", needles=_URGENT_WORDS
    ),
    Guarded(r"\b(?P<v>urgently)\b\s*", needles=("urgently",)),
]
# In an update ("make it urgent", "set task 3 to high") the bare words are unambiguous.
_UPDATE_ONLY = [
    Guarded(r"\b(?P<v>urgent|important|critical)\b", needles=_URGENT_WORDS),
    Guarded(
        r"(?:\b(?:to|as|be)\s+)?\b(?P<v>high|low|medium|normal)\b(?=\s*(?:$|[,.;!]|and\b|too\b|now\b))",
        needles=("high", "low", "medium", "normal"),
    ),
]


@dataclass(frozen=True)
class PriorityHit:
    """A priority value and the spans that said it."""

    value: str
    spans: tuple[tuple[int, int], ...]


def _value(m: re.Match[str]) -> str:
    groups = m.groupdict()
    text = groups.get("v") or groups.get("n") or ""
    text = text.lower()
    if text.startswith(("urgent", "important", "critical", "crucial", "asap", "a.s.a.p", "as ")):
        return "high"
    return _VALUES.get(text, "high")


# A message with more priority phrases than this states no one priority (and reading them all
# would make 2,000 characters of "urgent urgent ..." cost more than any real message).
_MOST_PHRASES = 16


def find_priority(low: str, *, update: bool = False) -> PriorityHit | None:
    """Find a priority phrase in lower-cased ``low``; ``update`` also accepts bare level words.

    The first phrase decides the value; every matching phrase is returned as a span so that the
    caller can cut them all out of a title. More than _MOST_PHRASES of them: None.
    """
    hits: list[tuple[int, int, str]] = []
    spans = DisjointSpans()
    for m in _LOW_WORDS.finditer(low):
        hits.append((m.start(), m.end(), "low"))
        spans.add(m.start(), m.end())
        if len(hits) > _MOST_PHRASES:
            return None
    patterns: list[AnyPattern] = [*_EXPLICIT, *_URGENT_CONTEXTS]
    if update:
        patterns += _UPDATE_ONLY
    for pattern in patterns:
        for m in pattern.finditer(low):
            if m.end() == m.start() or spans.overlaps(m.start(), m.end()):
                continue
            hits.append((m.start(), m.end(), _value(m)))
            spans.add(m.start(), m.end())
            if len(hits) > _MOST_PHRASES:
                return None
    if not hits:
        return None
    hits.sort()
    return PriorityHit(hits[0][2], tuple((s, e) for s, e, _ in hits))

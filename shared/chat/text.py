"""Text clean-up shared by the chat grammar: normalisation, case-aligned lowering, tidying."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left

from .patterns import Guarded

# Typographic quotes and look-alikes become ASCII so one set of patterns handles every keyboard.
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)
_INVISIBLE = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u2028-\u202f\u2060\ufeff]")


def _single_spaces(text: str) -> str:
    """``text`` with every run of white space one space, and none at either end.

    ``str.split()`` splits on exactly what ``\\s`` matches, in one pass and without a regex.
    """
    return " ".join(text.split())


def normalise(message: str) -> str:
    """Return the message with unified quotes/dashes, no control characters and single spaces."""
    text = unicodedata.normalize("NFKC", message).translate(_QUOTES)
    text = _INVISIBLE.sub(" ", text)
    return _single_spaces(text)


def lower_aligned(text: str) -> str:
    """Lower-case ``text`` character by character so that indices stay valid in the original.

    ``str.lower`` may change the length of some characters (for example a dotted capital I),
    which would shift every later span; those characters are left as they are.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


BLANK = "\x00"


def remove_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank out the given ``(start, end)`` spans, keeping every other index where it was.

    The blank is NUL rather than a space: patterns that skip spaces would otherwise walk long
    blanked runs again from every position (quadratic work on hostile input), and two words on
    either side of a cut-out phrase must not read as neighbours. :func:`tidy` turns it back.
    """
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(max(start, 0), min(end, len(chars))):
            chars[i] = BLANK
    return "".join(chars)


class DisjointSpans:
    """Non-empty ``(start, end)`` spans that do not overlap, with an overlap test in log time.

    Kept sorted by start, such spans are sorted by end too, so the only one that can overlap a
    new span is the last one starting before the new one ends: a long message with hundreds of
    phrases is checked in n log n rather than n * n.
    """

    __slots__ = ("_ends", "_starts")

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` shares a character with one of the spans."""
        i = bisect_left(self._starts, end)
        return i > 0 and self._ends[i - 1] > start

    def add(self, start: int, end: int) -> None:
        """Add a span that :meth:`overlaps` none of them."""
        i = bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)


# Edge clean-up uses str.strip: a regex like "[,;]+$" re-scans a long run from every position.
_LEFT_JUNK = " ,;:.-\x00"
_RIGHT_JUNK = " ,;:.!?-\x00"
_TRAILING_LINKS = frozenset(
    {"on", "by", "at", "due", "for", "before", "until", "till", "and", "with", "to", "from",
     "around"}
)  # fmt: skip
_SPACE_BEFORE_PUNCT = Guarded(r"\s+([,;:.!?])", needles=(",", ";", ":", ".", "!", "?"))
_DOUBLE_COMMA = Guarded(r"([,;])\s*[,;]+", needles=(",", ";"))


def tidy(text: str) -> str:
    """Collapse spaces, drop dangling connectors and punctuation left after cutting phrases out."""
    text = _single_spaces(text.replace(BLANK, " "))
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _DOUBLE_COMMA.sub(r"\1", text)
    return strip_edge_words(text, frozenset(), _TRAILING_LINKS)


def strip_edge_words(text: str, leading: frozenset[str], trailing: frozenset[str]) -> str:
    """Drop junk punctuation and the given (lower-case) words from both ends of ``text``.

    Works word by word rather than with a regex so that a long run of such words costs one pass.
    """
    words = [w for w in text.split(" ") if w]
    start, end = 0, len(words)
    while start < end:
        head = words[start].lstrip(_LEFT_JUNK)
        if not head or head.lower() in leading:
            start += 1
            continue
        words[start] = head
        tail = words[end - 1].rstrip(_RIGHT_JUNK)
        if not tail or tail.lower() in trailing:
            end -= 1
            continue
        words[end - 1] = tail
        break
    return " ".join(words[start:end])


def unquote(text: str) -> str:
    """Strip one pair of surrounding quotes (and surrounding spaces) if present."""
    text = text.strip()
    if len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0]:
        return text[1:-1].strip()
    return text


def shorten(text: str, limit: int = 60) -> str:
    """Cut ``text`` to ``limit`` characters for echoing it back in a reply."""
    text = _single_spaces(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"

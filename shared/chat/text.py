"""Text clean-up shared by the chat grammar: normalisation, case-aligned lowering, tidying."""

from __future__ import annotations

import re
import unicodedata

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
_SPACES = re.compile(r"\s+")


def normalise(message: str) -> str:
    """Return the message with unified quotes/dashes, no control characters and single spaces."""
    text = unicodedata.normalize("NFKC", message).translate(_QUOTES)
    text = _INVISIBLE.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def lower_aligned(text: str) -> str:
    """Lower-case ``text`` character by character so that indices stay valid in the original.

    ``str.lower`` may change the length of some characters (for example a dotted capital I),
    which would shift every later span; those characters are left as they are.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def remove_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank out the given ``(start, end)`` spans with spaces, keeping every other index."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(max(start, 0), min(end, len(chars))):
            chars[i] = " "
    return "".join(chars)


_EDGE_JUNK = re.compile(r"^[\s,;:.\-]+|[\s,;:\-]+$")
_TRAILING_PUNCT = re.compile(r"[\s.!?,;:\-]+$")
_LEADING_LINK = re.compile(r"^(?:to|that|about|of|:)\s+", re.IGNORECASE)
_TRAILING_LINK = re.compile(
    r"\s+(?:on|by|at|due|for|before|until|till|and|with|to|from|around)$",
    re.IGNORECASE,
)
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,;:.!?])")
_DOUBLE_COMMA = re.compile(r"([,;])\s*[,;]+")


def tidy(text: str) -> str:
    """Collapse spaces, drop dangling connectors and punctuation left after cutting phrases out."""
    text = _SPACES.sub(" ", text).strip()
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _DOUBLE_COMMA.sub(r"\1", text)
    previous = None
    while previous != text:
        previous = text
        text = _EDGE_JUNK.sub("", text)
        text = _TRAILING_PUNCT.sub("", text)
        text = _TRAILING_LINK.sub("", text)
    return text


def unquote(text: str) -> str:
    """Strip one pair of surrounding quotes (and surrounding spaces) if present."""
    text = text.strip()
    if len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0]:
        return text[1:-1].strip()
    return text


def shorten(text: str, limit: int = 60) -> str:
    """Cut ``text`` to ``limit`` characters for echoing it back in a reply."""
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"

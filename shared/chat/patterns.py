"""Regular expressions that are run only on text they could match.

A message of 2,000 characters is read by dozens of patterns, and a scan costs about the same
whether or not the text holds anything a pattern looks for. Most patterns can only match text
that contains one of a few words (a weekday name, "priority", a digit) or that ends in one. A
:class:`Guarded` pattern checks that first with substring tests (``in``, ``str.endswith``: fast
scans in C), and on text without them answers "no match" without running the regex. The answer
is the same either way: the check only rules out text the pattern cannot match, so every
``needles``/``endings`` list must hold for *every* match of its pattern.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator

__all__ = ["DIGIT", "AnyPattern", "Guarded"]

# A decimal digit in any script, as ``\d`` means it: a needle for patterns that need a number.
DIGIT = re.compile(r"\d")


class Guarded:
    """A compiled pattern with a cheap test of whether ``text`` could match at all.

    ``needles``: substrings, or one pattern, at least one of which every match contains.
    ``endings``: for patterns anchored at the end (``$``), the strings every match ends with;
    ``tail``, if given, the characters besides white space that may follow them.
    """

    __slots__ = ("endings", "needles", "pattern", "tail")

    def __init__(
        self,
        pattern: str,
        *,
        needles: Iterable[str] | re.Pattern[str] = (),
        endings: Iterable[str] = (),
        tail: str | None = None,
    ) -> None:
        self.pattern = re.compile(pattern)
        self.needles = needles if isinstance(needles, re.Pattern) else tuple(needles)
        self.endings = tuple(endings)
        self.tail = tail
        if not (self.needles or self.endings):
            raise ValueError("a guarded pattern needs needles or endings")

    def could_match(self, text: str) -> bool:
        """False only when no match is possible anywhere in ``text``."""
        needles = self.needles
        if isinstance(needles, re.Pattern):
            if needles.search(text) is None:
                return False
        elif needles:
            for needle in needles:
                if needle in text:
                    break
            else:
                return False
        if not self.endings:
            return True
        end = len(text)
        if self.tail is None:
            if text.endswith("\n"):
                end -= 1  # "$" matches just before a final newline too
        else:
            while end and (text[end - 1].isspace() or text[end - 1] in self.tail):
                end -= 1
        return text.endswith(self.endings, 0, end)

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.pattern.match(text, pos) if self.could_match(text) else None

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.pattern.fullmatch(text) if self.could_match(text) else None

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if endpos < len(text) and self.endings:
            return self.pattern.search(text, pos, endpos)  # "$" is then at endpos: no shortcut
        return self.pattern.search(text, pos, endpos) if self.could_match(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self.could_match(text) else iter(())

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self.pattern.sub(repl, text) if self.could_match(text) else text


AnyPattern = re.Pattern[str] | Guarded  # where guarded and plain patterns are tried in turn

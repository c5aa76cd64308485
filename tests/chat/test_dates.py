"""Date phrases at the end of a message: the end zone is read as the one regex it replaced."""

from __future__ import annotations

import random
import re

from shared.chat.dates import _in_end_zone

# Punctuation and connectors only, to the end: what may follow a date said last.
END_ZONE = re.compile(r"[\s,.!?;:)(\-\x00]*(?:(?:on|at|by|and|in|the|due)\b[\s,.!?;:)(\-\x00]*)*")
PIECES = ["on", "at", "by", "and", "in", "the", "due", "one", "x", "at5", " ", "  ", ",", ".",
          "!", "-", "(", ")", "\x00", "\n", "é", "_", "5"]  # fmt: skip


def test_end_zone_answers_as_the_regex() -> None:
    rng = random.Random(3)
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 14)))
        known: dict[int, bool] = {}
        starts = list(range(len(text) + 1))
        rng.shuffle(starts)  # answers already known for other starts must not change one
        for start in starts:
            expected = END_ZONE.fullmatch(text, start) is not None
            assert _in_end_zone(text, start, known) == expected, (text, start)

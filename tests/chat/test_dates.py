"""Date phrases: the end zone is read as the one regex it replaced; a message naming dozens
of dates (or priorities) names none."""

from __future__ import annotations

import random
import re
from datetime import datetime

from shared.chat.dates import _in_end_zone, find_when
from shared.chat.priorities import find_priority

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


NOW = datetime(2026, 11, 25, 10, 0)  # a Wednesday


def test_a_few_date_phrases_give_one_due_date() -> None:
    said = "call mom on friday at 5pm, not monday, not tuesday, not the 3rd"
    assert find_when(said, NOW).due == "2026-11-27T17:00"


def test_dozens_of_date_phrases_give_none() -> None:
    # Hostile or pasted text: no one date is meant, and reading them all would cost more than
    # any real message does.
    assert find_when("monday " * 17, NOW).due is None
    assert find_when("tomorrow at 5pm march 3 " * 20, NOW).due is None
    assert find_when("monday " * 16, NOW).due == "2026-11-30"


def test_dozens_of_priority_phrases_give_none() -> None:
    assert find_priority("high priority " * 17) is None
    hit = find_priority("high priority " * 16)
    assert hit is not None and hit.value == "high" and len(hit.spans) == 16

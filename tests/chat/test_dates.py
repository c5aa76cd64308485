"""Date phrases: the end zone is read as the one regex it replaced; a message naming dozens
of dates (or priorities) names none."""

from __future__ import annotations

import random
import re
from datetime import datetime

import pytest

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


CHRISTMAS_EVE = datetime(2026, 12, 24, 8, 15)


@pytest.mark.parametrize(
    ("said", "due"),
    [
        ("ring the grandkids christmas day 7pm", "2026-12-25T19:00"),
        ("call nan on christmas eve", "2026-12-24"),  # today is christmas eve: today
        ("pay the sitter by new year's eve", "2026-12-31"),
        ("renew the lease new years day", "2027-01-01"),
        ("carve pumpkins for halloween", "2027-10-31"),  # passed this year: next year's
        ("send roses by valentine's", "2027-02-14"),
        ("drop the cat at the cattery on boxing day at 9", "2026-12-26T09:00"),
    ],
)
def test_a_fixed_holiday_is_its_next_date(said: str, due: str) -> None:
    assert find_when(said, CHRISTMAS_EVE).due == due


@pytest.mark.parametrize(
    "said",
    [
        "buy a christmas tree",  # a noun after it: the holiday names a thing
        "book the new year's eve dinner",
        "buy crackers for christmas lunch",
        "visit grandma over christmas",  # a stretch around it, not a day
        "take the lights down after christmas",
        "wish her a merry christmas",
        "buy valentines",  # the plain name only after "on", "by", "for", ...
        "email bill nye",
    ],
)
def test_a_holiday_that_is_no_due_date(said: str) -> None:
    assert find_when(said, CHRISTMAS_EVE).due is None


def test_a_holiday_gives_way_to_a_day_said() -> None:
    # "book dinner for valentines on feb 14": the holiday stays in the title
    title = "book dinner for valentines"
    when = find_when(f"{title} on feb 14", CHRISTMAS_EVE)
    assert when.due == "2027-02-14"
    assert all(start >= len(title) for start, _ in when.spans)


@pytest.mark.parametrize(
    ("said", "due"),
    [("return the laptop fri", "2026-12-25"), ("meet sam thurs 3pm", "2026-12-31T15:00"),
     ("book the vet tues", "2026-12-29")],
)  # fmt: skip
def test_short_weekday_names_that_are_no_words_may_end_a_message(said: str, due: str) -> None:
    assert find_when(said, CHRISTMAS_EVE).due == due


@pytest.mark.parametrize("said", ["the cat sat", "fried rice", "frisbee", "sun cream"])
def test_short_weekday_names_that_are_words_need_a_connector(said: str) -> None:
    assert find_when(said, CHRISTMAS_EVE).due is None

"""The grammar's cost on messages made to make regexes backtrack: each is read once."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from shared.chat.grammar import _ACK, _THANKS
from shared.chat.interpreter import TaskRef, interpret

NOW = datetime(2026, 3, 2, 9, 0)
TASKS = [TaskRef(1, "Buy milk"), TaskRef(2, "Call mom")]


@pytest.mark.parametrize(
    "unit",
    ["thank you ", "thanks, thats all for now ", "ok thats all for today ", "thank you so much "],
)
def test_long_runs_of_thanks_and_sign_offs_cost_what_short_ones_do(unit: str) -> None:
    # With every way of reading "thank you" (one piece or two) tried again at each failure, 20
    # of these already took half a second and 2,000 characters would never end.
    for tail in ("", "x", " 7"):
        message = (unit * 200)[:1990] + tail
        start = time.process_time()
        interpret(message, now=NOW, tasks=TASKS)
        assert time.process_time() - start < 0.5


@pytest.mark.parametrize(
    "said",
    ["thank you", "thank you thank you", "thanks, thats all for now", "thank you so much, bye",
     "ok thats all for today", "great job, thats it for tonight", "thanks for now", "ok cool"],
)  # fmt: skip
def test_runs_of_thanks_and_sign_offs_are_still_small_talk(said: str) -> None:
    assert _THANKS.fullmatch(said) or _ACK.fullmatch(said)
    assert interpret(said, now=NOW, tasks=TASKS).tool == "none"

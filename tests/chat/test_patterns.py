"""The guards of ``shared/chat/patterns.py`` never hide a match.

A guarded pattern answers "no match" without running when a cheap substring test fails; that is
only right if every text the pattern matches passes the test. Hypothesis draws texts from each
pattern itself, and the phrasing sets add real messages.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.chat import dates, grammar, interpreter, matching, priorities, text, typos
from shared.chat.patterns import Guarded

HERE = Path(__file__).resolve().parent
MESSAGES = [
    json.loads(line)["message"].lower()
    for path in sorted(HERE.glob("*.jsonl"))
    for line in path.open(encoding="utf-8")
    if line.strip()
]


def _guarded() -> list[tuple[str, Guarded]]:
    found = []
    for module in (dates, grammar, interpreter, matching, priorities, text, typos):
        for name, value in vars(module).items():
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                if isinstance(item, Guarded):
                    suffix = f"[{index}]" if isinstance(value, list) else ""
                    found.append((f"{module.__name__.rsplit('.', 1)[1]}.{name}{suffix}", item))
    return found


GUARDED = _guarded()


def test_the_costly_patterns_are_guarded() -> None:
    assert len(GUARDED) >= 50


@pytest.mark.parametrize("guarded", [g for _, g in GUARDED], ids=[n for n, _ in GUARDED])
def test_a_guard_never_hides_a_match(guarded: Guarded) -> None:
    for message in MESSAGES:
        if guarded.pattern.search(message):
            assert guarded.could_match(message), message

    @settings(max_examples=25, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.from_regex(guarded.pattern))
    def drawn(said: str) -> None:
        if guarded.pattern.search(said):
            assert guarded.could_match(said), said

    drawn()


def test_guarded_calls_answer_as_the_pattern_does() -> None:
    guarded = Guarded(r"(?P<w>done|finished)$", endings=("done", "finished"))
    plain = guarded.pattern
    for said in ("it is done", "it is done\n", "done or not", "finished!", ""):
        assert bool(guarded.search(said)) == bool(plain.search(said))
        assert bool(guarded.match(said)) == bool(plain.match(said))
        assert bool(guarded.fullmatch(said)) == bool(plain.fullmatch(said))
        assert guarded.sub("x", said) == plain.sub("x", said)
        assert [m.span() for m in guarded.finditer(said)] == [
            m.span() for m in plain.finditer(said)
        ]
    tailed = Guarded(r"\bplease[\s.!?]*$", endings=("please",), tail=".!?")
    assert tailed.could_match("add milk please !! \n")
    assert not tailed.could_match("add milk please, x")
    with pytest.raises(ValueError):
        Guarded(r"x")

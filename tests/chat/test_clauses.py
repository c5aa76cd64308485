"""The clause layer on its own: where a message splits, and which clause is the command."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

import pytest

from shared.chat.clauses import MAX_CLAUSES, choose, split
from shared.chat.interpreter import TaskRef, interpret


def _texts(message: str) -> list[str]:
    low = message.lower()
    return [low[c.start : c.end] + (" (why)" if c.reason else "") for c in split(low)]


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        ("the flu jab for mum - cancel it, she got it at the pharmacy",
         ["the flu jab for mum", "cancel it", "she got it at the pharmacy"]),
        ("uncheck the notes; she wants them redone",
         ["uncheck the notes", "she wants them redone"]),
        ("delete it. the shop closed!", ["delete it", "the shop closed"]),
        ("remind me to call mom because it's her birthday",
         ["remind me to call mom", "it's her birthday (why)"]),
        ("move it cuz the vet is away", ["move it", "the vet is away (why)"]),
        ("the cake pickup, delete it, grandma's baking one",
         ["the cake pickup", "delete it", "grandma's baking one"]),
        ("the cake pickup \u2026 delete it", ["the cake pickup", "delete it"]),
    ],
)  # fmt: skip
def test_split_at_commas_dashes_stops_and_reasons(message: str, parts: list[str]) -> None:
    assert _texts(message) == parts


@pytest.mark.parametrize(
    "message",
    [
        "send 1,000 to the printer",  # a comma inside a number
        "renew the passport by june 3, 2027",  # a comma before a year
        "email dr. park the consent form",  # a full stop after a title
        "baby-proof the stairs",  # a dash inside a word
        "pay rent on the 1st",
    ],
)
def test_no_split_inside_numbers_dates_names_and_words(message: str) -> None:
    assert _texts(message) == [message]


def test_empty_clauses_are_left_out() -> None:
    assert _texts("delete it,, ok.") == ["delete it", "ok"]


def test_too_many_clauses_is_no_command_with_remarks() -> None:
    many = ", ".join(["milk"] * (MAX_CLAUSES + 1))
    assert split(many) == []
    assert len(split(", ".join(["milk"] * MAX_CLAUSES))) == MAX_CLAUSES


def test_split_is_linear() -> None:
    # A long run of boundaries is one pass: this would take seconds if each one rescanned.
    hostile = ", " * 50_000 + "a" + " -" * 50_000
    started = time.perf_counter()
    split(hostile, limit=10**6)
    assert time.perf_counter() - started < 1.0


@dataclass
class _Reading:
    intent: str
    target: str | None


_COMMANDS = {"the notes got sent": "complete", "delete it": "delete", "cancel it": "delete",
             "uncheck the notes": "reopen", "move it to friday": "update",
             "add milk": "add"}  # fmt: skip
_TASKS = ("the cake pickup", "the flu jab", "the notes", "the roses")


def _read(part: str) -> _Reading | None:
    part = part.strip().lower().removeprefix("actually ").removeprefix("just ")
    intent = _COMMANDS.get(part)
    if intent is None:
        return None
    target = next((t for t in _TASKS if t in part), "it") if intent != "add" else None
    return _Reading(intent, target)


def _topic(part: str) -> str | None:
    return next((t for t in _TASKS if part.strip().lower().startswith(t)), None)


def _choose(*parts: str) -> _Reading | None:
    return choose(list(parts), _read, _topic, lambda t: t == "it")


def test_the_command_clause_takes_its_task_from_an_earlier_clause() -> None:
    assert _choose("the cake pickup", "delete it", "grandma's baking one") == _Reading(
        "delete", "the cake pickup"
    )


def test_remarks_are_dropped_wherever_they_are() -> None:
    assert _choose("she changed her mind", "uncheck the notes") == _Reading("reopen", "the notes")
    assert _choose("uncheck the notes", "sister wants them redone") == _Reading(
        "reopen", "the notes"
    )


def test_no_command_clause_is_none() -> None:
    # A remark never becomes a command, nor a new task, by itself.
    assert _choose("the cake pickup", "grandma's baking one") is None


def test_it_without_a_named_task_stays_it() -> None:
    assert _choose("ugh", "delete it") == _Reading("delete", "it")


def test_the_first_command_wins_unless_taken_back() -> None:
    assert _choose("delete it", "move it to friday") == _Reading("delete", "it")
    assert _choose("the roses", "move it to friday", "actually just delete it") == _Reading(
        "delete", "the roses"
    )


def test_a_command_on_it_right_after_makes_the_clause_before_its_topic() -> None:
    # "return the drill to ben - delete that": the first clause may read as a command itself.
    assert _choose("uncheck the notes", "delete it") == _Reading("delete", "the notes")
    assert _choose("uncheck the notes", "ok", "delete it") == _Reading("reopen", "the notes")


def test_an_order_outranks_a_statement_in_an_earlier_clause() -> None:
    def order(part: str) -> bool:
        return part.startswith(("delete", "uncheck", "move"))

    def pronoun(target: str) -> bool:
        return target == "it"

    said = ["the notes got sent", "delete it"]
    assert choose(said, _read, _topic, pronoun, order) == _Reading("delete", "the notes")
    assert choose(said[::-1], _read, _topic, pronoun, order) == _Reading("delete", "it")


# Through the interpreter: the clause layer on whole messages.
_NOW = datetime(2026, 5, 1, 9, 0)  # a Friday
_LIST = [
    TaskRef(1, "Call the plumber"), TaskRef(2, "Buy milk"), TaskRef(4, "Pay rent", True),
    TaskRef(5, "Book dentist appointment"), TaskRef(6, "Fix bike tire"),
    TaskRef(7, "Book vet for Miso", True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("message", "tool", "args"),
    [
        ("so, the plumber came, mark it done", "complete_task", {"taskId": 1}),
        ("i didn't pay rent, the bank was closed", "reopen_task", {"taskId": 4}),
        ("cancel the dentist, i'm feeling better", "delete_task", {"taskId": 5}),
        ("buy eggs, flour and sugar tomorrow", "add_task",
         {"title": "buy eggs, flour and sugar", "due": "2026-05-02"}),
        ("buy bread, we're out", "add_task", {"title": "buy bread"}),
        ("pick up kids at 3, school ends early", "add_task",
         {"title": "pick up kids", "due": "2026-05-01T15:00"}),
        ("i gotta call the bank tomorrow morning, remind me", "add_task",
         {"title": "call the bank", "due": "2026-05-02T09:00"}),
        ("buy stamps - add it please", "add_task", {"title": "buy stamps"}),
        ("i'm so tired, remind me to go to bed early", "add_task", {"title": "go to bed early"}),
        ("email tom for me, he's waiting", "none", {}),
        ("the plumber, he's coming friday", "none", {}),
        ("sorry, i meant friday", "none", {}),
        ("the bike tire, delte it, i sold the bike", "delete_task", {"taskId": 6}),
        ("vet for miso isnt booked actualy, the clinic cancelled", "reopen_task", {"taskId": 7}),
        ("add pay the gas bill since it's due friday", "add_task",
         {"title": "pay the gas bill", "due": "2026-05-08"}),
    ],
)  # fmt: skip
def test_clauses_in_whole_messages(message: str, tool: str, args: dict[str, object]) -> None:
    result = interpret(message, now=_NOW, tasks=_LIST, last_task_id=2)
    assert (result.tool, result.args) == (tool, args)

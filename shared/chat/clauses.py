"""Clauses of a chat message: which one carries the command, which one names its task.

People say a command and, in another clause, a remark or a reason: "the flu jab for mum -
cancel it, she got it at the pharmacy", "uncheck the handover notes, sister wants them
redone", "laundry isn't done after all, the machine broke". Read as one sentence, the remark
becomes part of the task's name (and nothing fits) or the whole message a new task. This
module splits a message into clauses and picks, among them, the one that says what to do and
the one that names "it"; every other clause is a remark and is dropped.

It knows no grammar itself: the caller says what a clause asks for (``read``) and which task
words it holds (``topic``), so the same choice serves any reading of a clause.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

__all__ = ["Clause", "Reading", "choose", "split"]

# A boundary between clauses: a comma (not inside a number, "1,000", nor before a year, "June 3,
# 2026"), a semicolon, a dash between spaces, the end of a sentence, or a word that gives a
# reason. One pass over the text: the split costs time in proportion to the message's length.
_BOUNDARY = re.compile(
    r"\s*(?:,(?!\d)(?!\s?\d{4}\b)|;|\s-+(?=\s)|(?P<stop>[.!?]+|\u2026)(?=\s|$)|"
    r"\s(?P<why>because|since|cuz|coz|cos|'cause|bc|as(?=\s+(?:i|we|she|he|they)\b))(?=\s|$)|"
    # "..., so remove that", "the buyer flaked so it's not sold anymore": what follows "so" is a
    # clause of its own, a verb and its object or a subject and its verb ("so far", "so tired"
    # are not); "so that's not done", "so that one isn't done" point back at the task named
    # before ("so that i can" is a purpose, not a clause)
    r"\s(?:and\s+)?so(?=\s+(?:(?:just|pls|please|plz|then|now)\s+)*(?:[a-z]+\s+(?:it|that|this|"
    r"them|the|my|our|his|her|their|[a-z]+'s)\b|(?:it|they|i|we|she|he|there)(?:'s|'re|'m|s)?\s|"
    r"(?:that|this)(?:'s|s|\s+one|\s+task|\s+is|\s+was)\s)))"
    r"\s*"
)
# A full stop after these is part of a name ("Dr. Park", "St. Louis"), not a sentence's end.
_ABBREVIATIONS = frozenset(
    {"dr", "mr", "mrs", "ms", "st", "vs", "jr", "sr", "prof", "mt", "no", "approx", "etc",
     "e.g", "i.e", "a.m", "p.m", "ft", "ave"}
)  # fmt: skip
# A clause that takes back what came before: "the roses can wait til spring, actually just
# delete it", "move it to friday - no, delete it".
_CORRECTION = re.compile(
    r"^(?:actually|no|nah|nope|wait|hmm+|on\s+second\s+thoughts?|scratch\s+that|or\s+rather|"
    r"better\s+yet|in\s+fact)\b"
)
MAX_CLAUSES = 6  # a command with its remarks has two or three; more is a list or a paste


@dataclass(frozen=True)
class Clause:
    """A span of the message, and whether it only says why ("because ...", "since ...")."""

    start: int
    end: int
    reason: bool = False


def split(low: str, limit: int = MAX_CLAUSES) -> list[Clause]:
    """The clauses of ``low`` (the lower-cased message), in order.

    Empty clauses (",," or a trailing full stop) are left out. A message of more than
    ``limit`` clauses is no command with remarks ("milk, eggs, flour, ..."): none are given.
    """
    clauses: list[Clause] = []
    start, reason = 0, False
    for m in _BOUNDARY.finditer(low):
        if len(clauses) >= limit:
            return []
        if m.group("stop") and m.group("stop") == "." and _abbreviation_before(low, m.start()):
            continue
        if m.start() > start:
            clauses.append(Clause(start, m.start(), reason))
        start, reason = m.end(), m.group("why") is not None
    if start < len(low) and low[start:].strip():
        clauses.append(Clause(start, len(low), reason))
    return clauses if len(clauses) <= limit else []


def _abbreviation_before(low: str, end: int) -> bool:
    begin = end
    while begin > 0 and (low[begin - 1].isalpha() or low[begin - 1] == "."):
        begin -= 1
        if end - begin > 6:
            return False
    return low[begin:end] in _ABBREVIATIONS


class Reading(Protocol):
    """A command read from a clause, with the words naming its task (None if it names none)."""

    target: str | None


R = TypeVar("R", bound=Reading)


def choose(
    parts: Sequence[str],
    read: Callable[[str], R | None],
    topic: Callable[[str], str | None],
    is_pronoun: Callable[[str], bool],
    imperative: Callable[[str], bool] = lambda part: False,
) -> R | None:
    """The command the clauses ``parts`` carry, with its task named by an earlier clause.

    ``read(clause)`` is the command a clause says on its own, or None for a remark (it must
    never return a new task the clause does not ask for in so many words: a remark cannot
    add a task). ``topic(clause)`` is the task words a clause holds ("the cake pickup"), or
    None. The first clause with a command wins, unless a later one takes it back ("actually,
    ...") or the next one is a command on "it" (then the first only named its task), or the
    first was a statement and a later clause is an order (``imperative``). When
    the command's task is "it"/"that one", the nearest clause before it that names a task is
    what "it" means ("the cake pickup, delete it, grandma's baking one"). None when no clause
    carries a command.
    """
    topics: list[str] = []
    chosen: R | None = None
    just_chosen = False  # the clause before this one gave ``chosen``
    ordered = False  # ``chosen`` was an order, not a statement
    for part in parts:
        overrides = _CORRECTION.match(part.strip().lower()) or (not ordered and imperative(part))
        if chosen is not None and not overrides:
            if just_chosen and chosen.target and not is_pronoun(chosen.target):
                # "return the drill to ben - delete that": a command on "that" right after a
                # clause that names a task makes that clause its topic, whatever it read as.
                reading = read(part)
                if reading is not None and reading.target and is_pronoun(reading.target):
                    reading.target = chosen.target
                    chosen = reading
            just_chosen = False
            continue
        reading = read(part)
        if reading is None:
            named = topic(part)
            if named:
                topics.append(named)
            continue
        if reading.target is None:
            pass  # a new task or a list names no task
        elif is_pronoun(reading.target):
            if topics:
                reading.target = topics[-1]
        elif reading.target:
            topics.append(reading.target)  # a command taken back still named its task
        chosen, just_chosen, ordered = reading, True, imperative(part)
    return chosen

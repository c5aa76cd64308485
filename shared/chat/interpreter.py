"""Offline interpreter: one plain-English todo message becomes exactly one tool call (or none).

The tools are those of the registry in :mod:`.tools`; their argument conventions are specified
in specs/chat.md ("The built-in interpreter"). The work is
split into small modules: :mod:`.grammar` decides what is asked, :mod:`.dates` and
:mod:`.priorities` read the slots, :mod:`.matching` finds the task the words name, and
:mod:`.replies` words the answer. This module resolves task references and assembles the result.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from .dates import Shift, shift_due
from .grammar import Command, parse
from .matching import Match, TitleIndex, content_stems, query_stems, stem, title_index
from .replies import ambiguous_reply, none_reply, not_found_reply
from .text import normalise, tidy, unquote
from .tools import TOOLS, ToolName

__all__ = ["Interpretation", "TaskRef", "interpret"]

_log = logging.getLogger(__name__)

# The chat endpoint's own limit: anything it accepts is interpreted; longer text is refused
# here too, which bounds the work done per message when the interpreter is called directly.
MAX_MESSAGE_CHARS = 2000


@dataclass(frozen=True)
class TaskRef:
    """A task as the interpreter sees it."""

    id: int
    title: str
    completed: bool = False
    priority: str | None = None
    due: str | None = None  # local YYYY-MM-DD or YYYY-MM-DDTHH:MM, for relative moves


@dataclass(frozen=True)
class Interpretation:
    """The tool call a message asks for, and what to say about it."""

    tool: ToolName | Literal["none"]
    # the tool's wire arguments as specs/chat.md gives them (absent slots omitted)
    args: dict[str, Any]
    reply: str  # what the assistant says when no tool runs (a tool's reply is its summary)
    candidates: tuple[int, ...] = ()  # task ids when the reference is ambiguous


_ID_REF = re.compile(
    r"(?:\b(?:task|todo|to-do|item|number|no\.?|num|id)\s*(?:number\s*|no\.?\s*|#\s*)?|#\s*)"
    r"(?P<id>\d{1,9})\b|^\s*(?P<bare>\d{1,9})\s*$"
)
_PRONOUN = re.compile(
    # ("that ones done": "one's" without its apostrophe)
    r"^(?:it|its|that|thats|this|them|that\s+ones?|this\s+ones?|the\s+one|last\s+one|"
    r"(?:that|the|this)\s+last\s+(?:one|task|todo|item)|"
    r"(?:that|this|the|my)\s+(?:task|todo|to-do|item|reminder)|"
    r"the\s+(?:last|latest|previous|new|newest|same)\s+(?:one|task|todo|item)|"
    r"the\s+one\s+(?:i\s+)?(?:just\s+)?(?:added|made|created|mentioned|said)|"
    r"what\s+i\s+just\s+added)$"
)
_HAS_LATIN = re.compile(r"[A-Za-z]")
_WORDS = re.compile(r"[^\W_]+")
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}  # fmt: skip
_WORD_ID = re.compile(
    r"\b(?P<pre>task|todo|item|number|no\.?|#)\s*(?P<n>" + "|".join(_NUMBER_WORDS) + r")\b"
)
_ORDINAL_POSITIONS = {
    "first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "sixth": 5, "seventh": 6,
    "eighth": 7, "ninth": 8, "tenth": 9, "1st": 0, "2nd": 1, "3rd": 2, "4th": 3, "5th": 4,
}  # fmt: skip
_ORDINAL_REF = re.compile(
    r"^(?:the\s+|my\s+)?(?P<n>" + "|".join(_ORDINAL_POSITIONS) + r")\s+(?:one|task|todo|item)"
    r"(?:\s+(?:on|in)\s+(?:the|my)\s+list)?$"
)


def _number_words_to_digits(low: str) -> str:
    """"task three" -> "task 3", so that spelled-out ids work like digits."""
    return _WORD_ID.sub(lambda m: f"{m.group('pre')} {_NUMBER_WORDS[m.group('n')]}", low)


@dataclass(frozen=True)
class _Resolved:
    kind: str  # found | ambiguous | none | need_last | multiple
    task_id: int | None = None
    candidates: tuple[int, ...] = ()


@dataclass(frozen=True)
class _Reading:
    """What the words naming a task say before any title is looked up."""

    phrase: str  # tidied, unquoted
    pronoun: bool  # "it", "that one", ...
    ordinal: re.Match[str] | None  # "the second task"
    refs: list[re.Match[str]]  # ids: "task 3", "#3", "task three"
    low: str  # lower-cased, number words as digits; what ``ordinal`` and ``refs`` index

    def without_first_ref(self) -> str:
        ref = self.refs[0]
        return self.low[: ref.start()] + " " + self.low[ref.end() :]


class _Resolver:
    """Turns the words naming a task into a task id, with memoised look-ups per message."""

    def __init__(self, tasks: Sequence[TaskRef], last_task_id: int | None, now: datetime) -> None:
        self.tasks = tasks
        self.last_task_id = last_task_id
        self.now = now
        self._cache: dict[tuple[str, bool, bool], _Resolved] = {}
        self._readings: dict[str, _Reading] = {}
        self._index: TitleIndex | None = None  # built on the first title look-up

    def resolve(
        self,
        phrase: str,
        *,
        prefer_pending: bool = False,
        prefer_done: bool = False,
        exclude: str | None = None,
    ) -> _Resolved:
        key = (phrase, prefer_pending, prefer_done)
        if key not in self._cache:
            self._cache[key] = self._resolve(phrase, prefer_pending, prefer_done)
        resolved = self._cache[key]
        if exclude and resolved.kind == "ambiguous":
            return self._without(resolved, exclude)
        return resolved

    def _without(self, resolved: _Resolved, exclude: str) -> _Resolved:
        """ "X, not the cottage one": the candidates whose titles do not have those words."""
        said = set(content_stems(exclude))
        titles = {t.id: t.title for t in self.tasks}
        kept = tuple(c for c in resolved.candidates
                     if not said & set(content_stems(titles.get(c, ""))))  # fmt: skip
        if len(kept) == 1:
            return _Resolved("found", kept[0])
        if kept:
            return _Resolved("ambiguous", None, kept)
        return resolved

    def shifted_due(self, task_id: int, shift: Shift) -> str:
        """The task's due moved by ``shift``, keeping its time of day; from today if it has none
        (from now for a move in hours)."""
        due = next((t.due for t in self.tasks if t.id == task_id), None)
        if due is None:
            now = self.now
            due = now.strftime("%Y-%m-%dT%H:%M") if shift.hours else now.date().isoformat()
        return shift_due(due, shift)

    def at_its_time(self, task_id: int, day: str) -> str:
        """``day`` (YYYY-MM-DD) at the time of day the task is due now, if it has one."""
        due = next((t.due for t in self.tasks if t.id == task_id), None)
        if due is None or "T" not in due:
            return day
        return f"{day}T{due.split('T', 1)[1]}"

    def _read(self, phrase: str) -> _Reading:
        # fit() and resolve() both read every phrase the grammar tries: read each once.
        reading = self._readings.get(phrase)
        if reading is None:
            clean = unquote(tidy(phrase))
            low = clean.lower()
            if _PRONOUN.match(low):
                reading = _Reading(clean, True, None, [], low)
            else:
                low = _number_words_to_digits(low)
                reading = _Reading(clean, False, _ORDINAL_REF.match(low),
                                   list(_ID_REF.finditer(low)), low)  # fmt: skip
            self._readings[phrase] = reading
        return reading

    def _by_title(self, phrase: str, prefer_pending: bool, prefer_done: bool) -> Match:
        query = query_stems(phrase)
        if not query or not self.tasks:
            return Match("none")  # nothing to look up: the titles need no index
        if self._index is None:
            self._index = title_index(self.tasks)
        return self._index.match_stems(query, prefer_pending=prefer_pending,
                                       prefer_done=prefer_done)  # fmt: skip

    def _resolve(self, phrase: str, prefer_pending: bool, prefer_done: bool) -> _Resolved:
        reading = self._read(phrase)
        if reading.pronoun:
            if self.last_task_id is None:
                return _Resolved("need_last")
            return _Resolved("found", self.last_task_id)
        if reading.ordinal and self.tasks:
            # "the second task": a position in the list as the person last saw it.
            index = _ORDINAL_POSITIONS[reading.ordinal.group("n")]
            if index < len(self.tasks):
                return _Resolved("found", self.tasks[index].id)
            return _Resolved("none")
        refs = reading.refs
        if len({m.group("id") or m.group("bare") for m in refs}) > 1:
            return _Resolved("multiple")
        if refs:
            ref = refs[0]
            task_id = int(ref.group("id") or ref.group("bare"))
            if not content_stems(reading.without_first_ref()):
                return _Resolved("found", task_id)
            # "Review PR #42" is a title that contains a number: prefer the title if it fits.
            by_title = self._by_title(reading.phrase, prefer_pending, prefer_done)
            if by_title.kind == "found":
                return _Resolved("found", by_title.task_id)
            return _Resolved("found", task_id)
        found = self._by_title(reading.phrase, prefer_pending, prefer_done)
        if found.kind == "none":
            return _Resolved("none")
        if found.kind == "ambiguous":
            told_apart = self._by_ignored_words(reading.phrase, found.candidates)
            if told_apart is not None:
                return _Resolved("found", told_apart)
        return _Resolved(found.kind, found.task_id, found.candidates)

    def _by_ignored_words(self, phrase: str, candidates: tuple[int, ...]) -> int | None:
        """Tell apart titles that differ only in words the matcher ignores ("Send invoice to
        Acme", "Send invoice reminder to Acme"): the one that has more of the words said, then
        the one with fewer words left unsaid. None when that does not decide."""
        titles = {t.id: t.title for t in self.tasks if t.id in candidates}
        if len(titles) < 2 or len({frozenset(content_stems(t)) for t in titles.values()}) > 1:
            return None
        said = {stem(w) for w in _WORDS.findall(phrase.lower())}
        keys = {}
        for task_id, title in titles.items():
            words = {stem(w) for w in _WORDS.findall(title.lower())}
            keys[task_id] = (len(words & said), -len(words - said))
        best = max(keys.values())
        winners = [task_id for task_id, key in keys.items() if key == best]
        return winners[0] if len(winners) == 1 else None

    def fit(
        self, phrase: str, *, done: bool | None = None, title_has: tuple[str, ...] = ()
    ) -> float:
        """How well ``phrase`` names a task: 2 for an id or a usable pronoun, 1.5 for a title said
        word for word, 1 for a title named loosely.

        With ``done`` only a task that is (True) or is not (False) completed counts, with
        ``title_has`` only one whose title has one of those words (see :class:`.grammar.Fit`).
        """
        score = self._fit(phrase)
        if score <= 0 or (done is None and not title_has):
            return score
        return score if self._names_one_that_is(phrase, done, title_has) else 0.0

    def _names_one_that_is(
        self, phrase: str, done: bool | None, title_has: tuple[str, ...]
    ) -> bool:
        resolved = self.resolve(phrase, prefer_pending=done is False, prefer_done=done is True)
        named = resolved.candidates if resolved.kind == "ambiguous" else (resolved.task_id,)
        wanted = {stem(word) for word in title_has}
        return any(
            task.id in named
            and (done is None or task.completed == done)
            and (not wanted or not wanted.isdisjoint(content_stems(task.title)))
            for task in self.tasks
        )

    def _fit(self, phrase: str) -> float:
        reading = self._read(phrase)
        if reading.pronoun:
            return 2.0 if self.last_task_id is not None else 0.0
        if reading.ordinal:
            return 2.0
        if reading.refs and not content_stems(reading.without_first_ref()):
            return 2.0
        resolved = self.resolve(phrase)
        if resolved.kind in ("found", "ambiguous"):
            # Longer phrases that still fit are the better split ("go to gym" over "go"), but
            # none beats one that says a title word for word: "rename pay rent to pay june rent
            # to Declan" names "Pay rent", not "pay rent to pay june rent".
            said = content_stems(phrase)
            whole = resolved.kind == "found" and set(said) == set(
                content_stems(self._title(resolved.task_id))
            )
            return (1.5 if whole else 1.0) + min(len(said), 10) / 100
        return 0.0

    def _title(self, task_id: int | None) -> str:
        return next((t.title for t in self.tasks if t.id == task_id), "")


def _none(reason: str, subject: str = "") -> Interpretation:
    return Interpretation("none", {}, none_reply(reason, subject))


def _slots(command: Command, tool: ToolName) -> dict[str, Any]:
    """The command's values for the tool's arguments, by their wire names (unset ones left out)."""
    args: dict[str, Any] = {}
    for name, info in TOOLS[tool].args.model_fields.items():
        value = getattr(command, name, None)
        if value:
            args[info.alias or name] = value
    return args


def _build(command: Command, resolver: _Resolver) -> Interpretation:
    if command.intent == "none":
        return _none(command.reason or "unknown", command.subject)
    tool = command.intent
    if "task_id" not in TOOLS[tool].args.model_fields:
        args = _slots(command, tool)
        if tool == "list_tasks":
            args.setdefault("status", "all")
        return Interpretation(tool, args, "")
    target = command.target or "it"
    # A change of plan is about a task still to do: moving or raising a twin that is done
    # already is rarely meant.
    prefer_pending = tool in ("complete_task", "update_task")
    resolved = resolver.resolve(target, prefer_pending=prefer_pending,
                                prefer_done=tool == "reopen_task",
                                exclude=command.exclude)  # fmt: skip
    if resolved.kind == "need_last":
        return _none("need_last")
    if resolved.kind == "multiple":
        return _none("bulk")
    if resolved.kind == "none":
        return Interpretation("none", {}, not_found_reply(target))
    if resolved.kind == "ambiguous":
        titles = {task.id: task.title for task in resolver.tasks}
        return Interpretation(
            "none", {}, ambiguous_reply(resolved.candidates, titles), resolved.candidates
        )
    assert resolved.task_id is not None
    if command.shift is not None:
        command.due = resolver.shifted_due(resolved.task_id, command.shift)
    elif command.keep_time and command.due and "T" not in command.due:
        command.due = resolver.at_its_time(resolved.task_id, command.due)
    args = {"taskId": resolved.task_id, **_slots(command, tool)}
    if tool == "update_task" and len(args) == 1:
        return _none("unknown")
    return Interpretation(tool, args, "")


def _interpret(
    message: str, now: datetime, tasks: Sequence[TaskRef], last_task_id: int | None
) -> Interpretation:
    if not isinstance(message, str):
        return _none("empty")
    if len(message) > 4 * MAX_MESSAGE_CHARS:
        return _none("too_long")  # do not even normalise a pasted essay
    text = normalise(message)
    if not text:
        return _none("empty")
    if len(text) > MAX_MESSAGE_CHARS:
        return _none("too_long")
    if not _HAS_LATIN.search(text):
        if re.search(r"[^\W\d_]", text):
            return _none("not_english")
        return _none("unknown" if re.search(r"\d", text) else "empty")
    resolver = _Resolver(tasks, last_task_id, now)
    command = parse(text, now, resolver.fit)
    return _build(command, resolver)


def interpret(
    message: str,
    *,
    now: datetime,
    tasks: Sequence[TaskRef],
    last_task_id: int | None = None,
) -> Interpretation:
    """Turn one chat message into one tool call, or into ``tool="none"`` with a reply.

    ``now`` is the person's local time (naive); ``tasks`` are their current tasks; and
    ``last_task_id`` is the task the previous turn added or touched, which "it" refers to.
    Never raises: anything unexpected becomes a polite "none".
    """
    try:
        return _interpret(message, now, tasks, last_task_id)
    except Exception:  # noqa: BLE001 - a chat turn must always get an answer
        _log.exception("chat interpreter failed on a message")
        return _none("unknown")

"""Loose matching of a person's words against task titles.

Both sides are reduced to content-word stems ("buying milk" -> buy, milk; "Buy milk" -> buy,
milk), small typos are forgiven, and words that occur in many titles weigh less than rare ones.
A task fits when most of the words said are in its title, or when every title word was said.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Protocol

__all__ = [
    "Match", "TaskLike", "TitleIndex", "content_stems", "match_task", "query_stems", "stem",
    "title_index",
]  # fmt: skip

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_STOPWORDS = frozenset(
    """
    a an the my our your his her their this that these those to for of about on in at with and or
    by as so from into onto task tasks todo todos to-do item items one ones thing things stuff
    reminder reminders entry entries list please it its is was be been being i me we us you some
    just all also now then already finally really actually which do does did
    done mine there here any one's thingy
    sir madam maam ma'am ji sahib saab
    """.split()
)  # (the last line: honorifics, said beside a name or for it: "desai sir paid the fare")
# Irregular past forms, so that "I bought milk" meets "Buy milk".
_IRREGULAR = {
    "bought": "buy", "paid": "pay", "went": "go", "gone": "go", "made": "make", "wrote": "write",
    "written": "write", "sent": "send", "took": "take", "taken": "take", "got": "get",
    "gotten": "get", "brought": "bring", "ran": "run", "fed": "feed", "met": "meet",
    "sold": "sell", "told": "tell", "left": "leave", "kept": "keep", "found": "find",
    "gave": "give", "given": "give", "ate": "eat", "eaten": "eat", "drove": "drive",
    "driven": "drive", "spoke": "speak", "spoken": "speak", "swept": "sweep", "hung": "hang",
    "built": "build", "rode": "ride", "ridden": "ride", "sang": "sing", "sung": "sing",
    "chose": "choose", "chosen": "choose", "threw": "throw", "thrown": "throw", "drew": "draw",
    "drawn": "draw", "caught": "catch", "taught": "teach", "thought": "think", "fixed": "fix",
    "shook": "shake", "woke": "wake", "hid": "hide", "lent": "lend", "spent": "spend",
    "began": "begin", "begun": "begin", "read": "read", "cut": "cut", "put": "put",
    "set": "set", "dug": "dig", "won": "win", "lost": "lose", "sat": "sit", "stood": "stand",
    "understood": "understand", "forgot": "forget", "forgotten": "forget", "flew": "fly",
    "knew": "know", "known": "know", "grew": "grow", "grown": "grow", "blew": "blow",
    "broke": "break", "broken": "break", "froze": "freeze", "frozen": "freeze", "wore": "wear",
    "tore": "tear", "bit": "bite", "fell": "fall", "felt": "feel", "heard": "hear",
    "held": "hold", "led": "lead", "meant": "mean", "said": "say", "saw": "see", "seen": "see",
    "slept": "sleep", "swam": "swim", "swum": "swim", "washed": "wash", "emptied": "empty",
}  # fmt: skip
# Short forms people type for words that titles spell out ("dentist appt", "bday party").
_SHORT_FORMS = {
    "appt": "appointment", "appts": "appointment", "mtg": "meeting", "mtgs": "meeting",
    "bday": "birthday", "bdays": "birthday", "dr": "doctor", "xmas": "christmas",
    "mgr": "manager", "dept": "department", "acct": "account", "pkg": "package",
    "msg": "message", "txt": "text", "ref": "reference", "refs": "reference",
    "ch": "chapter", "chap": "chapter", "pg": "page", "vol": "volume", "ep": "episode",
}  # fmt: skip
# A numbered part typed glued to its number ("ch3", "pg12", "vol2"): the part and the number,
# as a title spells them ("chapter 3").
_NUMBERED_PART = re.compile(r"^(ch|chap|chapter|pg|page|vol|ep|part)(\d{1,4})$")
# Nouns made from a task's verb that a regular suffix rule would not reach ("the passport
# renewal" names "Renew passport"); "-ment" is stripped by rule ("payment" -> pay).
_NOMINALS = {
    "renewal": "renew", "removal": "remove", "arrival": "arrive", "approval": "approve",
    "rental": "rent", "submission": "submit", "application": "apply",
    "registration": "register", "delivery": "deliver", "reservation": "reserve",
    "cancellation": "cancel", "installation": "install", "preparation": "prepare",
    "inspection": "inspect", "collection": "collect", "donation": "donate",
    "consultation": "consult", "vaccination": "vaccinate", "repairs": "repair",
    "booking": "book", "pickup": "pick", "dropoff": "drop",
}  # fmt: skip
_IRREGULAR["strung"] = "string"
# "restrung the telecaster" meets "Restring the Telecaster": the irregular past forms again,
# after "re-" ("rebuilt", "repaid", "rewritten", "restrung").
_REDONE = {f"re{past}": f"re{verb}" for past, verb in _IRREGULAR.items() if len(past) > 3}
_WORD_FORMS = {**_REDONE, **_IRREGULAR, **_SHORT_FORMS, **_NOMINALS}


class TaskLike(Protocol):
    """What the matcher needs to know about a task."""

    @property
    def id(self) -> int: ...

    @property
    def title(self) -> str: ...

    @property
    def completed(self) -> bool: ...


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """Reduce a lower-case word to a crude stem: buying/buys/bought -> buy, plants -> plant."""
    word = _WORD_FORMS.get(word, word)
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith(("ment", "ments")) and len(word.rstrip("s")) >= 7:
        word = word.rstrip("s")[:-4]  # payment -> pay, appointments -> appoint
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("ied") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
    elif word.endswith(("ches", "shes", "sses", "xes", "zes")) and len(word) > 4:
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # shopp(ing) -> shop, plann(ed) -> plan
    return word


@lru_cache(maxsize=8192)
def content_stems(text: str) -> tuple[str, ...]:
    """Distinct stems of the content words of ``text``, in order."""
    seen: dict[str, None] = {}
    for token in _TOKEN.findall(text.lower()):
        if "'" in token:
            token = token.removesuffix("'s").replace("'", "")
        if not token or token in _STOPWORDS:
            continue
        numbered = _NUMBERED_PART.match(token)
        if numbered:
            seen.setdefault(stem(numbered.group(1)), None)
            token = numbered.group(2)
        seen.setdefault(stem(token), None)
    return tuple(seen)


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (  # one substitution, or a swap of neighbours
            i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
        )
    return a[i:] == b[i + 1 :]


@lru_cache(maxsize=65536)
def _similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    shortest = min(len(a), len(b))
    if shortest == 3 and max(len(a), len(b)) >= 6 and (a.startswith(b) or b.startswith(a)):
        return 0.5  # a word clipped to its first syllable: "the pav" for "pavlova", "uni"
    if shortest < 4 or a.isdigit() or b.isdigit():
        return 0.0
    if a.startswith(b) or b.startswith(a):
        return 0.85
    if _within_one_edit(a, b):
        return 0.8
    return 0.0


@dataclass(frozen=True)
class Match:
    """Outcome of matching a phrase against the task list."""

    kind: Literal["found", "ambiguous", "none"]
    task_id: int | None = None
    candidates: tuple[int, ...] = ()


@dataclass(frozen=True)
class _Scored:
    task_id: int
    completed: bool
    query_cover: float
    title_cover: float
    # how closely each title word was said (0: not said), in the title's order; see _gaps()
    said: Sequence[float] = ()


_MAX_QUERY_WORDS = 12
_GENERIC = frozenset(
    stem(w) for w in ("appointment", "meeting", "session", "errand", "job", "business", "plan",
                      # the people in a deal: "the sofa buyer" for "Sell the sofa"
                      "buyer", "seller", "guy", "lady", "person", "people", "folks")
)
_NAMING = re.compile(
    r"\b(?:task|todo|to-do|item|one|thing|reminder|entry)s?\s+(?:called|named|titled|labell?ed)\b",
    re.IGNORECASE,
)


def query_stems(phrase: str) -> tuple[str, ...]:
    """The stems of ``phrase`` that a title look-up matches (none: nothing to look up)."""
    # "the task called X" names X; "called mom" on its own is what was done.
    return content_stems(_NAMING.sub(" ", phrase))[:_MAX_QUERY_WORDS]


class TitleIndex:
    """The task titles' content stems, counted and indexed once for all look-ups of a message.

    A look-up scores only the tasks that share a (similar) stem with the words said, found
    through the distinct stems rather than by reading every title: the cost follows the
    vocabulary of the list, not its length, and the stems similar to a word said are found
    through their first letters, last letter and length rather than by comparing every one.
    """

    def __init__(self, entries: Sequence[tuple[int, str, bool]]) -> None:
        """``entries``: each task's id, title and whether it is completed."""
        self.ids = [task_id for task_id, _, _ in entries]
        self.completed = [completed for _, _, completed in entries]
        self.stems = [content_stems(title) for _, title, _ in entries]
        # Stems are distinct within a title, so a stem's postings count the titles that have it.
        self.postings: dict[str, list[int]] = {}
        for index, stems in enumerate(self.stems):
            for s in stems:
                self.postings.setdefault(s, []).append(index)
        self.position = {s: n for n, s in enumerate(self.postings)}
        # Where to look for stems similar to a word (see similar()).
        self.by_head: dict[str, list[str]] = {}
        self.by_clipping: dict[str, list[str]] = {}  # long stems by their first three letters
        self.by_first: dict[tuple[str, int], list[str]] = {}
        self.by_last: dict[tuple[str, int], list[str]] = {}
        for s in self.postings:
            if len(s) >= 6:
                self.by_clipping.setdefault(s[:3], []).append(s)
            if len(s) >= 4:
                self.by_head.setdefault(s[:4], []).append(s)
                self.by_first.setdefault((s[0], len(s)), []).append(s)
                self.by_last.setdefault((s[-1], len(s)), []).append(s)

    def weight(self, s: str) -> float:
        # Words shared by many titles ("call", "buy") say less about which task is meant.
        return 1.0 / (1.0 + math.log(max(len(self.postings.get(s, ())), 1)))

    def similar(self, q: str) -> dict[str, float]:
        """The title stems similar to ``q`` and how similar, in the order the titles use them.

        Only a few stems can be: :func:`_similarity` relates the same stem, or two stems of four
        letters or more of which one starts the other (so they share their first four letters)
        or that are one edit apart (so their lengths differ by one at most, and they share
        their first or their last letter: one edit cannot change both ends of such words), or
        a word of three letters and one of six or more that it starts (a clipping, "pav").
        """
        near = {q} if q in self.postings else set()
        if len(q) == 3:
            near.update(self.by_clipping.get(q, ()))
        elif len(q) >= 6 and q[:3] in self.postings:
            near.add(q[:3])
        if len(q) >= 4:
            near.update(self.by_head.get(q[:4], ()))
            for length in (len(q) - 1, len(q), len(q) + 1):
                near.update(self.by_first.get((q[0], length), ()))
                near.update(self.by_last.get((q[-1], length), ()))
        return {
            t: sim for t in sorted(near, key=self.position.__getitem__)
            if (sim := _similarity(q, t)) > 0
        }  # fmt: skip

    def match(self, phrase: str, *, prefer_pending: bool, prefer_done: bool) -> Match:
        """See :func:`match_task`."""
        return self.match_stems(query_stems(phrase), prefer_pending=prefer_pending,
                                prefer_done=prefer_done)  # fmt: skip

    def match_stems(
        self, query: tuple[str, ...], *, prefer_pending: bool, prefer_done: bool
    ) -> Match:
        """Match the :func:`query_stems` of a phrase."""
        if not query or not self.ids:
            return Match("none")
        # "the vet appt" for "Take Max to the vet": a word for the kind of thing, in no title,
        # says nothing about which task is meant.
        kept = tuple(q for q in query if q not in _GENERIC or q in self.postings)
        query = kept or query
        similar = [self.similar(q) for q in query]
        query_weights = [self.weight(q) for q in query]
        query_total = sum(query_weights)
        # How much of what was said each task's title covers, through the postings only.
        covered: dict[int, float] = {}
        for weight, found in zip(query_weights, similar, strict=True):
            best: dict[int, float] = {}
            for t, sim in found.items():
                for index in self.postings[t]:
                    if sim > best.get(index, 0.0):
                        best[index] = sim
            for index, sim in best.items():
                covered[index] = covered.get(index, 0.0) + weight * sim / query_total
        scored: list[_Scored] = []
        for index, query_cover in covered.items():
            if query_cover < 0.3:
                continue  # below what any rule accepts: no need to look at its title
            stems = self.stems[index]
            title_weights = [self.weight(t) for t in stems]
            said = [max(found.get(t, 0.0) for found in similar) for t in stems]
            title_cover = sum(
                w * sim for sim, w in zip(said, title_weights, strict=True)
            ) / sum(title_weights)
            if query_cover >= 0.6 or (title_cover >= 0.99 and query_cover >= 0.3):
                scored.append(
                    _Scored(self.ids[index], self.completed[index], query_cover, title_cover,
                            said)
                )
        return _choose(scored, prefer_pending=prefer_pending, prefer_done=prefer_done)


def _gaps(said: Sequence[float]) -> int:
    """How many title words between the first and the last word said were not said ("annex"
    in "Translate contract annex for Lopez" when "the lopez contract" is said).

    A title's first word is usually its verb, said or not ("bought shoes" names "Buy running
    shoes" as well as "Buy shoes for the wedding"): the words counted are those after it.
    """
    at = [n for n, sim in enumerate(said) if sim > 0 and n > 0]
    return sum(1 for sim in said[at[0] : at[-1]] if sim == 0) if at else 0


def _entries(tasks: Sequence[TaskLike]) -> tuple[tuple[int, str, bool], ...]:
    return tuple((t.id, t.title, bool(t.completed)) for t in tasks)


@lru_cache(maxsize=32)
def _cached_index(key: tuple[tuple[int, str, bool], ...]) -> TitleIndex:
    return TitleIndex(key)


def title_index(tasks: Sequence[TaskLike]) -> TitleIndex:
    """The index of these tasks' titles, shared by the messages that see the same list.

    A person's list rarely changes between two messages, so the next message finds it built.
    An index is only read once built, so threads may share it.
    """
    return _cached_index(_entries(tasks))


def _choose(scored: list[_Scored], *, prefer_pending: bool, prefer_done: bool) -> Match:
    if not scored:
        return Match("none")
    best = max(s.query_cover for s in scored)
    top = [s for s in scored if s.query_cover >= best - 0.05]
    if len(top) > 1:
        exact = [s for s in top if s.title_cover >= 0.99 and s.query_cover >= 0.99]
        if len(exact) == 1:
            top = exact
        elif best < 0.99 and max(s.title_cover for s in top) >= 0.99:
            top = [s for s in top if s.title_cover >= 0.99] or top
    if len(top) > 1 and (prefer_pending or prefer_done):
        preferred = [s for s in top if s.completed == prefer_done]
        if len(preferred) == 1:
            top = preferred
    if len(top) > 1:
        # "the lopez contract" names "Translate contract for Lopez", where the words said
        # stand together, rather than "Translate contract annex for Lopez", where a word not
        # said comes between them: that word tells the other task apart, and was not said.
        together = [s for s in top if _gaps(s.said) == 0]
        if len(together) == 1:
            top = together
    if len(top) == 1:
        return Match("found", top[0].task_id, (top[0].task_id,))
    top.sort(key=lambda s: (-s.query_cover, -s.title_cover, s.task_id))
    return Match("ambiguous", None, tuple(s.task_id for s in top))


def match_task(
    phrase: str,
    tasks: Sequence[TaskLike],
    *,
    prefer_pending: bool = False,
    prefer_done: bool = False,
) -> Match:
    """Find the task whose title ``phrase`` names.

    ``prefer_pending`` breaks a tie in favour of the only unfinished task among the best fits
    (completing a task that is already done is rarely what was meant); ``prefer_done`` the
    other way round, for reopening. Several look-ups over one list share a :class:`TitleIndex`.
    """
    return TitleIndex(_entries(tasks)).match(phrase, prefer_pending=prefer_pending,
                                             prefer_done=prefer_done)  # fmt: skip

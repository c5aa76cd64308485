"""Misspelt command words, weekday and month names, corrected against a small vocabulary.

Only words the grammar keys on are ever produced, and only from a word that is not a real word
itself: a token is corrected when it starts with the same letter as exactly one vocabulary word
within a small edit distance (optimal string alignment: a swap of neighbours is one edit), and
is not on the list of real words that lie that close ("more" is not "move", "shop" not
"show"). Command words are corrected only where a command word stands (the first word of the
message or of a clause, or the verb before "it" at the end of either); weekday and month names,
whose misspellings are not words, anywhere; "march" and "may", whose near misses are words or
names ("match", "marsh", "marc"), only where a month stands: next to a day's number ("by marhc
10", "the 3rd of mya").

Two kinds of short form are no slips at all, and no edit distance finds them: texting and
slang spellings of date words ("tomoz", "2moz", "2nite", "wknd"), read from a list, and words
stretched for feeling ("okk", "thank uuu", "pleasee"), whose repeated last letter is dropped
when what is left is one of a few words of politeness and small talk.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .patterns import Guarded
from .text import lower_aligned

__all__ = ["correct_typos", "expand_short_forms"]

_COMMANDS = frozenset(
    """
    add create remind delete remove cancel complete finish mark show list display move push
    postpone reschedule rename change update reopen uncheck untick tick check scrap erase
    schedule please
    """.split()
)
# A token shaped like a weekday ("wensday", "satday": its ending kept, the middle garbled) may
# be two edits from one; only weekday names are tried then, so "weekday" cannot tie with it.
_WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
_ANYWHERE = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february april june july
    august september october november december tomorrow tonight everything priority completed
    pending finished yesterday weekday every
    """.split()
)
# Month names that are words too ("march", "may"): their slips are corrected only beside a day's
# number, where a month stands.
_MONTHS_BY_A_DAY = frozenset({"march", "may"})
_DAY_NUMBER = re.compile(r"(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?")
# Real words one edit from a vocabulary word, that must stay what they are.
_REAL = frozenset(
    """
    shoe shot shop slow snow stow shew shows lost last lust lift lint lisp mask park dark bark
    lark mars mare marks more mode mole love moved movie moves posh rush bush gush hush lush
    mush and had aid odd ads adds remote compete competed finnish chance charge crate created
    ever very even toady spending masks tanks updated changed deleted removed canceled cancelled
    mover pushy lists marked shown finishes completes reminder reminds added adder check cheek
    chick tick tuck tack sundae rename renamed scrape scrap scraps erase erased tock mondays
    tuesdays wednesdays thursdays fridays saturdays sundays julie jules jolly julia juno jane
    finished completed postponed rescheduled reopened unchecked scheduled schedules pleased
    today midday someday workday holiday birthday payday mayday doomsday weekdays
    match marsh merch marc mach marcy eery emery evert
    """.split()
)
# Slips of the keyboard in the small words around a command, which no edit distance may guess.
_COMMON_SLIPS = {"teh": "the", "hte": "the", "adn": "and", "taht": "that", "thsi": "this",
                 "tihs": "this", "mkae": "make"}  # fmt: skip
# Misspelt question words, read as such only where a clause begins ("wat havent i done"): "wat"
# in the middle of a title stays what it was.
_QUESTION_SLIPS = {"wat": "what", "wut": "what", "wot": "what", "wht": "what", "waht": "what",
                   "whta": "what",
                   "wats": "whats", "wuts": "whats", "wich": "which", "whihc": "which",
                   "whcih": "which"}  # fmt: skip
# Texting and slang spellings of date words, which no edit distance reaches ("tomoz" is three
# edits from "tomorrow"). Digits stand for sounds ("2" for "to", "nite" for "night").
_SHORT_FORMS = {
    "tomoz": "tomorrow", "tmoz": "tomorrow", "2moz": "tomorrow", "tomoro": "tomorrow",
    "tmoro": "tomorrow", "2mora": "tomorrow", "2morro": "tomorrow", "2morow": "tomorrow",
    "2mrw": "tomorrow", "2mro": "tomorrow", "tmrrw": "tomorrow", "tmorrow": "tomorrow",
    "2nite": "tonight", "2night": "tonight", "2nyt": "tonight", "tonyt": "tonight",
    "wknd": "weekend", "wkend": "weekend", "nxt": "next", "arvo": "afternoon",
}  # fmt: skip
_SHORT_FORM = Guarded(
    r"(?<![\w'-])(?:" + "|".join(sorted(_SHORT_FORMS, key=len, reverse=True)) + r")(?![\w'-])",
    needles=("tom", "tmo", "tmr", "2m", "2n", "ton", "wk", "nxt", "arvo"),
)
# Words people stretch for feeling ("okk", "thank uuu", "pleasee", "heyyy"): the repeated last
# letter is dropped when what is left is one of these. Only these: "soo", "too", "good" stay.
_STRETCHABLE = frozenset(
    """
    ok okay u you ya thanks thx ty please pls plz yes yeah yep yup hi hey hiya bye cheers
    """.split()
)
# (one alternative per word, its last letter two or more times: a scan costs what a word costs)
_STRETCHED = re.compile(
    r"(?<![\w'])(?:"
    + "|".join(re.escape(w[:-1]) + re.escape(w[-1]) + "{2,}" for w in sorted(_STRETCHABLE))
    + r")(?![\w'])"
)
_WORD = re.compile(r"[a-z]+")
_TOKEN = re.compile(r"[a-z0-9]+")
_CLAUSE_GAP = re.compile(r"[,;!?]|\.\s|\s-+\s")
_CLAUSE_SCAN_CHARS = 300


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, or ``limit + 1`` once it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


@lru_cache(maxsize=4096)
def _correction(token: str, vocabulary: frozenset[str], limit: int = 0) -> str | None:
    if token in vocabulary or token in _REAL or len(token) < 3:
        return None
    limit = limit or (1 if len(token) < 8 else 2)
    found = []
    for word in vocabulary:
        if word[0] != token[0]:
            continue
        if len(token) <= 4 and not (
            sorted(token) == sorted(word) or len(token) == len(word) - 1
        ):
            continue  # in short words only a swap or a missing letter: "shwo", "shw"
        distance = _distance(token, word, limit)
        if distance <= limit:
            found.append((distance, word))
    found.sort()
    if not found or (len(found) > 1 and found[0][0] == found[1][0]):
        return None
    return found[0][1]


def _beside_a_day(low: str) -> set[int]:
    """Where the words next to a day's number start: "marhc 10", "10 marhc", "10th of marhc"."""
    if not any(c.isdigit() for c in low):
        return set()
    tokens = [t for t in _TOKEN.finditer(low) if t.group() != "of"]
    slots = set()
    for before, after in zip(tokens, tokens[1:], strict=False):
        if _DAY_NUMBER.fullmatch(after.group()):
            slots.add(before.start())
        if _DAY_NUMBER.fullmatch(before.group()):
            slots.add(after.start())
    return slots


def _unstretched(m: re.Match[str]) -> str:
    """ "okk" -> "ok", "uuu" -> "u": a stretched word of small talk, said plainly."""
    word = m.group()
    return word.rstrip(word[-1]) + word[-1]


def expand_short_forms(text: str) -> str:
    """``text`` with slang spellings of date words and stretched words of small talk said
    plainly ("tomoz" -> "tomorrow", "okk" -> "ok"); every other word is left as it was."""
    low = lower_aligned(text)
    found = [(m.span(), _SHORT_FORMS[m.group()]) for m in _SHORT_FORM.finditer(low)]
    found += [(m.span(), _unstretched(m)) for m in _STRETCHED.finditer(low)]
    if not found:
        return text
    pieces, last = [], 0
    for (start, end), plain in sorted(found):
        pieces += [text[last:start], plain]
        last = end
    return "".join(pieces) + text[last:]


def correct_typos(text: str) -> str:
    """``text`` with misspelt command words, weekdays and months corrected (case kept elsewhere),
    and short forms said plainly (:func:`expand_short_forms`)."""
    text = expand_short_forms(text)
    low = text.lower()
    words = list(_WORD.finditer(low))
    if not words:
        return text
    # Where a command word stands: first in the message or in a clause ("the bike, delte it"),
    # and before "it" at the end of the message or of a clause.
    command_slots = {0}
    if len(words) >= 2 and words[-1].group() in ("it", "that", "this", "them", "one"):
        command_slots.add(len(words) - 2)
    # (clauses only in a short message: the grammar reads clauses in no other)
    for index in range(1, len(words) if len(low) <= _CLAUSE_SCAN_CHARS else 0):
        gap = low[words[index - 1].end() : words[index].start()]
        if _CLAUSE_GAP.search(gap):
            command_slots.add(index)
        if words[index].group() in ("it", "that", "this", "them", "one") and (
            index == len(words) - 1
            or _CLAUSE_GAP.search(low[words[index].end() : words[index + 1].start()])
        ):
            command_slots.add(index - 1)
    month_slots = _beside_a_day(low)
    pieces = []
    last = 0
    for index, m in enumerate(words):
        token = m.group()
        fixed = _COMMON_SLIPS.get(token) or _correction(token, _ANYWHERE)
        if fixed is None and m.start() in month_slots:
            fixed = _correction(token, _MONTHS_BY_A_DAY)
        if fixed is None and len(token) >= 6 and token.endswith("day"):
            fixed = _correction(token, _WEEKDAYS, 2)
        if fixed is None and index in command_slots:
            fixed = _QUESTION_SLIPS.get(token) or _correction(token, _COMMANDS)
        if fixed is not None:
            pieces += [text[last : m.start()], fixed]
            last = m.end()
    return "".join(pieces) + text[last:] if pieces else text

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

from .lexicon import NOUN_VERBS, VERBS
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
    don doe drone doner donee
    dads dams dabs dais daws moths mouths mints minds minus mines weeds weeps weans wees yeas
    """.split()
)
# A state said at the end of a message or of a clause ("mark that one dnoe", "the report, dnoe").
_STATES = frozenset({"done"})
# Units of a relative date or of a move, corrected only right after an amount that follows a
# word leading one ("in 2 weks", "back 3 dyas", "every 2 mnths") or before "from now / later /
# ago" ("3 dyas from now"): "buy 3 moths" is no date.
_UNITS = frozenset(
    """
    minute minutes mins hour hours hrs day days week weeks wks month months year years yrs
    fortnight fortnights
    """.split()
)
_AMOUNT = (
    r"(?:a|an|\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|other|few|"
    r"several|couple(?:\s+of)?|a\s+couple(?:\s+of)?|a\s+few)"
)
_RELATIVE_AMOUNT = Guarded(
    r"\b(?:in|within|after|by|back|forward|ahead|up|earlier|every|another)\s+"
    rf"{_AMOUNT}\s+(?P<u>[a-z]{{2,10}})\b"
    rf"|\b{_AMOUNT}\s+(?P<v>[a-z]{{2,10}})\s+(?:from\s+(?:now|today)|later|ago|earlier)\b",
    needles=re.compile(r"\d|\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                       r"twelve|other|few|several|couple)\s"),
)
# Words a request starts with before its command word: "pls delte it", "can we psuh X back",
# "let's shedule ...". The command word after them stands where a command word stands.
_REQUEST_WORDS = frozenset({"please", "pls", "plz", "kindly", "just"})
_REQUEST_PAIRS = frozenset({("can", "you"), ("can", "u"), ("could", "you"), ("could", "u"),
                            ("can", "we"), ("could", "we"), ("shall", "we"), ("let", "s"),
                            ("let", "us"), ("will", "you"), ("would", "you")})  # fmt: skip
# "ad" is a noun ("post the job ad", "the ad campaign review") and "add" misspelt. Where a
# command word stands, it is "add" before what a new task starts with: a doing verb ("ad pay
# the sound crew"; one that is a noun too only before its object, "ad book the venue", not "ad
# review friday"), any other bare word before its object ("ad restock the shelf"), a task noun
# ("ad a low prio task to ..."), "it"/"that", "to my list", or nothing more.
_AD_TASK_NOUN = re.compile(
    r"\s+(?:(?:a|an|another|one\s+more)\s+(?:[a-z-]+\s+){0,3}?)?"
    r"(?:task|todo|to-do|reminder|item|entry)s?\b"
)
_AD_REST = re.compile(
    r"\s+(?:it|that|this)\b|\s+(?:to|on|onto)\s+(?:my|the)\s+(?:[a-z-]+\s+)?list\b|"
    r"[\s,.!?]*(?:(?:pls|please|plz)[\s.!?]*)?$"
)
_AD_NEXT = re.compile(r"\s+(?P<w>[a-z][a-z-]*)(?:\s+(?P<o>[a-z0-9']+))?")
_DETERMINERS = frozenset(
    "the a an my your his her our their its it them him me us this that these those some".split()
)
# A date or repeat said later in the message: "ad check render queue every weekday at 9am" is a
# task with its object ("render queue") and its time; "ad review friday" (the date right after
# the noun-verb) is still the review of an ad.
_AD_WHEN_LATER = re.compile(
    r"\s(?:every|each|daily|weekly|monthly|tomorrow|tmrw|tonight|today|next|at\s+\d|"
    r"in\s+\d|(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?)\b"
)
# Words that start an object as a determiner does: "ad order new oars", "ad buy more yeast".
_OBJECT_WORDS = frozenset("new more extra another fresh spare both all".split())
# Words that make a noun with "ad" ("ad spend", "ad copy", "ad hoc") or start no verb phrase.
_NOT_AFTER_AD = frozenset(
    """
    spend copy space hoc break slot run shoot budget campaign agency revenue blocker banner
    in on at for to with from of by about and or but is are was were be has had will
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
    for index, token in enumerate(tokens):
        # (a day's number starts with a digit: the pattern is tried on those tokens alone)
        if token.group()[0].isdigit() and _DAY_NUMBER.fullmatch(token.group()):
            if index > 0:
                slots.add(tokens[index - 1].start())
            if index + 1 < len(tokens):
                slots.add(tokens[index + 1].start())
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


def _reads_as_add(low: str, end: int) -> bool:
    """Whether "ad" ending at ``end``, where a command word stands, is "add" (``_AD_REST``)."""
    if _AD_TASK_NOUN.match(low, end) or _AD_REST.match(low, end):
        return True
    m = _AD_NEXT.match(low, end)
    if m is None:
        return False
    word, after = m.group("w"), m.group("o") or ""
    if word in _NOT_AFTER_AD or word in _DETERMINERS:
        return False
    if word in VERBS and word not in NOUN_VERBS:
        return True
    # a bare word before its object: no "-s" or "-ed" (a subject's verb: "ad needs the logo")
    bare = not (word.endswith(("s", "ed")) and not word.endswith("ss"))
    if bare and (after in _DETERMINERS or after in _OBJECT_WORDS or after.isdigit()):
        return True
    # a noun-verb, an object of its own, then a date or repeat: a task with its time
    return (word in NOUN_VERBS and after.isalpha() and after not in _NOT_AFTER_AD
            and _AD_WHEN_LATER.match(" " + after) is None
            and _AD_WHEN_LATER.search(low, m.end()) is not None)


def _command_slots(low: str, words: list[re.Match[str]]) -> set[int]:
    """Where a command word stands: first in the message or in a clause ("the bike, delte it"),
    before "it" at the end of either, and after the words a request starts with ("pls", "can
    we")."""
    slots = {0}
    if len(words) >= 2 and words[-1].group() in ("it", "that", "this", "them", "one"):
        slots.add(len(words) - 2)
    # (clauses only in a short message: the grammar reads clauses in no other)
    for index in range(1, len(words) if len(low) <= _CLAUSE_SCAN_CHARS else 0):
        gap = low[words[index - 1].end() : words[index].start()]
        if _CLAUSE_GAP.search(gap):
            slots.add(index)
        if words[index].group() in ("it", "that", "this", "them", "one") and (
            index == len(words) - 1
            or _CLAUSE_GAP.search(low[words[index].end() : words[index + 1].start()])
        ):
            slots.add(index - 1)
    for index in sorted(slots):  # (a slot found here is looked at in its turn: "pls just")
        token = words[index].group()
        token = _correction(token, _COMMANDS) or token  # "plese"
        pair = tuple(w.group() for w in words[index : index + 2])
        if token in _REQUEST_WORDS and index + 1 < len(words):
            slots.add(index + 1)
        elif pair in _REQUEST_PAIRS and index + 2 < len(words):
            slots.add(index + 2)
    return slots


def _clause_ends(low: str, words: list[re.Match[str]]) -> set[int]:
    """The last word of the message and of each clause of a short one."""
    ends = {len(words) - 1}
    for index in range(len(words) - 1 if len(low) <= _CLAUSE_SCAN_CHARS else 0):
        if _CLAUSE_GAP.search(low[words[index].end() : words[index + 1].start()]):
            ends.add(index)
    return ends


def _unit_fixes(low: str) -> dict[int, str]:
    """Misspelt units after an amount, by where they start: "in 2 weks" -> {7: "weeks"}."""
    fixes = {}
    for m in _RELATIVE_AMOUNT.finditer(low):
        group = "u" if m.group("u") else "v"
        fixed = _correction(m.group(group), _UNITS)
        if fixed is not None:
            fixes[m.start(group)] = fixed
    return fixes


def correct_typos(text: str) -> str:
    """``text`` with misspelt command words, weekdays, months, units after an amount and "done"
    corrected (case kept elsewhere), and short forms said plainly (:func:`expand_short_forms`)."""
    text = expand_short_forms(text)
    low = text.lower()
    words = list(_WORD.finditer(low))
    if not words:
        return text
    command_slots = _command_slots(low, words)
    clause_ends = _clause_ends(low, words)
    month_slots = _beside_a_day(low)
    units = _unit_fixes(low)
    pieces = []
    last = 0
    for index, m in enumerate(words):
        token = m.group()
        fixed = units.get(m.start()) or _COMMON_SLIPS.get(token) or _correction(token, _ANYWHERE)
        if fixed is None and m.start() in month_slots:
            fixed = _correction(token, _MONTHS_BY_A_DAY)
        if fixed is None and len(token) >= 6 and token.endswith("day"):
            fixed = _correction(token, _WEEKDAYS, 2)
        if fixed is None and index in command_slots:
            fixed = _QUESTION_SLIPS.get(token) or _correction(token, _COMMANDS)
            if token == "ad" and _reads_as_add(low, m.end()):
                fixed = "add"
        if fixed is None and (index in command_slots or index in clause_ends):
            fixed = _correction(token, _STATES)
        if fixed is not None:
            pieces += [text[last : m.start()], fixed]
            last = m.end()
    return "".join(pieces) + text[last:] if pieces else text

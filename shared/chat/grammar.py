"""The command grammar: which tool a message asks for, and the raw slots it names.

A message is read in a fixed order of rules, each anchored at the start of the message once
politeness ("please", "can you") is stripped: small talk, refusals (bulk deletes, prompt
injection), explicit field edits, listing, "reopen" requests (no tool for them), completing,
deleting, generic edits, adding, then suffix forms ("the report is done") and a careful fallback
that only adds a task when the words look like one (an imperative verb, a date or a priority).
Anchoring at the start is what keeps "remind me to delete old emails" an *add* while "delete old
emails" is a *delete*.

The grammar never looks task titles up itself; it asks ``fit(phrase)`` how well a phrase names a
task (0 when it names none) where the split of a sentence depends on it ("rename go to gym to
go to the gym").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Literal, Protocol

from . import clauses
from .dates import HOLIDAY_NAMES, Shift, find_repeat, find_shift, find_when
from .lexicon import NOUN_VERBS as _NOUNS_TOO
from .lexicon import OBJECT_STARTS as _OBJECT_STARTS
from .lexicon import VERBS as _VERB_LEXICON
from .matching import content_stems
from .patterns import AnyPattern, Guarded
from .priorities import find_priority
from .text import BLANK, lower_aligned, remove_spans, strip_edge_words, tidy, unquote
from .tools import ToolName
from .typos import correct_typos

__all__ = ["Command", "Fit", "parse"]


class Fit(Protocol):
    """How well a phrase names a task: 0 for none, 2 for an id or a usable pronoun, a matching
    score in between.

    Some statements name a task only in a given state: "the linens order fell through" undoes a
    task that is done (``done=True``), and "the pool filter is clean" finishes one whose title
    says what made it so (``title_has``: one of these verbs, "clean", "wash", is in its title).
    With either, a phrase naming no such task fits 0.
    """

    def __call__(
        self, phrase: str, *, done: bool | None = None, title_has: tuple[str, ...] = ()
    ) -> float: ...


def _it_fits(fit: Fit) -> Fit:
    """``fit``, except that "it" / "that one" fits before the task it stands for is known (a
    clause's "it" is named by another clause)."""

    def fit_it(phrase: str, *, done: bool | None = None, title_has: tuple[str, ...] = ()) -> float:
        return 2.0 if _IT.match(phrase.lower()) else fit(phrase, done=done, title_has=title_has)

    return fit_it


@dataclass
class Command:
    """The grammar's reading of a message, before task references are resolved."""

    intent: ToolName | Literal["none"]
    target: str | None = None  # words naming an existing task (complete / delete / update)
    title: str | None = None
    description: str | None = None
    due: str | None = None
    priority: str | None = None
    category: str | None = None
    status: str | None = None
    repeat: str | None = None
    interval: int | None = None  # "every 2 weeks", with repeat
    shift: Shift | None = None  # a relative move of the task's own due date
    exclude: str | None = None  # "..., not the cottage one": words naming a task that is not meant
    keep_time: bool = False  # "moved to friday same time": the day changes, its time of day stays
    reason: str = ""  # why nothing is done, for "none"
    subject: str = ""  # what the reply should echo, for some "none" readings


class _Text:
    """The message and its case-aligned lower-case twin, sliced together."""

    __slots__ = ("low", "s")

    def __init__(self, s: str, low: str | None = None) -> None:
        self.s = s
        self.low = lower_aligned(s) if low is None else low

    def cut(self, start: int, end: int | None = None) -> _Text:
        end = len(self.s) if end is None else end
        raw, low = self.s[start:end], self.low[start:end]
        lead = len(raw) - len(raw.lstrip())
        raw, low = raw[lead:], low[lead:]
        keep = len(raw.rstrip())
        return _Text(raw[:keep], low[:keep])


# --- politeness and small talk ------------------------------------------------------------------

# Who a greeting or a wish is said to: "hello dear", "morning mate", "happy 4th everyone".
_VOCATIVE_WORDS = (
    r"there|dear|love|luv|hun|hon|honey|sweetie|darling|mate|buddy|pal|friend|bot|assistant|"
    r"again|to\s+you|everyone|everybody|all|y'?all|folks|guys"
)
_VOCATIVES = rf"(?:\s+(?:{_VOCATIVE_WORDS}))*"

# The command words a correction or a request frame may stand before ("nah delete it").
_COMMAND_AHEAD = (
    r"(?:reopen|re-open|uncheck|untick|undo|delete|remove|bin|scrap|ditch|trash|drop|nuke|kill|"
    r"get\s+rid|mark|tick|move|push|make|change|add|set|put|cancel|show|list|complete|finish|"
    r"rename|bring)\b"
)
_FILLER = re.compile(
    r"^(?:please|pls|plz|kindly|ok(?:ay)?|alright|all\s+right|right|so|um+|uh+|er+|hmm+|"
    # "righto", "okie dokie", "k so ...": the same assent, in the forms people type
    r"righto|right-o|alrighty|okie(?:[\s-]+dokie)?|okey(?:[\s-]+dokey)?|kk?(?=[\s,.!])|yes|"
    r"ugh+|argh+|ah+|welp|yeah|yep|btw|by\s+the\s+way|quick\s+one|one\s+more\s+thing|"
    rf"(?:(?:hey|hi|hiya|heya|hello|hullo|howdy)|good\s+(?:morning|afternoon|evening)){_VOCATIVES}|"
    # "morning mate, ...", "evening all!": a bare part of the day greets only with its vocative
    # or its punctuation ("morning jog at 7" is a task)
    rf"(?:morning|afternoon|evening)(?:(?:\s+(?:{_VOCATIVE_WORDS}))+|(?=\s*[,!.]))|"
    r"(?:happy|merry)\s+[\w']+(?:\s+[\w']+){0,3}(?=\s*[!,.])|"  # "happy friday! remind me..."
    r"yo|oh|well|now|also|and|then|actually|quickly|assistant|bot|"
    r"oops|whoops|oopsie|whoopsie|uh\s+oh|my\s+bad|"
    # a cry of relief before what was done: "omg finally fixed X", "phew i paid X" ("omg
    # graduation is in 2 weeks" stays a remark)
    r"(?:omg|omfg|phew|yay+)(?=[\s,!.]+(?:finally|just|i|we)\s)|"
    # a second thought before what did not happen: "wait the remittance didn't go through", "oh
    # wait i never paid it", "forgot we never actually posted X", "turns out i hadn't paid X"
    # (a laugh there too, before "i": "lol i didnt actually finish X")
    r"(?:wait|hang\s+on|hold\s+on)(?=\s+(?:the|my|our)\s)|"
    r"(?:wait|hang\s+on|hold\s+on|no|nah|nope|lol+|lmao|haha+)(?=\s+(?:i|we)\s+(?:never|didn'?t|"
    r"did\s+not|haven'?t|have\s+not|hadn'?t|had\s+not)\b)|"
    r"(?:i\s+)?(?:forgot|just\s+reali[sz]ed|reali[sz]ed|turns\s+out|apparently)(?:\s+that)?"
    r"(?=\s+(?:i|we)\s+(?:never|didn'?t|did\s+not|haven'?t|have\s+not|hadn'?t|had\s+not)\b)|"
    # chatty lead-ins: "ok so basically ...", "quick q can u ...", "so i was thinking, could you"
    r"basically|honestly|literally|anyway|anyways|quick\s+q(?:uestion)?|maybe|"
    r"like(?=\s*,|\s+(?:i|we)\s)|"
    r"i\s+was\s+(?:thinking|wondering)(?:\s+(?:if|whether))?|"
    r"i\s+(?:think|guess|suppose|reckon)(?=\s+(?:i|we)\b)|"
    # request frames: "do you think you could", "would you be so kind as to", "be a dear and"
    r"(?:do\s+you\s+think|i\s+was\s+hoping|i\s+wonder\s+if|(?:is\s+there\s+)?any\s+chance)\s+"
    r"(?:you|u)\s+(?:could|can|would|might)(?:\s+please)?|"
    r"(?:would|could|will)\s+(?:you|u)\s+be\s+(?:so\s+kind\s+as|kind\s+enough|able|a\s+(?:dear|"
    r"love|star|gem|darling))\s+(?:to|and)|"
    r"(?:can|could|would|will)\s+(?:you|u)\s+do\s+me\s+a\s+(?:favou?r|solid)\s+and|"
    r"be\s+a\s+(?:dear|love|star|gem|darling|sweetheart|pal|doll)\s+and|"
    r"(?:is\s+it|would\s+it\s+be)\s+possible\s+(?:for\s+(?:you|u)\s+)?to|"
    r"if\s+(?:you|u)\s+(?:could|can|would)(?:\s+please)?|"
    r"(?:can|could|may)\s+i\s+(?:ask|get)\s+(?:you|u)\s+to|"
    r"would\s+you\s+mind|(?:can|could|would|will)\s+(?:you|u)(?:\s+please)?|"
    r"i\s+(?:want|need)\s+you\s+to|i'?d\s+like\s+you\s+to|i\s+would\s+like\s+you\s+to|"
    r"go\s+ahead\s+and|help\s+me|let'?s|let\s+me|i\s+want\s+to|i'?d\s+like\s+to|"
    r"i\s+would\s+like\s+to|i\s+wanna|(?:can|could|may)\s+i(?:\s+please)?|"
    # "just beat the boss" says it was done: "just" stays before a past that reads as present
    r"just(?!\s+(?:beat|hit|quit|read|shut|won|lost|found|kept|spent|left)\b)|"
    # "no, ...", "nah delete it": a correction of the last turn, then the command itself
    r"(?:no|nah|nope|wait|nvm|never\s*mind|scratch\s+that|on\s+second\s+thoughts?|"
    rf"change\s+of\s+plans?)(?=\s*[,.!]|\s+{_COMMAND_AHEAD})|"
    # someone else's word passed on as the order: "dana says push it back a day", "the vet
    # said move it to friday" (an order on a task; "mum says buy milk" stays a remark)
    r"(?:[a-z']+\s+){1,3}?(?:says|said)(?:\s+to|\s*:)?(?=\s+(?:move|push|postpone|delay|"
    r"reschedule|bump|bring|pull|shift|cancel|delete|remove|drop|untick|uncheck|reopen)\b)|"
    # "can we push X back a day", "shall we move X to friday": a request said with "we"
    rf"(?:can|could|shall)\s+we(?:\s+please)?(?=\s+(?:{_COMMAND_AHEAD}|postpone|delay|"
    r"reschedule|bump)))"
    r"(?![\w'])[\s,!.:;-]*"
)
# Thanks and its kinder forms at the end of a request: "... ta", "... thank you dear", "... thx a
# lot", "... cheers love", "..., mate". "ta" (also a teaching assistant) is thanks only when no
# determiner or preposition comes before it ("email my TA" keeps it); who it is said to, only
# after thanks or a comma ("call my mate", "meet my study buddy" keep it).
_NOT_AFTER_A_DETERMINER = (
    r"(?<!\bmy\s)(?<!\bthe\s)(?<!\bour\s)(?<!\byour\s)(?<!\bhis\s)(?<!\bher\s)"
    r"(?<!\btheir\s)(?<!\ba\s)(?<!\bto\s)(?<!\bwith\s)(?<!\bfor\s)(?<!\bof\s)"
)
_THANKS_VOCATIVES = r"dear|love|luv|hun|hon|honey|sweetie|darling|mate|buddy|pal|friend|babe|x{1,3}"
_FILLER_ENDINGS = ("please", "pls", "plz", "thanks", "you", "thx", "ty", "cheers", "me", "can",
                   "possible", "ok", "okay", "mate", "buddy", "much", "ta", "u", "ya", "tysm",
                   "lot", "million", "heaps", "loads", "dear", "love", "luv", "hun", "hon",
                   "honey", "sweetie", "darling", "pal", "friend", "babe", "x")  # fmt: skip
_TRAILING_FILLER = Guarded(
    r"(?:[\s,;]{1,3}(?:for\s+me|if\s+you\s+can|if\s+possible|would\s+you|could\s+you|ok(?:ay)?|"
    rf"(?:please|pls|plz|thanks|thank\s+(?:you|u|ya)|thx|ty|tysm|cheers|{_NOT_AFTER_A_DETERMINER}ta)"
    r"(?:\s+(?:a\s+lot|so\s+much|very\s+much|a\s+million|heaps|loads))?"
    rf"(?:\s+(?:{_THANKS_VOCATIVES}))?|"
    # who it is said to, alone after a comma: "..., mate" ("meet my study buddy" keeps it)
    rf"(?:(?<=[,;])|(?<=[,;]\s))(?:{_THANKS_VOCATIVES})))+"
    r"[\s.!?]*$",
    endings=_FILLER_ENDINGS, tail=".!?",
)
_TRAILING_FILLER_REACH = 80
# An interjection after the command ("the aircon isn't fixed after all ugh"): one short word,
# looked for in the last few characters only.
_TRAILING_INTERJECTION = re.compile(
    r"[\s,;]+(?:ugh+|lol+|sigh|smh|ffs|argh+|jeez|haha+|omg|lmao|fml|brr+|tbh|ngl)[\s.!?]*$"
)
_END_PUNCT = " .!?~"

# The days and occasions people wish each other a happy one of: "happy 4th of july", "merry
# xmas eve", "happy bank holiday monday". A wish names one of them and nothing else; "happy hour
# friday" is no wish.
_MONTH_NAMES = (
    r"january|february|march|april|may|june|july|august|september|october|november|december"
)
_OCCASION = (
    r"(?:(?:lunar|chinese)\s+)?new\s+years?(?:'s)?(?:\s+(?:eve|day))?|holidays?|"
    r"(?:christmas|xmas)(?:\s+eve)?|easter(?:\s+(?:eve|sunday|monday|weekend))?|thanksgiving|"
    r"halloween|hanukkah|chanukah|diwali|holi|eid|ramadan|passover|kwanzaa|pride(?:\s+month)?|"
    r"valentine'?s(?:\s+day)?|(?:mother|father|mum|mom|dad)'?s\s+day|"
    r"(?:st\.?\s+|saint\s+)?(?:patrick|paddy)'?s(?:\s+day)?|"
    r"(?:independence|canada|australia|labou?r|memorial|boxing|bastille|may|victoria|"
    r"waitangi|anzac|heritage|family|remembrance|veterans|presidents|national|republic)\s+day|"
    r"(?:the\s+)?(?:4th|fourth)(?:\s+of\s+july)?|july\s+(?:4th|fourth)|cinco\s+de\s+mayo|"
    r"(?:bank|public)\s+holiday(?:\s+(?:weekend|monday))?|(?:long\s+)?weekend|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|friyay|hump\s+day|solstice|midsummer|"
    r"(?:belated\s+)?(?:birthday|bday|anniversary)|"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)|first)\s+of\s+(?:{_MONTH_NAMES})"
)
_WISH = (
    r"(?:(?:wishing\s+(?:you|u|y'?all|everyone)(?:\s+all)?|(?:hope\s+(?:you|u)\s+)?(?:have|had)|"
    r"enjoy)\s+(?:a|an|the|your|ur)\s+(?:(?:very|really|super)\s+)?(?:happy|merry|great|good|"
    r"lovely|nice|wonderful|fab|safe|fun|relaxing|restful|blessed|joyous)|happy|merry|blessed|"
    rf"joyous)\s+(?:{_OCCASION})"
)
_GREETING = re.compile(
    r"(?:hi|hello|hey|hiya|howdy|yo|sup|greetings|good\s+(?:morning|afternoon|evening|day)|"
    r"what'?s\s+up|wassup|sup|hru|"
    # "how are you doing today", typed fast: "hw r u", "how ya doin"
    r"h(?:o)?w\s+(?:are|r)\s+(?:you|u|ya)(?:\s+doin[g']?)?(?:\s+(?:today|tonight|this\s+\w+))?|"
    r"how\s+(?:you|ya|u)\s+doin[g']?|how'?s\s+it\s+going|"
    r"how(?:'?s|\s+is|\s+was)\s+(?:your|ur)\s+(?:day|morning|evening|week|weekend)(?:\s+going)?|"
    rf"morning|evening|{_WISH}|season'?s\s+greetings|eid\s+mubarak|ramadan\s+(?:mubarak|kareem))"
    rf"{_VOCATIVES}"
)
# A sign-off: "that's all for today", "thats it for now", "that'll be all", "done for the day".
_SIGN_OFF = (
    r"(?:that'?s|that\s+is|thats)\s+(?:all|it|everything)(?:\s+for\s+(?:now|today|tonight|the\s+day|"
    r"the\s+night|this\s+week|the\s+week))?|that'?ll\s+be\s+all|"
    r"(?:i'?m\s+|im\s+|all\s+)?done\s+for\s+(?:now|today|tonight|the\s+day|the\s+night)"
)
_THANKS = re.compile(
    r"(?:thanks?|thank\s+you|thankyou|thanku|thx|thnx|thanx|thnks|tnx|ty|tysm|cheers|"
    r"much\s+appreciated|appreciate\s+it|ta|"
    # the same in the other languages people mix in: "danke thats all for today"
    r"danke(?:\s+sch(?:ö|oe|o)n)?|merci(?:\s+beaucoup)?|gracias|grazie(?:\s+mille)?|obrigad[oa]|"
    r"arigato|dank\s+je(?:\s+wel)?|bedankt|tack|takk|kiitos|asante(?:\s+sana)?|mahalo|"
    r"shukran|spasibo|dzi[eę]kuj[eę]|"
    r"great|awesome|perfect|cool|nice|brilliant|excellent|lovely|amazing|wonderful|"
    r"great\s+job|good\s+job|well\s+done|nice\s+one|good\s+work|you'?re\s+(?:the\s+best|great))"
    # Each further word is taken as first read, never re-read (?>): "thank you" is "thank" and
    # "you" or "thank you", "thats all for now" one piece or two, and a long run of them that
    # fails at its end would otherwise be re-read every way (2^n). The first reading is never
    # the wrong one here: the other readings end where the first one and the next word end.
    r"(?>[\s,!.]+(?:you|u|ya|a\s+lot|so\s+much|very\s+much|again|thanks?|thank\s+you|"
    # what the thanks are for: "thank u for the help this week"
    r"for\s+(?:the|your|all\s+the|all\s+your|ur)\s+help|for\s+(?:everything|helping(?:\s+me)?)|"
    r"today|tonight|this\s+(?:week|month|year|morning|evening)|lately|"
    rf"{_THANKS_VOCATIVES}|"
    rf"{_SIGN_OFF}|bye|for\s+now))*"
)
_ACK = re.compile(
    rf"(?:ok(?:ay)?|k|kk|got\s+it|sounds\s+good|good|fine|sure|alright|all\s+good|{_SIGN_OFF}|"
    r"no\s+thanks|yes|yeah|yep|yup|no|nope|nah|maybe|hm+|hmm+|lol|haha)"
    # "ok cool", "ok thats all for today", "yep cheers": an acknowledgement and its sign-off,
    # each word taken as first read, as in _THANKS
    rf"(?>[\s,!.]+(?:cool|great|thanks?|thx|ty|cheers|perfect|nice|awesome|bye|{_SIGN_OFF}))*"
)
_BYE = re.compile(
    r"(?:bye|goodbye|good\s*bye|bye\s+bye|later|cya|"
    # "see you monday", "see ya tmrw", "talk to you next week": a goodbye, whatever the day
    r"(?:talk|speak|chat)\s+(?:soon|later|tomorrow|tmrw|tmr|then)|"
    r"(?:see|talk\s+to|catch)\s+(?:you|ya|u)(?:\s+(?:later|soon|then|tomorrow|tmrw|tmr|"
    r"tonight|(?:on\s+|next\s+|this\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"next\s+(?:week|time|month)|in\s+a\s+(?:bit|while)|"
    rf"(?:on\s+|at\s+|over\s+|after\s+)?(?:{HOLIDAY_NAMES})))?|"
    r"good\s*night|(?:nighty?\s+)?night|nite|gn|ttyl|take\s+care|"
    r"ciao|adi[oó]s|tsch[uü]ss?|tsch[aü]u|au\s+revoir|[aà]\s+(?:plus|demain|bient[oô]t)|"
    r"hasta\s+(?:luego|ma[nñ]ana|pronto|la\s+vista)|auf\s+wiedersehen|"
    r"bis\s+(?:morgen|bald|dann|sp[aä]ter)|sayonara|arrivederci|totsiens|kwaheri)"
)
_CANCEL = re.compile(
    r"(?:never\s*mind|nvm|forget\s+(?:it|about\s+it|that)|cancel(?:\s+that)?|stop|nothing|"
    r"no\s+worries|ignore\s+(?:that|it|me)|scratch\s+that|abort|undo(?:\s+that)?)"
)
_HELP = re.compile(
    r"(?:help|help\s+me|\?+|what\s+(?:else\s+)?can\s+(?:you|i)\s+(?:do|say|ask)\b.*|"
    r"what\s+(?:kinds?|sorts?|types?)\s+of\s+(?:stuff|things|tasks|commands)\s+can\s+(?:you|u|i)\s+"
    r"(?:do|say|ask|help(?:\s+(?:me|us))?\s+with)\b.*|what\s+can\s+u\s+do\b.*|"
    r"what\s+do\s+you\s+do|what\s+are\s+you|who\s+are\s+you|how\s+does\s+(?:this|it)\s+work|"
    r"how\s+do\s+(?:i|you)\s+(?:use|work)\b.*|how\s+do\s+i\s+(?:add|create|delete|remove|"
    r"complete|list|update|change|edit|see|mark)\b.*|how\s+can\s+you\s+help(?:\s+me)?|"
    r"(?:can|could)\s+you\s+help(?:\s+me)?|what\s+are\s+your\s+(?:features|capabilities|"
    r"commands|skills)|what\s+(?:are\s+the\s+)?commands\b.*|commands|options|menu|usage|"
    r"instructions|what\s+is\s+this|what\s+can\s+this\s+do)"
)
_SMALL_TALK = [
    ("greeting", _GREETING),
    ("thanks", _THANKS),
    ("ack", _ACK),
    ("bye", _BYE),
    ("cancel", _CANCEL),
    ("help", _HELP),
]
_INJECTION_WORDS = ("ignore", "disregard", "forget", "override", "bypass", "system", "now",
                    "jailbreak", "developer", "pretend")  # fmt: skip
_INJECTION = Guarded(
    r"\b(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any|the|your|my|of|these|those|"
    r"previous|prior|above|earlier|preceding|system|original|safety)\s+)*(?:instructions|"
    r"prompts?|rules|directions|guidelines|messages|context)\b|\bsystem\s+prompt\b|"
    r"\byou\s+are\s+now\b|\bjailbreak|\bdeveloper\s+mode\b|\bpretend\s+(?:to\s+be|you\s+are)\b",
    needles=_INJECTION_WORDS,
)
_BULK = re.compile(
    r"^(?:delete|remove|erase|clear|wipe|purge|drop|trash|cancel|scrap|nuke|bin|discard|"
    r"get\s+rid\s+of|complete|finish|mark|tick\s+off|check\s+off|cross\s+off|clean\s+out|"
    r"clean\s+up|empty|reset|update|change|move|postpone|reschedule|set|make)\s+(?:out\s+)?"
    r"(?:all\b|every\b|everything\b|each\b|the\s+(?:whole|entire)\b|my\s+(?:whole|entire)\b|"
    r"both\b|them\s+all\b)"
    r"|^(?:clear|wipe|empty|reset|nuke|purge)\s+(?:out\s+)?(?:my|the)\s+(?:list|tasks|todos|"
    r"to-?dos|to-?do\s+list|todo\s+list|task\s+list|board)\b"
    r"|^(?:delete|remove|erase|complete|finish)\s+(?:my|the)\s+(?:tasks|todos|to-?dos|list|"
    r"to-?do\s+list|todo\s+list)$"
    r"|^(?:mark|tick|check|cross)\s+(?:them|everything|all)\b"
    # "clear the completed ones", "clean out the done tasks": every finished task at once
    r"|^(?:clear|clean\s+up|clean\s+out|delete|remove|erase|archive|purge|wipe|hide|trash|"
    r"get\s+rid\s+of)\s+(?:out\s+)?(?:all\s+)?(?:the\s+|my\s+)?(?:completed|done|finished|"
    r"ticked|checked|crossed|old)(?:\s+off)?\s+(?:ones|tasks|items|todos|to-?dos|stuff|things)\b"
)

# --- listing -----------------------------------------------------------------------------------

# The days a list question may be about ("what's on for tmrw", "anything on friday").
_DAY_WORDS = (
    r"today|tonight|tomorrow|tmrw|tmr|tmw|tomoz|(?:this|next)\s+(?:week|weekend|month|morning|"
    r"afternoon|evening|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"(?:the\s+)?weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    rf"{HOLIDAY_NAMES}"
)
# What one does to a task, in the past as list questions ask about it ("what did I knock out",
# "what haven't I touched", "what have I got through"): one class for every list rule below.
_DID_VERBS = (
    r"(?:finish(?:ed)?|complete(?:d)?|do(?:ne)?|get\s+done|got\s+done|accomplish(?:ed)?|"
    r"(?:tick|check|cross)(?:ed)?\s+off|knock(?:ed)?\s+(?:out|off)|touch(?:ed)?|start(?:ed)?|"
    r"tackle(?:d)?|handle(?:d)?|deal(?:t)?\s+with|(?:get|got|gotten)\s+(?:round\s+|around\s+)?to|"
    r"(?:get|got|gotten)\s+through|clear(?:ed)?|wrap(?:ped)?\s+up|smash(?:ed)?|nail(?:ed)?|"
    r"sort(?:ed)?(?:\s+out)?|(?:take|took|taken)\s+care\s+of|work(?:ed)?\s+on|achieve(?:d)?)"
)
# Words that say how or when between the subject and its doing verb: "what have i actually
# ticked off", "what did i already finish" (two at most).
_SAID_HOW = (
    r"(?:(?:already|yet|not|even|actually|really|ever|just|finally|truly|properly)\s+){0,2}"
)
_LIST_SHOW = re.compile(
    # "only show the ones i've done": "only" puts the filter first
    r"^(?:only\s+)?(?:show|list|display|print|pull\s+up|bring\s+up|give\s+me|gimme|get\s+me|fetch|"
    r"let\s+me\s+see|lemme\s+see|what\s+about)(?![\w'])(?P<rest>.*)$"
)
_LIST_SEE = re.compile(
    r"^(?:see|view|check|review|read(?:\s+out)?|read\s+me|tell\s+me|go\s+over|go\s+through|"
    r"open|remind\s+me(?=\s+(?:what|of\s+(?:my|the|all)|which)))(?![\w'])(?P<rest>.*)$"
)
# What "check", "review", "open" ... act on when it is not the list: a thing named first ("check
# the ferry times for the weekend"); "check my tasks for the weekend" shows the list.
_THING_TO_SEE = re.compile(
    r"\s*(?:the|a|an|my|our|your|his|her|their|this|that)\s+(?!(?:whole\s+|full\s+|entire\s+)?"
    r"(?:list|tasks?|todos?|to-?dos?|to-?do\s+list|items?|reminders?|stuff|things|agenda|schedule|"
    r"plate|pending|completed|done|finished|open|outstanding|remaining|upcoming|overdue|"
    r"unfinished|incomplete|next|rest|ones?)\b)[a-z]"
)
_LIST_QUESTION = re.compile(
    # ("what a night, ..." exclaims: it asks nothing)
    r"^(?:what(?!\s+an?\s)|what'?s|whats|which|how\s+many|do\s+i\s+have|have\s+i|did\s+i|is\s+there|"
    r"are\s+there|anything|any|got\s+any|where\s+am\s+i|am\s+i)(?![\w'])(?P<rest>.*)$"
)
_LISTY = re.compile(
    r"\b(?:tasks?|todos?|to-?dos?|list|items?|reminders?|everything|stuff|things|agenda|plate|"
    r"pending|completed|done|finished|outstanding|remaining|left|due|overdue|upcoming|open|still|"
    r"incomplete|unfinished|"
    rf"(?:did|have|didn'?t|haven'?t|have\s+not|did\s+not)\s+(?:i|we)\s+{_SAID_HOW}{_DID_VERBS}|"
    r"(?:do|did)\s+(?:i|we)\s+have|(?:i|we)\s+(?:have|got)|(?:i|we)'ve\s+got|"
    # "anything i haven't ticked off yet", "what i've knocked out": the doing verb after its
    # subject, as a relative clause says it
    r"(?:i|we)(?:'ve|\s+have)?\s+(?:(?:haven'?t|havent|have\s+not|didn'?t|didnt|did\s+not|"
    rf"not|still|already|yet|actually|really|even|ever|just|finally)\s+)*{_DID_VERBS}|"
    # what lies ahead: "what do i have coming up", "anything coming up this week"
    r"coming\s+up|on\s+the\s+horizon|in\s+the\s+pipeline|ahead\s+of\s+me|"
    r"(?:need|have|got)\s+to\s+(?:do|get\s+done|finish|complete|knock\s+out|tackle|handle|"
    r"get\s+through|deal\s+with|sort(?:\s+out)?|work\s+on)|to\s+do|on\s+my\s+(?:list|plate|agenda)|"
    rf"on\s+(?:for\s+)?(?:{_DAY_WORDS}|the\s+agenda)|(?:for|due)\s+(?:{_DAY_WORDS}))\b"
)
_LIST_BARE = re.compile(
    r"^(?:(?:my|all|all\s+my|the|list\s+of|full)\s+)*(?:(?:pending|open|outstanding|remaining|"
    r"completed|finished|done|active|current|unfinished|incomplete)\s+)?(?:tasks|todos|to-?dos|"
    r"to-?do\s+list|todo\s+list|task\s+list|list|items|reminders)$|^(?:pending|completed|finished|"
    r"outstanding|done\s+tasks|open\s+tasks)$"
    r"|^(?:everything|all(?:\s+of\s+(?:it|them))?|the\s+(?:whole\s+)?lot)(?:\s+(?:pls|please|plz))?$"
    # "everything pls incl finished ones", "all of it, even the done ones": a politeness word
    # between the list and what it includes
    r"|^(?:everything|all(?:\s+of\s+(?:it|them))?|the\s+(?:whole\s+)?lot)(?:\s+(?:pls|please|plz))?"
    r",?\s+(?:including|incl|plus|even|with)\.?\s+(?:(?:the|my|all)\s+)?(?:done|finished|"
    r"completed)(?:\s+(?:ones|tasks|stuff|things|items))?(?:\s+(?:too|pls|please|plz))?$"
    # "pending stuff pls", "the done ones", "open things": a status and a vague noun
    r"|^(?:(?:my|all|all\s+my|the|any)\s+)*(?:pending|open|outstanding|remaining|completed|"
    r"finished|done|unfinished|incomplete|overdue|upcoming)\s+(?:stuff|things|ones|items|bits)"
    r"(?:\s+(?:pls|please|plz))?$"
)
_DID_I = re.compile(
    r"^(?:did|have|has)\s+(?:i|we)\s+(?:already\s+|ever\s+)?(?:finish|complete|do|done|finished|"
    r"completed|tick|check|cross)"
)
_NOT_DONE = re.compile(
    r"\b(?:haven'?t|have\s+not|hasn'?t|didn'?t|did\s+not|not)\s+(?:i\s+|we\s+)?(?:yet\s+|already\s+|"
    rf"even\s+)?(?:{_DID_VERBS}|did)\b|"
    r"\b(?:not|never)\s+(?:yet\s+)?(?:been\s+)?(?:done|finished|completed|complete|finish|do|"
    r"did|ticked|checked)\b|n't\s+(?:yet\s+)?(?:been\s+)?(?:done|finished|completed|finish|do|"
    r"complete)\b|\b(?:incomplete|unfinished|uncompleted|undone|unchecked|unticked)\b"
)
_PENDING_WORDS = re.compile(
    r"\b(?:pending|open|outstanding|remaining|left|still|active|upcoming|due|overdue|current|"
    r"coming\s+up|on\s+the\s+horizon|in\s+the\s+pipeline|ahead\s+of\s+me|"
    r"yet\s+to|(?:need|have|got|gotta)\s+to|to\s+do\b(?!\s+list)|next|todo\s+now|"
    rf"{_DAY_WORDS})\b"
)
_DONE_WORDS = re.compile(
    r"\b(?:completed|done|finished|ticked\s+off|checked\s+off|crossed\s+off|accomplished|"
    r"achieved|closed|archived|did|knocked\s+(?:out|off)|got\s+through|wrapped\s+up)\b"
)
_BOTH = re.compile(r"\b(?:and|or|both|plus|as\s+well\s+as|including|incl)\b|[+&]")
# "everything including the done ones", "even the finished ones", "with completed": all of them.
_INCLUDING = re.compile(
    r"\b(?:including|incl|include|plus|with|even|also|and|\+)\.?\s+"
    r"(?:(?:the|my|all|ones?|what|which|that|stuff|things|tasks|items|i|i'?ve|ive|i'?d|we|"
    r"we'?ve|have|already|been|was|were)\s+){0,4}"
    # "incl the stuff i already did": the doing verb in the past counts as its participle
    r"(?:done|finished|completed|ticked|checked|crossed|did|knocked\s+(?:out|off)|"
    r"got\s+through|wrapped\s+up)\b"
)
# "the done ones too", "finished stuff as well": all of them.
_INCLUDING_AFTER = re.compile(
    r"\b(?:done|finished|completed|ticked|checked|crossed)(?:\s+off)?(?:\s+(?:ones?|tasks?|"
    r"items?|stuff|things|todos?))?\s+(?:too|as\s+well|also|included|incl)\b"
)
# "done + not done", "finished and unfinished", "pending or completed", "done or not": both, so
# all of them.
_DONE_STATE = r"(?:done|finished|completed?|ticked(?:\s+off)?|checked(?:\s+off)?|crossed\s+off)"
_NOT_DONE_STATE = (
    r"(?:not\s+(?:yet\s+)?(?:done|finished|completed?)|undone|unfinished|incomplete|uncompleted|"
    r"pending|open|outstanding|remaining|to\s*do|todo|"
    # "done or not", "what's done and what's not": the state left out after "not"
    r"(?:(?:what'?s|whats|what\s+is)\s+)?not(?=[\s?.!]*$)|what\s+isn'?t(?=[\s?.!]*$))"
)
_EITHER = r"\s*(?:and|or|&|\+|/|plus|as\s+well\s+as|n)\s*"
_DONE_AND_NOT = re.compile(
    rf"(?<![\w'])(?:{_DONE_STATE}{_EITHER}{_NOT_DONE_STATE}|{_NOT_DONE_STATE}{_EITHER}{_DONE_STATE})"
    r"(?![\w'])"
)
# "everything except the done ones", "all but the finished", "without completed": the rest.
_EXCLUDING = re.compile(
    r"\b(?:except(?:\s+for)?|excluding|excl|but\s+not|(?:but\s+)?(?:leave|leaving)\s+out|"
    r"(?:but\s+)?(?:skip|skipping|hide|hiding)|but|minus|without|other\s+than|"
    r"apart\s+from|besides|not\s+(?:the|including))\.?\s+"
    r"(?:(?:the|my|any|all|ones?|what|which|that|stuff|things|tasks|items|i|i'?ve|ive|we|"
    r"have|already)\s+){0,4}(?P<w>done|finished|completed|ticked|checked|crossed|pending|open|"
    r"unfinished|incomplete|outstanding|remaining)\b"
)

# --- explicit field edits ------------------------------------------------------------------------

_DESC_OF = re.compile(
    r"^(?:set|change|update|edit|make|write|put|modify|replace)\s+(?:the\s+)?(?:description|"
    r"desc|notes?|details)\s+(?:of|for|on|to|in)\s+(?P<rest>.+)$"
)
_DESC_ADD = re.compile(
    r"^(?:add|attach|put|write|leave|give)\s+(?:a\s+|the\s+|some\s+|this\s+)?(?:description|"
    r"desc|notes?|details|comment)\s+(?:to|on|for)\s+(?P<rest>.+)$"
)
_DESCRIBE = re.compile(r"^describe\s+(?P<rest>.+)$")
# A note for a task said first, the note after a colon or a dash: "for the neis grades task,
# note: double check the scores", "the boiler one - add a note: ask for the receipt", "note for
# the vet visit: bring the card". The words before name a task (else it is a new one).
_NOTE_WORD = r"(?:note|notes|description|desc|details|comment)"
_DESC_FOR = Guarded(
    r"^(?:(?P<pre>for|on|re|about|regarding)\s+)?(?P<t>[^:]{1,160}?)"
    # (after "for X" or "the X task" no comma is needed: "for the gym task note: ...")
    r"(?:\s*(?:[,;:]|\s-+)|(?<=\btask)|(?<=\bone)|(?<=\bthing)|(?<=\bitem)|(?(pre)(?=\s)|(?!)))\s*"
    r"(?:(?:pls|please)\s+)?(?:(?:add|put|leave|attach|write|make|set|change|update)\s+"
    r"(?:a\s+|this\s+|the\s+|its\s+)?)?"
    # ("... set the description to: X")
    rf"{_NOTE_WORD}\s*(?:(?:to|as)\s*)?(?::|-+|=)\s*(?P<v>\S.*)$"
    rf"|^(?:(?:add|put|leave|attach|write|make)\s+)?(?:a\s+|this\s+)?{_NOTE_WORD}\s+"
    r"(?:for|on|to|re|about)\s+(?P<t2>[^:]+?)\s*(?::|\s-+)\s*(?P<v2>\S.*)$",
    needles=("note", "desc", "detail", "comment"),
)
_DESC_POSSESSIVE = re.compile(
    # (the owner never runs past "the X task to": "change the thank you notes task to write
    # notes to lee" renames it, the second "notes to" inside the new title)
    r"^(?:set|change|update|edit)\s+(?P<t>(?:(?!\b(?:task|todo|item|one|thing)\s+(?:to|as|into)\s)"
    r".)+?)(?:'s|s')?\s+(?:description|desc|notes?|details)"
    r"\s*(?:to|as|:)\s*:?\s*(?P<v>.+)$"
)
_TITLE_RENAME = re.compile(r"^(?:rename|retitle|re-name|re-title|relabel)\s+(?P<rest>.+)$")
_TITLE_RENAME_BARE = re.compile(
    r"^(?:rename|retitle|re-name|re-title|relabel)\s+(?P<t>it|that|this|that\s+one|this\s+one|"
    r"(?:task|todo|item)\s*#?\s*\d+|#\d+)\s+(?P<v>.+)$"
)
_TITLE_OF = re.compile(
    r"^(?:change|update|edit|set|modify|fix|correct)\s+(?:the\s+)?(?:title|name|wording|text|"
    r"label)\s+(?:of|for|on)\s+(?P<rest>.+)$"
)
_TITLE_POSSESSIVE = re.compile(
    r"^(?:change|update|edit|set|modify|fix)\s+(?P<t>.+?)(?:'s|s')?\s+(?:title|name)\s+"
    r"(?:to|as|:)\s*:?\s*(?P<v>.+)$"
)
_TITLE_CALL = re.compile(
    r"^(?:call|name)\s+(?P<t>it|that|this|that\s+one|this\s+one|(?:task|todo|item)\s*#?\s*\d+|"
    r"#\d+)\s+(?P<v>.+)$"
)
_PRIORITY_OF = re.compile(
    r"^(?:set|change|update|make|put|switch|turn|bump|move)\s+(?:the\s+)?(?:priority|prio)"
    r"(?:\s+level)?\s+(?:of|for|on)\s+(?P<rest>.+)$"
)
_PRIORITY_RAISE = re.compile(
    r"^(?P<v>raise|increase|bump\s+up|bump|up|lift|boost|lower|decrease|reduce|drop|downgrade|"
    r"upgrade)\s+(?:the\s+)?(?:priority|prio|importance)\s+(?:of|for|on)\s+(?P<rest>.+)$"
)
_PRIORITY_GIVE = re.compile(
    r"^(?:add|give|assign|put|set|apply)\s+(?:a\s+|the\s+)?(?P<p>high|low|medium|normal|top|"
    r"urgent)[\s-]+priority\s+(?:to|on|for)\s+(?P<t>.+)$"
)
_PRIORITY_FIRST = re.compile(
    r"^(?:priority|prio)\s*(?::|=|to)?\s*(?P<p>high|low|medium|normal|top|urgent)\s+"
    r"(?:for|on|to)\s+(?P<t>.+)$"
)
_DUE_OF = re.compile(
    r"^(?:set|change|update|move|push|make|put|shift|adjust)\s+(?:the\s+)?(?:due\s+date|deadline|"
    r"due|date|due\s+time|time)\s+(?:of|for|on)\s+(?P<rest>.+)$"
)
_DUE_ADD = re.compile(
    r"^(?:add|set|give|put|assign)\s+(?:a\s+|the\s+)?(?:due\s+date|deadline|date)\s+(?:of\s+)?"
    r"(?P<rest>.+)$"
)
# What may stand before the date in "X is <date>": "X is now on friday", "X is set for 3pm".
_DUE_LEAD = frozenset(
    "now actually really still happening scheduled set planned booked on for at to due".split()
)
_IS_DUE_VERBS = ("is", "are", "should", "needs", "must", "'s", "moved", "pushed", "rescheduled",
                 "postponed", "changed", "bumped", "shifted", "switched")  # fmt: skip
_IS_DUE = Guarded(
    r"^(?P<t>.+?)\s+(?:is|are|should\s+be|needs\s+to\s+be|must\s+be|'s|(?:got|was|has\s+been)\s+"
    r"(?:moved|pushed|rescheduled|postponed|bumped|shifted|switched|changed)|(?:is\s+)?(?:moved|"
    r"pushed|rescheduled|postponed|changed|bumped|shifted))\s+"
    r"(?:now\s+|actually\s+)?(?:due\s+|on\s+|to\s+|at\s+|for\s+)?(?P<d>.+)$",
    needles=_IS_DUE_VERBS,
)
# The subject of a clause of its own, which a remark or a reason starts with.
_SUBJECT = (
    r"(?:i|i'm|im|i've|ive|i'll|we|we're|were|we've|weve|we'll|she|she's|shes|he|he's|hes|"
    r"they|they're|theyre|it|it's|its|there's|theres|you|you're|youre)"
)
# A clause's subject that is a noun, and its verb: "truck making a noise", "the boss wants it".
_NOUN_AND_VERB = (
    r"(?:(?:the|my|our|his|her|their|a)\s+)?[a-z']+\s+(?:[a-z']+\s+)?(?:is|are|was|were|has|have|"
    r"had|keeps|needs|wants|said|says|asked|broke|died|works|looks|seems|goes|went|came|comes|"
    r"runs|ran|got|gets|closes|opens|ends|starts|leaves|arrives|expires|[a-z]{2,}ing|[a-z]{3,}ed)\b"
)
# "X is urgent", "the groceries aren't that urgent anymore", "that one's important" (the
# apostrophe often left out: "thats", "that ones"): a statement of X's priority, negated = low.
# "the dinner got pushed back an hour", "X was moved up a day": a move said as what happened.
_IS_SHIFTED = re.compile(
    r"^(?P<t>.+?)\s+(?:(?:got|was|were|has\s+been|have\s+been|is|are|'s)\s+)?(?P<v>moved|pushed|"
    r"postponed|delayed|bumped|brought|pulled|shifted)\s+(?P<rest>.+)$"
)
# The statements' key words, looked for first: the statements themselves cost more to try.
_SHIFTED_WORDS = re.compile(r"moved|pushed|postponed|delayed|bumped|brought|pulled|shifted")
_PRIORITY_WORDS = re.compile(r"urgent|important|critical|pressing|priority")
_IS_PRIORITY = Guarded(
    r"^(?P<t>.+?)(?P<be>\s+(?:is|are|was|were|should\s+be|isn'?t|aren'?t|wasn'?t|ain'?t|"
    r"no\s+longer)|\s*(?:'s|'re)|(?:(?<=\bone)|(?<=^it)|(?<=^that)|(?<=^this))s)\s+"
    r"(?P<neg>(?:not|no\s+longer)\s+)?(?:(?:now|actually|really|super|very|that|so|quite|"
    r"pretty|kinda|even)\s+)*"
    r"(?P<p>urgent|important|critical|pressing|a\s+priority|(?:high|low|medium|top)[\s-]+"
    r"priority|a\s+(?:high|low|top)\s+priority)(?:\s+(?:now|too|again|then|as\s+well|"
    r"actually|after\s+all|any\s*more|at\s+all|either))*"
    # a reason run on after it, no comma, its subject a pronoun: "aoife's books are urgent she
    # needs them before her exam", "the flour order is urgent now we're almost out"; or a noun
    # and its verb: "service is urgent truck making a noise", "X is urgent boss wants it today"
    rf"(?:\s+(?:{_SUBJECT}\s|{_NOUN_AND_VERB}).+)?$",
    needles=("urgent", "important", "critical", "pressing", "priority"),
)
# Not urgent said as waiting: "the thank you cards can wait", "X can wait for now", "X is no
# rush". Only with nothing after it (a day after it, "can wait till friday", is a move).
_CAN_WAIT = re.compile(
    r"^(?P<t>.+?)\s+(?:(?:can|could)\s+(?:totally\s+|definitely\s+|probably\s+|easily\s+|prob\s+)?"
    r"wait|(?:is|are|'s|'re)\s+no\s+rush|(?:isn'?t|aren'?t|is\s+not|are\s+not)\s+a\s+rush)"
    r"(?:\s+(?:a\s+bit|a\s+while|for\s+now|for\s+a\s+bit|for\s+a\s+while|til+\s+later|until\s+later|"
    r"anyway|honestly|tbh|i\s+guess|i\s+think|then|really|at\s+all))*$"
)

# --- completing, deleting, generic edits ---------------------------------------------------------

_DONE_TAIL = (
    r"(?:done|complete|completed|finished|closed|resolved|checked(?:\s+off)?|ticked(?:\s+off)?|"
    r"crossed\s+off|off)"
)
_NOT_DONE_WORDS = (
    r"(?:not\s+(?:yet\s+)?(?:done|complete|completed|finished)|undone|incomplete|unfinished|"
    r"uncompleted|pending|open|active|to\s*do)"
)
_NEGATED = r"(?:isn'?t|aren'?t|wasn'?t|weren'?t|is\s+not|are\s+not|was\s+not|were\s+not|'s\s+not)"
# Every last word the participle forms below may end in ("sent", "fixed", "picked up", "yet").
_PARTICIPLE_ENDINGS = ("ed", "sent", "paid", "bought", "done", "made", "written", "taken", "got",
                       "gotten", "built", "sold", "read", "run", "up", "out", "off", "in", "back",
                       "down", "away", "over", "yet", "all", "still", "either", "actually",
                       "actualy", "actully", "acutally", "though", "tho", "more")  # fmt: skip
# "reopen X", "mark X as not done", "X isn't done", "X isn't sent yet", "I didn't actually X".
_REOPEN_PATTERNS: list[AnyPattern] = [
    re.compile(
        r"^(?:reopen|re-open|uncheck|untick|uncomplete|un-complete|unmark|unfinish|restore)"
        r"(?![\w'])\s*(?P<t>.*)$"
    ),
    # Undoing the completion: "undo done on X", "undo the tick on X", "undo marking X (as) done".
    re.compile(
        r"^undo\s+(?:the\s+|my\s+)?(?:done|complete|completed|completion|finished|check(?:mark)?|"
        r"tick|\u2705)\s+(?:on|for|of|from)\s+(?P<t>.+)$"
        r"|^undo\s+(?:marking|checking\s+off|ticking\s+off|crossing\s+off|checking|ticking|"
        r"completing|finishing)\s+(?P<t2>.+?)(?:\s+(?:as\s+)?(?:done|complete|completed|finished|"
        r"off))?$"
    ),
    re.compile(
        # the task said before ("smoke alarm batteries - mark as not done"): "it"
        rf"^(?:mark|set|flag)(?P<t2>)\s+(?:as\s+|back\s+to\s+|back\s+as\s+){_NOT_DONE_WORDS}"
        r"(?:\s+again)?$"
        r"|^(?:mark|set|change|make|switch|put|turn|flag|move)\s+(?P<t>.+?)\s+(?:as\s+|to\s+|"
        rf"back\s+to\s+|back\s+as\s+)?{_NOT_DONE_WORDS}(?:\s+again)?$"
    ),
    Guarded(
        # "thats not done", "its not done", "theyre not done": the apostrophe left out (the
        # pronoun is the task the clause before names: "match jerseys still stink, theyre not
        # done")
        rf"^(?P<t>.+?)\s*(?:{_NEGATED}|(?:(?<=\bthat)|(?<=\bit))s\s+not|(?<=\bthey)'?re\s+not)\s+(?:actually\s+|really\s+|quite\s+)?"
        r"(?:done|finished|complete|completed)(?:\s+yet|\s+after\s+all|\s+any\s*more)?$",
        endings=("done", "finished", "complete", "completed", "yet", "all", "more"),
    ),
    Guarded(
        rf"^(?P<t>.+?)\s*(?:{_NEGATED}|\s(?:never|not)(?:\s+(?:got|been|was|were|get))?|"
        r"(?:was|were|has|have|had)\s+never(?:\s+been)?)\s+(?:actually\s+|really\s+)?"
        r"(?P<p>(?:[a-z]+ed|sent|paid|bought|done|made|written|taken|got|gotten|fed|built|sold|"
        r"read|run)(?:\s+(?:up|out|off|in|back|down|away|over))?)"
        r"(?:\s+(?:yet|after\s+all|still|either|actually|actualy|actully|acutally|though|tho|"
        r"any\s*more))*$",
        endings=_PARTICIPLE_ENDINGS,
    ),
    re.compile(
        r"^(?:actually\s*,?\s+)?(?:(?:i|we)\s+(?:(?:actually|really|honestly|totally|just)\s+)?)?"
        r"(?:didn'?t|did\s+not|never|haven'?t|have\s+not|hadn'?t)\s+"
        r"(?:actually\s+|really\s+|quite\s+|yet\s+|even\s+)?"
        # "i didn't finish revising X": the doing, not the finishing, names the task
        r"(?:(?:finish|complete|get\s+(?:round|around)\s+to)\s+(?=[a-z]{2,}ing\s))?(?P<t>.+?)"
        r"(?:\s*,?\s+(?:actually|after\s+all|yet|though|lol))*$"
    ),
    # A tick taken back for work never done: "i marked the tenors email done but never sent
    # it", "ticked off X but we didn't actually pay it". What was ticked names the task.
    Guarded(
        r"^(?:(?:i|we)\s+)?(?:(?:just|already|accidentally)\s+)?(?:marked|ticked|checked|crossed)"
        r"(?:\s+off)?\s+(?P<t>.+?)\s+(?:as\s+)?(?:done|complete|completed|finished|off)\s*,?\s+"
        r"but\s+(?:(?:i|we)\s+)?(?:never|didn'?t|did\s+not|haven'?t|have\s+not|hadn'?t)\s+"
        r"(?:actually\s+|even\s+|really\s+)?[a-z]+(?:\s+(?:it|them|that|one|him|her))?"
        r"(?:\s+(?:yet|lol|oops|actually))*$",
        needles=("but",),
    ),
    # "I'm not done with the fridge (yet)": the person is still at it.
    re.compile(
        r"^(?:i'?m|im|i\s+am|we'?re|we\s+are|i\s+wasn'?t|i\s+was)\s+not\s+(?:actually\s+|really\s+|"
        r"quite\s+)?(?:done|finished|through)\s+with\s+(?P<t>.+?)(?:\s+(?:yet|after\s+all|actually))*$"
    ),
    # A belief taken back: "I thought I called the GP but I didn't", "thought I'd paid X, turns
    # out I hadn't", "I was sure I sent X but nope". What was believed done names the task.
    re.compile(
        r"^(?:(?:i|we)\s+)?(?:thought|was\s+sure|were\s+sure|could\s+have\s+sworn|swore)\s+"
        r"(?:that\s+)?(?:i|we)(?:'d|\s+had|\s+have|'ve)?\s+(?:already\s+)?(?P<t>.+?)\s*[,;.-]?\s+"
        r"(?:but|and|turns\s+out|apparently|guess)\s+(?:(?:it\s+)?turns\s+out\s+|apparently\s+)?"
        r"(?:(?:i|we)\s+(?:didn'?t|did\s+not|hadn'?t|had\s+not|haven'?t|have\s+not|never\s+did)|"
        r"nope|not|no|(?:it|that)\s+(?:isn'?t|wasn'?t|is\s+not|was\s+not|'s\s+not)(?:\s+done)?)"
        r"(?:\s+(?:do\s+it|did\s+it))?(?:\s+(?:after\s+all|lol|oops|actually))*$"
    ),
    # From here on "back" is said: "put the bins back on the list", "add X back".
    re.compile(
        r"^(?:(?:put|stick|throw|get|move)\s+(?P<t>.+?)\s+back\s+(?:on|onto|in|into|to)\s+"
        r"(?:my|the)\s+(?:to-?do\s+|todo\s+|task\s+)?list|(?:add|bring)\s+(?P<t2>.+?)\s+back"
        r"(?:\s+(?:on|onto|in|into|to)\s+(?:my|the)\s+(?:to-?do\s+|todo\s+|task\s+)?list)?)"
        r"(?:\s+again)?$"
    ),
    # "put it back", "stick that one back": a task said as a pronoun has no other place to go
    # back to than the list ("put the bins back" is a chore)
    re.compile(
        r"^(?:put|stick|pop|throw)\s+(?P<t>it|that|this|that\s+one|this\s+one|them)\s+back"
        r"(?:\s+(?:again|please|pls|plz))*$"
    ),
    Guarded(
        r"^(?P<t>.+?)\s+(?:is|go|goes|should\s+go|needs\s+to\s+go|can\s+go)\s+back\s+(?:on|onto|"
        r"in|into|to)\s+(?:my|the)\s+(?:to-?do\s+|todo\s+|task\s+)?list$",
        endings=("list",),
    ),
]
_REOPEN_BACK_FROM = 9
_TICK_TAKEN_BACK = 6  # the pattern above for "marked X done but never sent it"
# A tick owned up to as a mistake: "i ticked the wrong one", "checked that off by accident",
# "marked it done by mistake". The tick was the last turn's: its task is "it".
_WRONG_TICK_HEAD = r"(?:(?:i|we)\s+)?(?:just\s+|must\s+have\s+|might\s+have\s+)?"
_TICKED = r"(?:ticked|checked|marked|crossed|completed|finished|clicked|hit)(?:\s+off)?\s+"
_TICKED_IT = r"(?:it|that|this)(?:\s+one)?(?:\s+(?:off|done|as\s+done|complete))?"
_WRONG_TICK = Guarded(
    rf"^(?:{_WRONG_TICK_HEAD}{_TICKED}(?:the\s+)?wrong\s+(?:one|task|thing|item|box)(?:\s+off)?|"
    rf"{_WRONG_TICK_HEAD}{_TICKED}{_TICKED_IT}\s+(?:by\s+(?:mistake|accident)|accidentally|"
    r"too\s+(?:early|soon))|"
    rf"{_WRONG_TICK_HEAD}(?:accidentally|mistakenly)\s+{_TICKED}{_TICKED_IT})"
    r"(?:\s+(?:sorry|oops|lol|again))*$",
    needles=("wrong", "mistake", "accident", "too"),
)
# What did not happen after all, said of the task: "the remittance didn't go through", "the
# linens order fell through", "the renewal bounced", "the sofa buyer flaked", "the bus got
# cancelled". Of a completed task it undoes the completion; of a pending one it asks nothing
# ("the party got cancelled" then deletes it, as before).
_NOT_HAPPENED_ENDINGS = ("through", "thru", "apart", "happen", "happened", "out", "arrive",
                         "arrived", "show", "showed", "shown", "up", "come", "came", "bounced",
                         "flaked", "bailed", "declined", "failed", "cancelled", "canceled", "off",
                         "again", "all", "either", "more", "though", "tho", "actually", "me",
                         "us")  # fmt: skip
_NOT_HAPPENED = Guarded(
    r"^(?P<t>.+?)\s+(?:(?:didn'?t|did\s+not|never|hasn'?t|has\s+not|haven'?t|have\s+not)\s+"
    r"(?:actually\s+|really\s+|even\s+)?(?:(?:go|gone|come|went|came)\s+(?:through|thru)|"
    r"happen(?:ed)?|work(?:ed)?\s+out|arrive(?:d)?|show(?:ed|n)?(?:\s+up)?|turn(?:ed)?\s+up|"
    r"come|came)|(?:(?:got|was|were|has|have|been|just|all|totally)\s+)*(?:(?:fell|fallen)\s+"
    r"(?:through|thru|apart)|bounced|flaked(?:\s+out)?|bailed(?:\s+out)?|declined|failed|"
    r"cancell?ed|called\s+off))"
    r"(?:\s+(?:again|after\s+all|either|any\s*more|though|tho|actually|on\s+(?:me|us)))*$",
    endings=_NOT_HAPPENED_ENDINGS,
)
# Work that was done but failed or came back wrong: "the boots came back wrong size", "reel 2
# color came back wrong from the client", "the roster got rejected by the director", "the
# service didn't really work", "the wine turned out to be corked". Like what did not happen, it
# reopens only a completed task (about a pending one it asks nothing).
_WENT_WRONG = Guarded(
    r"^(?P<t>.+?)\s+(?:(?:(?:came|come|got\s+sent|was\s+sent|were\s+sent)\s+back|turned\s+out|"
    r"(?:is|are|was|were))\s+(?:all\s+)?(?:wrong|botched|messed\s+up)|"
    r"(?:(?:got|was|were|has\s+been|have\s+been|just)\s+)+(?:rejected|refused|turned\s+down|"
    r"knocked\s+back)|"
    r"turned\s+out\s+(?:to\s+be\s+)?(?:wrong|faulty|broken|fake|expired|corked|off|a\s+dud|"
    r"a\s+fake|a\s+scam|the\s+wrong\s+[a-z]+)|"
    r"(?:didn'?t|did\s+not|doesn'?t|does\s+not|hasn'?t|has\s+not)\s+(?:actually\s+|really\s+|"
    r"even\s+|quite\s+)?(?:work|take|stick|hold|last))"
    r"(?:\s+[^,;]{1,40}?)?$",
    needles=("wrong", "botched", "messed", "reject", "refused", "turned", "knocked",
             "work", "take", "stick", "hold", "last"),
)
# A call or a message that never reached its person: "thandi didn't pick up", "mum never
# answered", "margaret never got my message about church" (its subject, with the words after
# the message, names the task: "Ring Margaret about church").
_NOT_REACHED = Guarded(
    r"^(?P<t>.+?)\s+(?:didn'?t|did\s+not|never|hasn'?t|has\s+not|haven'?t|have\s+not)\s+"
    r"(?:actually\s+|even\s+|ever\s+)?(?:(?:pick(?:ed)?\s+up|answer(?:ed)?|repl(?:y|ied)|"
    r"respond(?:ed)?|(?:call(?:ed)?|ring|rang|text(?:ed)?|write|wrote|get|got)\s+(?:me\s+|us\s+)?"
    r"back|"
    r"(?:get|got|gotten)\s+back\s+to\s+(?:me|us))"
    r"(?:\s+(?:the|my|her|his|their)\s+(?:phone|call|calls|texts?|messages?))?|"
    r"(?:get|got|gotten|receive[ds]?|see|saw|seen|read)\s+(?:my|the|our|your)\s+(?:message|msg|"
    r"text|email|e-?mail|letter|card|invite|invitation|voicemail|note|parcel|package|gift|"
    r"present)s?(?:\s+(?P<more>(?:about|for|re|regarding|on)\s+[^,;]{1,40}?))?)"
    r"(?:\s+(?:again|after\s+all|either|though|tho|actually|yet|today|yesterday))*$",
    needles=("pick", "answer", "repl", "respond", "back", "got", "get", "receiv", "see", "saw",
             "read"),
)
# A thing that never got back to its owner: "ate joy said she never got it back", "tom never
# got his drill back". Of a completed "Return the drill to Tom" the return did not happen.
_NOT_RETURNED = Guarded(
    r"^(?P<t>.+?)(?:\s+(?:says|said|told\s+(?:me|us)|claims|reckons)\s+(?:she|he|they))?\s+"
    r"(?:never|didn'?t|did\s+not|hasn'?t|has\s+not|haven'?t|have\s+not)\s+(?:actually\s+|even\s+)?"
    r"(?:get|got|gotten|receive[ds]?)\s+(?:it|them|(?:her|his|their|the|my|our)\s+(?P<thing>[a-z]+"
    r"(?:\s+[a-z]+)?))\s+back(?:\s+(?:again|after\s+all|either|though|tho|actually|yet))*$",
    needles=("back",),
)
_RETURNING = ("return", "give", "bring", "drop", "hand")
# The verbs of a task that reaches a person: only such a task is undone by "X never got it".
_REACHING = ("call", "ring", "phone", "email", "text", "message", "send", "write", "post", "mail",
             "invite", "remind", "tell", "ask", "contact", "reach", "follow", "ping", "dm",
             "notify", "inform", "reply", "answer")  # fmt: skip
# Work handed back to be done again: "mr kaya brought the trousers back", "finance sent the
# report back", "the essay got sent back". Who brought it may name the task too ("Hem trousers
# for Mr Kaya"). A thing that comes back by itself ("the results came back") is no such work.
_HANDED_BACK = Guarded(
    r"^(?:(?P<who>.+?)\s+(?:just\s+|has\s+|have\s+|'s\s+)?(?:brought|sent|handed|gave|kicked|"
    r"bounced|returned)\s+(?:(?P<t>.+?)\s+back|back\s+(?P<t3>.+?))|"
    r"(?P<t2>.+?)\s+(?:got|was|were|has\s+been|"
    r"have\s+been)\s+(?:sent|handed|kicked|bounced|brought)\s+back)"
    r"(?:\s+(?:to\s+(?:me|us)|again|today|yesterday|this\s+morning|already))*$",
    needles=("back",),
)
# "the acoustic still needs new strings": not done after all, if it was done.
_STILL_NEEDS = Guarded(
    r"^(?P<t>.+?)\s+still\s+(?:needs?|wants?|has\s+to\s+be|have\s+to\s+be|must\s+be)\s+"
    r"(?P<rest>.+)$",
    needles=("still",),
)
# A state that a task's verb brings about, and the verbs that do: "the pool filter is clean"
# finishes "Clean the pool filter", "newsletter's out" "Send monthly newsletter", "december rent
# all came in" "Collect December rent", "camila has her rope back" "Return the rope to Camila",
# "smoker is fixed" "Repair the smoker", "books are closed" "Close the books".
# The state names a task only with one of its verbs in the title ("the new phone is in" does not
# finish "Buy a phone case").
_CLEANING = ("clean", "wash", "scrub", "vacuum", "hoover", "wipe", "tidy", "mop", "sweep")
_MENDING = ("fix", "repair", "mend", "service", "patch")
_RESULT_OF: dict[str, tuple[str, ...]] = {
    "clean": _CLEANING,
    "spotless": _CLEANING,
    "tidy": ("tidy", "clean"),
    "empty": ("empty", "clear", "unload"),
    "clear": ("clear", "empty"),
    "full": ("fill", "refill", "top", "load"),
    "ready": ("prepare", "prep", "make", "pack", "cook", "bake"),
    "out": ("send", "post", "publish", "mail", "ship", "release", "take", "put", "email"),
    "in": ("collect", "submit", "hand", "send", "file", "receive", "deposit", "turn"),
    "back": ("return", "give", "bring", "send", "take", "get"),
    "up": ("put", "set", "hang", "post", "upload", "build", "mount", "install"),
    # a participle whose verb has others that bring the same result about
    "fixed": _MENDING,
    "repaired": _MENDING,
    "mended": _MENDING,
    "working": _MENDING,
    "closed": ("close", "shut"),
    "shut": ("shut", "close"),
}
# Back from a place: fetched from there ("the tractor is back from the shop" finishes "Pick up
# tractor from shop"); "the kids are back", with no place, says nothing of who fetched them.
_BACK_FROM = ("pick", "collect", "fetch")
_RESULTS = "|".join(_RESULT_OF)
# The rest of the task's words may follow the state: "back from the shop", "closed for 2026"
_RESULT_STATE = Guarded(
    r"^(?P<t>.+?)(?:\s+(?:all|now|finally|just|already))*(?:\s+(?:is|are|was|were|came|come|went|"
    r"gone|has\s+come|have\s+come|has\s+gone|have\s+gone)|'s|'re|"
    # a participle needs no "is", nor "back" from a place: "smoker fixed", "books closed for
    # 2026", "espresso machine back from the shop"
    r"(?=\s+(?:fixed|repaired|mended|closed|shut|back\s+from)\b))\s+"
    rf"(?:(?:now|all|finally|already|officially|nice\s+and)\s+)*(?P<s>{_RESULTS})"
    r"(?:\s+down)?"  # "shut down", "closed down"
    r"(?:\s+(?P<more>(?P<prep>from|for|to|at|with|in|on|into|by)\s+[^,;]{1,40}?))?"
    r"(?:\s+(?:now|already|finally|at\s+last|again|too))*$",
    needles=tuple(_RESULT_OF),
)
# The same state denied: "the newsletter isn't out yet", "the pool filter's not clean anymore".
_RESULT_UNDONE = Guarded(
    r"^(?P<t>.+?)(?:\s+(?:isn'?t|aren'?t|wasn'?t|weren'?t|is\s+not|are\s+not|is\s+no\s+longer|"
    r"are\s+no\s+longer)|'s\s+not|'re\s+not)\s+(?:actually\s+|really\s+|even\s+)?"
    rf"(?P<s>{_RESULTS})(?:\s+(?:yet|after\s+all|any\s*more|either|actually|though|tho|again))*$",
    endings=(*_RESULT_OF, "yet", "all", "more", "either", "actually", "though", "tho", "again"),
)
# Someone has a thing back: "camila has her rope back", "i've got my drill back".
_HAS_IT_BACK = Guarded(
    r"^(?P<who>[a-z][a-z'-]*(?:\s+[a-z][a-z'-]*)?)\s+(?:(?:now|finally|already)\s+)?(?:has|have|"
    r"got|'s\s+got|'ve\s+got|has\s+got)\s+(?:(?:her|his|their|its|the|my|our|your)\s+)?"
    r"(?P<t>.+?)\s+back(?:\s+(?:now|already|finally|at\s+last))*$",
    endings=("back", "now", "already", "finally", "last"),
)
# Who has it back, when that names no one a title would ("i've got my drill back").
_PERSONAL = frozenset({"i", "we", "she", "he", "they", "you", "i've", "we've", "ive", "weve"})
_COMPLETE_PATTERNS = [
    re.compile(
        r"^(?:change|switch|update|move|put|set|turn)\s+(?P<t>.+?)\s+(?:to|as|into)\s+(?:being\s+)?"
        r"(?:done|complete|completed|finished)$"
    ),
    re.compile(
        r"^(?:mark|set|flag|tag|consider|count)\s+(?P<t>.+?)\s+(?:as\s+)?(?:being\s+)?(?:now\s+)?"
        rf"{_DONE_TAIL}$"
    ),
    re.compile(r"^(?:mark|check|tick|cross|strike)\s+off\s+(?P<t>.+)$"),
    re.compile(r"^mark\s+(?:as\s+)?(?:done|complete|completed|finished)\s*:?\s*(?P<t>.*)$"),
    re.compile(
        r"^(?:check|tick|cross)\s+(?P<t>.+?)\s+off(?:\s+(?:my|the)\s+(?:list|to-?do\s+list|"
        r"todo\s+list))?$"
    ),
    re.compile(
        r"^(?P<v>complete|finish|finalise|finalize|close\s+out|close|resolve|check\s+off|"
        r"tick\s+off|cross\s+off|strike\s+off|knock\s+out|wrap\s+up)\s+(?P<t>.+)$"
    ),
    re.compile(
        r"^(?:(?:i|we)(?:'?ve|'?m|'d|\s+have|\s+am|\s+had|\s+just|\s+already|\s+finally|"
        r"\s+now)*\s+)?(?:(?:just|already|finally|now|totally|all|completely|officially)\s+)*"
        r"(?:finished|completed|done|did|wrapped\s+up|knocked\s+out|took\s+care\s+of|"
        r"taken\s+care\s+of|handled|sorted(?:\s+out)?|ticked\s+off|checked\s+off|"
        r"crossed\s+off|accomplished|got\s+through)(?![\w'])(?:\s+(?:with|w/?)(?!\S))?\s*"
        # "done w it finally": when it got done is no part of the task's name
        r"(?P<t>.*?)(?:\s+(?:finally|at\s+last|already|now))?$"
    ),
]
_COMPLETE_SUFFIX = re.compile(
    r"^(?P<t>.+?)\s*(?:\bis\b|\bare\b|\bwas\b|\bhas\s+been\b|\bhave\s+been\b|\bgot\b|'s|-|:)?\s*"
    r"(?:now\s+|all\s+|finally\s+|already\s+|totally\s+|completely\s+)?(?:done|complete|"
    r"completed|finished|sorted|taken\s+care\s+of|handled|dealt\s+with|out\s+of\s+the\s+way|"
    r"checked\s+off|ticked\s+off|crossed\s+off)(?:\s+(?:now|already|finally|at\s+last|too))?$"
)
_COMPLETE_SUFFIX_ENDS = ("done", "complete", "completed", "finished", "sorted", " of", "handled",
                         " with", " way", " off", " now", " already", " finally", " last",
                         " too")  # fmt: skip
# Things that happen to a thing, not what a person does to it: "the new phone arrived" does not
# finish "Buy a new phone case".
_HAPPENED = frozenset(
    """arrived happened started ended failed crashed broke broken died closed opened expired
    stopped began begun fell fallen leaked rained snowed seemed looked felt stayed lasted worked
    went came showed bounced flaked bailed declined""".split()
)  # checked after a match, not inside the patterns: a lookahead there is tried at every split
_STATE_ENDINGS = ("ed", "en", "paid", "bought", "sent", "made", "met", "sold", "built", "read",
                  "done", "got", "brought", "taught", "caught", "swept", "hung", "won", "left",
                  "put", "set", "cut", "out", "up", "off", "away", "in", "back", "down", "now",
                  "already", "finally", "too", "last", "strung", "today", "morning",
                  "afternoon", "evening", "tonight")  # fmt: skip
_STATE_DONE = Guarded(
    r"^(?P<t>.+?)\s*(?:\b(?:is|are|was|were|got|gets|has\s+been|have\s+been|'s|'re)\s+)?"
    r"(?:now\s+|finally\s+|all\s+|already\s+|officially\s+)?"
    r"(?<![a-z'])(?P<p>[a-z]+(?:ed|en)|(?:re)?strung|rebuilt|repaid|resold|remade|redone|"
    r"paid|bought|sent|made|met|fed|sold|built|read|done|got|brought|"
    r"taught|caught|swept|hung|won|left|put|set|cut)(?:\s+(?P<pp>out|up|off|away|in|back|down))?"
    # "cng filter changed today": the present day, said after a participle, is when it was done
    r"(?:\s+(?:now|already|finally|too|at\s+last|today|this\s+(?:morning|afternoon|evening)|"
    r"tonight))?$",
    endings=_STATE_ENDINGS,
)
# The participle in the middle, the rest of the task's words after it: "invoice sent to kramer",
# "rent collected from flat 2", "the kids picked up from school".
_STATE_DONE_MID = re.compile(
    r"^(?P<t>[^,;]+?)\s+(?:(?:is|are|was|were|got|has\s+been|have\s+been)\s+)?"
    r"(?:now\s+|finally\s+|all\s+|already\s+|just\s+)?"
    r"(?P<p>[a-z]+(?:ed|en)|paid|bought|sent|made|met|fed|sold|built|brought|taught|caught|hung|"
    r"won|put|set|cut|got|done)\s+(?P<rest>(?:to|from|for|with|at|in|on|off|into|by|over|out|up|"
    r"back)\s+[^,;]+|[a-z']+(?:\s+[a-z']+){0,3})$"
)
_STATE_MAX_CHARS = 160
_READY_TAIL = re.compile(
    r"\s+and\s+(?:all\s+)?(?:ready|good\s+to\s+go|set)(?:\s+(?:for|to)\s+[^,;.]+)?$"
)
_ADD_INTENT = re.compile(
    r"^(?:add(?:ing)?|create|remind|put|note|jot|schedule|set|make|new|todo|to-do|task|reminder|"
    r"don'?t\s+let\s+me\s+forget|remember)\b"
)
_NEGATION = re.compile(
    r"\b(?:not|never|no|isnt|arent|wasnt|werent|didnt|dont|doesnt|havent|hasnt|hadnt|wont|cant)\b"
    r"|n't\b"
)
_NOT_A_STATE = re.compile(r"^(?:i|we|you|they|he|she|it|that|this|there)\b")
_FOR_SOMEONE = Guarded(
    # "email my client for me that im late": what to say follows "for me"
    r"\bfor\s+me(?:\W*$|\s*(?:,|&|and\b|then\b|now\b|right\s+now\b|asap\b|that\b|saying\b|"
    r"to\s+say\b|telling\b))|^(?:book|buy|get|find|order|call|email|text|send|write|fetch|bring|pay|"
    r"make)\s+me\s+(?:a|an|some|the|my)\b|^(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?"
    r"(?!add|remind|create|put|note|set|make|mark|delete|remove|list|show|tell\s+me\s+what|"
    r"move|change|update|rename|complete|finish|cancel|reopen|check|tick|jot|schedule|push)",
    needles=("me", "can", "ould", "will"),
)
# "tell my boss I'm late", "text Sam we'll be there at 8": a message to pass on now, not a task,
# also after another errand ("call Ravi and tell him I'm running late").
_RELAY = re.compile(
    r"(?:^|\b(?:and|then|&)\s+)(?:tell|text|txt|email|e-mail|message|msg|ping|dm|let|warn|"
    r"inform|notify|ask)\s+"
    r"(?:[a-z'.-]+\s+){1,3}?(?:know\s+)?(?:that\s+)?(?:i'?m|im|i\s+am|i'?ll|ill|i\s+will|"
    r"i'?ve|ive|i\s+was|i'?d|i\s+can'?t|i\s+cant|i\s+won'?t|i\s+wont|i\s+need|i\s+have|"
    r"we'?re|were|we\s+are|we'?ll|we\s+will|we\s+can'?t|it'?s|its|he'?s|she'?s|they'?re|"
    r"running|on\s+my\s+way|omw|be\s+there|"
    # news about someone or something: "tell her the baby's asleep", "text him dinner is ready"
    r"(?:the|my|our|your|his|her|their)\s+[a-z]+(?:'s|\s+is|\s+are|\s+was|\s+were|\s+has|"
    r"\s+have|'re|\s+got|\s+came|\s+arrived|\s+won|\s+passed|\s+[a-z]{3,}ed)|"
    # a change of plan, its noun bare: "tell him kickoff moved to 10", "text her practice got
    # cancelled"
    r"[a-z]+(?:\s+(?:got|was|is|has\s+been|'s\s+been))?\s+(?:moved|pushed|bumped|shifted|"
    r"changed|postponed|cancell?ed|canceled|delayed|rescheduled|called\s+off)|"
    r"(?:dinner|lunch|breakfast|food|tea|it)(?:'s|\s+is)|(?:he|she|they)(?:'s|'re|'ll|\s+is|"
    r"\s+are|\s+will|\s+can|\s+has|\s+got))\b"
)
# Other things the assistant would have to do itself, now: a message with its words ("send a
# text to Mike saying...", "text my sister happy bday"), money to a person ("send 5k to my
# brother"), a table or a ride ("book a table for two", "get me a cab").
_ERRAND = re.compile(
    r"^(?:send|write|shoot|drop|text|txt|message|msg|email|e-mail|dm|ping|whatsapp)\b"
    r"(?:\s+[\w'.-]+){0,6}?\s+(?:saying|that\s+says|to\s+say|telling\s+(?:him|her|them))\b"
    r"|^(?:text|txt|message|msg|dm|whatsapp|email|e-mail)\s+(?:[\w'.-]+\s+){1,3}?(?:happy\s+\w+|"
    r"merry\s+\w+|congrat\w*|good\s+luck|get\s+well|hbd|many\s+happy\s+returns|"
    r"thanks|thank\s+you|love\s+you|miss\s+you|good\s+(?:morning|night))\b"
    # an amount: a currency's letters and/or symbol before it ("R500", "Rs 200", "R$200",
    # "KSh 1,000", "$40"), or a word after it ("300 bucks")
    r"|^(?:send|wire|venmo|zelle|paypal|give|lend|transfer|e-?transfer|pay)\s+(?:(?:him|her|them|"
    r"my\s+\w+)\s+)?(?:(?:r|rs|ksh|kes|php|aed|sar|zar|rm|rp|idr|usd|us|eur|gbp|inr|ngn|chf|sek|"
    r"nok|dkk|pln|brl|mxn|jpy|cad|ca|aud|a|nzd|nz|sgd|s|hkd|hk)\s?)?(?:[$\u20ac\u00a3\u20b9\u00a5"
    r"\u20b1\u20a6\u20a9\u20bd\u20ba]\s?)?\d[\d,.]*\s*(?:k|m|bucks|dollars|euros|pounds|quid|"
    r"rupees|naira|reais|pesos|yen|rand|shillings|usd|eur|gbp|inr|ngn)?\s+(?:back\s+)?"
    r"to\s+(?:my|his|her|our|their|the)?\s*[a-z]+\W*$"
    r"|^send\s+(?:some\s+)?money\s+to\s+"
    r"|^(?:book|reserve|get|grab|order|call)\s+(?:me\s+|us\s+)?(?:a|an)\s+(?:table|cab|taxi|"
    r"uber|lyft|ride|pizza|takeaway|takeout)\b"
    # money in any currency, whatever it is for: "send 500 hkd to my nephew for lai see"
    r"|^(?:send|wire|transfer|venmo|zelle|paypal|give|lend|pay)\s+(?:[$\u20ac\u00a3\u20b9\u00a5]\s?"
    r"\d[\d,.]*\s*[km]?|\d[\d,.]*\s*[km]?)(?:\s+[a-z]{2,7})?\s+(?:back\s+)?to\s+"
    r"(?:my|his|her|our|their|the)\s+[a-z]+(?:\s+for\s+.{1,40})?\W*$"
    # money held for someone, sent back now: "transfer the deposit back to the tenant"
    r"|^(?:transfer|wire|refund|return|send)\s+(?:the|my|his|her|their)\s+(?:deposit|money|"
    r"cash|payment|refund|funds)\s+(?:back\s+)?to\s+(?:the|my|his|her|our|their)\s+[a-z]+\W*$"
    # a task for someone else, passed on now: "tell my husband to grab milk on the way home"
    r"|^tell\s+(?!me\b|myself\b|us\b)(?:my\s+|the\s+|our\s+)?[a-z'.-]+\s+"
    r"(?:[a-z'.-]+\s+)?to\s+(?!do\s+list\b)[a-z]"
    # a device's job, not the list's: "set an alarm for 6am", "start a timer"
    r"|^(?:set|start|put\s+on)\s+(?:an?\s+|my\s+|the\s+)?(?:alarm|timer|stopwatch)\b"
    r"|^wake\s+(?:me|us)(?:\s+up)?\b"
    # money with the person first: "send my sister 50 quid", "pay my brother back 20 bucks"
    r"|^(?:send|wire|transfer|give|lend|pay|venmo)\s+(?:my|his|her|our)\s+[a-z]+\s+(?:back\s+)?"
    r"(?:[$\u20ac\u00a3\u20b9\u00a5]\s?\d[\d,.]*\s*[km]?|\d[\d,.]*\s*[km]?)(?:\s+[a-z]{2,7})?"
    r"(?:\s+back)?\W*$"
)
# Money moved now on the person's own account, a bare command with no day: "pay my credit card
# bill", "transfer money to my savings". With a day ("pay my card bill on friday") it is a task.
_PAYMENT = re.compile(
    r"^(?:pay|pay\s+off|transfer|wire|top\s+up|settle)\s+(?:(?:some|the)\s+)?(?:money\s+"
    r"(?:to|into|from)\s+)?my\s+[a-z ]{2,40}$"
)
# Interjections and drawn-out words belong to small talk, never to a task's title.
_INTERJECTION = re.compile(
    r"\b(?:ugh+|lol+|lmao|omg|sigh|meh|(?:ha){2,}h?|yay+|phew|argh+|yikes|smh|ffs|gah+|brr+|"
    r"so{3,}|to{3,}|way\s+too|wow+|whoa+|woah+|geez|gosh|blimey|crikey)\b"
)
_CHATTER = re.compile(
    # an exclamation: "what a night", "what a mess"
    r"^what\s+an?\s+[a-z]+(?:\s+[a-z]+)?(?=\s*(?:[!,.]|$))|"
    r"^(?:(?:what|such)\s+a\s+|so\s+|really\s+|very\s+|pretty\s+|another\s+)?(?:long|busy|tough|"
    r"rough|hard|crazy|great|good|bad|nice|lovely|awful|terrible|boring|quiet|slow|hectic|"
    r"stressful|exhausting|tiring|fun|productive|lazy|weird|strange|big|huge|early|late|full|"
    r"packed|massive|manic|mad|intense|chill|lonely|sad)\s+"
    rf"(?:{HOLIDAY_NAMES}|day|week|morning|night|evening|"
    r"weekend|month|year|one|time|shift|drive|commute|flight|meeting|session|class|lecture|"
    r"run|workout|nights?|days|weeks)\b|^(?:i'?m|im|i\s+am|i\s+feel|feeling|ugh|omg|lol|haha|wow|"
    r"sigh|meh|yay|oops|phew|blah|argh|ouch|yikes|"
    r"damn|my\s+\w+\s+is|it'?s\s+(?:raining|sunny|cold|hot|late|early|so|pouring|snowing|sleeting|"
    r"hailing|drizzling|bucketing|chucking|freezing|boiling|roasting|baking|scorching|"
    r"sweltering|blowing|windy|stormy|foggy|icy|muggy|humid|grim|miserable|gorgeous|glorious)|"
    # the weather, said about the wind, the rain, the sea: "wind's howling out there today"
    r"(?:the\s+)?(?:wind|rain|snow|sun|storm|weather|fog|hail|sleet|frost|heat|thunder|sky|sea|"
    r"swell|waves|forecast)(?:'s|\s+is|\s+are|\s+was|\s+has\s+been|\s+keeps|'ll\s+be|\s+will\s+be|"
    r"\s+looks)|"
    # a plan not to do something, and till when: "prob no fishing till thursday", "no gym
    # this week"
    r"(?:(?:prob(?:ably)?|likely|maybe|guess|so|looks\s+like|seems\s+like|def(?:initely)?)\s+)?"
    r"no\s+(?!need\b|more\b|rush\b|hurry\b|worries\b|way\b|idea\b|longer\b)[a-z]+\s+(?:till|"
    r"until|til|before|today|tonight|tomorrow|tmrw|this|next|on|again|for\s+(?:a|the|another)|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)|"
    # wishes and feelings: "happy new year's eve, can't wait for tonight"
    # (a wish set apart by punctuation is only a preamble: "happy friday! buy milk")
    r"(?:happy|merry)\s+(?![a-z']+(?:\s+[a-z']+){0,2}\s*[!,.])[a-z]+|cant\s+wait|can't\s+wait|"
    r"so\s+excited|looking\s+forward|not\s+looking\s+forward|dreading|"
    # feelings said first: "can't sleep, big day tomorrow", "so tired this morning"
    r"(?:can'?t|cannot|couldn'?t)\s+(?:sleep|believe|focus|concentrate|relax|breathe|stop\s+yawning)|"
    r"(?:so\s+|really\s+|super\s+|kinda\s+|bit\s+|a\s+bit\s+)?(?:tired|exhausted|stressed|nervous|"
    r"anxious|bored|sleepy|knackered|shattered|wrecked|jet\s*lagged|hungover))\b"
    # "so hot today", "really cold this morning": a remark about how things are
    r"|^(?:so+|too|really|very|super|kinda|pretty|quite)\s+(?!(?:need|have|must|gotta|should|"
    r"want|much|many)\b)[a-z]+(?:\s+(?:out|outside|in\s+here|today|tonight|this\s+\w+))*$"
)
_PAST_DID = re.compile(
    r"^(?:(?:i|we)(?:'?ve|\s+have)?\s+)?(?:just\s+|already\s+|finally\s+|also\s+)*"
    r"(?P<rest>(?:[a-z]+ed|bought|paid|went|made|wrote|sent|took|got|brought|ran|fed|met|sold|"
    r"told|gave|ate|drove|swept|built|read|did|hung|spoke|rode|threw|caught|taught)\b.*)$"
)
# Verbs whose past is their present ("beat", "quit") say it was done only after a word that
# says so: "finally beat the boss", "just quit the gym"; "beat the eggs" is a new task.
_PAST_SAME = re.compile(
    r"^(?:(?:i|we)(?:'?ve|\s+have)?\s+)?(?:just|already|finally)\s+(?:just\s+|already\s+|"
    r"finally\s+)*(?P<rest>(?:beat|hit|quit|put|set|cut|read|shut|let|spread|cast|upset|"
    r"won|lost|found|kept|spent|left)\b.*)$"
)
_DELETE_VERBS = (
    r"(?:delete|del|remove|rm|cancel|drop|scrap|erase|trash|discard|ditch|bin|kill|nuke|axe|"
    r"get\s+rid\s+of|throw\s+(?:away|out)|strike\s+out|cross\s+out|forget(?:\s+about)?|"
    r"never\s*mind|dump|eliminate|purge|call\s+off|scratch|abandon|skip)"
)
_DELETE_PATTERNS = [
    re.compile(
        rf"^(?P<v>{_DELETE_VERBS})(?![\w'])\s*(?P<t>.*?)(?:\s+(?:from|off|out\s+of)\s+(?:my|the)\s+"
        r"(?:list|to-?do\s+list|todo\s+list|task\s+list|tasks|todos|to-?dos))?$"
    ),
    re.compile(
        r"^(?:take|get|knock|strike)\s+(?P<t>.+?)\s+(?:off|out)\s+(?:of\s+)?(?:my|the)\s+"
        r"(?:list|to-?do\s+list|todo\s+list|tasks|todos)$"
    ),
]
_NO_LONGER = re.compile(
    r"^(?:(?:i|we)\s+)?(?:don'?t|do\s+not|no\s+longer|won'?t|will\s+not)\s+(?:need|have|want|"
    r"got)\s+(?:to\s+)?(?P<t>.+?)\s*(?:any\s*more|now|after\s+all)"
    # a reason may run on, no comma: "dont need the cake anymore lucie cancelled her party"
    r"(?:\s+(?=[a-z]).+)?$"
)
# Not needed, said without "anymore": "dont need it", "we don't need the cake", "i don't have
# to call the bank". Only "need", "want" and "have to": "we don't have milk" says the opposite.
_NOT_NEEDED = re.compile(
    r"^(?:(?:i|we)\s+)?(?:don'?t|do\s+not|no\s+longer)\s+(?:really\s+|even\s+|actually\s+)?"
    r"(?:need|want|have\s+to)\s+(?:to\s+)?(?P<t>.+?)(?:\s+(?:either|after\s+all|then))?$"
)
_CANCELLED_SUFFIX = Guarded(
    r"^(?P<t>.+?)\s+(?:is|are|was|were|has\s+been|have\s+been|got|'s|'re)\s+(?:been\s+)?"
    r"(?:cancell?ed|called\s+off|no\s+longer\s+needed|not\s+needed(?:\s+any\s*more)?|off)$",
    endings=("cancelled", "canceled", "off", "needed", "more"),
)
# The same said as what may happen to it, or negated: "X can be deleted", "X can go", "X isn't
# needed anymore", "X won't be needed", "X is no longer happening". Said about a task only.
_DROPPABLE_SUFFIX = re.compile(
    r"^(?P<t>.+?)\s+(?:can|could|should|may|might)\s+(?:just\s+)?(?:be\s+(?:deleted|removed|"
    r"scrapped|binned|dropped|cancell?ed|trashed|ditched|taken\s+off)|go)(?:\s+now)?"
    # (the copula may go unsaid, as in a note: "quad bike service not needed, selling it")
    r"|^(?P<t2>.+?)\s+(?:isn'?t|aren'?t|is\s+not|are\s+not|won'?t\s+be|will\s+not\s+be|"
    r"(?:is|are)\s+no\s+longer|no\s+longer|not)\s+(?:needed|necessary|required|happening|a\s+thing)"
    r"(?:\s+any\s*more)?"
)
# The same as a clause of its own after the task's name: "reply to julie - not needed anymore",
# "the gala dinner, no longer happening", "X... cancelled".
_NOT_NEEDED_AFTER = Guarded(
    r"^(?P<t>[^,;:-]+?)\s*(?:[-,;:\u2013\u2014]+|\.{2,})\s*(?:(?:it'?s|its|it\s+is|that'?s|thats|"
    r"that\s+is)\s+)?(?:(?:not|no\s+longer)\s+(?:needed|necessary|required|happening)"
    r"(?:\s+any\s*more)?|cancell?ed|called\s+off)$",
    endings=("needed", "necessary", "required", "happening", "more", "cancelled", "canceled",
             "off"),
)
# The same said alone, of a task another clause names: "headset thing - not needed anymore, got
# one from work" (``_by_clauses`` finds the task).
_NOT_NEEDED_ALONE = re.compile(
    r"^(?:(?:it'?s|its|it\s+is|that'?s|thats|that\s+is|that\s+ones?)\s+)?(?:not|no\s+longer)\s+"
    r"(?:needed|necessary|required)(?:\s+any\s*more)?$"
)
# "no need for X anymore", "no need to X now": a task that is not needed.
_NO_NEED = re.compile(
    r"^(?:there'?s\s+|there\s+is\s+)?no\s+(?:more\s+)?need\s+(?:for|to)\s+(?P<t>.+?)"
    r"(?:\s+(?:any\s*more|now|after\s+all))*$"
)
_UPDATE_VERB = re.compile(
    r"^(?P<v>move|push\s+back|push|postpone|reschedule|re-schedule|delay|defer|bump\s+up|bump|"
    r"shift|put\s+off|change|update|edit|modify|adjust|set|make|mark|flag|give|"
    r"prioriti[sz]e|deprioriti[sz]e|de-prioriti[sz]e|raise|lower|increase|decrease|reduce|"
    r"lift|extend|schedule|switch|turn|upgrade|downgrade|escalate|push\s+out|move\s+out|"
    r"bring\s+forward|pull\s+forward|bring|pull|kick|punt|slide)(?![\w'])\s*(?P<rest>.*)$"
)
_NEEDS_DATE_VERBS = frozenset(
    {"move", "push", "push back", "postpone", "reschedule", "re-schedule", "delay", "defer",
     "shift", "put off", "extend", "push out", "move out", "bring forward", "pull forward"}
)  # fmt: skip
_BRING_VERBS = frozenset({"bring", "pull"})
# Verbs that move a task only when an amount or a day is said ("bump X a week", "kick X back a
# day", "punt X to friday"); "bump X" alone raises its priority, "kick off X" is something else.
_SHIFT_ONLY_VERBS = frozenset({"bump", "kick", "punt", "slide"})
_HIGH_VERBS = frozenset({"prioritize", "prioritise", "escalate", "upgrade"})
_LOW_VERBS = frozenset({"deprioritize", "deprioritise", "de-prioritize", "de-prioritise",
                        "downgrade"})  # fmt: skip
_RAISE_VERBS = frozenset({"raise", "increase", "lift", "bump up", "bump", "up", "boost", "upgrade"})
_RENAME_VERBS = frozenset({"change", "update", "edit", "modify", "set", "switch", "turn", "make"})
_NOT_AN_EDIT = re.compile(
    r"^(?:up\s+)?(?:a|an|me\s+a|another)\s+(?:new\s+)?(?:reminder|note|task|todo|to-do|alarm|"
    r"appointment|meeting|call|entry)\b"
)
_FIELD_WORDS = Guarded(
    r"(?:'s|s')?\s*\b(?:the\s+)?(?:due\s+date|deadline|due\s+time|due|date|priority(?:\s+level)?|"
    r"prio|title|name|time)\b(?:\s+(?:of|for|on))?",
    needles=("due", "deadline", "date", "prio", "title", "name", "time"),
)
_NAMED_TO = re.compile(r"\b(?:task|todo|to-do|item|reminder|one|thing)\s+(?:to|into|as)\s")
_TARGET_LEADING = frozenset({"to", "as", "for", "until", "till", "by", "on", "of", "so", "that"})
_TARGET_TRAILING = frozenset(
    {"to", "as", "for", "until", "till", "by", "back", "out", "up", "forward", "so", "that",
     "it's", "its", "be", "is", "and", "from", "with", "a", "on", "at", "due"}
)  # fmt: skip
_CHAINED = Guarded(
    r"(?:,\s*|\s+)(?:(?:and|then|also|plus)\s+)+(?:make|set|mark|change|give|move|push|put|flag|"
    r"bump|switch)\s+(?:it|that|this|its?\s+(?:priority|due\s+date|deadline))(?![\w'])"
    r"(?:\s+(?:to|as))?",
    needles=("and", "then", "also", "plus"),
)
# "title to X", "title: X", or the field named right after a colon ("task 3: title X").
_INLINE_TITLE = Guarded(
    r"(?:\b(?:title|name)\s*(?:to|:|=|as)|[:,]\s*(?:title|name)(?=\s)|"
    r"\b(?:title|name)(?=\s+['\"]))\s*(?P<v>.+)$",  # "make the title 'X'"
    needles=("title", "name"),
)
_INLINE_DESC = Guarded(
    r"(?:\b(?:description|desc|notes?|details)\s*(?:to|:|=|as)|"
    r"[:,]\s*(?:description|desc|notes?|details)(?=\s))\s*(?P<v>.+)$",
    needles=("desc", "note", "detail"),
)

# --- adding ------------------------------------------------------------------------------------

_ADD_PHRASE = re.compile(
    r"^(?P<kind>remind\s+me(?:\s+to|\s+that|\s+about|\s+abt|\s+bout|\s+of)?"
    r"|(?:set|create|make|add|put\s+in|schedule|set\s+up)\s+(?:a\s+|an\s+|me\s+a\s+)?(?:new\s+)?"
    r"reminder(?:\s+(?:to|for|about|that))?"
    r"|reminder(?:\s+(?:to|for|about|that))?\s*:?"
    r"|(?:don'?t|do\s+not|never)\s+(?:let\s+me\s+)?forget(?:\s+to|\s+about)?"
    r"|remember(?:\s+to|\s+that\s+i\s+(?:need|have)\s+to)?"
    r"|make\s+sure(?:\s+(?:i|to|that\s+i|we))?(?:\s+(?:remember\s+to|do))?"
    r"|note\s+to\s+self\s*:?"
    r"|(?:i|we)(?:\s+(?:really|still|also|definitely|urgently|just|probably|seriously))*"
    r"(?:(?:\s+need|'ll\s+need|\s+will\s+need|\s+must|\s+should|\s+gotta|'d\s+better|"
    r"\s+better)(?:\s+to)?|(?:\s+have|\s+ought|\s+got|'ve\s+got|\s+have\s+got|'m\s+supposed|"
    r"\s+am\s+supposed|\s+want|'?ve\s+been\s+meaning|\s+have\s+been\s+meaning)\s+to)"
    r"|need\s+to|have\s+to|gotta|got\s+to|must|should)(?![\w'])"
    # a reminder frame inside the need: "need to remember to X", "i must not forget to X"
    r"(?:\s+(?:remember|not\s+forget|never\s+forget)\s+to(?![\w']))?"
    r"(?:\s+(?:really|probably|also|definitely|just|still|maybe|quickly|urgently|seriously|"
    r"actually|totally|finally|soon))*(?![\w'])\s*[:,-]?\s*(?P<rest>.*)$"
)
_ADD_VERB = re.compile(
    r"^(?P<kind>add|adding|create|jot(?:\s+down)?|note\s+down|write\s+down|put\s+down|schedule|"
    r"pencil\s+in|book\s+in|plan\s+in)(?![\w'])\s*[:,-]?\s*(?P<rest>.*)$"
)
_ADD_NOUN_VERB = re.compile(
    r"^(?P<kind>make|new|set\s+up|set|save|enter|start|open|put\s+in|note|log|record|capture|"
    r"insert|register|throw\s+in|pop\s+in|stick|put)\s+(?=(?:a\s+|an\s+|another\s+|one\s+more\s+|"
    r"the\s+)?(?:new\s+|quick\s+)?(?:(?:high|low|medium|urgent|important)[\s-]+(?:priority\s+)?)?"
    r"(?:task|todo|to-do|item|entry|reminder|note)s?\b)(?P<rest>.*)$"
)
_ADD_LABEL = re.compile(
    r"^(?P<kind>new\s+(?:task|todo|to-do|item|reminder|entry)|todo|to-do)(?:\s*[:-]\s*|\s+)"
    r"(?P<rest>\S.*)$|^(?P<kind2>task|reminder|note|to\s+do|item|"
    # a label that announces the next task, then a colon or a dash: "new one: buy diesel",
    # "another one for the list - call the vet", "here's one more: ...", "next up: ..."
    r"(?:(?:(?:a|one)\s+)?(?:new|next|last|extra)\s+(?=one|thing|task|todo|to-do|item|reminder|"
    r"entry)|one\s+more|another)(?:\s*(?:one|thing|task|todo|to-do|item|reminder|entry))?"
    r"(?:\s+for\s+(?:you|the\s+list|my\s+list|the\s+pile))?|"
    r"another\s+(?:one\s+)?for\s+(?:you|the\s+list|my\s+list)|next\s+up|"
    r"here'?s\s+(?:another(?:\s+one)?|one\s+more|a\s+new\s+one|the\s+next\s+one|a\s+task)"
    r"(?:\s+for\s+(?:you|the\s+list|my\s+list))?)\s*[:-]\s*(?P<rest2>\S.*)$"
)
_ADD_PUT = re.compile(
    r"^(?:put|stick|throw|pop|get)\s+(?P<rest>.+\b(?:on|onto|in|into|to)\s+(?:my|the)\s+"
    r"(?:[a-z-]+\s+)?(?:list|to-?do\s+list|todo\s+list)\b.*)$"
)
_NEED_KINDS = re.compile(r"^(?:i|we|need|have|gotta|got|must|should)\b")
_QUOTED = Guarded(
    r"(?:(?<=^)|(?<=[\s:(,]))(?:\"(?P<d>[^\"]{1,300})\"|'(?P<s>\S.{0,300}?)')(?=$|[\s,.!?;:)])",
    needles=("\"", "'"),
)
_DESC_SPLIT = Guarded(
    r"(?:[,;.]\s*|\s+-\s*|\s+|\s*\(\s*)(?:with\s+)?(?:(?:a|the|this)\s+)?(?:description|desc|"
    r"notes?|details|comment)\s*(?::|-|=|saying|that\s+says|reading|of)\s*(?P<v>.+?)\)?$"
    # After "with", the field word alone introduces the text: "... with description ask X".
    r"|\s+with\s+(?:(?:a|the|this)\s+)?(?:description|desc|notes?|details|comment)\s+(?P<w>.+)$",
    needles=("desc", "note", "detail", "comment"),
)
_CATEGORY_LIST = Guarded(
    r"\b(?:to|on|onto|in|into|under|for)\s+(?:my|the|our)\s+(?:(?P<c>[a-z][a-z'-]*)\s+)?"
    r"(?:list|category|to-?do\s+list|todo\s+list|task\s+list)\b",
    needles=("list", "category"),
)
_CATEGORY_EXPLICIT = Guarded(
    r"\b(?:in|under|with|into)\s+(?:the\s+)?['\"]?(?P<c>[a-z][\w-]*)['\"]?\s+category\b"
    r"|\b(?:category\s*(?::|=|is|of|as)?|cat\s*[:=])\s*['\"]?(?P<c2>[a-z][\w-]*)['\"]?"
    r"|\b(?:tagged|labell?ed|tag\s+it|label\s+it)\s+(?:as\s+|with\s+)?['\"]?"
    r"(?P<c3>[a-z][\w-]*)['\"]?",
    needles=("cat", "tag", "label"),
)
_CATEGORY_NOUN = Guarded(
    r"\b(?:a|an|another)\s+(?P<c>work|personal|home|household|shopping|grocery|errand|family|"
    r"health|finance|school|study|fitness|office|house|garden|chore)\s+(?=(?:task|todo|to-do|item|"
    r"reminder)s?\b)",
    needles=("task", "todo", "to-do", "item", "reminder"),
)
_NOT_CATEGORIES = frozenset(
    {"to-do", "todo", "to", "task", "tasks", "todos", "new", "main", "usual", "own", "daily",
     "whole", "entire", "reminder", "reminders", "the", "my", "list", "current", "default"}
)  # fmt: skip
_ADD_NOISE = re.compile(
    r"^(?:(?:a|an|another|one\s+more|the|my)\s+)?(?:new\s+|quick\s+|simple\s+|little\s+)?"
    r"(?:task|todo|to-do|item|entry|reminder|note)s?\b\s*(?:(?:to|for|about|called|named|titled|"
    r"that\s+says|saying|which\s+says|reading|:|-)(?![\w'])\s*)?"
    r"|^(?:to|that|about|of|:|-)(?![\w'])\s*"
    r"|^(?:(?:i|we)\s+(?:need|have|must|should|ought|gotta)(?:\s+to)?|please)\s+"
    r"|^(?:a|an)\s+(?=\S)"
    r"|^(?:like|um+|uh+|er+|you\s+know)\s*,\s*"  # "add, like, study for the test"
)
# "2" said for "to" between a word that takes "to" and a verb: "remind me 2 buy saffron", "i
# need 2 call the bank". After "remind me", "forget", "remember" a count would count a plural
# ("don't forget 2 loaves"): any other word is a verb. After "need", "have", ... a count is
# likely ("i need 2 more chairs"): only a verb of the lexicon, and one that is a noun too only
# before its object's determiner ("i need 2 water the plants", not "i need 2 water bottles").
_TWO_AS_TO = Guarded(
    r"\b(?P<w>remind\s+me|forget|remember|need|needs|have|has|want|wants|going|supposed|ought|"
    r"meaning)\s+(?P<two>2)\s+(?P<v>[a-z][a-z-]*)(?P<next>\s+[a-z']+)?",
    needles=("2",),
)
_TAKES_A_VERB_ONLY = ("remind", "forget", "remember")
# What "2" counts that is no plural: "remind me 2 more times", "2 dozen", "2 kg".
_COUNTED = frozenset("more other extra dozen kg g lb lbs ml l litre liter hour min".split())


def _two_as_to(text: str) -> str:
    """``text`` with "2" read as "to" where it stands for it (see ``_TWO_AS_TO``)."""
    low = lower_aligned(text)
    if not _TWO_AS_TO.could_match(low):
        return text
    for m in reversed(list(_TWO_AS_TO.pattern.finditer(low))):
        verb, after = m.group("v"), (m.group("next") or "").strip()
        if m.group("w").startswith(_TAKES_A_VERB_ONLY):
            plural = verb.endswith("s") and not verb.endswith("ss")
            said = verb in _VERB_LEXICON or not (plural or verb in _COUNTED)
        else:
            said = verb in _VERB_LEXICON and (
                verb not in _NOUNS_TOO or not after or after in _OBJECT_STARTS
            )
        if said:
            text = text[: m.start("two")] + "to" + text[m.end("two") :]
    return text


_NOT_A_TASK = re.compile(
    r"^(?:tell|show|give|teach|help)\s+(?:me|us)\b|^(?:say|sing)\b|"
    r"^(?:is|are|was|were|it|it's|its|this|that|there|i|i'm|we|you|they|he|she)\b"
)
_QUESTION_START = re.compile(
    r"^(?:who|what|when|where|why|how|which|whats|whos|wheres|whens|whys|hows|is|are|was|were|do|does|did|can|could|would|will|"
    r"should|shall|may|might|have|has|am)\b"
)


_CHECKMARK = Guarded(
    r"^\s?[\u2713\u2714\u2705\u2611]{1,3}\s?|\s?[\u2713\u2714\u2705\u2611]{1,3}\s?$",
    needles=("\u2713", "\u2714", "\u2705", "\u2611"),
)
_LEADING_WHEN = re.compile(
    r"^(?P<when>(?:(?:on|by|this|next|coming)\s+)?(?:today|tonight|tomorrow|tmrw|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday|weekend|week|month|morning|afternoon|evening)"
    r"(?:\s+(?:morning|afternoon|evening|night))?(?:\s+at\s+\d{1,2}(?::\d{2})?\s*(?:[ap]m)?)?|"
    r"in\s+\w+\s+(?:days?|weeks?|months?|hours?|minutes?)|"
    r"\w+\s+(?:days?|weeks?|months?|hours?|minutes?)\s+from\s+(?:now|today))\s*[,:-]?\s+"
)


def _status(low: str) -> str:
    excluded = _EXCLUDING.search(low)
    if excluded:
        without_done = excluded.group("w") in ("done", "finished", "completed", "ticked",
                                               "checked", "crossed")  # fmt: skip
        return "pending" if without_done else "completed"
    if _INCLUDING.search(low) or _INCLUDING_AFTER.search(low) or _DONE_AND_NOT.search(low):
        return "all"
    if _NOT_DONE.search(low):
        return "pending"
    done, pending = _DONE_WORDS.search(low), _PENDING_WORDS.search(low)
    if done and pending:
        first, second = sorted((done, pending), key=lambda m: m.start())
        if _BOTH.search(low, first.end(), second.start()):
            return "all"
        return "completed" if first is done else "pending"
    if done:
        return "completed"
    if pending:
        return "pending"
    return "all"


def _is_remark(text: _Text) -> bool:
    """Small talk, behind any greeting: "so hot today ugh", "hey! so cold", "can't wait"."""
    if _INTERJECTION.search(text.low):
        return True
    for _ in range(6):
        if _CHATTER.match(text.low):
            return True
        m = _FILLER.match(text.low)
        if not m or m.end() == 0 or m.end() >= len(text.low):
            return False
        text = text.cut(m.end())
    return False


def _strip_fillers(text: _Text) -> _Text:
    for _ in range(6):
        m = _FILLER.match(text.low)
        if not m or m.end() == 0 or m.end() >= len(text.low):
            break
        text = text.cut(m.end())
    m = _TRAILING_INTERJECTION.search(text.low, max(0, len(text.low) - 16))
    if m and m.start() > 0:
        text = text.cut(0, m.start())
    # (thanks and politeness are a few words at the end: only the end of a long message is read)
    m = _TRAILING_FILLER.search(text.low, max(0, len(text.low) - _TRAILING_FILLER_REACH))
    if m and m.start() > 0:
        text = text.cut(0, m.start())
    return text


def _trim_symbols(text: str) -> str:
    # A plain scan, not a regex: "[^\w]+$" would re-scan a run of emoji from every position.
    start, end = 0, len(text)
    while start < end and not (text[start].isalnum() or text[start] in "'\"#"):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in "'\")"):
        end -= 1
    return text[start:end]


def _is_emoji(char: str) -> bool:
    return unicodedata.category(char) in ("So", "Sk", "Cf", "Mn") or char == "\ufe0f"


def _trim_emoji(title: str) -> str:
    """ "call mom 📞" is the task "call mom": emoji at a title's ends decorate it."""
    start, end = 0, len(title)
    while start < end and (_is_emoji(title[start]) or title[start].isspace()):
        start += 1
    while end > start and (_is_emoji(title[end - 1]) or title[end - 1].isspace()):
        end -= 1
    return title[start:end]


def _small_talk(low: str) -> str | None:
    core = _trim_symbols(low).strip()
    if not core:
        return "empty"
    for reason, pattern in _SMALL_TALK:
        if pattern.fullmatch(core):
            return reason
    return None


def _split(text: _Text, delimiters: re.Pattern[str], fit: Fit) -> tuple[_Text, _Text] | None:
    """Split "<task words> <delimiter> <value>" where the task words fit a task best."""
    options: list[tuple[_Text, _Text]] = []
    for m in delimiters.finditer(text.low):
        target, value = text.cut(0, m.start()), text.cut(m.end())
        if target.s and value.s:
            options.append((target, value))
    if not options:
        return None
    quoted = _QUOTED_HEAD.match(text.s)
    if quoted:
        # "rename 'pay rent' to pay june rent to Declan": the quotes say where the old title
        # ends, whatever the new one says after it.
        for target, value in options:
            if len(target.s) == quoted.end():
                return target, value
    options = options[:8]  # each option costs a title search; real sentences have one or two
    for target, value in options:
        # "rename the flight back to site task to X": a kind word says where the old title
        # ends, whatever " to " its words hold.
        if _ENDS_IN_KIND.search(target.low) and fit(target.s) > 0:
            return target, value
    scores = [fit(target.s) for target, _ in options]
    best = max(scores)
    return options[scores.index(best)] if best > 0 else options[0]


_ENDS_IN_KIND = re.compile(r"\s(?:task|todo|to-do|item|reminder|one|thing)$")
_QUOTED_HEAD = re.compile(r"(?P<q>['\"])[^'\"]+(?P=q)")
_TO_DELIM = re.compile(r"\s+(?:to|as|into)\s*:?\s+|\s*:\s+|\s+=\s+")
_ADD_TO_DELIM = re.compile(r"\s*:\s+|\s+(?:saying|that\s+says|reading|-)\s+")
_AS_DELIM = re.compile(r"\s+as\s*:?\s+|\s*:\s+")


# A quoted value with a word after it: "call it 'Call Sam re taxes' instead".
_QUOTED_VALUE = re.compile(
    r"^(?P<q>['\"])(?P<v>[^'\"]+)(?P=q)\s*(?:(?:instead|please|pls|now|then|rather|thanks|"
    r"thx|from\s+now\s+on)\b[\s.!]*)+$"
)


def _value_text(text: _Text) -> str:
    quoted = _QUOTED_VALUE.match(text.s.strip())
    if quoted:
        return quoted.group("v").strip()
    return unquote(tidy(text.s))


_REPEAT_EDIT: list[AnyPattern] = [
    re.compile(
        r"^(?:make|set|have|let|get)\s+(?P<t>.+?)\s+(?:to\s+)?(?:repeat|recur|happen)s?(?![\w'])"
        r"(?P<r>.*)$"
    ),
    Guarded(
        r"^(?P<t>.+?)\s+(?:should|must|needs\s+to|has\s+to|will|is\s+going\s+to)\s+"
        r"(?:repeat|recur|happen)(?![\w'])(?P<r>.*)$",
        needles=("repeat", "recur", "happen"),
    ),
    re.compile(
        r"^repeat\s+(?P<t>.+?)\s+(?P<r>(?:every|each)\b.*|daily|weekly|monthly|yearly|annually|"
        r"on\s+\w+days)$"
    ),
    re.compile(
        r"^(?:make|set|turn)\s+(?P<t>.+?)\s+(?:into\s+|to\s+)?(?:an?\s+)?(?P<r>(?:daily|weekly|"
        r"monthly|yearly|annually|recurring\s+(?:every|each)\s+\w+)(?:\s+(?:on|at)\s+.+)?)"
        r"(?:\s+(?:thing|task|one|todo|reminder))?$"
    ),
]


def _repeat_edit(text: _Text, now: datetime) -> Command | None:
    for pattern in _REPEAT_EDIT:
        m = pattern.match(text.low)
        if not m:
            continue
        rest = m.group("r")
        repeat = find_repeat(rest, now)
        if repeat is None:
            return None
        # The due date changes only when a day is said ("every Friday", "on the 1st").
        first = repeat.first if repeat.named_day else None
        when = find_when(remove_spans(rest, [repeat.span]), now, day=first)
        due = when.due or (first.isoformat() if first else None)
        return Command("update_task", target=text.s[m.start("t") : m.end("t")],
                       repeat=repeat.value, interval=repeat.interval, due=due)  # fmt: skip
    return None


def _explicit_edit(text: _Text, now: datetime, fit: Fit) -> Command | None:
    low = text.low
    repeat = _repeat_edit(text, now)
    if repeat is not None:
        return repeat
    for pattern, delims in ((_DESC_OF, _TO_DELIM), (_DESC_ADD, _ADD_TO_DELIM),
                            (_DESCRIBE, _AS_DELIM)):  # fmt: skip
        m = pattern.match(low)
        if m:
            parts = _split(text.cut(m.start("rest")), delims, fit)
            if parts:
                return Command("update_task", target=parts[0].s, description=_value_text(parts[1]))
    m = _DESC_FOR.match(low)
    if m:
        t, v = ("t", "v") if m.group("t") is not None else ("t2", "v2")
        target = text.s[m.start(t) : m.end(t)]
        said = target.lower()
        # ("mark X done, note: Y" and "add X, note: Y" are other commands, with a note)
        if not (_explicit_add(said) or _IMPERATIVE.match(said)) and fit(target) > 0:
            note = _value_text(text.cut(m.start(v)))
            return Command("update_task", target=target, description=note)
    m = _DESC_POSSESSIVE.match(low)
    if m and fit(text.s[m.start("t") : m.end("t")]) > 0:
        value = text.cut(m.start("v"))
        return Command("update_task", target=text.s[m.start("t") : m.end("t")],
                       description=_value_text(value))  # fmt: skip
    m = _TITLE_RENAME_BARE.match(low)
    if m and not _TO_DELIM.search(low, m.end("t")):
        return Command("update_task", target=text.s[m.start("t") : m.end("t")],
                       title=_value_text(text.cut(m.start("v"))))  # fmt: skip
    for pattern in (_TITLE_RENAME, _TITLE_OF):
        m = pattern.match(low)
        if m:
            parts = _split(text.cut(m.start("rest")), _TO_DELIM, fit)
            if parts:
                return Command("update_task", target=parts[0].s, title=_value_text(parts[1]))
            return Command("none", reason="need_title_value")
    for pattern in (_TITLE_POSSESSIVE, _TITLE_CALL):
        m = pattern.match(low)
        if m and (pattern is _TITLE_CALL or fit(text.s[m.start("t") : m.end("t")]) > 0):
            return Command("update_task", target=text.s[m.start("t") : m.end("t")],
                           title=_value_text(text.cut(m.start("v"))))  # fmt: skip
    m = _PRIORITY_OF.match(low)
    if m:
        rest = text.cut(m.start("rest"))
        hit = find_priority(rest.low, update=True)
        if hit:
            target = tidy(remove_spans(rest.s, list(hit.spans)))
            return Command("update_task", target=_clean_target(target), priority=hit.value)
    m = _PRIORITY_RAISE.match(low)
    if m:
        rest = text.cut(m.start("rest"))
        hit = find_priority(rest.low, update=True)
        raise_it = m.group("v") in _RAISE_VERBS
        level = hit.value if hit else ("high" if raise_it else "low")
        target = remove_spans(rest.s, list(hit.spans)) if hit else rest.s
        return Command("update_task", target=_clean_target(target), priority=level)
    m = _PRIORITY_GIVE.match(low) or _PRIORITY_FIRST.match(low)
    if m:
        given = find_priority(f"{m.group('p')} priority")
        return Command("update_task", target=text.s[m.start("t") :],
                       priority=given.value if given else "high")  # fmt: skip
    for pattern in (_DUE_OF, _DUE_ADD):
        m = pattern.match(low)
        if m:
            rest = text.cut(m.start("rest"))
            when = find_when(rest.low, now)
            if when.due:
                target = remove_spans(rest.s, list(when.spans))
                return Command("update_task", target=_clean_target(target), due=when.due)
    # Before the due date: a date in a reason run on after the priority is no due date ("X is
    # urgent it runs out at the end of the month").
    m = _IS_PRIORITY.match(low) if _PRIORITY_WORDS.search(low) else None
    if m and fit(text.s[: m.end("t")]) > 0:
        negated = bool(m.group("neg") or re.search(r"n'?t$|\bno\b", m.group("be")))
        hit = find_priority(m.group("p"), update=True)
        if negated and "low" not in m.group("p"):
            return Command("update_task", target=text.s[: m.end("t")], priority="low")
        if not negated:  # "a priority" alone names no level: it means high
            return Command("update_task", target=text.s[: m.end("t")],
                           priority=hit.value if hit else "high")  # fmt: skip
    m = _IS_DUE.match(low)
    if m and fit(text.s[: m.end("t")]) > 0:
        # the date said in the statement's own clause: "X is important, long drive on monday"
        # says nothing of when X is due
        said = low[m.start("d") :]
        first = clauses.split(said)
        when = find_when(said[: first[0].end] if first else said, now)
        # ... and said first: "the shop is closed today" says how the shop is, not its date
        lead = said[: when.spans[0][0]].split() if when.spans else []
        if when.due and all(word in _DUE_LEAD for word in lead):
            if not _own_verb_done(text, m, when.spans, fit):
                return Command("update_task", target=text.s[: m.end("t")], due=when.due)
    m = _IS_SHIFTED.match(low) if _SHIFTED_WORDS.search(low) else None
    if m and fit(text.s[: m.end("t")]) > 0:
        verb = m.group("v")
        shifted = find_shift(m.group("rest"), earlier=verb in ("brought", "pulled"),
                             bare=verb in ("postponed", "delayed"))  # fmt: skip
        if shifted is not None:
            return Command("update_task", target=text.s[: m.end("t")], shift=shifted[0])
    m = _CAN_WAIT.match(low) if ("wait" in low or "rush" in low) else None
    if m and fit(text.s[: m.end("t")]) > 0:
        return Command("update_task", target=text.s[: m.end("t")], priority="low")
    return None


_PRONOUN_ONE = re.compile(r"^(?:that|this)\s+(?:one|task|todo|to-do|item|reminder)$")


def _clean_target(target: str) -> str:
    """Words naming the task, without field names and the connectors left around cut phrases."""
    target = tidy(_FIELD_WORDS.sub(" ", target))
    if _PRONOUN_ONE.match(target.lower()):
        return target  # "make that one urgent": "that" is a determiner here, not a connector
    target = tidy(strip_edge_words(target, _TARGET_LEADING, _TARGET_TRAILING))
    # "change the title to X": an article left alone names nothing (the last task is meant)
    return "" if target.lower() in ("the", "its", "my", "a") else target


def _list(text: _Text) -> Command | None:
    low = text.low.rstrip("?!. ")
    if _LIST_BARE.match(low) or _DID_I.match(low):
        return Command("list_tasks", status=_status(low))
    m = _LIST_SHOW.match(low)
    # "print" and "fetch" are errands too ("print the thesis draft", "fetch the kids"): they
    # show the list only when they say so ("print my list", "fetch my tasks").
    errand_verb = m is not None and low.startswith(("print", "fetch"))
    if m and not (errand_verb and m.group("rest").strip() and not _LISTY.search(m.group("rest"))):
        return Command("list_tasks", status=_status(m.group("rest")))
    m = _LIST_SEE.match(low)
    if m and _THING_TO_SEE.match(m.group("rest")):
        return None  # "check the ferry times for the weekend" is a chore, not the list
    m = m or _LIST_QUESTION.match(low)
    if m and _LISTY.search(m.group("rest")):
        return Command("list_tasks", status=_status(m.group("rest")))
    return None


# Participles that say whether a task is wanted, not whether it was done.
_WANTED = frozenset({"needed", "required", "wanted", "requested"})
# "I never did it", "we didn't do that": the task is the one "it" stands for.
_DID_IT = re.compile(r"^(?:do|did|done)\s+(?P<it>it|that|this|that\s+one|this\s+one)$")
# Where a remark begins after the words naming a task, with no comma: "untick the booking | i
# have to book again".
_REMARK_START = re.compile(rf"\s{_SUBJECT}\s")


def _before_remark(target: str, fit: Fit) -> str:
    """The words naming the task, without a remark run on after them (if they fit without it)."""
    if len(target) > _STATE_MAX_CHARS or fit(target) > 0:
        return target  # (a task is named in a few words: a long run is not cut and tried again)
    m = _REMARK_START.search(target.lower())
    if m and m.start() > 0 and fit(target[: m.start()]) > 0:
        return target[: m.start()]
    return target


def _reopen(text: _Text, fit: Fit) -> Command | None:
    low = text.low.rstrip("!. ")
    if _WRONG_TICK.match(low):
        return Command("reopen_task", target="it")
    for index, pattern in enumerate(_REOPEN_PATTERNS):
        if index >= _REOPEN_BACK_FROM and "back" not in low:
            break  # the last patterns all say "back"
        m = pattern.match(low)
        if not m:
            continue
        group = "t" if m.group("t") is not None else "t2"
        target = tidy(text.s[m.start(group) : m.end(group)])
        did_it = _DID_IT.match(target.lower())
        if did_it:
            target = did_it.group("it")
        participle = m.groupdict().get("p")
        if participle in _WANTED:
            continue  # "X isn't needed anymore" says it can go, not that it is undone
        if participle and not _IT.match(target.lower()):
            target = f"{target} {participle}"  # "the invoice isn't sent": the verb names it too
        if index == _TICK_TAKEN_BACK and fit(target, done=True) <= 0:
            # Only a completed task can have been ticked by mistake; said of a pending one the
            # work is still to do, and it is still open: nothing to change (never a completion).
            if fit(target) > 0:
                return Command("none", reason="unknown")
            break
        if index < 3:
            target = _before_remark(target, fit)
        elif fit(target) <= 0:
            break  # a statement about something else, if not about a done task (below)
        return Command("reopen_task", target=target or "it")
    return _undone(text, fit)


def _undone(text: _Text, fit: Fit) -> Command | None:
    """A statement that a completed task did not happen after all: "the remittance didn't go
    through", "the acoustic still needs new strings", "the newsletter isn't out yet".

    Only a completed task is reopened; about a pending task the same words ask nothing here.
    """
    low = text.low.rstrip("!. ")
    if len(low) > _STATE_MAX_CHARS or low.endswith("?") or _QUESTION_START.match(low):
        return None  # a state is said in a few words (a long message is not made to pay for it)
    m = _NOT_HAPPENED.match(low)
    if m:
        target = text.s[: m.end("t")]
        return Command("reopen_task", target=target) if fit(target, done=True) > 0 else None
    m = _WENT_WRONG.match(low)
    if m:
        target = text.s[: m.end("t")]
        if fit(target, done=True) > 0:
            return Command("reopen_task", target=target)
        if fit(target) > 0:
            # of a pending task, "the bid got rejected" is news, not a completion ("rejected")
            return Command("none", reason="unknown", subject=text.s)
        return None
    m = _NOT_REACHED.match(low)
    if m:
        target = text.s[: m.end("t")]
        if m.group("more") and fit(f"{target} {text.s[m.start('more') : m.end('more')]}") > 0:
            target = f"{target} {text.s[m.start('more') : m.end('more')]}"
        if fit(target, done=True, title_has=_REACHING) > 0:
            return Command("reopen_task", target=target)
        return None
    m = _NOT_RETURNED.match(low)
    if m:
        owner = text.s[: m.end("t")]
        thing = text.s[m.start("thing") : m.end("thing")] if m.group("thing") else ""
        for target in (f"{thing} {owner}", owner) if thing else (owner,):
            if fit(target, done=True, title_has=_RETURNING) > 0:
                return Command("reopen_task", target=target)
        return None
    m = _HANDED_BACK.match(low)
    if m:
        return _handed_back(text, m, fit)
    m = _STILL_NEEDS.match(low)
    if m:
        head = text.s[: m.end("t")]
        for target in (f"{head} {text.s[m.start('rest') : m.end('rest')]}", head):
            if fit(target, done=True) > 0:
                return Command("reopen_task", target=target)
        return None
    m = _RESULT_UNDONE.match(low)
    if m:
        named = _with_its_verb(text.s[: m.end("t")], _RESULT_OF[m.group("s")], fit, done=True)
        return Command("reopen_task", target=named) if named else None
    return None


def _handed_back(text: _Text, m: re.Match[str], fit: Fit) -> Command | None:
    """Reopen the completed task whose work was handed back (see ``_HANDED_BACK``): the thing
    with who brought it ("the trousers mr kaya"), else the thing alone."""
    group = next(g for g in ("t", "t3", "t2") if m.group(g) is not None)
    thing = text.s[m.start(group) : m.end(group)]
    if _IT.match(thing.lower()):
        return Command("reopen_task", target=thing)
    who = text.s[m.start("who") : m.end("who")] if m.group("who") else ""
    back = _RESULT_OF["back"]
    target = f"{thing} {who}" if who and who.lower() not in _PERSONAL else thing
    if target != thing and fit(target) <= 0:
        target = thing  # who brought it is named in no title
    # (given back to its owner is what "Return the drill to Tom" asked: not undone)
    if fit(target, done=True) > 0 and fit(target, done=True, title_has=back) <= 0:
        return Command("reopen_task", target=target)
    return None


def _with_its_verb(
    phrase: str, verbs: tuple[str, ...], fit: Fit, *, done: bool | None = None
) -> str | None:
    """``phrase`` with the first of ``verbs`` that the title of the task it names has ("clean"
    + "the pool filter"), or None when it names no such task.

    The title must have a word of the thing too: "the curtains came back" does not finish "Take
    the car for service" through "take" alone.
    """
    words = tuple(phrase.lower().split())
    for verb in verbs:
        target = f"{verb} {phrase}"
        if fit(target, done=done, title_has=(verb,)) > 0 and fit(
            target, done=done, title_has=words
        ) > 0:
            return target
    return None


def _result_state(text: _Text, low: str, fit: Fit) -> Command | None:
    """A task's result said as a state: "the pool filter is clean", "newsletter's out", "the
    rent all came in", "camila has her rope back" (see ``_RESULT_OF``)."""
    m = _RESULT_STATE.match(low)
    if m:
        phrase, verbs = text.s[: m.end("t")], _RESULT_OF[m.group("s")]
        place = ""
        if m.group("more"):
            place = text.s[m.start("more") : m.end("more")]
            phrase = f"{phrase} {place}"
        target = _with_its_verb(phrase, verbs, fit, done=False)
        if target is None and m.group("s") == "back" and m.group("prep") == "from":
            # fetched from the place said, when the title says that place too
            target = _with_its_verb(phrase, _BACK_FROM, fit, done=False)
            places = tuple(place.lower().split()[1:])  # the words after "from"
            if target and fit(target, done=False, title_has=places) <= 0:
                target = None
        return Command("complete_task", target=target) if target else None
    m = _HAS_IT_BACK.match(low)
    if m:
        who = m.group("who")
        thing = text.s[m.start("t") : m.end("t")]
        phrase = thing if who in _PERSONAL else f"{thing} {text.s[: m.end('who')]}"
        target = _with_its_verb(phrase, _RESULT_OF["back"], fit, done=False)
        return Command("complete_task", target=target) if target else None
    return None


_SAID_DONE_WHEN = frozenset({"today", "this morning", "this afternoon", "this evening", "tonight"})


def _own_verb_done(text: _Text, m: re.Match[str], spans: Sequence[tuple[int, int]],
                   fit: Fit) -> bool:
    """Whether "X changed today" says X was done, not moved: the participle is the verb of the
    task's own title ("Change CNG filter") and the day is the present one, said bare."""
    said = text.low[m.start("d") :]
    if not spans or spans[0][0] != 0 or said[spans[0][0] : spans[0][1]] not in _SAID_DONE_WHEN:
        return False
    words = text.low[m.end("t") : m.start("d")].split()
    participle = words[-1] if words else ""
    return participle.endswith("ed") and fit(text.s[: m.end("t")], done=False,
                                             title_has=(participle,)) > 0


def _complete(text: _Text, now: datetime) -> Command | None:
    low = text.low.rstrip("!. ")
    for pattern in _COMPLETE_PATTERNS:
        m = pattern.match(low)
        if not m:
            continue
        target = text.s[m.start("t") : m.end("t")] if m.group("t") else ""
        verb = m.groupdict().get("v")
        if target.lower().startswith(("not ", "n't", "i ", "you ", "we ")):
            return None  # "I did not ...", "did I finish ...?" are not completions
        if verb in ("finish", "complete") and find_when(target.lower(), now).due:
            return None  # "finish the essay by Friday" is a new task, not a completion
        return Command("complete_task", target=tidy(target) or "it")
    return None


_WORD_FOR_WORD = 1.5  # what ``fit`` gives a phrase that says a title word for word


def _delete(text: _Text, fit: Fit) -> Command | None:
    low = text.low.rstrip("!. ")
    for pattern in _DELETE_PATTERNS:
        m = pattern.match(low)
        if not m:
            continue
        target = tidy(text.s[m.start("t") : m.end("t")])
        verb = m.groupdict().get("v") or ""
        if verb.startswith(("forget", "never", "scratch")) and target.lower() in (
            "", "it", "that", "this", "about it", "about that"
        ):  # fmt: skip
            return Command("none", reason="cancel")
        if verb in ("skip", "scratch", "abandon", "call off") and fit(target) <= 0:
            return None  # "take out the trash" is a chore, not a deletion
        if target and fit(f"{verb} {target}") >= _WORD_FOR_WORD > fit(target):
            return None  # "bin day" names the task "Bin day": its verb is the title's word
        return Command("delete_task", target=_before_remark(target, fit) if target else "it")
    m = (_NO_LONGER.match(low) or _NO_NEED.match(low) or _NOT_NEEDED.match(low)
         or _NOT_NEEDED_AFTER.match(low))
    if m and fit(text.s[m.start("t") : m.end("t")]) > 0:
        return Command("delete_task", target=text.s[m.start("t") : m.end("t")])
    if _NOT_NEEDED_ALONE.match(low):
        return Command("delete_task", target="it")
    return None


def _generic_edit(text: _Text, now: datetime, fit: Fit) -> Command | None:
    m = _UPDATE_VERB.match(text.low)
    if not m:
        return None
    verb = re.sub(r"\s+", " ", m.group("v"))
    rest = text.cut(m.start("rest"))
    if _NOT_AN_EDIT.match(rest.low):
        return None
    if verb in _NEEDS_DATE_VERBS or verb in _BRING_VERBS or verb in _SHIFT_ONLY_VERBS:
        # "push X back a day", "bring X forward a week": a move of X's own due date.
        shifted = find_shift(rest.low, earlier=verb.startswith(("bring", "pull")), bare=True)
        if shifted is not None:
            shift, span = shifted
            target = _clean_target(remove_spans(rest.s, [span]))
            return Command("update_task", target=target or "it", shift=shift)
        if verb in _BRING_VERBS:
            return None  # "bring snacks on Friday" is a new task
        if verb in _SHIFT_ONLY_VERBS and verb != "bump":
            when = find_when(rest.low, now)
            target = _clean_target(remove_spans(rest.s, list(when.spans)))
            if when.due and fit(target) > 0:
                return Command("update_task", target=target, due=when.due)
            return None
    chained = [(m.start(), m.end()) for m in _CHAINED.finditer(rest.low)]
    if chained:  # "move X to Friday and make it urgent": one edit with two fields
        rest = _Text(remove_spans(rest.s, chained), remove_spans(rest.low, chained))
    title = description = None
    # "change the thank you notes task to write notes to X": a field word before "task to"
    # is part of the task's name; only what follows the name may set a field
    named = _NAMED_TO.search(rest.low) if verb in _RENAME_VERBS else None
    field_end = named.start() if named else len(rest.low)
    inline = _INLINE_TITLE.search(rest.low, 0, field_end)
    if inline and verb in _RENAME_VERBS:
        title = _value_text(rest.cut(inline.start("v")))
        rest = rest.cut(0, inline.start())
    inline = _INLINE_DESC.search(rest.low, 0, min(field_end, len(rest.low)))
    if inline and verb in _RENAME_VERBS:
        description = _value_text(rest.cut(inline.start("v")))
        rest = rest.cut(0, inline.start())
    hit = find_priority(rest.low, update=True)
    priority = hit.value if hit else None
    spans = list(hit.spans) if hit else []
    if verb in _HIGH_VERBS:
        priority = priority or "high"
    elif verb in _LOW_VERBS:
        priority = priority or "low"
    elif verb in ("raise", "increase", "lift", "bump up") and "priorit" in rest.low:
        priority = priority or "high"
    elif verb in ("lower", "decrease", "reduce") and "priorit" in rest.low:
        priority = priority or "low"
    when = find_when(remove_spans(rest.low, spans), now)
    due = when.due
    spans += list(when.spans)
    if not (due or priority or title or description):
        if verb in _NEEDS_DATE_VERBS:
            subject = _clean_target(re.sub(r"\s+by\s+.*$", "", rest.s))
            return Command("none", reason="need_date", subject=subject)
        head = rest.cut(0, named.start() + len(named.group().split()[0])) if named else None
        if named and head and fit(head.s) > 0:
            # "the X task to Y": the name ends at its own noun, whatever "to" Y says after
            return Command("update_task", target=head.s, title=_value_text(rest.cut(named.end())))
        if verb in _RENAME_VERBS:
            parts = _split(rest, _TO_DELIM, fit)
            if parts and fit(parts[0].s) > 0:
                return Command("update_task", target=parts[0].s, title=_value_text(parts[1]))
        return None
    target = _clean_target(remove_spans(rest.s, spans))
    if verb in ("schedule", "give") and fit(target or "it") <= 0:
        # "schedule a dentist appointment for Friday", "give zara her drops every day at 7pm"
        # create a task
        return None
    if verb in ("make", "mark", "flag", "give", "set", "turn", "switch") and not (
        priority or due or title or description
    ):
        return None
    return Command("update_task", target=target or "it", due=due, priority=priority, title=title,
                   description=description)  # fmt: skip


def _add(rest: _Text, now: datetime) -> Command:
    """Build an add_task command from the words after the command phrase."""
    title: str | None = None
    description: str | None = None
    work = rest
    quoted = _QUOTED.search(work.s)
    if quoted:
        group = "d" if quoted.group("d") is not None else "s"
        title = quoted.group(group).strip()
        work = _Text(work.s[: quoted.start()] + " " * (quoted.end() - quoted.start())
                     + work.s[quoted.end() :])  # fmt: skip
    desc = _DESC_SPLIT.search(work.low)
    field_end = desc.start("v" if desc.group("v") is not None else "w") if desc else 0
    if desc and not title and _ADD_NOISE.fullmatch(work.low[:field_end].rstrip(" :-=")):
        desc = None  # "add a note: wind the clock friday": the note is the task, not its notes
    if desc and (desc.start() > 0 or title):
        group = "v" if desc.group("v") is not None else "w"
        description = unquote(tidy(work.s[desc.start(group) : desc.end(group)]))
        work = work.cut(0, desc.start())
    spans: list[tuple[int, int]] = []
    category: str | None = None
    for pattern in (_CATEGORY_EXPLICIT, _CATEGORY_LIST, _CATEGORY_NOUN):
        for m in pattern.finditer(work.low):
            name = next((g for g in m.groupdict() if m.group(g)), None)
            spans.append((m.start(), m.end()))
            if name and category is None and m.group(name) not in _NOT_CATEGORIES:
                category = work.s[m.start(name) : m.end(name)]
    priority_hit = find_priority(remove_spans(work.low, spans))
    if priority_hit:
        spans += list(priority_hit.spans)
    repeat = find_repeat(remove_spans(work.low, spans), now)
    if repeat:
        spans.append(repeat.span)
    when = find_when(remove_spans(work.low, spans), now, day=repeat.first if repeat else None)
    spans += list(when.spans)
    due = when.due or (repeat.first.isoformat() if repeat and repeat.first else None)
    if title is None:
        title = tidy(remove_spans(work.s, spans))
        for _ in range(4):
            noise = _ADD_NOISE.match(title.lower())
            if not noise or noise.end() == 0:
                break
            title = tidy(title[noise.end() :])
        title = unquote(_trim_emoji(title))
    if not title:
        return Command("none", reason="need_title", due=due)
    return Command("add_task", title=title, description=description or None, due=due,
                   priority=priority_hit.value if priority_hit else None,
                   category=category, repeat=repeat.value if repeat else None,
                   interval=repeat.interval if repeat else None)  # fmt: skip


def _add_rules(text: _Text, now: datetime, fit: Fit) -> Command | None:
    low = text.low
    m = _ADD_PHRASE.match(low)
    if m:
        rest = text.cut(m.start("rest"))
        if _NEED_KINDS.match(m.group("kind")):
            # "I need to delete task 3" is a command in polite form, not a new task.
            inner = _manage(rest, now, fit)
            if inner is not None and inner.intent != "none" and fit(inner.target or "") >= 2:
                return inner
        return _add(rest, now)
    for pattern in (_ADD_VERB, _ADD_NOUN_VERB):
        m = pattern.match(low)
        if m:
            return _add(text.cut(m.start("rest")), now)
    m = _ADD_LABEL.match(low)
    if m:
        start = m.start("rest") if m.group("rest") is not None else m.start("rest2")
        return _add(text.cut(start), now)
    m = _ADD_PUT.match(low)
    if m:
        return _add(text.cut(m.start("rest")), now)
    return None


def _manage(text: _Text, now: datetime, fit: Fit) -> Command | None:
    return (
        _explicit_edit(text, now, fit)
        or _complete(text, now)
        or _delete(text, fit)
        or _generic_edit(text, now, fit)
    )


def _suffix_forms(text: _Text, now: datetime, fit: Fit) -> Command | None:
    low = text.low.rstrip("!. ")
    if low.endswith("?") or _QUESTION_START.match(low):
        return None
    # The suffix's last words, looked for first: the pattern itself tries every split of a long
    # message.
    m = _COMPLETE_SUFFIX.match(low) if low.endswith(_COMPLETE_SUFFIX_ENDS) else None
    if m:
        return Command("complete_task", target=tidy(text.s[: m.end("t")]))
    # Before the participles below: "cancelled" is one, but says the task is not needed.
    m = _CANCELLED_SUFFIX.match(low)
    if m:
        return Command("delete_task", target=tidy(text.s[: m.end("t")]))
    m = _DROPPABLE_SUFFIX.fullmatch(low)
    if m:
        group = "t" if m.group("t") is not None else "t2"
        target = tidy(text.s[m.start(group) : m.end(group)])
        if fit(target) > 0:
            return Command("delete_task", target=target)
    # "the 4x4 is serviced and ready for the desert": being ready adds nothing to the state
    ready = _READY_TAIL.search(low)
    m = _STATE_DONE.match(low[: ready.start()] if ready else low)
    if m and m.group("p") in _HAPPENED:
        m = None
    if m and not _NOT_A_STATE.match(low) and not _NEGATION.search(low):
        # "the invoice is paid", "passport renewed": the participle names the task's verb too.
        phrase = f"{text.s[: m.end('t')]} {low[m.start('p') : m.end()]}"
        if fit(phrase) > 0:
            return Command("complete_task", target=phrase)
    # A state is said in a few words: a long message is not tried (nor made to pay for it).
    short = len(low) <= _STATE_MAX_CHARS
    result = _result_state(text, low, fit) if short and not _NEGATION.search(low) else None
    if result is not None:
        return result
    # (within one clause: "the booking fell through so i need to rebook it" is no "X needed Y")
    one_clause = short and len(clauses.split(low, 2)) == 1  # (split gives none past its limit)
    m = _STATE_DONE_MID.match(low) if one_clause and not _NEGATION.search(low) else None
    if m and m.group("p") in _HAPPENED:
        m = None
    if m and not _NOT_A_STATE.match(low):
        phrase = text.s[: m.end()]
        if fit(phrase) > 0:
            return Command("complete_task", target=phrase)
    m = _PAST_SAME.match(low) if short else None
    if m and fit(text.s[m.start("rest") :]) > 0:
        return Command("complete_task", target=text.s[m.start("rest") :])
    m = _PAST_DID.match(low)
    if m:
        phrase = text.s[m.start("rest") : m.end("rest")]
        if fit(phrase) > 0:
            return Command("complete_task", target=phrase)
        verb, _, obj = phrase.partition(" ")
        if verb.lower() in ("got", "did", "handled", "sorted") and obj and fit(obj) > 0:
            return Command("complete_task", target=obj)  # "got the milk": the verb says nothing
    return None


# A statement turned into a question by a tag: "clocks go forward tonight right", "it's a
# holiday tomorrow innit", "the bins go out monday yeah?".
_TAG_QUESTION = re.compile(
    r"(?:,\s*|\s+)(?<!\bturn\s)(?<!\bthe\s)(?:right|innit|isn'?t\s+it|aren'?t\s+they|"
    r"don'?t\s+they|doesn'?t\s+it|won'?t\s+it|yeah|eh|huh|correct|ya\s+think|no\?)[\s?!.]*$"
)


def _fallback(text: _Text, now: datetime) -> Command:
    low = text.low
    tagged = _TAG_QUESTION.search(low, max(0, len(low) - 20))
    if low.endswith("?") or _QUESTION_START.match(low) or tagged:
        return Command("none", reason="unknown", subject=text.s)
    if _QUOTED.fullmatch(text.s) is not None:
        return _add(text, now)
    cmd = _add(text, now)
    if cmd.intent != "add_task" or not cmd.title or not re.search(r"[A-Za-z]{2}", cmd.title):
        return Command("none", reason="unknown", subject=text.s)
    if _NOT_A_TASK.match(cmd.title.lower()) or _CHATTER.match(low) or _INTERJECTION.search(low):
        return Command("none", reason="unknown", subject=text.s)
    first = cmd.title.lower().split(" ", 1)[0].strip("'\"")
    words = len(cmd.title.split())
    past = len(first) <= 20 and _SIMPLE_PAST.fullmatch(first) and first not in _VERB_LEXICON
    if past or (len(low) <= _STATE_MAX_CHARS and _PASSIVE.match(low)):
        # "ran 5k this morning, legs are dead": what happened, not what to do
        return Command("none", reason="unknown", subject=text.s)
    # A bare "buy milk" or "dentist friday 3pm" is a new task; a bare "milk" or "hmm ok" is not.
    if first in _VERB_LEXICON and words <= 20:
        return cmd
    if (cmd.due or cmd.priority) and words <= 12:
        if _SAYS_HOW.search(cmd.title.lower()) or _HAPPENING.match(cmd.title.lower()):
            # "work was brutal today", "meeting ran late today", "tomorrows gonna be rough": a
            # thing and a verb that says how it is or went, news rather than a note
            return Command("none", reason="unknown", subject=text.s)
        return cmd
    return Command("none", reason="unknown", subject=text.s)


# A noun phrase followed by a verb that says how it is or went ("work was brutal", "meeting
# ran late", "tomorrows gonna be rough"): looked for in a noun-phrase task's first words only.
_SAYS_HOW = re.compile(
    r"^(?:[\w'-]+\s+){0,3}?(?:is|was|were|are|'s|will\s+be|gonna\s+be|going\s+to\s+be|looks|"
    r"looking|seems|went|ran|got)\s+(?:so\s+|really\s+|super\s+|very\s+|way\s+|pretty\s+|"
    r"kinda\s+|a\s+bit\s+)*(?:late|long|brutal|rough|hard|tough|awful|terrible|great|good|fine|"
    r"bad|crazy|busy|hectic|insane|mad|intense|chill|quiet|slow|ok|okay|over|cancell?ed|"
    r"closed|shut|open|"  # how a place is: "the bakery is closed today"
    r"a\s+(?:mess|nightmare|disaster|lot|blast))\b"
)
# What is going on, said of a noun phrase: "the parade is coming up friday", "grandma is visiting
# sunday": news, as "the plumber, he's coming friday" is.
_HAPPENING = re.compile(
    r"^(?:[\w'-]+\s+){1,3}?(?:is|are|was|were|'re)\s+(?:still\s+|now\s+|also\s+|finally\s+|"
    r"probably\s+|prob\s+|def\s+|all\s+)?[a-z]{2,}ing\b"
)
# "groceries got picked up by my partner": what was done to a thing, said near the start
_PASSIVE = re.compile(
    r"^(?:[\w'-]+\s+){1,3}(?:got|gets|was|were|has\s+been|have\s+been)\s+(?:already\s+|just\s+)?"
    r"(?:[a-z]+ed|[a-z]+en|paid|sent|made|bought|sold|built|done|fed|met|left|caught)\b"
)
_SIMPLE_PAST = re.compile(
    r"[a-z]{2,}[^e\W]ed|ran|went|got|did|made|took|saw|came|ate|bought|paid|sent|met|wrote|"
    r"drove|flew|spent|won|lost|found|gave|told|left|slept|swam|caught|taught|sold|brought"
)
_TOPIC_SPLIT = Guarded(r"\s*(?:[,;:]|\s-+\s|\.{2,}|\.\s)\s*", needles=(",", ";", ":", "-", "."))
# What a statement says about the task before the action: "the plumber can wait, ...".
_TOPIC_TAIL_ENDINGS = ("wait", "go", "needed", "necessary", "urgent", "important", "happening",
                       "required", "priority", "more", "cancelled", "canceled", "off")  # fmt: skip
_TOPIC_TAIL = Guarded(
    r"\s*(?:(?:'s|is|are|was)\s+)?(?:can\s+wait|can\s+go|(?:not|no\s+longer|n't|isn'?t|aren'?t|"
    r"wasn'?t)\s+(?:(?:that|so|very|really|super)\s+)?(?:needed|necessary|urgent|important|"
    r"happening|required|a\s+priority)(?:\s+any\s*more)?|"
    r"(?:cancell?ed|off|urgent|important|super\s+important))$",
    endings=_TOPIC_TAIL_ENDINGS,
)
# The same statements run straight into the action, without a comma: "plumber can wait push it
# back a week". The split falls after the statement.
_TOPIC_RUN_ON = re.compile(
    r"\b(?:can\s+wait|(?:(?:is|are|'s)\s+(?:not|no\s+longer)|isn'?t|aren'?t|no\s+longer|not)"
    r"\s+(?:(?:that|so|very|really|super)\s+)?(?:needed|urgent|important|a\s+priority))"
    r"(?:\s+any\s*more)?(?P<gap>\s+)(?=[a-z])"
)
# Or the task is named and the action follows with no pause at all, its object a pronoun: "the
# gym membership thing just get rid of it", "the gym plan thing delete it". The split falls
# before the action's verb (and the fillers in front of it).
_ACTION_ON_IT = re.compile(
    r"(?P<gap>\s)(?=(?:(?:just|so|then|and|pls|please|plz|ok|now|can\s+you|could\s+you|"
    r"can\s+u|could\s+u)\s+)*(?:delete|remove|cancel|drop|bin|scrap|ditch|trash|kill|nuke|"
    r"get\s+rid\s+of|mark|tick|check|cross|complete|finish|close|move|push|postpone|delay|"
    r"bring|pull|make|set|change|reopen|uncheck|untick|bump|shift|reschedule|rename|update)"
    r"\s+(?:it|that|this|them|that\s+one|this\s+one)\b)"
)
_RUN_ON_WORDS = ("wait", "need", "urgent", "important", "priority")
_ACTION_REACH = 160
# (and "him", "her": the person a task before names, "thandi didn't pick up, untick her")
_IT = re.compile(
    r"^(?:it|that|this|them|they|that\s+one|this\s+one|him|her|"
    # "X got cancelled so delete that task": the task the other clause names
    r"(?:that|this)\s+(?:task|todo|to-do|item|reminder))$"
)
# When something was done, said after it: only times that are clearly past ("finish the report
# tonight" is a plan).
_DONE_WHEN = re.compile(
    r"\s+(?:yesterday(?:\s+(?:morning|afternoon|evening|night))?|last\s+(?:night|week|weekend)|"
    r"earlier(?:\s+today)?|just\s+now|(?:a\s+(?:while|bit|few\s+\w+)|an?\s+(?:hour|day|week)|"
    r"\d{1,3}\s+(?:minutes?|mins?|hours?|hrs?|days?|weeks?))\s+ago)\W*$"
)


def _starts_with_verb(low: str) -> bool:
    first = low.split(" ", 1)[0]
    return (
        first in _VERB_LEXICON
        or _UPDATE_VERB.match(low) is not None
        or bool(_ADD_INTENT.match(low) or _DELETE_PATTERNS[0].match(first))
    )


def _topic_action(text: _Text, now: datetime, fit: Fit) -> Command | None:
    """ "The gym thing, just delete it": the words before name the task "it" means after."""
    # Only the last two places: the action is one short clause at the end, and each try costs
    # a full reading of it (a message of 200 commas must not cost 200 readings).
    low = text.low
    splits = [m.span() for m in _TOPIC_SPLIT.finditer(low)]
    if any(word in low for word in _RUN_ON_WORDS):
        splits += [m.span("gap") for m in _TOPIC_RUN_ON.finditer(low)]
    # The action is one short clause at the end: only the end of a long message is searched.
    reach = max(0, len(low) - _ACTION_REACH)
    bare_splits = {m.span("gap") for m in _ACTION_ON_IT.finditer(low, reach)}
    for start, end in sorted(splits + list(bare_splits))[-2:][::-1]:
        topic, action = text.cut(0, start), _strip_fillers(text.cut(end))
        if (start, end) in bare_splits and _starts_with_verb(topic.low):
            continue  # "buy milk and make it urgent" is one command about a new task
        tail = _TOPIC_TAIL.search(topic.low)
        if tail and tail.start() > 0:
            topic = topic.cut(0, tail.start())
        topic = _strip_fillers(topic)
        if not topic.s or not action.s or _ADD_INTENT.match(topic.low) or fit(topic.s) <= 0:
            continue
        if _IMPERATIVE.match(topic.low) and not _IMPERATIVE.match(action.low):
            # "delete the reception, it got cancelled": the first clause is itself the order;
            # a statement after it is its reason, not an action on it
            continue
        cmd = _rules(action, action, now, _it_fits(fit))
        if cmd.intent not in ("none", "add_task", "list_tasks") and _IT.match(
            (cmd.target or "it").lower()
        ):
            cmd.target = topic.s
            return cmd
        # "the leaking tap can wait, low priority": the change alone, said after the task.
        hit = find_priority(action.low, update=True)
        when = find_when(remove_spans(action.low, list(hit.spans) if hit else []), now)
        spans = (list(hit.spans) if hit else []) + list(when.spans)
        if (hit or when.due) and not content_stems(remove_spans(action.low, spans)):
            return Command("update_task", target=topic.s, priority=hit.value if hit else None,
                           due=when.due)  # fmt: skip
    return None


# "set the gutters one to repeat every year, not the cottage one": the task that is not meant,
# said last to tell two look-alikes apart.
_NOT_THAT_ONE = re.compile(
    r"(?:\s*(?:[,;]|\s-)\s*(?:but\s+)?|\s+but\s+)not\s+(?:the\s+|that\s+|my\s+)?(?P<x>[^,;.!?]{2,60}?)"
    r"[\s.!]*$"
)
# The command taken back as soon as said: "delete the milk one, no wait", "add X... jk". Not
# "X, cancel that" or "X, scratch that": after a task's name those are the command itself.
_TAKEN_BACK = re.compile(
    r"(?:[,;.!]|\s-|\.\.\.?)\s*(?:no+\s+wait|wait\s+no+|wait|actually\s+no+|no+\s+actually|no+|"
    r"never\s*mind|nvm|jk|j/k|just\s+kidding|on\s+second\s+thoughts?\s*,?\s*(?:no+|don'?t))"
    r"[\s.!]*$"
)
_TARGETED = ("complete_task", "reopen_task", "delete_task", "update_task")


def _without_exclusion(bare: _Text, now: datetime, fit: Fit) -> Command | None:
    """The command before ", not the Y one", with Y kept to rule that task out."""
    m = _NOT_THAT_ONE.search(bare.low, max(0, len(bare.low) - 80))
    if not m or m.start() == 0:
        return None
    excluded = m.group("x")
    if fit(excluded) <= 0:
        return None  # "..., not urgent" says something else
    head = bare.cut(0, m.start())
    cmd = _topic_action(head, now, fit) or _rules(head, head, now, fit)
    if cmd.intent in _TARGETED:
        cmd.exclude = excluded
        return cmd
    return None


# How the person feels about what they say: "im so dead", "my feet are killing me", "i'm toast",
# "kill me now". With one of these a thing and its day is news about one's life ("exams in 3
# weeks im so dead", "long shift tonight, my feet are killing me"), not a note for the list.
_FEELING = re.compile(
    r"\b(?:i'?m|im|i\s+am|i'?ll\s+be|ill\s+be|we'?re|we\s+are)\s+(?:so+\s+|literally\s+|actually\s+|"
    r"totally\s+|completely\s+|gonna\s+be\s+|going\s+to\s+be\s+|already\s+|lowkey\s+|"
    r"kinda\s+|so\s+so\s+)*(?:dead|doomed|screwed|done\s+for|toast|dying|finished|cooked|"
    r"stressed|exhausted|knackered|shattered|wrecked|fried|panicking|freaking\s+out|losing\s+it|"
    r"not\s+ready|never\s+gonna\s+make\s+it)\b|"
    r"\b(?:is|are|'s|'re)\s+(?:literally\s+|actually\s+|so\s+)?killing\s+me\b|\bkill\s+me\s+now\b|"
    r"\b(?:wish\s+me\s+luck|send\s+help|pray\s+for\s+me|help\s+me\s+god|kill\s+me|eek+|"
    r"can'?t\s+be\s+bothered|(?:so\s+|bit\s+|a\s+bit\s+|kinda\s+)?(?:nervous|scared|terrified)|"
    # "so tired, new years eve tomorrow": tiredness said without "I'm", with its intensifier
    r"(?:so+|really|very|super|kinda|soo+)\s+(?:tired|sleepy|exhausted|knackered|drained|"
    r"stressed|wiped(?:\s+out)?|burnt\s+out|burned\s+out))\b"
)


def parse(message: str, now: datetime, fit: Fit) -> Command:
    """Read one normalised message into a :class:`Command`.

    ``fit(phrase)`` says how well ``phrase`` names a task: 0 for no task, 2 for an explicit id or
    a pronoun with a known last task, and a matching score in between otherwise.
    """
    # (a change with a word after it is a short message: a long one is never read twice)
    short = len(message) <= _CLAUSE_MAX_CHARS
    same_time = _SAME_TIME.search(message, max(0, len(message) - _TAIL_REACH)) if short else None
    if same_time and same_time.start() > 0:
        # "the interview moved to friday same time": a move to another day that keeps the
        # task's time of day (only a day may be said with it; a time said is the time).
        cmd = parse(message[: same_time.start()], now, fit)
        if cmd.intent == "update_task" and cmd.due and "T" not in cmd.due and cmd.shift is None:
            cmd.keep_time = True
            return cmd
    cmd = _read_with_priority(message, now, fit)
    hedge = _TRAILING_HEDGE.search(message, max(0, len(message) - _TAIL_REACH)) if short else None
    if hedge and hedge.start() > 0 and (_names_nothing(cmd, fit) or _unasked_add(cmd, message)):
        # "make that high priority actually", "X is due on the 3rd now": a hedge at the end
        # softens a change to a task; it names nothing. Only a change is read without it, so
        # a remark or an errand that ends in "now" stays what it was, and so does a new task
        # asked for in words ("add call mum now").
        unhedged = _read_with_priority(message[: hedge.start()], now, fit)
        if unhedged.intent in _TARGETED and not _names_nothing(unhedged, _it_fits(fit)):
            return unhedged
    return cmd


def _unasked_add(cmd: Command, message: str) -> bool:
    """A new task read from a statement, not asked for in words ("quizzes are due tuesday now")."""
    return cmd.intent == "add_task" and not _explicit_add(_strip_fillers(_Text(message)).low)


def _names_nothing(cmd: Command, fit: Fit) -> bool:
    """Nothing is done, or the task a change is asked for is none of the list."""
    if cmd.intent == "none":
        return True
    return cmd.intent in _TARGETED and fit(cmd.target or "it") <= 0


# Said after a move to another day: the time of day stays what it was.
_SAME_TIME = re.compile(
    r"[\s,;-]+(?:(?:at|for)\s+)?(?:the\s+)?same\s+time(?:\s+as\s+(?:before|planned|usual))?"
    r"[\s.!?]*$",
    re.IGNORECASE,
)
# A word that hedges or softens what came before it, last in the message.
_TRAILING_HEDGE = re.compile(
    r"[\s,;]+(?:actually|tho|though|now|instead|then|pls|plz|please|thx|thanks)[\s.!?]*$",
    re.IGNORECASE,
)
_TAIL_REACH = 40  # what is said last is a few words: only the end of a long message is searched


def _read_with_priority(message: str, now: datetime, fit: Fit) -> Command:
    """The message read, with a clause that only says a priority given to the new task."""
    said_first = _priority_said_first(message, now, fit)
    if said_first is not None:
        return said_first
    said_last = _priority_said_last(message, now)
    if said_last is not None:
        # "buy diesel for the boat by saturday, its urgent": the last clause says how urgent
        # the new task is; it is no remark, nor a change to another task. (A task the first
        # words name is left to the clauses: "the gym thing, its urgent" raises that task.)
        head, priority = said_last
        cmd = _read(head, now, fit)
        if cmd.intent == "add_task" and (_explicit_add(_strip_fillers(_Text(head)).low)
                                         or fit(head) <= 0):  # fmt: skip
            cmd.priority = cmd.priority or priority
            return cmd
    return _read(message, now, fit)


# Words that may stand beside a priority in a clause of its own: "its kinda urgent tho".
_PRIORITY_CLAUSE_WORDS = frozenset(
    """
    it its it's is this that thats that's one kinda kind of pretty quite very really super so tho
    though btw fyi too also now honestly lol a bit somewhat fairly rather extremely actually ok
    pls please tbh ngl imo and but
    """.split()
)
_PRIORITY_CLAUSE_MAX_CHARS = 40


def _priority_said_last(message: str, now: datetime) -> tuple[str, str] | None:
    """The message without a last clause that only says a priority, and that priority.

    "…, its urgent", "… - not urgent tho", "…, super important" (a reason after it is dropped:
    "…, its urgent because we're out"); a request to note the rest may follow it ("… - its
    urgent, add pls": the message is then "…, add pls"). None when that clause says anything
    else, or when there is no other clause.
    """
    low = message.lower()
    if len(low) > _CLAUSE_MAX_CHARS or not _CLAUSE_HINT.search(low):
        return None
    spans = clauses.split(low)
    while spans and spans[-1].reason:
        spans.pop()  # "…, its urgent because we're out": the reason is never read
    tail = ""
    if len(spans) >= 3 and _is_bare_request(low[spans[-1].start : spans[-1].end], now):
        tail = ", " + message[spans[-1].start : spans[-1].end]
        spans.pop()
    if len(spans) < 2 or spans[-1].end - spans[-1].start > _PRIORITY_CLAUSE_MAX_CHARS:
        return None
    last = low[spans[-1].start : spans[-1].end].rstrip(_END_PUNCT)
    hit = find_priority(last, update=True)
    if hit is None:
        return None
    rest = remove_spans(last, list(hit.spans)).replace(BLANK, " ").split()
    if any(word.strip(",.!") not in _PRIORITY_CLAUSE_WORDS for word in rest):
        return None
    head = message[: spans[-2].end]
    return (head + tail, hit.value) if head.strip() else None


def _priority_said_first(message: str, now: datetime, fit: Fit) -> Command | None:
    """A new task after a first clause that only says how urgent it is, with that priority.

    "urgent - sort out the forms by friday", "low priority: clean the garage", "important!
    call the bank". None when the first clause says anything else, or when the rest names a
    task already on the list without asking for a new one ("urgent - the bins" raises nothing
    here; the other rules read it).
    """
    low = message.lower()
    if len(low) > _CLAUSE_MAX_CHARS or not _CLAUSE_HINT.search(low):
        return None
    spans = clauses.split(low)
    if len(spans) < 2 or spans[0].end - spans[0].start > _PRIORITY_CLAUSE_MAX_CHARS:
        return None
    first = low[spans[0].start : spans[0].end].rstrip(_END_PUNCT)
    hit = find_priority(first, update=True)
    if hit is None:
        return None
    rest = remove_spans(first, list(hit.spans)).replace(BLANK, " ").split()
    if any(word.strip(",.!") not in _PRIORITY_CLAUSE_WORDS for word in rest):
        return None
    tail = message[spans[1].start :]
    cmd = _read(tail, now, fit)
    if cmd.intent != "add_task" or not (_explicit_add(_strip_fillers(_Text(tail)).low)
                                        or fit(tail) <= 0):  # fmt: skip
        return None
    cmd.priority = cmd.priority or hit.value
    return cmd


def _is_bare_request(clause: str, now: datetime) -> bool:
    """Whether ``clause`` only asks to note the rest, maybe with its date ("add pls", "remind me
    at 6pm")."""
    clause = _strip_fillers(_Text(clause)).low.rstrip(_END_PUNCT)
    request = _BARE_REQUEST.match(clause)
    if request is None:
        return False
    rest = clause[request.end() :]
    left = remove_spans(rest, list(find_when(rest, now).spans)).replace(BLANK, " ")
    return not left.strip(" ,.!?")


def _read(message: str, now: datetime, fit: Fit) -> Command:
    cmd = _parse(message, now, fit)
    if cmd.intent == "add_task" and _signed_off_remark(message, now, fit):
        return Command("none", reason="unknown", subject=message)
    if cmd.intent == "add_task" and _FEELING.search(message.lower()):
        # A feeling makes a thing and its day news, unless the task is asked for in words or
        # said as a doing verb ("remind me to study, im so dead" and "study for the exam
        # tomorrow im so dead" stay tasks).
        low = _strip_fillers(_Text(message)).low
        first = (cmd.title or "").lower().split(" ", 1)[0]
        if not (_explicit_add(low) or _BARE_REQUEST.search(low) or first in _VERB_LEXICON):
            return Command("none", reason="unknown", subject=message)
        feeling = _FEELING.search((cmd.title or "").lower())
        if feeling and feeling.start() > 0:  # the feeling is no part of the task's name
            cmd.title = tidy(cmd.title[: feeling.start()]).rstrip(" ,;-") if cmd.title else None
    return cmd


def _signed_off_remark(message: str, now: datetime, fit: Fit) -> bool:
    """Whether a message read as a new task is a remark and a sign-off in separate clauses.

    "ugh monday tomorrow. thanks thats all for tonight": a sign-off is no part of a new task;
    the other clauses, read alone, say whether there is one ("buy milk. thanks!" is one).
    """
    low = message.lower()
    if len(low) > _CLAUSE_MAX_CHARS or not _CLAUSE_HINT.search(low) or _explicit_add(low):
        return False
    parts = [low[c.start : c.end] for c in clauses.split(low)]
    talk = [bool(_small_talk(_strip_fillers(_Text(p)).low.rstrip(_END_PUNCT))) for p in parts]
    if len(parts) < 2 or not any(talk) or all(talk):
        return False
    rest = ", ".join(p for p, said in zip(parts, talk, strict=True) if not said)
    return _parse(rest, now, fit).intent == "none"


# A move whose amount the clause before said: "mrs q wants her cake a day earlier, bring it
# forward" is "mrs q wants her cake, bring it forward a day"; "a week later, push it back" the
# same. The directions must agree ("a day later, bring it forward" gives no amount).
_AMOUNT = (
    r"(?:a|an|one|two|three|four|five|six|seven|couple\s+of|few|\d{1,2})\s+(?:day|days|week|weeks|"
    r"hour|hours|month|months)"
)
_AMOUNT_BEFORE_MOVE = Guarded(
    rf"^(?P<head>.+?)\s+(?P<amount>{_AMOUNT})\s+(?:(?P<early>earlier|sooner)|later)\s*[,;.]\s*"
    r"(?:(?:so|then|pls|please|just|can\s+you)\s+)*(?P<move>(?P<forward>(?:bring|pull|move)\s+"
    r"(?:it|that|this|them)(?:\s+one)?\s+(?:forward|up|earlier))|(?:push|move|bump|kick)\s+"
    r"(?:it|that|this|them)(?:\s+one)?\s+(?:back|out|later))(?:\s+(?:pls|please|thanks|thx))?$",
    needles=("earlier", "sooner", "later"),
    endings=("forward", "up", "earlier", "back", "out", "later", "pls", "please", "thanks", "thx"),
)


def _amount_to_its_move(bare: _Text) -> _Text:
    """``bare`` with an amount said before a bare move put after the move (see above)."""
    m = _AMOUNT_BEFORE_MOVE.match(bare.low)
    if not m or (m.group("early") is None) != (m.group("forward") is None):
        return bare
    head, move, amount = (bare.s[m.start(g) : m.end(g)] for g in ("head", "move", "amount"))
    return _Text(f"{head}, {move} {amount}")


def _parse(message: str, now: datetime, fit: Fit) -> Command:
    text = _Text(message)
    reason = _small_talk(text.low)
    if reason:
        return Command("none", reason=reason)
    if _INJECTION.search(text.low):
        return Command("none", reason="refuse")
    said = text  # before "can you", "for me", "so" and a trailing "ugh" go: see _not_a_task
    text = _strip_fillers(text)
    corrected = _two_as_to(correct_typos(text.s))
    if corrected != text.s:  # "plese remove X": a misspelt "please" is a filler once spelt right
        text = _strip_fillers(_Text(corrected))
    bare = _Text(text.s.rstrip(_END_PUNCT))
    bare = bare.cut(0) if bare.s else text
    reason = _small_talk(bare.low)
    if reason:
        return Command("none", reason=reason)
    if _BULK.match(bare.low):
        return Command("none", reason="bulk")
    bare = _amount_to_its_move(bare)
    check = _CHECKMARK.search(bare.s)
    if check:
        rest = _Text(remove_spans(bare.s, [check.span()])).cut(0)
        return Command("complete_task", target=tidy(rest.s) or "it")
    # Other emoji at the message's ends decorate it as its punctuation does: "investor update
    # sent 🎉" is "investor update sent" (a check mark, above, says something).
    decorated = _trim_emoji(bare.s).rstrip(_END_PUNCT)
    if decorated and decorated != bare.s:
        bare = _Text(decorated)
    # (in a short message only, as clauses are: a 2,000-character paste is read once)
    lead = _LEADING_WHEN.match(bare.low) if len(bare.low) <= _CLAUSE_MAX_CHARS else None
    if lead:
        # "On Friday, remind me to pay rent": read the command, then give it the date.
        when = find_when(bare.low[: lead.end("when")], now)
        rest = bare.cut(lead.end())
        if when.due and rest.s:
            cmd = _rules(rest, rest, now, fit)
            if cmd.intent == "add_task" and not cmd.due:
                cmd.due = when.due
                return cmd
            # "sunday shift is dead quiet. remind me ...": a change needs a task that is named
            if cmd.intent in ("add_task", "list_tasks") or (
                cmd.intent == "update_task" and fit(cmd.target or "it") > 0
            ):
                return cmd
    if " not " in bare.low:
        excluding = _without_exclusion(bare, now, fit)
        if excluding is not None:
            return excluding
    if _TAKEN_BACK.search(bare.low, max(0, len(bare.low) - 40)):
        return Command("none", reason="cancel")
    cmd = _topic_action(bare, now, fit) or _rules(bare, text, now, fit)
    if _weak(cmd, bare, now, fit):
        by_clauses = _by_clauses(bare, cmd, now, fit)
        if by_clauses is not None:
            return by_clauses  # its clauses were each asked whether they are errands or remarks
    # The phrase is short and last: only the end of a long message is searched.
    past = _DONE_WHEN.search(bare.low, max(0, len(bare.low) - 48))
    if past and past.start() > 0:
        # "finished the report yesterday": when it was done is not part of the task's name.
        done = _rules(bare.cut(0, past.start()), text.cut(0, past.start()), now, fit)
        if done.intent == "complete_task":
            return done
    if cmd.intent in ("add_task", "list_tasks"):
        return _not_a_task(cmd, said, text, bare) or cmd
    return cmd


# Someone did something to the task, which is the object: "civil defense cancelled the fire
# drill", "the client moved the shoot" (the clause says why; another gives the order).
_DONE_TO = re.compile(r"\s[a-z]{2,}ed\s+(?P<o>(?:the|my|our|their|his|her|that|this)\s+\S.*)$")
# A change of plan said about the thing the task is for: "ayu and ben don't want a preview
# gallery after all", "we're keeping the old file server", "not printing the poster anymore".
# The object names the task; another clause says what to do with it.
_CHANGE_OF_PLAN = re.compile(
    r"\b(?:(?:don'?t|doesn'?t|do\s+not|does\s+not|no\s+longer|won'?t|didn'?t)\s+(?:want|need)s?|"
    r"(?:not|no\s+longer|stopped|quit)\s+[a-z]{3,}ing|keeping|sticking\s+with)\s+"
    r"(?P<o>\S.*?)(?:\s+(?:after\s+all|any\s*more|now|either|then))*$"
)
# Its date or time said to have changed: "dorm rent due date moved", "the dentist's time
# changed". The task is what comes before.
_FIELD_CHANGED = re.compile(
    r"(?:'s)?\s+(?:due\s+date|due|deadline|date|time|day)\s+(?:has\s+|got\s+|was\s+|is\s+)?"
    r"(?:moved|changed|shifted|slipped|pushed)$"
)
_CLAUSE_MAX_CHARS = 300  # a command with a remark is a short message; a pasted essay is not read
_CLAUSE_HINT = re.compile(r"[,;.!?\u2026]|\s-|\s(?:because|since|cuz|coz|cos|'cause|bc|as|so)\s")
# Where a statement about a task begins, after the task's words: "the roses | can wait til
# spring", "the flat 3 rent | isn't done".
_STATEMENT_START = re.compile(
    r"(?:'s|'re)(?=\s)|"  # "kettle's broken again"
    r"\s+(?:can|could|should|will|won'?t|is|isn'?t|isnt|are|aren'?t|arent|was|wasn'?t|has|have|"
    r"needs?|got|gets|'s|came|went|said|showed|turned|finally|just|already|never|didn'?t|didnt|"
    r"still|hasn'?t|hasnt|haven'?t|havent|doesn'?t|doesnt|don'?t|dont|"
    r"[a-z]{3,}ed(?=\s*$))\b"
)
# A clause with a subject and its verb says how things are: a remark, not a part of a task.
_REMARK_CLAUSE = re.compile(
    r"(?:i|i'm|im|i've|ive|i'd|she|he|they|we|we're|it|it's|its|there|there's|that's|thats|"
    r"she's|he's|they're|theyre|you|you're)\s|(?:(?:the|my|our|his|her|their)\s+)?"
    r"(?:[a-z'-]+\s+){0,2}(?:is|are|was|were|isn'?t|aren'?t|wasn'?t|has|have|had|keeps?|got|"
    r"broke|died|closes|closed|opens|starts|ends|finishes)\b"
)
# A request to note what was said before, with nothing of its own: "..., remind me", "..., add
# it pls", "..., put that on my list": the new task is the rest.
_BARE_REQUEST = re.compile(
    r"(?:(?:pls|please|can\s+you|could\s+you|can\s+u)\s+)*(?:remind\s+me(?:\s+(?:of|abt|about)\s+"
    r"(?:it|that|this))?|(?:(?:add|put|stick|pop|throw|get)\s+(?:it|that|this)|note\s+(?:it|that|this)"
    # "add" alone: "..., add pls", "... add to my list", "... add for saturday"
    r"(?:\s+down)?|add)(?:\s+(?:on|onto|in|into|to)\s+(?:my|the)\s+(?:to-?do\s+|todo\s+|task\s+)?"
    r"list)?|don'?t\s+let\s+me\s+forget|make\s+a\s+note(?:\s+of\s+(?:it|that))?)"
    r"(?:\s+(?:pls|please|plz|thanks|thx))*"
    # the request may carry the time: "..., remind me at 6pm", "- put that on my list for
    # tuesday" (the time stays)
    r"(?=[\s.!?]*$|\s+(?:at|on|in|by|for|around|tomorrow|tmrw|tonight|today|next|this|every|"
    r"later)\b)"
)
# A clause that gives an order, which outranks a statement in another clause ("priya texted me,
# delete the reminder about the party").
_IMPERATIVE = re.compile(
    rf"^(?:{_DELETE_VERBS}|mark|tick|check|cross|complete|finish|close|reopen|re-open|uncheck|"
    r"untick|move|push|postpone|delay|reschedule|bring|pull|make|set|change|rename|update|put|"
    r"bump|shift)(?![\w'])"
)
_DUE_WORD = re.compile(r"\b(?:due|deadline|by)\b")
_NEGATED_STATE = re.compile(r"n'?t\b|\b(?:not|never|no\s+longer)\b")


def _explicit_add(low: str) -> bool:
    return bool(_ADD_INTENT.match(low) or _ADD_PHRASE.match(low) or _ADD_LABEL.match(low))


def _weak(cmd: Command, bare: _Text, now: datetime, fit: Fit) -> bool:
    """Whether the whole message's reading may be a command plus a remark read as one.

    It is when it found nothing to do, a task that no words name (the remark inside them), or
    a new task the message does not ask for in words ("laundry isn't done after all, the
    machine broke" reads as a chore), or a new task whose first clause alone is no new task
    ("put X back on the list, she changed her mind").
    """
    if len(bare.low) > _CLAUSE_MAX_CHARS or not _CLAUSE_HINT.search(bare.low):
        return False
    if cmd.intent == "none":
        return cmd.reason in ("unknown", "need_date", "")
    if cmd.intent == "add_task":
        return True
    if cmd.intent in _TARGETED:
        target = cmd.target or "it"
        if not _CLAUSE_HINT.search(target):
            return False
        if fit(target) <= 0:
            return True
        # "grant budget review - delete, the grant got pulled": a state read across clauses,
        # one of which gives an order; the order outranks it.
        return cmd.intent in ("complete_task", "reopen_task") and any(
            _IMPERATIVE.match(_strip_fillers(_Text(target[c.start : c.end])).low)
            for c in clauses.split(target.lower())
        )
    return False


_LEADING_NAME_WORDS = 6  # a task is named in a few words; a longer remark is not cut down


def _leading_name(clause: _Text, fit: Fit) -> str | None:
    """The task a remark opens with, its comment dropped: "match jerseys still stink" names
    "Wash the match jerseys" (the longest run of its first words, two at least, that fits)."""
    words = clause.s.split()
    if len(words) > _LEADING_NAME_WORDS:
        return None
    for size in range(len(words) - 1, 1, -1):
        head = " ".join(words[:size])
        if fit(head) > 0:
            return head
    return None


def _by_clauses(bare: _Text, whole: Command, now: datetime, fit: Fit) -> Command | None:
    """The command one clause carries, its task named in another, the remarks dropped.

    See :mod:`.clauses`. A clause that gives a reason ("because ...") is never read; a clause
    is taken as a new task only when it asks for one in words.
    """
    spans = clauses.split(bare.low)
    parts = [bare.cut(c.start, c.end) for c in spans if not c.reason]
    parts = [p for p in parts if _strip_fillers(p).s]
    if len(spans) < 2 or not parts:
        return None
    talk = [_small_talk(_strip_fillers(p).low.rstrip(_END_PUNCT)) for p in parts]
    if all(talk):  # "thanks, see you friday": small talk in every clause
        return Command("none", reason=next(r for r in talk if r))
    fit_it = _it_fits(fit)  # "delete it" is a command even before "it" is known
    by_text = {p.s: p for p in parts}

    @cache  # a clause said twice is read once
    def read(part: str) -> Command | None:
        clause = _strip_fillers(by_text[part])
        cmd = _topic_action(clause, now, fit) or _rules(clause, clause, now, fit_it)
        if cmd.intent in _TARGETED:
            return cmd if fit_it(cmd.target or "it") > 0 else None
        if cmd.intent == "list_tasks":
            return cmd
        if cmd.intent == "add_task" and _explicit_add(clause.low):
            if _IT.match((cmd.title or "").lower()):
                return None  # "buy milk - add it": "it" is what the other clauses say
            return _not_a_task(cmd, clause, clause, clause) or cmd
        return None

    @cache
    def topic(part: str) -> str | None:
        clause = _strip_fillers(by_text[part])
        if fit(clause.s) > 0:
            return clause.s
        # (the thing a change of plan is about names the task better than who changed it)
        plan = _CHANGE_OF_PLAN.search(clause.low)
        if plan and fit(clause.s[plan.start("o") : plan.end("o")]) > 0:
            return clause.s[plan.start("o") : plan.end("o")]
        m = _STATEMENT_START.search(clause.low)
        if m and m.start() > 0:
            head = _strip_fillers(clause.cut(0, m.start()))
            if head.s and fit(head.s) > 0:
                return head.s
        done_to = _DONE_TO.search(clause.low)
        if done_to and fit(clause.s[done_to.start("o") :]) > 0:
            return clause.s[done_to.start("o") :]
        changed = _FIELD_CHANGED.search(clause.low)
        if changed and changed.start() > 0 and fit(clause.s[: changed.start()]) > 0:
            return clause.s[: changed.start()]
        return _leading_name(clause, fit)

    def imperative(part: str) -> bool:
        return bool(_IMPERATIVE.match(_strip_fillers(by_text[part]).low))

    cmd = clauses.choose([p.s for p in parts], read, topic, lambda t: bool(_IT.match(t.lower())),
                         imperative)  # fmt: skip
    if cmd is not None and not (cmd.intent == "add_task" and _explicit_add(bare.low)):
        return cmd
    # "call the plumber, the sink is leaking again", "remind me to call mom because it's her
    # birthday": the new task ends where a remark or a reason begins ("add milk, eggs, bread"
    # and "..., super urgent" have none); "X, remind me tomorrow" asks for X.
    remarks, asked, due_said = [], False, None
    for before, c in zip(spans, spans[1:], strict=False):
        if c.reason or _REMARK_CLAUSE.match(bare.low, c.start):
            remarks.append((before.end, c.end))
            if _DUE_WORD.search(bare.low, c.start, c.end):  # "since it's due friday"
                due_said = due_said or find_when(bare.low[c.start : c.end], now).due
        elif request := _BARE_REQUEST.match(bare.low, c.start, c.end):
            remarks.append((before.end, request.end()))
            asked = True
    if whole.intent != "add_task" and not asked:
        return None
    if not _explicit_add(bare.low) and _NEGATED_STATE.search(_strip_fillers(parts[0]).low):
        # A statement that something is not so is no chore: "laundry isn't done after all, ..."
        return Command("none", reason="unknown", subject=bare.s)
    if not remarks:
        return None
    rest = _Text(remove_spans(bare.s, remarks), remove_spans(bare.low, remarks))
    rest = _Text(tidy(rest.s))
    cmd = _rules(rest, rest, now, fit)
    if asked and cmd.intent != "add_task":
        cmd = _add_rules(rest, now, fit) or _add(rest, now)  # asked for in words
    if cmd.intent == "add_task" and not cmd.due and due_said:
        cmd.due = due_said
    if cmd.intent != "add_task":
        # "the plumber, he's coming friday", "sorry, i meant friday": only the remark made it
        # read as a new task (its date), and a remark cannot add a task
        return None if _explicit_add(bare.low) else Command("none", reason="unknown",
                                                            subject=bare.s)  # fmt: skip
    return _not_a_task(cmd, rest, rest, rest) or cmd


# A question put to the assistant to look something up in the world, not the person's list:
# "can u check the traffic tmrw morning", "could you tell me if it'll rain on tuesday". It has
# no eyes on the world; "remind me to check the traffic report" is a task, and "can you tell me
# if i have anything tuesday" asks for the list.
_LOOK_UP = re.compile(
    r"^(?:(?:hey|ok|okay|so|pls|please)\s+)*(?:can|could|would|will)\s+(?:you|u|ya)\s+"
    r"(?:(?:pls|please|just|quickly|maybe)\s+)*(?:check|look\s+up|find\s+out|see|"
    r"(?:tell\s+me|let\s+me\s+know)(?=\s+(?:if|whether)\b))(?![\w'])"
)
_ABOUT_THE_LIST = re.compile(
    r"\b(?:tasks?|todos?|to-?dos?|list|reminders?|agenda|schedule|plate|anything|everything|"
    r"(?:i|we)\s+(?:have|need|got|still|already)|(?:do|did|am|have)\s+(?:i|we)|i'?ve|ive|my)\b"
)


def _not_a_task(cmd: Command, said: _Text, text: _Text, bare: _Text) -> Command | None:
    """``none`` when what reads as a new task (or a list) is an errand or a remark.

    ``said`` is the message as typed, ``text`` without its fillers, ``bare`` without its end
    punctuation. Only asked for a new task or a list, so other messages never pay for it.
    """
    if _ERRAND.match(bare.low):
        return Command("none", reason="errand")  # "get me a cab" is not "get me my list"
    look = _LOOK_UP.match(said.low)
    if look and not _ABOUT_THE_LIST.search(said.low, look.end()):
        return Command("none", reason="errand")
    if cmd.intent == "add_task" and not (cmd.due or cmd.repeat) and _PAYMENT.match(bare.low):
        return Command("none", reason="errand")
    if cmd.intent != "add_task" or _ADD_INTENT.match(bare.low):
        return None
    errand = (
        _FOR_SOMEONE.search(said.low)
        or _RELAY.match(text.low)
        or (" and " in text.low or " then " in text.low or "&" in text.low)
        and _RELAY.search(text.low)
    )
    if errand:
        # "email Tom for me", "can you order pizza": an errand, not a note for the list.
        return Command("none", reason="errand")
    if not _ADD_PHRASE.match(bare.low) and _is_remark(said):
        # "so hot today" is a remark; "ugh ok so I need to pick up X" is still a task.
        return Command("none", reason="unknown", subject=text.s)
    return None


def _rules(bare: _Text, text: _Text, now: datetime, fit: Fit) -> Command:
    return (
        _explicit_edit(bare, now, fit)
        or _list(text)
        or _reopen(bare, fit)
        or _complete(bare, now)
        or _delete(bare, fit)
        or _generic_edit(bare, now, fit)
        or _add_rules(bare, now, fit)
        or _suffix_forms(bare, now, fit)
        or _fallback(text, now)
    )

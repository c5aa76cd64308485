"""Date and time phrases: find them in a message and resolve them against the local "now".

Conventions (specs/chat.md, plus the choices it leaves open):

- ``due`` is ``YYYY-MM-DD``, or ``YYYY-MM-DDTHH:MM`` when a time of day was said;
- a weekday ("Friday", "next Friday", "this Friday") is the next such day strictly after today;
  "Friday next week" is the Friday of next calendar week;
- "in N days/weeks/months/years" counts from today; "in N hours/minutes" from now (with a time);
- a day of the month alone ("the 15th", "on the 3rd") is the next such date strictly after today,
  like a weekday: on the 15th, "the 15th" is next month's;
- a month and day without a year ("March 5", "5th of March", "3/15") that has already passed this
  year rolls to next year; today itself stays today. Numeric dates are ISO (2026-03-15) or US
  month/day (3/15), unless the first number cannot be a month (15/3);
- "next week" is next week's Monday, "end of the week" this week's Friday, "this weekend" the
  coming Saturday (today on a weekend), "next weekend" next week's Saturday, "end of the month"
  the month's last day, "next month" the 1st of next month;
- parts of the day: morning 09:00, noon 12:00, afternoon 15:00, evening 18:00, midnight 23:59;
  "tonight" and "at night" give the date only but make a bare "at 8" mean 20:00;
- a time without a date is today if it is still ahead, otherwise tomorrow;
- a bare hour ("at 5") without am/pm: 1-6 mean the afternoon, 7-11 the morning, unless an evening
  word ("tonight", "in the evening") says otherwise, or "later today" does and the morning's hour
  has passed ("later today at 7" said at 17:30 is 19:00);
- a holiday on a fixed date ("christmas day", "new year's eve", "halloween") is its next such
  date, today included, like a month and day; it is the due date only where a date may stand
  (after "on", "by", "for", ..., or at the end) and only when no other day is said: "buy a
  christmas tree", "book dinner for valentines on feb 14" keep it in the title.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import islice

from shared.tasks.recurrence import add_months

from .patterns import DIGIT, Guarded
from .text import DisjointSpans

__all__ = [
    "HOLIDAY_NAMES", "Repeat", "Shift", "When", "find_repeat", "find_shift", "find_when",
    "shift_due",
]

_WEEKDAYS = {
    "monday": 0, "mon": 0,
    "tuesday": 1, "tues": 1, "tue": 1,
    "wednesday": 2, "weds": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thur": 3, "thu": 3,
    "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
# Short weekday names that are words or names too ("the cat sat", "sun", "get wed", "c'mon"):
# they are a day only after "on", "by", ...; "fri", "tues", "thu" are read like full names.
_WORDLIKE_WEEKDAYS = {"mon", "wed", "sat", "sun"}
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90,
    "couple": 2, "few": 3, "several": 3,
}  # fmt: skip
_ORDINAL_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                  "ninth"]  # fmt: skip
_ORDINALS: dict[str, int] = {w: i + 1 for i, w in enumerate(_ORDINAL_UNITS)}
_ORDINALS.update(
    {
        "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
        "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
        "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
    }  # fmt: skip
)
for _i, _w in enumerate(_ORDINAL_UNITS):
    _ORDINALS[f"twenty-{_w}"] = 21 + _i
    _ORDINALS[f"twenty {_w}"] = 21 + _i
_ORDINALS["thirty-first"] = 31
_ORDINALS["thirty first"] = 31
_HOUR_WORDS = {w: n for w, n in _NUMBER_WORDS.items() if 1 <= n <= 12 and w not in ("a", "an")}


def _alternation(words: Iterable[str]) -> str:
    # Longest first so that "thursday" wins over "thu" and "a couple" over "a".
    escaped = (r"\s+".join(re.escape(part) for part in w.split()) for w in words)
    return "|".join(sorted(escaped, key=len, reverse=True))


_WD = _alternation(_WEEKDAYS)
_MON = _alternation(_MONTHS)
_ORD = _alternation(_ORDINALS)
_H = r"\d{1,2}|" + _alternation(_HOUR_WORDS)
_NUM = (
    r"\d{1,3}|a\s+couple(?:\s+of)?|couple(?:\s+of)?|a\s+few|few|several|"
    + _alternation(w for w in _NUMBER_WORDS if w not in ("couple", "few", "several"))
)
_UNIT = r"(?P<u>minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|years?|yrs?|fortnights?)"
_UNIT_WORDS = ("min", "hour", "hr", "day", "week", "wk", "month", "year", "yr", "fortnight")
_MONTH_STEMS = sorted({name[:3] for name in _MONTHS})  # every month name has one

_P_REL_IN = Guarded(
    rf"\b(?:in|within|after)\s+(?:about\s+|around\s+|roughly\s+|another\s+|just\s+)?"
    rf"(?P<n>{_NUM})\s+{_UNIT}(?:'?\s+time)?\b",
    needles=_UNIT_WORDS,
)
_P_REL_FROM = Guarded(
    rf"\b(?P<n>{_NUM})\s+{_UNIT}\s+(?:from\s+(?:now|today)|later)\b", needles=_UNIT_WORDS
)
_P_HALF_HOUR = Guarded(r"\bin\s+(?:half\s+an?\s+hour|an?\s+half\s+hour)\b", needles=("half",))
_P_DAY_AFTER = Guarded(r"\b(?:the\s+)?day\s+after\s+(?:tomorrow|tmrw|tmr)\b", needles=("after",))
_P_KEYWORD = Guarded(
    r"\b(?P<k>today|tonight|tonite|tomorrow|tmrw|tmr|tmrow|tomorow|tommorow|tommorrow|tomorro|"
    r"2morrow|2moro|yesterday|later\s+today|later\s+tonight|end\s+of\s+(?:the\s+)?day|eod)\b",
    needles=("tod", "ton", "tom", "tmr", "2mo", "yesterday", "end", "eod"),
)
_P_PART = Guarded(
    r"\b(?:(?P<pre>in\s+the|this|at|around|by|before|during\s+the)\s+)?"
    r"(?P<p>morning|afternoon|evening|night|noon|midday|midnight|lunchtime|lunch\s+time)\b",
    needles=("morning", "noon", "evening", "night", "midday", "lunch"),
)
_P_WEEKDAY = Guarded(
    rf"\b(?:(?P<mod>next|this\s+coming|this|the\s+coming|coming|the\s+following|following|"
    rf"the\s+upcoming|upcoming)\s+)?(?P<wd>{_WD})\b\.?(?:\s+(?P<nw>next\s+week|this\s+week))?",
    needles=sorted({name[:3] for name in _WEEKDAYS}),
)
_P_PERIOD = Guarded(
    r"\b(?P<per>(?:the\s+)?end\s+of\s+next\s+week|(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?week|"
    r"eow|next\s+week|this\s+week|(?:this|the)\s+weekend|next\s+weekend|weekend|"
    r"(?:the\s+)?end\s+of\s+next\s+month|(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month|"
    r"month[\s-]end|eom|(?:the\s+)?(?:beginning|start)\s+of\s+(?:the\s+)?next\s+month|"
    r"next\s+month|this\s+month|(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?year|year[\s-]end|eoy|"
    r"next\s+year)\b",
    needles=("week", "eow", "month", "eom", "year", "eoy"),
)
_P_MONTH_DAY = Guarded(
    rf"\b(?P<mon>{_MON})\.?\s+(?:the\s+)?(?P<d>\d{{1,2}}|{_ORD})(?:st|nd|rd|th)?\b"
    rf"(?:,?\s+(?P<y>\d{{4}})\b)?",
    needles=_MONTH_STEMS,
)
_P_DAY_MONTH = Guarded(
    rf"\b(?:the\s+)?(?P<d>\d{{1,2}}|{_ORD})(?:st|nd|rd|th)?\s+(?:of\s+|day\s+of\s+)?"
    rf"(?P<mon>{_MON})\b\.?(?:,?\s+(?P<y>\d{{4}})\b)?",
    needles=_MONTH_STEMS,
)
_P_ISO = Guarded(
    r"\b(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:t(?P<h>\d{1,2}):(?P<mi>\d{2})(?::\d{2}(?:\.\d+)?)?)?\b",
    needles=DIGIT,
)
_P_DOTTED = Guarded(
    r"(?<![\w.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?![\w.])", needles=DIGIT
)
_P_DOM_OF_MONTH = Guarded(
    rf"\b(?:the\s+)?(?P<d>\d{{1,2}}(?:st|nd|rd|th)?|{_ORD})\s+of\s+(?:the\s+)?"
    r"(?P<rel>next|this|the\s+following|following|the\s+coming|coming)\s+month\b",
    needles=("month",),
)
_P_US = Guarded(
    r"(?<![\w/#.])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?(?![\w/])", needles=("/",)
)
_P_DOM = re.compile(
    rf"\bthe\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)\b"
    rf"|\b(?:on|by|before|until|till|due)\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)\b"
    rf"|\b(?:on|by|before|until|till|due)\s+the\s+(?P<d3>{_ORD})\b"
)
_P_AMPM = Guarded(
    rf"(?<![\d:/#.])\b(?P<h>{_H})(?:[:.](?P<m>[0-5]\d))?\s*(?P<ap>[ap])\.?\s?m\b\.?",
    needles=re.compile(r"[ap]\.?\s?m"),
)
_P_24H = Guarded(
    r"(?<![\d:/#.])\b(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)\b(?!:\d)", needles=(":",)
)
_P_AT = Guarded(
    rf"(?:\b(?:at|around)\s+|@\s*)(?P<h>{_H})(?P<oc>\s*o'?\s*clock)?\b"
    r"(?![:./%]\d|\s*(?:%|st\b|nd\b|rd\b|th\b|days?\b|weeks?\b|months?\b|years?\b|hours?\b|"
    r"hrs?\b|mins?\b|minutes?\b|people\b|persons\b|guests\b|items?\b|tasks?\b|[ap]\.?\s?m\b))",
    needles=("at", "around", "@"),
)
_P_OCLOCK = Guarded(rf"\b(?P<h>{_H})\s*o'?\s*clock\b", needles=("clock",))
_P_QUARTER = Guarded(
    rf"\b(?:at\s+)?(?P<q>half|quarter)\s+(?P<dir>past|to|after)\s+(?P<h>{_H})\b",
    needles=("half", "quarter"),
)

# Holidays on a fixed date, by the names people give them. The plain names that are words or
# names too ("valentines" are cards, "new year" a season, Bill Nye) count only after "on",
# "by", "for", ... (``needs_connector``).
_HOLIDAYS: tuple[tuple[str, int, int, bool], ...] = (
    (r"(?:christmas|xmas|x-mas)\s+eve", 12, 24, False),
    (r"(?:christmas|xmas|x-mas)(?:\s+day)?", 12, 25, False),
    (r"boxing\s+day", 12, 26, False),
    (r"new\s+year'?s?\s+eve|hogmanay", 12, 31, False),
    (r"nye", 12, 31, True),
    (r"new\s+year'?s?\s+day", 1, 1, False),
    (r"new\s+year'?s?", 1, 1, True),
    (r"hall?owe'?en", 10, 31, False),
    (r"valentine'?s\s+day|valentine's", 2, 14, False),
    (r"valentines", 2, 14, True),
    (r"(?:st\.?\s+|saint\s+)?(?:patrick|paddy)'?s\s+day", 3, 17, False),
    (r"april\s+fool'?s'?\s+day", 4, 1, False),
    (r"(?:guy\s+fawkes|bonfire)\s+night", 11, 5, False),
    (r"(?:armistice|remembrance|veterans'?)\s+day", 11, 11, False),
    (r"all\s+saints'?\s+day", 11, 1, False),
    (r"canada\s+day", 7, 1, False),
    (r"australia\s+day", 1, 26, False),
    (r"anzac\s+day", 4, 25, False),
    (r"waitangi\s+day", 2, 6, False),
    (r"bastille\s+day", 7, 14, False),
    (r"juneteenth", 6, 19, False),
    (r"cinco\s+de\s+mayo", 5, 5, False),
    (r"burns\s+night", 1, 25, False),
)
# Every holiday name, for the grammar's lists and goodbyes ("anything on christmas eve", "see
# you on boxing day").
HOLIDAY_NAMES = "|".join(name for name, *_ in _HOLIDAYS)
_P_HOLIDAY = Guarded(
    # (the first letters checked first: most places in a text start no name at all)
    r"\b(?=[abcghjnprstvwx])(?:"
    + "|".join(f"(?P<h{i}>{name})" for i, (name, *_) in enumerate(_HOLIDAYS))
    + r")(?![\w'])",
    needles=("christmas", "xmas", "x-mas", "boxing", "year", "hogmanay", "nye", "owe", "valentine",
             "patrick", "paddy", "fool", "fawkes", "bonfire", "armistice", "remembrance",
             "veteran", "saints", "canada", "australia", "anzac", "waitangi", "bastille",
             "juneteenth", "mayo", "burns"),
)
# Words before a holiday that make it no due date: a wish ("merry christmas"), a stretch of
# time around it ("over christmas", "after new year"), or a noun it belongs to ("the").
_NOT_BEFORE_A_HOLIDAY = frozenset(
    {"happy", "merry", "over", "after", "during", "since", "from", "of", "in", "past", "the",
     "through", "throughout", "post", "pre", "last", "every", "each"}
)  # fmt: skip

_PREV_WORD = re.compile(r"([a-z]+|,)[\s]*$")
_CONNECTORS = frozenset(
    {"on", "by", "due", "for", "before", "until", "till", "til", "from", "to", "starting", "after",
     "at", "around", "next", "this", ","}
)  # fmt: skip
# What may follow a date said at the end: punctuation and connectors ("... on friday, at the").
_END_JUNK = re.compile(r"[\s,.!?;:)(\-\x00]*")
_END_CONNECTOR = re.compile(r"(?:on|at|by|and|in|the|due)\b")
_LEAD_CONNECTOR = re.compile(
    r"(?:(?<![\w'])(?:due\s+(?:on|by|date)|due|on|by|at|for|before|until|till|til|from|around|"
    r"starting|no\s+later\s+than|sometime|some\s+time)\s*[:,]?\s*|,\s*|@\s*)+$"
)

_PART_CLOCK = {
    "morning": (9, 0), "afternoon": (15, 0), "evening": (18, 0), "noon": (12, 0),
    "midday": (12, 0), "midnight": (23, 59), "lunchtime": (12, 0), "lunch time": (12, 0),
}  # fmt: skip
_PART_HINT = {"morning": "am", "afternoon": "pm", "evening": "pm", "night": "pm"}


@dataclass
class _Cand:
    """One date or time phrase found in the text, before deciding whether it counts."""

    start: int
    end: int
    day: date | None = None
    clock: tuple[int, int] | None = None
    exact: datetime | None = None
    strong: bool = True
    hint: str | None = None
    bare_hour: bool = False  # an hour said without am/pm, which an evening word may shift
    part: bool = False  # a part of the day ("morning"), weaker than a said clock time
    needs_connector: bool = False  # abbreviations like "sat" only count after "on", "by", ...
    today_part: bool = False  # "this morning": the part belongs to today whatever the hour
    holiday: bool = False  # "christmas day": a date only when no other day is said


@dataclass(frozen=True)
class When:
    """The resolved due value and the spans of ``text`` that expressed it."""

    due: str | None
    spans: tuple[tuple[int, int], ...] = field(default_factory=tuple)


def _number(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    for word in reversed(text.split()):
        if word in _NUMBER_WORDS:
            return _NUMBER_WORDS[word]
    return None


def _day_number(text: str) -> int | None:
    text = re.sub(r"\s+", " ", text.strip())
    if text.isdigit():
        return int(text)
    return _ORDINALS.get(text)


@dataclass(frozen=True)
class Shift:
    """A relative move of an existing due date ("back a day", "forward 2 weeks")."""

    days: int = 0
    months: int = 0
    hours: int = 0


def shift_due(due: str, shift: Shift) -> str:
    """``due`` (YYYY-MM-DD or YYYY-MM-DDTHH:MM) moved by ``shift``, keeping its time of day."""
    moment = datetime.fromisoformat(due)
    day = add_months(moment.date(), shift.months, moment.day) + timedelta(days=shift.days)
    if "T" not in due:
        # An all-day task moves by whole days only: "back 48 hours" is two days, "an hour" none.
        return _format(day + timedelta(days=int(shift.hours / 24)), None)
    moved = datetime.combine(day, moment.time()) + timedelta(hours=shift.hours)
    return _format(moved.date(), (moved.hour, moved.minute))


def _safe_date(year: int, month: int, day: int) -> date | None:
    if not (1 <= month <= 12 and 1 <= year <= 9999):
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def _month_day(today: date, month: int, day: int, year: int | None) -> date | None:
    if year is not None:
        return _safe_date(year, month, day)
    for offset in range(0, 5):  # Feb 29 may need a few years to come round again
        found = _safe_date(today.year + offset, month, day)
        if found is not None and found >= today:
            return found
    return None


def _next_day_of_month(today: date, day: int) -> date | None:
    if not 1 <= day <= 31:
        return None
    for offset in range(0, 14):
        first = add_months(today.replace(day=1), offset, 1)
        found = _safe_date(first.year, first.month, day)
        if found is not None and found > today:
            return found
    return None


def _hour(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    return _HOUR_WORDS.get(text)


def _period(name: str, today: date) -> date:
    name = re.sub(r"\s+", " ", name)
    weekday = today.weekday()
    monday = today - timedelta(days=weekday)
    if name == "next weekend":
        return monday + timedelta(days=12)
    if "weekend" in name:
        return today if weekday >= 5 else monday + timedelta(days=5)
    if "next week" in name and "end" in name:
        return monday + timedelta(days=11)
    if name == "next week":
        return monday + timedelta(days=7)
    if "week" in name or name == "eow":
        return monday + timedelta(days=4) if weekday <= 4 else monday + timedelta(days=6)
    if "next month" in name and "end" in name:
        nxt = add_months(today.replace(day=1), 1, 1)
        return nxt.replace(day=calendar.monthrange(nxt.year, nxt.month)[1])
    if "next month" in name:
        return add_months(today.replace(day=1), 1, 1)
    if "month" in name or name == "eom":
        return today.replace(day=calendar.monthrange(today.year, today.month)[1])
    if name == "next year":
        return date(today.year + 1, 1, 1)
    return date(today.year, 12, 31)  # end of the year


# A message naming more date phrases than this names no one due date: it is read as having
# none. Phrases are looked for only until twice as many candidates are found (one
# phrase can be read several ways, "at 5pm" as a time and as "at 5"), so that 2,000
# characters of "monday monday ..." cost what a short message costs.
_MOST_PHRASES = 16
_MOST_CANDIDATES = 2 * _MOST_PHRASES


def _matches(
    pattern: re.Pattern[str] | Guarded, low: str, found: list[_Cand]
) -> Iterator[re.Match[str]]:
    """The pattern's matches, as many as the candidates found so far leave room for."""
    return islice(pattern.finditer(low), max(0, _MOST_CANDIDATES + 1 - len(found)))


def _candidates(low: str, now: datetime) -> list[_Cand]:  # noqa: C901 - one branch per phrase
    today = now.date()
    found: list[_Cand] = []

    for pattern in (_P_REL_IN, _P_REL_FROM):
        for m in _matches(pattern, low, found):
            n = _number(m.group("n"))
            if n is None or n > 999:
                continue
            unit = m.group("u")
            if unit.startswith(("min", "h")):
                delta = timedelta(minutes=n) if unit.startswith("min") else timedelta(hours=n)
                found.append(_Cand(m.start(), m.end(), exact=now + delta))
            elif unit.startswith("d"):
                found.append(_Cand(m.start(), m.end(), day=today + timedelta(days=n)))
            elif unit.startswith("w"):
                found.append(_Cand(m.start(), m.end(), day=today + timedelta(weeks=n)))
            elif unit.startswith("f"):
                found.append(_Cand(m.start(), m.end(), day=today + timedelta(weeks=2 * n)))
            elif unit.startswith("m"):
                found.append(_Cand(m.start(), m.end(), day=add_months(today, n, today.day)))
            elif n < 100:
                found.append(_Cand(m.start(), m.end(), day=add_months(today, 12 * n, today.day)))
    for m in _matches(_P_HALF_HOUR, low, found):
        found.append(_Cand(m.start(), m.end(), exact=now + timedelta(minutes=30)))
    for m in _matches(_P_DAY_AFTER, low, found):
        found.append(_Cand(m.start(), m.end(), day=today + timedelta(days=2)))
    for m in _matches(_P_KEYWORD, low, found):
        key = m.group("k")
        if key.endswith(("tonight", "tonite")):  # "later tonight at 11" is 23:00 too
            found.append(_Cand(m.start(), m.end(), day=today, hint="pm"))
        elif key.startswith("later"):  # "later today at 7" at 17:30 is 19:00: still ahead
            found.append(_Cand(m.start(), m.end(), day=today, hint="ahead"))
        elif key.startswith(("tod", "end", "eod")):
            found.append(_Cand(m.start(), m.end(), day=today))
        elif key == "yesterday":
            found.append(_Cand(m.start(), m.end(), day=today - timedelta(days=1)))
        else:
            found.append(_Cand(m.start(), m.end(), day=today + timedelta(days=1)))
    for m in _matches(_P_PART, low, found):
        pre, part = m.group("pre"), re.sub(r"\s+", " ", m.group("p"))
        clock = _PART_CLOCK.get(part)
        hint = _PART_HINT.get(part)
        cand = _Cand(m.start(), m.end(), clock=clock, hint=hint, part=True)
        if pre == "this":
            cand.day, cand.today_part = today, True
        elif pre is None and part in ("morning", "afternoon", "evening", "night"):
            cand.strong = False
        found.append(cand)
    for m in _matches(_P_WEEKDAY, low, found):
        wd, mod, nw = _WEEKDAYS[m.group("wd")], m.group("mod"), m.group("nw")
        if nw:
            monday = today - timedelta(days=today.weekday()) + timedelta(days=7 if "next" in nw
                                                                           else 0)
            day = monday + timedelta(days=wd)
        else:
            day = today + timedelta(days=(wd - today.weekday()) % 7 or 7)
        cand = _Cand(m.start(), m.end(), day=day)
        if not mod and not nw:
            cand.strong = False
            cand.needs_connector = m.group("wd") in _WORDLIKE_WEEKDAYS
        found.append(cand)
    for m in _matches(_P_HOLIDAY, low, found):
        name = next(key for key, value in m.groupdict().items() if value is not None)
        _, month, day_of_month, needs_connector = _HOLIDAYS[int(name[1:])]
        got = _month_day(today, month, day_of_month, None)
        if got is not None and _previous_word(low, m.start()) not in _NOT_BEFORE_A_HOLIDAY:
            found.append(_Cand(m.start(), m.end(), day=got, strong=False,
                               needs_connector=needs_connector, holiday=True))  # fmt: skip
    for m in _matches(_P_PERIOD, low, found):
        name = m.group("per")
        found.append(_Cand(m.start(), m.end(), day=_period(name, today), strong=name != "weekend"))
    for pattern in (_P_MONTH_DAY, _P_DAY_MONTH):
        for m in _matches(pattern, low, found):
            day_num = _day_number(m.group("d"))
            year = int(m.group("y")) if m.group("y") else None
            if day_num is None:
                continue
            got = _month_day(today, _MONTHS[m.group("mon")], day_num, year)
            if got is not None:
                found.append(_Cand(m.start(), m.end(), day=got))
    for m in _matches(_P_ISO, low, found):
        got = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if got is None:
            continue
        cand = _Cand(m.start(), m.end(), day=got)
        if m.group("h") and int(m.group("h")) < 24 and int(m.group("mi")) < 60:
            cand.clock = (int(m.group("h")), int(m.group("mi")))
        found.append(cand)
    for m in _matches(_P_US, low, found):
        a, b = int(m.group("a")), int(m.group("b"))
        month, day_num = (a, b) if a <= 12 else (b, a)
        year_text = m.group("y")
        year = None
        if year_text:
            year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        got = _month_day(today, month, day_num, year)
        if got is not None:
            found.append(_Cand(m.start(), m.end(), day=got))
    # 15.10.2026: day first, as written where dots are used
    for m in _matches(_P_DOTTED, low, found):
        got = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if got is not None:
            found.append(_Cand(m.start(), m.end(), day=got))
    for m in _matches(_P_DOM_OF_MONTH, low, found):
        day_num = _day_number(re.sub(r"(?<=\d)(?:st|nd|rd|th)$", "", m.group("d")))
        first = today.replace(day=1)
        start = first if m.group("rel") == "this" else add_months(first, 1, 1)
        got = _safe_date(start.year, start.month, day_num) if day_num else None
        if got is not None:
            found.append(_Cand(m.start(), m.end(), day=got))
    for m in _matches(_P_DOM, low, found):
        text = m.group("d") or m.group("d2") or m.group("d3")
        day_num = _day_number(text) if text else None
        got = _next_day_of_month(today, day_num) if day_num else None
        if got is not None:
            found.append(_Cand(m.start(), m.end(), day=got))
    for m in _matches(_P_AMPM, low, found):
        hour = _hour(m.group("h"))
        minute = int(m.group("m") or 0)
        if hour is None or not 0 <= hour <= 12:
            continue
        if m.group("ap") == "p" and hour < 12:
            hour += 12
        elif m.group("ap") == "a" and hour == 12:
            hour = 0
        found.append(_Cand(m.start(), m.end(), clock=(hour, minute)))
    for m in _matches(_P_24H, low, found):
        text = m.group("h")
        hour = int(text)
        bare = 1 <= hour <= 12 and not text.startswith("0")
        found.append(_Cand(m.start(), m.end(), clock=(hour, int(m.group("m"))), bare_hour=bare))
    for pattern in (_P_AT, _P_OCLOCK):
        for m in _matches(pattern, low, found):
            hour = _hour(m.group("h"))
            if hour is None or hour > 23:
                continue
            found.append(_Cand(m.start(), m.end(), clock=(hour, 0), bare_hour=1 <= hour <= 12))
    for m in _matches(_P_QUARTER, low, found):
        hour = _hour(m.group("h"))
        if hour is None or not 1 <= hour <= 12:
            continue
        minutes = 30 if m.group("q") == "half" else 15
        if m.group("dir") == "to":
            hour, minutes = (hour - 1) or 12, 60 - minutes
        found.append(_Cand(m.start(), m.end(), clock=(hour, minutes), bare_hour=True))
    return found


def _without_overlaps(cands: list[_Cand]) -> list[_Cand]:
    kept: list[_Cand] = []
    spans = DisjointSpans()
    for cand in sorted(cands, key=lambda c: (c.start - c.end, c.start)):
        if not spans.overlaps(cand.start, cand.end):
            kept.append(cand)
            spans.add(cand.start, cand.end)
    return sorted(kept, key=lambda c: c.start)


def _previous_word(low: str, start: int) -> str:
    m = _PREV_WORD.search(low, max(0, start - 24), start)
    return m.group(1) if m else ""


def _in_end_zone(blanked: str, start: int, known: dict[int, bool]) -> bool:
    """Whether only punctuation and connectors follow ``start`` in ``blanked``.

    The text after each phrase is read up to the first stretch already read for another one
    (``known``), so that a message of hundreds of date phrases is read once, not once per phrase.
    """
    read: list[int] = []
    position = start
    while True:
        junk = _END_JUNK.match(blanked, position)
        position = junk.end() if junk else position
        if position in known:
            answer = known[position]
            break
        read.append(position)
        connector = _END_CONNECTOR.match(blanked, position)
        if position == len(blanked) or connector is None:
            answer = position == len(blanked)
            break
        position = connector.end()
    for position in read:
        known[position] = answer
    return answer


# What may follow a date said after "the" (its connectors, times, politeness, priorities, a new
# clause's first word): any other word is the noun the date qualifies ("the weekend weddings").
_AFTER_A_DATE = frozenset(
    """
    at on by before after until till til from to and or but then so if when while with for in
    of about re around morning afternoon evening night noon midday midnight lunch lunchtime
    every each next this week month year weekend pls please plz thanks thx urgent important
    asap latest earliest high low medium priority too also again maybe tho though lol ok okay
    hopefully ideally probably prob definitely def sometime anyway preferably ish sharp
    instead either as because since cuz coz bc i we you he she they it its it's my our is are
    was will would should must need needs have has can could dont don't the a an
    """.split()
)
_NEXT_WORD = re.compile(r"\s([a-z']+)")


def _qualifies_a_noun(low: str, cand: _Cand) -> bool:
    """Whether a date after "the" runs straight into the noun it qualifies: "check the forecast
    for the weekend weddings", "prep for the friday meeting", "fix the light on the 15th floor"
    name a thing, not a day; so does a holiday before a noun ("buy christmas cards", "book the
    new year's eve dinner")."""
    if not (cand.holiday or low.startswith("the ", cand.start)
            or _previous_word(low, cand.start) == "the"):  # fmt: skip
        return False  # (a holiday qualifies a noun without "the": "christmas cards")
    after = _NEXT_WORD.match(low, cand.end)
    if after is None:
        return False
    word = after.group(1)
    if cand.holiday and word == "lunch":
        return True  # "christmas lunch" is a meal, as "christmas dinner" is
    return len(word) >= 3 and word not in _AFTER_A_DATE and word not in _WEEKDAYS and (
        word not in _MONTHS
    )


# Words before which "sun", "wed", "sat", "mon" are the words they also are: "in the sun", "on a
# wed", "we got wed", "she sat", "c'mon".
_NOT_BEFORE_A_SHORT_DAY = frozenset(
    """
    the a an some any this that my your his her our their its get got gets getting be been
    being to i we you he she they it who just never c come
    """.split()
)
_CLOCK_NEXT = re.compile(r"[\s,]*(?P<at>(?:at|@)\s*)?")
_WORDS_BEFORE_A_LAST_DAY = 3  # "the cat sat" is no task with its day: a title comes first
_LAST_PUNCT = " .!?,"


def _wordlike_day_said(low: str, cand: _Cand, cands: list[_Cand]) -> bool:
    """Whether a short day name that is a word too ("wed", "sat", "sun", "mon"), said with no
    connector, is the day: right before a clock time ("study group wed at 4pm", "pick up the
    garcias sat 3:45pm"), or last in a message that names a task first ("grab diapers at target
    wed"). Never after a determiner, a pronoun or "get" ("the sun", "on a wed", "got wed")."""
    prev = _previous_word(low, cand.start)
    if prev in _NOT_BEFORE_A_SHORT_DAY or not prev:
        return False
    gap = _CLOCK_NEXT.match(low, cand.end)
    starts = {gap.end(), gap.start("at")} if gap is not None else set()  # "at" in the clock or not
    if any(o.start in starts and o.clock is not None and not o.part for o in cands):
        return True
    # last means last: "the cat sat in the sun" is no day with words after it
    return (len(low[: cand.start].split()) >= _WORDS_BEFORE_A_LAST_DAY
            and not low[cand.end :].strip(_LAST_PUNCT))  # fmt: skip


def _accept(low: str, cands: list[_Cand]) -> list[_Cand]:
    cands = [c for c in cands if not _qualifies_a_noun(low, c)]
    accepted = [c for c in cands if c.strong]
    chars = list(low)
    for cand in cands:
        chars[cand.start : cand.end] = " " * (cand.end - cand.start)
    blanked = "".join(chars)  # every phrase blanked: what is left after one is the end zone
    end_zone: dict[int, bool] = {}
    for cand in cands:
        if cand.strong:
            continue
        prev = _previous_word(low, cand.start)
        if prev == "every":
            continue  # recurring ("every Monday") is not a due date; leave it in the title
        ok = prev in _CONNECTORS
        if not ok and cand.needs_connector and not cand.holiday:
            ok = _wordlike_day_said(low, cand, cands)
        if not ok and not cand.needs_connector:
            ok = _in_end_zone(blanked, cand.end, end_zone)
            if not ok and cand.part:
                ok = any(o.day is not None and low[o.end : cand.start].strip() == ""
                         for o in accepted)
        if ok:
            accepted.append(cand)
    if any(c.day is not None and not c.holiday for c in accepted):
        # "book dinner for valentines on feb 14": the holiday names the occasion, the date is
        # the day said
        accepted = [c for c in accepted if not c.holiday]
    return sorted(accepted, key=lambda c: c.start)


def _format(day: date, clock: tuple[int, int] | None) -> str:
    if clock is None:
        return day.isoformat()
    return f"{day.isoformat()}T{clock[0]:02d}:{clock[1]:02d}"


def _extend_left(low: str, start: int) -> int:
    m = _LEAD_CONNECTOR.search(low, max(0, start - 40), start)
    return m.start() if m else start


def find_when(low: str, now: datetime, *, day: date | None = None) -> When:
    """Find the date/time phrases in lower-cased ``low`` and resolve them against ``now``.

    Returns the due value (``None`` when no phrase was found) and the spans to cut out of a
    title, each widened to swallow the connector before it ("on Friday", "due March 5", "at 3pm").
    ``day`` is the day a time alone falls on (a repeat's first day), instead of the next one.
    """
    candidates = _candidates(low, now)
    found = _without_overlaps(candidates)
    if len(candidates) > _MOST_CANDIDATES or len(found) > _MOST_PHRASES:
        return When(None)
    cands = _accept(low, found)
    if not cands:
        return When(None)
    spans = tuple((_extend_left(low, c.start), c.end) for c in cands)
    exact = next((c.exact for c in cands if c.exact is not None), None)
    if exact is not None:
        return When(exact.strftime("%Y-%m-%dT%H:%M"), spans)
    days = [c for c in cands if c.day is not None and not c.today_part]
    if len(days) > 1:
        # "move it from Friday to Monday": the date after "from" is the old one.
        later = [c for c in days if _previous_word(low, c.start) != "from"]
        days = later or days
    day_cand = days[0] if days else next((c for c in cands if c.today_part), None)
    hint = next((c.hint for c in cands if c.hint), None)
    clocks = [c for c in cands if c.clock is not None and not c.part]
    clocks += [c for c in cands if c.clock is not None and c.part]
    clock: tuple[int, int] | None = None
    if clocks:
        chosen = clocks[0]
        clock = chosen.clock
        if clock is not None and chosen.bare_hour:
            hour, minute = clock
            if hint == "pm" and hour < 12:
                hour += 12
            elif hint != "am" and 1 <= hour <= 6:
                hour += 12
            elif hint == "ahead" and hour < 12 and (hour, minute) <= (now.hour, now.minute):
                hour += 12
            clock = (hour, minute)
    if day_cand is not None and day_cand.day is not None:
        return When(_format(day_cand.day, clock), spans)
    if clock is None:
        return When(None, spans)
    if day is not None:
        return When(_format(day, clock), spans)
    today = now.date()
    ahead = (clock[0], clock[1]) > (now.hour, now.minute)
    return When(_format(today if ahead else today + timedelta(days=1), clock), spans)


# --- repeats and relative moves ---

_EVERY_N = _alternation(
    w for w in _NUMBER_WORDS if w not in ("a", "an", "couple", "few", "several")
)
_P_REPEAT = Guarded(
    # "on the 1st of every month": "of" belongs to the repeat phrase, not to the title
    r"\b(?:(?:of\s+)?(?:every|each)\s+(?P<unit>day|weekday|work\s*day|business\s+day|week|month|year|"
    rf"(?P<wd>{_WD}))|(?P<adv>daily|weekly|monthly|yearly|annually|weekdays)|on\s+(?P<wds>"
    r"mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)|"
    # "every morning": daily; only "every" is the repeat phrase, the part of the day is left to
    # be read as a time of day ("every evening at 7" is 19:00)
    r"(?:every|each)\s+(?=(?P<part>morning|afternoon|evening|night)\b)|"
    # "every 2 weeks", "every other day": an interval
    rf"every\s+(?P<n>\d{{1,3}}|other|second|{_EVERY_N})\s+"
    r"(?P<units>days|weeks|months|years|day|week|month|year))\b",
    needles=("every", "each", "daily", "weekly", "monthly", "yearly", "annually", "days"),
)


@dataclass(frozen=True)
class Repeat:
    """A repeat phrase: the repeat word, the first day it implies (if any) and its span."""

    value: str
    first: date | None
    span: tuple[int, int]
    named_day: bool = False  # "every Friday" names a day; "every day" does not
    interval: int | None = None  # "every 2 weeks": 2


def find_repeat(low: str, now: datetime) -> Repeat | None:
    """Find "every Monday", "daily", "every weekday", ... in lower-cased ``low``."""
    m = _P_REPEAT.search(low)
    if m is None:
        return None
    today = now.date()
    if m.group("units"):
        said = m.group("n")
        n = 2 if said in ("other", "second") else _number(said)
        if n is None or not 1 <= n <= 1000:
            return None
        every = {"d": "daily", "w": "weekly", "m": "monthly", "y": "yearly"}[m.group("units")[0]]
        # Only a series of days starts today by itself; the others need a day said.
        first = today if every == "daily" else None
        return Repeat(every, first, m.span(), interval=n if n > 1 else None)
    unit = re.sub(r"\s+", " ", m.group("unit") or m.group("adv") or "")
    weekday = m.group("wd") or (m.group("wds") or "")[:-1]
    if weekday:
        day = _WEEKDAYS[weekday]
        first = today + timedelta(days=(day - today.weekday()) % 7 or 7)
        return Repeat("weekly", first, m.span(), named_day=True)
    if unit in ("day", "daily") or m.group("part"):
        return Repeat("daily", today, m.span())
    if unit in ("weekday", "weekdays", "work day", "workday", "business day"):
        first = today if today.weekday() < 5 else today + timedelta(days=7 - today.weekday())
        return Repeat("weekdays", first, m.span())
    value = {"week": "weekly", "month": "monthly", "year": "yearly", "annually": "yearly"}
    return Repeat(value.get(unit, unit), None, m.span())


_SHIFT_UNITS = r"hours?|hrs?|days?|weeks?|wks?|months?|fortnights?"
_SHIFT_UNIT_WORDS = ("hour", "hr", "day", "week", "wk", "month", "fortnight")
_SHIFT_AMOUNT = rf"(?P<n>{_NUM})\s+(?P<u>{_SHIFT_UNITS})"
_P_SHIFT = Guarded(
    rf"\b(?P<pre>back|forward|ahead|out|up|later|earlier|by)\s+(?:by\s+)?(?:another\s+)?"
    rf"{_SHIFT_AMOUNT}(?:\s+(?P<post>later|earlier|back|forward|sooner))?\b"
    rf"|(?<!\bin\s)\b(?P<n2>{_NUM})\s+(?P<u2>{_SHIFT_UNITS})\s+"
    r"(?P<post2>later|earlier|back|forward|sooner)\b"
    r"|\b(?P<rel>(?:to\s+)?the\s+(?:next\s+day|day\s+after|day\s+before)(?!\s+(?:tomorrow|"
    r"tmrw|yesterday)))\b",
    needles=_SHIFT_UNIT_WORDS,
)
# A bare amount at the end, for verbs that say the direction themselves ("postpone X a week",
# "delay it two days"): anywhere else "a week" may be part of a title ("plan a week off").
_P_BARE_SHIFT = Guarded(
    rf"(?:\b(?:for|by)\s+)?(?:another\s+)?(?<![\w'])(?P<n>{_NUM})\s+(?P<u>{_SHIFT_UNITS})$",
    needles=_SHIFT_UNIT_WORDS,
)
# "move it up a day" brings it forward, as "bump up" does.
_EARLIER = frozenset({"forward", "ahead", "up", "earlier", "sooner", "before"})


def find_shift(
    low: str, *, earlier: bool = False, bare: bool = False
) -> tuple[Shift, tuple[int, int]] | None:
    """A move by an amount ("back a day", "by 3 days", "forward a week", "to the day after").

    ``earlier`` is what the verb implies ("bring forward") when the phrase does not say;
    ``bare`` accepts an amount alone at the end ("postpone X a week"), for a verb that says
    which way.
    """
    m = _P_SHIFT.search(low)
    if m is None and bare:
        m = _P_BARE_SHIFT.search(low.rstrip())
    if m is None:
        return None
    said = m.groupdict()
    if said.get("rel"):
        sign = -1 if "before" in said["rel"] else 1
        return Shift(days=sign), m.span()
    n = _number(said.get("n") or said.get("n2") or "")
    if n is None or n > 999:
        return None
    words = {said.get("pre"), said.get("post"), said.get("post2")}
    backwards = bool(words & _EARLIER) or (earlier and not words & {"back", "later", "out"})
    sign = -1 if backwards else 1
    unit = said.get("u") or said.get("u2") or "d"
    if unit.startswith("m"):
        return Shift(months=sign * n), m.span()
    if unit.startswith("h"):
        return Shift(hours=sign * n), m.span()
    days = {"d": 1, "w": 7, "f": 14}[unit[0]] * n
    return Shift(days=sign * days), m.span()

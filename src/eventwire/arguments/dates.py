"""Dates: every date expression of a sentence, resolved against the publication day.

Weekday names are handled here, not by dateparser: a news weekday is the most recent such day on or
before publication ("Wednesday" in a Wednesday article is that day; dateparser's PREFER_DATES_FROM=past
gives the week before), and "overnight between Tuesday and Wednesday" is the Tuesday. Explicit and
relative phrases ("May 15", "October 8", "two days ago") go to dateparser, with a date after
publication moved back a year.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..annotate import entities

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_RE = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.I)
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
NOT_A_DATE = re.compile(
    r"^(?:since|every|each|for|during the past|the past|past|recent|in recent|over the|over|the last|all)\b|"
    r"\b(?:years?|decades?|months|weeks|days|hours)\b(?! ago)", re.I)
SAME_DAY = re.compile(r"\b(?:today|this (?:morning|afternoon|evening)|tonight|earlier today|later today)\b", re.I)
DAY_BEFORE = re.compile(r"\b(?:yesterday|last night|overnight|the previous day|the day before)\b", re.I)
THIS_WEEK = re.compile(r"\b(?:this week|earlier this week)\b", re.I)
LAST_WEEK = re.compile(r"\blast week\b", re.I)
THIS_MONTH = re.compile(r"\b(?:this month|earlier this month)\b", re.I)
LAST_MONTH = re.compile(r"\blast month\b", re.I)
DAYS_AGO = re.compile(r"\b(\w+) days? ago\b", re.I)
YEAR_ONLY = re.compile(r"^(?:in |of |since )?(?:early |late |mid-?)?((?:19|20)\d\d)$", re.I)
MONTH_ONLY = re.compile(r"^(?:in |of )?(?:early |late |mid-?)?(" + "|".join(MONTHS) + r")(?:,? ((?:19|20)\d\d))?$", re.I)
SMALL = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "a": 1}


@dataclass(frozen=True)
class DateValue:
    date: dt.date
    precision: str  # day | week | month | year


PART_OF_DAY = re.compile(r"^(?:on |in |during )?(?:the )?(?:early |late |small )?"
                         r"(?:night|morning|evening|afternoon|hours|dawn|early hours)(?: hours)? of ", re.I)


def resolve(expr: str, published: dt.date) -> Optional[DateValue]:
    """Resolve one date expression, or None for durations, periods and habits ("every week").
    A part of the day is that day: "the night of 28 September 2015" is 28 September 2015."""
    text = PART_OF_DAY.sub("", " ".join(expr.split()).strip(" ,."))
    low = text.lower()
    if not low or NOT_A_DATE.search(low):
        return None
    days = WEEKDAY_RE.findall(low)
    if days:
        return DateValue(last_weekday(days[0].lower(), published), "day")
    if SAME_DAY.search(low):
        return DateValue(published, "day")
    if DAY_BEFORE.search(low):
        return DateValue(published - dt.timedelta(days=1), "day")
    if THIS_WEEK.search(low):
        return DateValue(published, "week")
    if LAST_WEEK.search(low):
        return DateValue(published - dt.timedelta(days=7), "week")
    if THIS_MONTH.search(low):
        return DateValue(published, "month")
    if LAST_MONTH.search(low):
        return DateValue((published.replace(day=1) - dt.timedelta(days=1)).replace(day=15), "month")
    m = DAYS_AGO.search(low)
    if m:
        n = SMALL.get(m.group(1)) or (int(m.group(1)) if m.group(1).isdigit() else None)
        return DateValue(published - dt.timedelta(days=n), "day") if n else None
    m = YEAR_ONLY.match(low)
    if m:
        year = int(m.group(1))
        return DateValue(dt.date(year, 1, 1), "year") if year <= published.year else None
    m = MONTH_ONLY.match(low)
    if m:
        month = MONTHS.index(m.group(1).lower()) + 1
        year = int(m.group(2)) if m.group(2) else published.year
        if not m.group(2) and month > published.month:
            year -= 1
        return DateValue(dt.date(year, month, 1), "month")
    return _dateparser(low, published)


@lru_cache(maxsize=4096)
def _dateparser(text: str, published: dt.date) -> Optional[DateValue]:
    if not re.search(r"\d|" + "|".join(MONTHS), text):
        return None
    import dateparser

    base = dt.datetime(published.year, published.month, published.day, 12)
    try:
        value = dateparser.parse(text, languages=["en"], settings={
            "RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day"],
            "RETURN_AS_TIMEZONE_AWARE": False})
    except Exception:  # dateparser raises on odd inputs; an unparsable phrase is just not a date
        return None
    if value is None:
        return None
    d = value.date()
    if d > published + dt.timedelta(days=1):
        try:
            d = d.replace(year=d.year - 1)
        except ValueError:
            return None
    return DateValue(d, "day")


def last_weekday(name: str, published: dt.date) -> dt.date:
    delta = (published.weekday() - WEEKDAYS.index(name)) % 7
    return published - dt.timedelta(days=delta)


def expressions(sent, published: dt.date) -> list[tuple[object, DateValue]]:
    """(span, value) for each resolvable date expression in a spaCy sentence."""
    out, covered = [], set()
    for ent in entities(sent):
        if ent.label_ in ("DATE", "TIME"):
            value = resolve(_with_prep(ent), published)
            covered.update(range(ent.start, ent.end))
            if value:
                out.append((ent, value))
    for tok in sent:  # weekday names the NER missed
        if tok.i not in covered and tok.lower_ in WEEKDAYS:
            out.append((sent.doc[tok.i: tok.i + 1], DateValue(last_weekday(tok.lower_, published), "day")))
    return out


def _with_prep(ent) -> str:
    """Keep a governing "since"/"for" so that periods are recognised as such, and a day number the
    NER cut off."""
    doc = ent.doc
    prev = doc[ent.start - 1] if ent.start > 0 else None
    if prev is not None and prev.lower_ in ("since", "for", "every", "during"):
        return f"{prev.text} {ent.text}"
    if prev is not None and prev.text.isdigit() and 1 <= int(prev.text) <= 31 and \
            ent.text.split()[0].lower() in MONTHS:
        return f"{prev.text} {ent.text}"  # "the night of 28 | September 2015": the NER left the day out
    return ent.text

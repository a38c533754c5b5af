"""The dates stage: when each event happened, and how precisely the text says so.

DATE entities are parsed one by one with dateparser against the publication date
("on Thursday" in a Saturday paper is two days before). The date of an event is
the DATE attached to its own clause, else the sentence's only DATE, else the
publication date, marked as a fallback.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

import dateparser
from spacy.tokens import Span, Token

from whimbrel.records import EventDate

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
DAY_WORDS = re.compile(r"\b(today|tonight|yesterday|tomorrow|this morning|last night|ago|"
                       + "|".join(WEEKDAYS) + r")\b|\b\d{1,2}(st|nd|rd|th)?\b(?!\d)", re.IGNORECASE)
MONTH_WORDS = re.compile(rf"\b({MONTHS})[a-z]*\.?\b|\bmonth\b", re.IGNORECASE)
YEAR_ONLY = re.compile(r"\b(1[89]\d\d|20\d\d)\b|\byear\b", re.IGNORECASE)
# Spans of time rather than points in it: "three years", "decades", "the fall of this year",
# "about 7 weeks", "within 48 hours"; and counts of days of something ("for the 5th day",
# "its 4th month", "the second day in a row"), which dateparser would read as a date.
_HEDGE = r"^(about |around |nearly |almost |some |over |more than |less than |at least |within |for |in )*"
DURATION = re.compile(_HEDGE + r"(the )?(past |last |next |first |coming )?(\w+ )?"
                      r"(years|months|weeks|days|decades|centuries|hours)$"
                      r"|" + _HEDGE + r"(a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|"
                      r"\d+)\s+(year|month|week|day|decade|hour)s?$"
                      r"|\b(fall|spring|summer|winter|season|decade|century|era|period)\b"
                      r"|\b(\d+(st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
                      r"\s+(consecutive\s+|successive\s+)?(day|week|month|year)\b", re.IGNORECASE)
# All-numeric dates ("08/03/2016"): month first unless that puts them after publication.
NUMERIC_DATE = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$")

SETTINGS = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}


def precision_of(text: str) -> str | None:
    """day, month or year: what the words of a date expression pin down."""
    if DAY_WORDS.search(text) and not re.fullmatch(r"\s*(in |of )?(1[89]\d\d|20\d\d)\s*", text):
        return "day"
    if MONTH_WORDS.search(text):
        return "month"
    if YEAR_ONLY.search(text):
        return "year"
    return None


@lru_cache(maxsize=4096)
def resolve_date(text: str, published: date | None, future: bool = False) -> EventDate | None:
    """An EventDate for one DATE expression, relative to the publication date."""
    cleaned = re.sub(r"^(on|in|during|since|by|from|until|at)\s+", "", text.strip(), flags=re.IGNORECASE)
    if DURATION.search(cleaned) and "ago" not in cleaned.lower():
        return None
    precision = precision_of(cleaned)
    if precision is None:
        return None
    base = datetime.combine(published or date.today(), datetime.min.time())
    settings = dict(SETTINGS, RELATIVE_BASE=base, PREFER_DATES_FROM="future" if future else "past")
    parsed = dateparser.parse(cleaned, settings=settings, languages=["en"])
    if parsed is None:
        return None
    value = parsed.date()
    if published and value > published and NUMERIC_DATE.match(cleaned):
        day_first = dateparser.parse(cleaned, settings=dict(settings, DATE_ORDER="DMY"), languages=["en"])
        if day_first is not None and day_first.date() <= published:
            value = day_first.date()
    if published and cleaned.lower() in WEEKDAYS and WEEKDAYS[published.weekday()] == cleaned.lower():
        value = published  # "on Saturday" in Saturday's paper is today
    formats = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
    return EventDate(value.strftime(formats[precision]), precision, text)


def publication_fallback(published: date | None) -> EventDate | None:
    if published is None:
        return None
    return EventDate(published.isoformat(), "day", None, fallback=True)


def story_date(parsed, published: date | None) -> EventDate | None:
    """The date of a short story such as a headline: a date its lead states, else the
    publication date (as a fallback).

    The lead is the first sentence up to a semicolon: feeds join several headlines
    with ";", and the later ones ("... were killed yesterday") tell of other days.
    A stated date after publication is not the date of something reported as done.
    """
    if not parsed.sentences:
        return publication_fallback(published)
    first = parsed.sentences[0]
    lead_end = first.end
    semicolon = first.text.find(";")
    if semicolon >= 0:
        lead_end = first.start + semicolon
    for text in lead_dates(first, lead_end):
        found = resolve_date(text, published)
        if found is None or (published and found.precision == "day"
                             and date.fromisoformat(found.value) > published):
            continue
        return found
    return publication_fallback(published)


def lead_dates(first, lead_end: int) -> list[str]:
    """The lead's DATE entities, and all-numeric dates the model leaves out ("Daily Report
    08/03/2016"), in order; not the start of a running count ("killed since the start of
    the month"), which says nothing of the day the story tells."""
    found = []
    for ent in first.span.ents:
        if ent.label_ != "DATE" or first.offset + ent.start_char >= lead_end:
            continue
        if counts_since(ent):
            continue
        found.append((ent.start_char, ent.text))
    taken = [(ent.start_char, ent.end_char) for ent in first.span.ents]
    for match in NUMERIC_IN_TEXT.finditer(first.span.text[:lead_end - first.offset]):
        if not any(s <= match.start() < e for s, e in taken):
            found.append((match.start(), match.group(0)))
    return [text for _, text in sorted(found)]


def counts_since(ent: Span) -> bool:
    """"since March", "to 505 since the beginning of the escalation in mid-November": the
    date starts a period (a "since" governs it within its clause)."""
    if ent.text.lower().startswith("since "):
        return True
    token = ent.root
    for _ in range(6):
        if token.lower_ == "since":
            return True
        if token.head.i == token.i or token.head.pos_ in ("VERB", "AUX"):
            return token.head.lower_ == "since"
        token = token.head
    return False


NUMERIC_IN_TEXT = re.compile(r"(?<![\d/.-])\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d\d(?![\d/.-])")


def date_for_event(trigger: Token, sentence: Span, published: date | None, hypothetical: bool = False
                   ) -> EventDate:
    """The event's date from its clause, else the sentence, else the publication date."""
    dates = [ent for ent in sentence.ents if ent.label_ in ("DATE", "TIME")]
    hops = {ent: hops_to(trigger, ent.root) for ent in dates}
    attached = sorted((ent for ent in dates if hops[ent] is not None), key=hops.get)
    candidates = attached or (dates if len(dates) == 1 else [])
    for ent in candidates:
        found = resolve_date(ent.text, published, future=hypothetical)
        if found:
            return found
    return publication_fallback(published)


def hops_to(trigger: Token, token: Token) -> int | None:
    """How many steps up from ``token`` to the trigger, staying in its clause (None: not its clause)."""
    for hops in range(7):
        if token.i == trigger.i:
            return hops
        if token.head.i == token.i:
            return None
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass"):
            return None
        token = token.head
    return None

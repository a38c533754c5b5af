"""Reading one actor phrase: its head, sector, country, named entity and person.

"French Foreign Minister Laurent Fabius" -> FRA GOV "Laurent Fabius". The phrase's lexicon
matches are split into a core and what follows it; the head is the last role word before an
"of"/"from" complement; a generic head ("officials", "spokesman", "committee") takes the sector
of what modifies it ("rebel spokesman", "Hamas officials", "the doctors' committee").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from whimbrel.knowledge.actor_lexicon import (
    Entry, Lexicon, Match, Word, _NAME_PARTICLES, find_matches, phrase_key, tokenize,
)
from whimbrel.records import Actor

# Words after which a phrase stops describing its head: "troops in Mali" are not Malian.
_CUT_WORDS = frozenset("""in into inside at on near against with without for by over after before during
toward towards across around outside under between among amid via who whom which that whose where when
while as than said says say told tells reported according""".split())
# Complements that still say whose the head is: "president of Armenia", "envoy from Qatar".
_COMPLEMENT_WORDS = frozenset({"of", "from"})
# For these heads "to" names the employer, not a destination: "adviser to the U.S. military".
_TO_EMPLOYER_HEADS = frozenset({"adviser", "advisers", "advisor", "advisors", "aide", "aides",
                                "consultant", "consultants", "assistant", "counsel", "spokesman",
                                "spokesmen", "spokeswoman", "spokesperson", "spokespeople"})
# An office holder who no longer holds office is coded as an elite (CAMEO/PLOVER ELI).
_FORMER_WORDS = frozenset({"former", "ex", "ousted", "deposed", "exiled", "onetime", "erstwhile", "retired", "toppled"})
_FORMER_SECTORS = frozenset({"GOV", "MIL", "LEG", "JUD", "COP"})
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "some", "several", "many",
                          "two", "three", "four", "five", "both", "all", "other", "these", "those", "this",
                          "that", "new", "senior", "top", "high", "ranking", "high-ranking", "chief"})
_PARENTHESES = re.compile(r"\([^)]*\)")


# --------------------------------------------------------------- analysis ----

@dataclass
class Reading:
    """What one phrase says: the pieces ``code_text`` turns into an Actor."""

    country: str | None = None
    sector: str | None = None
    name: str | None = None
    person: str | None = None
    known_person: bool = False  # the person is in people.tsv

    def to_actor(self, text: str) -> Actor:
        return Actor(text=text, name=self.person or self.name, country=self.country, sector=self.sector)


def _core_end(words: list[Word], matches: list[Match]) -> int:
    """Index of the first word that ends the phrase's own description."""
    inside = {i for m in matches if m.end - m.start > 1 for i in range(m.start + 1, m.end)}
    for i, word in enumerate(words):
        if i in inside:
            continue
        if word.key in ("to", "for"):
            if any(w.key in _TO_EMPLOYER_HEADS for w in words[:i]):
                continue
            return i
        if word.key in (",", ";", ":", "--", "\u2014") or word.key in _CUT_WORDS:
            return i
        if word.key.endswith("ing") and len(word.key) > 5 and any(m.end <= i for m in matches) \
                and not any(m.start <= i < m.end for m in matches):
            return i  # "refugees fleeing ...": a participle starts a post-modifier
    return len(words)


# After these a country is a destination or an opponent, not whose the actor is.
_FOREIGN_WORDS = frozenset({"to", "against", "toward", "towards", "with", "into", "between", "among",
                            "than", "versus", "vs", "on", "over"})


def _described_by(words: list[Word], rest: list[Match]) -> list[Match]:
    """Matches of the post-modifiers that may still say where the actor is from
    ("refugees fleeing the war in Liberia"), not where it goes ("envoy to France")."""
    kept = []
    for match in rest:
        previous = next((w.key for w in reversed(words[:match.start])
                         if w.key and w.key not in _DETERMINERS and w.key != "'s"), "")
        if previous not in _FOREIGN_WORDS:
            kept.append(match)
    return kept


def _is_former(words: list[Word], before: int) -> bool:
    return any(w.key in _FORMER_WORDS or w.key.startswith("ex ") for w in words[max(0, before - 3):before])


def _person_name(words: list[Word], matches: list[Match], text: str, limit: int) -> str | None:
    """A run of capitalised words that no lexicon entry claims: a personal name."""
    claimed = {i for m in matches if m.first("org", "metonym", "country", "adjective", "people",
                                              "capital", "role", "honorific", "person")
               for i in range(m.start, m.end)}
    runs, current = [], []
    for i, word in enumerate(words[:limit]):
        after_hyphen = bool(current) and words[current[-1]].text in "-\u2010"
        is_name = (i not in claimed and word.text[:1].isupper() and word.key not in _DETERMINERS) \
            or (current and (word.key in _NAME_PARTICLES or word.text in "-'\u2019\u2010" or after_hyphen))
        if is_name and word.key != "'s":
            current.append(i)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    runs = [r for r in runs if words[r[-1]].key not in _NAME_PARTICLES and words[r[-1]].text not in "-'\u2019"]
    # Capitalised words before a role are modifiers ("Bush administration", "Kurd refugees").
    role_starts = [m.start for m in matches if m.first("role") and m.start < limit]
    runs = [r for r in runs if not any(start > r[-1] for start in role_starts)]
    # A possessor ("Hollande's") is not the actor when something follows it.
    runs = [r for r in runs if not (r[-1] + 1 < limit and words[r[-1] + 1].key == "'s"
                                    and any(w.key for w in words[r[-1] + 2:limit]))]
    if not runs:
        return None
    run = runs[-1]
    return text[words[run[0]].start:words[run[-1]].end]


def read_phrase(text: str, lexicon: Lexicon) -> Reading:
    """The reading of one actor phrase (no coordination, no story context)."""
    text = _PARENTHESES.sub(lambda m: " " * len(m.group()), text)
    words = tokenize(text)
    matches = find_matches(words, lexicon, text)
    core_end = _core_end(words, matches)
    core = [m for m in matches if m.start < core_end]
    rest = [m for m in matches if m.start >= core_end]
    reading = Reading()

    complement_at = next((i for i, w in enumerate(words[:core_end]) if w.key in _COMPLEMENT_WORDS), core_end)
    roles = [m for m in core if m.first("role")]
    pre_roles = [m for m in roles if m.start < complement_at]
    head = (pre_roles or roles or [None])[-1]
    named = [m for m in core if m.first("org", "metonym")]

    # A possessor is not the actor: in "bin Laden's al-Qaeda" the actor is al-Qaeda.
    known = [m for m in core if m.first("person") and not _is_possessor(words, m, core)]
    reading.sector = _sector(head, core, words)
    reading.country = _country(core) or _country(_described_by(words, rest))
    if named:
        entry = named[-1].first("org", "metonym")
        reading.name = entry.name
    reading.person = _person_name(words, matches, text, core_end)
    if known:  # a well-known figure: people.tsv says whose and what they are
        figure = known[-1].first("person")
        reading.person, reading.known_person = figure.name, True
        reading.country = reading.country or figure.country
        if reading.sector is None:
            former = _is_former(words, known[-1].start) and figure.sector in _FORMER_SECTORS
            reading.sector = "ELI" if former else figure.sector
    if not head and not named:
        reading.name = reading.name or _country_name(core)
    if reading.sector is None and not roles and not reading.person:
        reading.sector = _sector_without_role(core, words, core_end, lexicon)
    if core_end < len(words) and words[core_end].key == "," and (reading.sector is None or reading.country is None):
        _fill_from_apposition(reading, text[words[core_end].end:], lexicon)
    return reading


def _is_possessor(words: list[Word], match: Match, core: list[Match]) -> bool:
    following = next((w.key for w in words[match.end:] if w.key), "")
    return following == "'s" and any(m.start > match.start for m in core)


def _countries_in(matches: list[Match]) -> list[Entry]:
    return [e for m in matches for e in [m.first("country", "adjective", "people", "capital")] if e]


def _sector(head: Match | None, core: list[Match], words: list[Word]) -> str | None:
    if head is None:
        named = [m.first("org", "metonym") for m in core if m.first("org", "metonym")]
        return named[-1].sector if named else None
    entry = head.first("role")
    sector = entry.sector
    if entry.head == "generic":
        sector = _modifier_sector(head, core) or entry.sector
    elif _international_owner(head, core):
        sector = "IGO"  # "U.N. war crimes court", "NATO peacekeeping troops": organs of an IGO
    if sector in _FORMER_SECTORS and _is_former(words, head.start):
        return "ELI"
    return sector


def _international_owner(head: Match, core: list[Match]) -> bool:
    """An international organisation modifies the head and no country word does."""
    before = [m for m in core if m.end <= head.start]
    if any(m.first("country", "adjective", "people", "capital") for m in before):
        return False
    owners = [m.first("org") for m in before if m.first("org")]
    return bool(owners) and owners[-1].sector == "IGO" and owners[-1].country is None


def _modifier_sector(head: Match, core: list[Match]) -> str | None:
    """The sector of the nearest organisation or fixed role around a generic head."""
    def sector_of(match: Match) -> str | None:
        entry = match.first("org", "metonym")
        if entry and entry.sector:
            return entry.sector
        role = match.first("role")
        if role and role.sector and match is not head:
            return role.sector
        return None

    before = [m for m in core if m.end <= head.start]
    after = [m for m in core if m.start >= head.end]
    for match in reversed(before):
        if sector_of(match):
            return sector_of(match)
    for match in after:
        if sector_of(match):
            return sector_of(match)
    return None


def _country(matches: list[Match]) -> str | None:
    """An explicit country word first, then the country of a named organisation."""
    explicit = _countries_in(matches)
    if explicit:
        return explicit[0].country
    for match in matches:
        entry = match.first("org", "metonym")
        if entry and entry.country:
            return entry.country
    return None


def _country_name(core: list[Match]) -> str | None:
    for match in core:
        entry = match.first("country", "capital")
        if entry:
            return entry.name
    return None


def _has_plural(text: str, lexicon: Lexicon) -> bool:
    return any(e.kind == "people" for e in lexicon.get(phrase_key(text) + "s"))


def _sector_without_role(core: list[Match], words: list[Word], core_end: int, lexicon: Lexicon) -> str | None:
    """A phrase that is only a country word: "France" and "Washington" are governments."""
    kinds = [m.first("country", "capital", "people", "adjective") for m in core]
    kinds = [e.kind for e in kinds if e]
    if not kinds or len(kinds) != len(core):
        return None
    content = [i for i, w in enumerate(words[:core_end]) if w.key and w.key not in _DETERMINERS
               and w.key != "'s" and w.key[0].isalnum()]
    if content and content[-1] >= core[-1].end:
        return None  # "US servicemen": a head noun the lexicon does not know
    if kinds[-1] in ("country", "capital"):
        return "GOV"
    if kinds[-1] == "people":
        return "CVL"
    if kinds[-1] == "adjective" and core[-1].first("people") and not _has_plural(core[-1].text, lexicon):
        return "GOV"  # "the French" (have sent troops): the nation acting, as its government
    if kinds[-1] == "adjective" and core[-1].first("people"):
        return "CVL"  # "a Palestinian": one person
    return None


def _fill_from_apposition(reading: Reading, rest: str, lexicon: Lexicon) -> None:
    """ "Mr. Okafor, a senior policy adviser to the U.S. Army" -> USA MIL."""
    other = read_phrase(rest, lexicon)
    reading.sector = reading.sector or other.sector
    reading.country = reading.country or other.country

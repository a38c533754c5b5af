"""Code an actor phrase to country + PLOVER sector + named entity.

"French Foreign Minister Laurent Fabius" -> FRA GOV "Laurent Fabius"; "rebels" -> REB;
"the U.N. Security Council" -> IGO; "Washington" -> USA GOV; "AQIM" -> REB.

Knowledge comes from the data files beside this module: countries (countries.py),
organisations.tsv, metonyms.tsv and roles.tsv. They are folded into one lexicon of
phrases; a phrase is read by matching the longest lexicon phrases left to right,
finding its head (the last role word before an "of"/"from" complement), and taking
the sector from the head, or, for a generic head such as "officials" or
"spokesman", from what modifies it ("rebel spokesman", "Hamas officials").
"""
from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path

from whimbrel.knowledge.countries import (
    AMBIGUOUS_CAPITALS, CountryBook, DATA_DIR, english_tokenizer, fold, surface_variants,
)
from whimbrel.records import Actor

ORGANISATIONS_TSV = DATA_DIR / "organisations.tsv"
METONYMS_TSV = DATA_DIR / "metonyms.tsv"
ROLES_TSV = DATA_DIR / "roles.tsv"
PEOPLE_TSV = DATA_DIR / "people.tsv"

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
# Lower-case words that may sit inside a personal name ("Omar Hassan al-Bashir").
_NAME_PARTICLES = frozenset({"al", "el", "bin", "ibn", "bint", "abu", "de", "da", "do", "dos", "das", "del",
                             "della", "di", "du", "la", "le", "van", "von", "der", "den", "ter", "y", "ould", "ag"})
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "some", "several", "many",
                          "two", "three", "four", "five", "both", "all", "other", "these", "those", "this",
                          "that", "new", "senior", "top", "high", "ranking", "high-ranking", "chief"})
_COORDINATORS = frozenset({"and", "or", "&", "plus"})

_TOKEN = re.compile(r"\w+(?:[.'\u2019]\w+)*\.?|[^\w\s]", re.UNICODE)
_POSSESSIVE = re.compile(r"^(.+?)['\u2019]s$", re.IGNORECASE)
_ACRONYM = re.compile(r"^(?:[A-Z0-9]\.?){2,6}$|^[A-Z][A-Z0-9&+/-]{1,7}$")
_PARENTHESES = re.compile(r"\([^)]*\)")


# ---------------------------------------------------------------- lexicon ----

@dataclass(frozen=True)
class Entry:
    """What one lexicon phrase means."""

    kind: str  # country | adjective | people | capital | metonym | org | person | role | honorific
    sector: str | None = None
    country: str | None = None
    name: str | None = None
    head: str = "fixed"  # roles: fixed | generic | honorific
    title: bool = False
    exact: str | None = None  # acronyms match this exact spelling (periods removed)
    proper: bool = False  # a proper name: the text must show a capital letter


@dataclass
class Word:
    text: str
    key: str  # folded; empty for punctuation that names ignore (hyphens, periods)
    start: int
    end: int


def tokenize(text: str) -> list[Word]:
    """Words with their folded keys and character offsets; possessive 's split off."""
    words: list[Word] = []
    for match in _TOKEN.finditer(text):
        token, start = match.group(), match.start()
        possessive = _POSSESSIVE.match(token)
        if possessive and len(possessive.group(1)) > 0:
            base = possessive.group(1)
            words.append(_word(base, start))
            words.append(Word(token[len(base):], "'s", start + len(base), match.end()))
            continue
        words.append(_word(token, start))
    return words


def _word(token: str, start: int) -> Word:
    key = fold(token)
    if not key and token not in "-.'\u2019\u2010\u2013\u2014":
        key = token  # keep commas, brackets and the like as boundaries
    return Word(token, key, start, start + len(token))


def phrase_key(text: str) -> str:
    return " ".join(w.key for w in tokenize(text) if w.key)


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _aliases(row: dict[str, str], name_field: str = "name") -> list[str]:
    names = [row[name_field]] + [a for a in row.get("aliases", "").split("|")]
    return [n.strip() for n in names if n.strip()]


def _proper_entry(kind: str, alias: str, **fields) -> Entry:
    exact = alias.replace(".", "") if _ACRONYM.match(alias) else None
    proper = any(ch.isupper() for ch in alias)
    return Entry(kind, exact=exact, proper=proper, **fields)


class Lexicon:
    """Folded phrase -> meanings, with the longest phrase length for matching."""

    def __init__(self) -> None:
        self.entries: dict[str, list[Entry]] = {}
        self.longest = 1

    def add(self, text: str, entry: Entry) -> None:
        key = phrase_key(text)
        if not key:
            return
        bucket = self.entries.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)
        self.longest = max(self.longest, key.count(" ") + 1)

    def get(self, key: str) -> list[Entry]:
        return self.entries.get(key, [])


def build_lexicon(countries: CountryBook, organisations, metonyms, roles, people=()) -> Lexicon:
    lexicon = Lexicon()
    for row in people:
        for alias in _aliases(row):
            lexicon.add(alias, _proper_entry("person", alias, sector=row["sector"] or None,
                                             country=row["country"] or None, name=row["name"]))
    for country in countries:
        for alias in (country.name, *country.aliases):
            lexicon.add(_strip_the(alias),
                        _proper_entry("country", alias, country=country.iso3, name=country.name))
        for adjective in country.adjectives:
            lexicon.add(adjective, _proper_entry("adjective", adjective, country=country.iso3))
        for noun in country.people:
            lexicon.add(noun, _proper_entry("people", noun, country=country.iso3))
        for capital in country.capitals:
            if fold(capital) not in AMBIGUOUS_CAPITALS:
                lexicon.add(capital, _proper_entry("capital", capital, country=country.iso3, name=country.name))
    for row in metonyms:
        for alias in _aliases(row):
            lexicon.add(_strip_the(alias), _proper_entry("metonym", alias, sector=row["sector"] or None,
                                             country=row["country"] or None, name=row["name"]))
    for row in organisations:
        for alias in _aliases(row):
            if "(" in alias:  # "Socialist Party (France)" is a label, not a name in text
                continue
            lexicon.add(_strip_the(alias), _proper_entry("org", alias, sector=row["sector"] or None,
                                             country=row["country"] or None, name=row["name"]))
    for row in roles:
        kind = "honorific" if row["head"] == "honorific" else "role"
        lexicon.add(row["role"], Entry(kind, sector=row["sector"] or None, head=row["head"],
                                       title=row["title"] == "y"))
    return lexicon


def _strip_the(alias: str) -> str:
    """Names are matched without their article: "the Kremlin" is found as "Kremlin"."""
    return re.sub(r"^[Tt]he\s+", "", alias.strip())


# --------------------------------------------------------------- matching ----

@dataclass
class Match:
    start: int  # word indices, end exclusive
    end: int
    entries: list[Entry]
    text: str

    def first(self, *kinds: str) -> Entry | None:
        return next((e for e in self.entries if e.kind in kinds), None)


def _accepts(entry: Entry, surface: str) -> bool:
    """Case rules: acronyms exactly ("US", not "us"), proper names with a capital."""
    if entry.exact is not None:
        return surface.replace(".", "").replace(" ", "") == entry.exact.replace(" ", "")
    if entry.proper:
        return any(ch.isupper() for ch in surface)
    return True


def _singular(key: str) -> list[str]:
    if key.endswith("men"):
        return [key[:-3] + "man"]
    if key.endswith("ies"):
        return [key[:-3] + "y"]
    if key.endswith("es"):
        return [key[:-2], key[:-1]]
    if key.endswith("s"):
        return [key[:-1]]
    return []


def find_matches(words: list[Word], lexicon: Lexicon, text: str) -> list[Match]:
    """Longest lexicon phrases, left to right, over words with a key."""
    keyed = [i for i, w in enumerate(words) if w.key]
    matches: list[Match] = []
    position = 0
    while position < len(keyed):
        found = None
        for length in range(min(lexicon.longest, len(keyed) - position), 0, -1):
            idx = keyed[position:position + length]
            keys = [words[i].key for i in idx]
            surface = text[words[idx[0]].start:words[idx[-1]].end]
            entries = [e for e in lexicon.get(" ".join(keys)) if _accepts(e, surface)]
            if not entries:  # plural office words the data lists only in the singular
                for singular in _singular(keys[-1]):
                    entries = [e for e in lexicon.get(" ".join(keys[:-1] + [singular]))
                               if e.kind == "role"]
                    if entries:
                        break
            if any(e.kind != "role" for e in entries):
                entries = [e for e in entries if e.kind != "role"]  # "Security Council" is the UN's
            if entries and _against_or_for(text, words[idx[0]].start):
                entries = []  # "an anti-Syria journalist" is not Syrian
            if entries:
                found = Match(idx[0], idx[-1] + 1, entries, surface)
                position += length
                break
        if found:
            matches.append(found)
        else:
            position += 1
    return matches


def _against_or_for(text: str, start: int) -> bool:
    """Is the name at ``start`` the object of an "anti-" or "pro-" prefix?"""
    before = text[max(0, start - 5):start].lower()
    return before.endswith(("anti-", "pro-", "anti", "pro"))


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
    """ "Mr. Pham, a senior strategy adviser to the U.S. military" -> USA MIL."""
    other = read_phrase(rest, lexicon)
    reading.sector = reading.sector or other.sector
    reading.country = reading.country or other.country


# ------------------------------------------------------------------ books ----

class ActorBook:
    """Codes actor phrases and spaCy spans; also gives entity-ruler patterns."""

    def __init__(self, countries: CountryBook, organisations: list[dict], metonyms: list[dict],
                 roles: list[dict], people: list[dict] = ()):
        self.countries = countries
        self.organisations = organisations
        self.metonyms = metonyms
        self.roles = roles
        self.people = list(people)
        self.lexicon = build_lexicon(countries, organisations, metonyms, roles, self.people)

    @classmethod
    @functools.cache
    def load(cls) -> "ActorBook":
        """The book built from the shipped data files, loaded once per process."""
        return cls(CountryBook.load(), _read_tsv(ORGANISATIONS_TSV), _read_tsv(METONYMS_TSV),
                   _read_tsv(ROLES_TSV), _read_tsv(PEOPLE_TSV))

    # -- coding ------------------------------------------------------------

    def code_text(self, text: str) -> Actor:
        """Code a phrase given as text; never None (unknown text keeps its text)."""
        return read_phrase(text, self.lexicon).to_actor(text)

    def code_span(self, span, people: "PeopleMemory | None" = None) -> Actor:
        """Code a noun-phrase span; offsets are the span's own (doc characters).

        Entities help: a PERSON inside the span is the actor's name; with a
        ``PeopleMemory``, a later bare "Fabius" or "Mr. Fabius" recalls the
        country and sector learned at "French Foreign Minister Laurent Fabius".
        """
        context = span_context(span)
        text = span.text if context is None else f"{context[0]}{span.text}{context[1]}"
        reading = read_phrase(text, self.lexicon)
        known_spans = self._known_name_offsets(text) if context is None else []
        # spaCy's small model calls some countries persons ("Cote d'Ivoire"): a PERSON
        # that starts inside a known name is not one.
        persons = [ent for ent in span.ents if ent.label_ == "PERSON" and not any(
            start <= ent.start_char - span.start_char < end for start, end in known_spans)]
        if persons and not reading.name and not reading.known_person:
            reading.person = _strip_honorifics(persons[-1].text, self.lexicon)
        elif reading.person and not persons and not reading.known_person:
            # Without a PERSON entity, a capitalised run is a name only when an
            # organisation entity covers it ("Azadliq"), not a weekday or a town.
            orgs = [ent for ent in span.ents if ent.label_ in ("ORG", "NORP")]
            reading.person = orgs[-1].text if orgs and not reading.name else None
        actor = reading.to_actor(text.strip())
        if people is not None and (actor.sector is None or actor.country is None):
            remembered = people.recall(actor.name or span.text)
            if remembered is not None:
                actor.country = actor.country or remembered.country
                actor.sector = actor.sector or remembered.sector
                actor.name = remembered.name or actor.name
        if people is not None and persons and actor.name and (actor.sector or actor.country):
            people.learn(span, actor)
        actor.start, actor.end = span.start_char, span.end_char
        return actor

    def _known_name_offsets(self, text: str) -> list[tuple[int, int]]:
        words = tokenize(text)
        return [(words[m.start].start, words[m.end - 1].end) for m in find_matches(words, self.lexicon, text)
                if m.first("country", "org", "metonym", "capital", "adjective", "people")]

    def split_compound(self, span) -> list:
        """Coordinated actors as separate spans; a single actor gives ``[span]``.

        "France and Britain" -> [France, Britain]. For shared words ("Hungarian and
        Romanian officials", "the foreign ministers of France and Germany") each
        part is the conjunct's span, and ``span_context(part)`` gives the shared
        words that ``code_span`` reads with it.
        """
        parts = split_coordination(span, self._protected_tokens(span))
        if len(parts) > 1 and not all(self._names_an_actor(part) for part in parts):
            return [span]  # "the minister of trade and industry" is one actor
        return parts

    def _names_an_actor(self, part) -> bool:
        if any(ent.label_ in ("PERSON", "ORG", "GPE", "NORP") for ent in part.ents):
            return True
        if any(t.pos_ in ("PROPN", "PRON") for t in part):
            return True
        return bool(find_matches(tokenize(part.text), self.lexicon, part.text))

    def code_compound(self, span, people: "PeopleMemory | None" = None) -> list[Actor]:
        """``split_compound`` then ``code_span`` on each part."""
        return [self.code_span(part, people) for part in self.split_compound(span)]

    def _protected_tokens(self, span) -> dict[int, int]:
        """Token index -> number of the known multiword name it is in ("Bosnia and Herzegovina")."""
        words = tokenize(span.text)
        protected_chars: list[tuple[int, int]] = []
        for match in find_matches(words, self.lexicon, span.text):
            if match.end - match.start > 1 and match.first("country", "org", "metonym", "capital"):
                protected_chars.append((words[match.start].start, words[match.end - 1].end))
        for ent in span.ents:
            if ent.label_ in ("ORG", "FAC", "WORK_OF_ART", "EVENT", "LAW") and \
                    any(t.lower_ in _COORDINATORS for t in ent):
                protected_chars.append((ent.start_char - span.start_char, ent.end_char - span.start_char))
        protected: dict[int, int] = {}
        for token in span:
            offset = token.idx - span.start_char
            for number, (start, end) in enumerate(protected_chars):
                if start <= offset < end:
                    protected[token.i] = number
        return protected

    # -- entity ruler --------------------------------------------------------

    def ruler_patterns(self) -> list[dict]:
        """EntityRuler patterns: organisations (armed groups too) as ORG, seats of
        power as ORG or FAC; the ``id`` is the organisation's canonical name."""
        tokenize_spacy = english_tokenizer()
        patterns, seen = [], set()

        def add(label: str, alias: str, ident: str) -> None:
            forms = surface_variants(alias)
            if alias[:1].islower():  # "al-Qaeda" opens a sentence as "Al-Qaeda"
                forms += [f[:1].upper() + f[1:] for f in forms]
            for form in forms:
                orths = tuple(t.text for t in tokenize_spacy(form))
                if orths and (label, orths) not in seen:
                    seen.add((label, orths))
                    patterns.append({"label": label, "pattern": form, "id": ident})

        for row in self.organisations:
            for alias in _aliases(row):
                if "(" not in alias:
                    add("ORG", re.sub(r"^the\s+", "", alias), row["name"])
        for row in self.metonyms:
            for alias in _aliases(row):
                if "(" not in alias:
                    add(row["label"] or "ORG", re.sub(r"^the\s+", "", alias), row["name"])
        return patterns


def _strip_honorifics(name: str, lexicon: Lexicon) -> str:
    words = tokenize(name)
    drop = 0
    for match in find_matches(words, lexicon, name):
        if match.start == drop and match.first("honorific", "role"):
            drop = match.end
        else:
            break
    if drop >= len(words):
        return name
    return name[words[drop].start:].strip()


# ------------------------------------------------------------ coordination ----

_CONTEXT_ATTR = "whimbrel_actor_context"


def span_context(span) -> tuple[str, str] | None:
    """The shared words ``split_compound`` attached to a part, as (before, after)."""
    from spacy.tokens import Span

    if not Span.has_extension(_CONTEXT_ATTR):
        return None
    return getattr(span._, _CONTEXT_ATTR)


def _set_context(part, before: str, after: str) -> None:
    from spacy.tokens import Span

    if not Span.has_extension(_CONTEXT_ATTR):
        Span.set_extension(_CONTEXT_ATTR, default=None)
    setattr(part._, _CONTEXT_ATTR, (before, after) if (before or after) else None)


def _depth(token, span) -> int:
    depth = 0
    while token.head.i != token.i and span.start <= token.head.i < span.end:
        token = token.head
        depth += 1
    return depth


_NOMINAL = frozenset({"NOUN", "PROPN", "ADJ", "PRON", "NUM", "X"})
_PART_EDGES = frozenset({"cc", "punct", "preconj"})


def split_coordination(span, protected: dict[int, int]) -> list:
    """Split a span at its highest nominal coordination (spaCy's ``conj`` arcs).

    Each part is a span of the conjunct and its own dependents; the words that
    all conjuncts share ("officials" in "Hungarian and Romanian officials") are
    attached to each part with ``span_context``.
    """
    inside = range(span.start, span.end)
    def inside_one_name(token) -> bool:  # "and" of "Trinidad and Tobago" coordinates nothing
        return token.i in protected and protected.get(token.head.i) == protected[token.i]

    anchors = [t.head for t in span if t.dep_ == "conj" and t.head.i in inside and not inside_one_name(t)]
    if not anchors:
        return [span]
    anchor = min(anchors, key=lambda t: (_depth(t, span), t.i))
    anchor_name = protected.get(anchor.i)
    members = sorted([anchor, *[c for c in anchor.conjuncts if c.i in inside
                                and (anchor_name is None or protected.get(c.i) != anchor_name)]],
                     key=lambda t: t.i)
    if len(members) < 2 or any(m.pos_ not in _NOMINAL for m in members):
        return [span]
    doc = span.doc
    subtrees = {m.i: {t.i for t in m.subtree if t.i in inside} for m in members}
    parts = []
    for member in members:
        own = set(subtrees[member.i])
        for other in members:
            if other.i != member.i and other.i in own:
                own -= subtrees[other.i]
        own -= {t.i for t in member.children if t.dep_ in _PART_EDGES and t.i > member.i}
        own = sorted(i for i in own if not (doc[i].dep_ in _PART_EDGES and doc[i].head.i != member.i)
                     or doc[i].head.i == member.i and doc[i].dep_ != "cc")
        while own and (doc[own[0]].dep_ in _PART_EDGES or doc[own[0]].lower_ in _COORDINATORS):
            own.pop(0)
        while own and (doc[own[-1]].dep_ in _PART_EDGES or doc[own[-1]].lower_ in _COORDINATORS):
            own.pop()
        if not own:
            return [span]
        first, last = own[0], own[-1]
        for number in {protected[i] for i in own if i in protected}:  # whole names only
            name_tokens = [i for i, n in protected.items() if n == number]
            first, last = min(first, *name_tokens), max(last, *name_tokens)
        parts.append(doc[first:last + 1])
    parts = list({(p.start, p.end): p for p in parts}.values())
    if len(parts) < 2:
        return [span]
    group_start, group_end = parts[0].start, parts[-1].end
    before = doc[span.start:group_start].text_with_ws if group_start > span.start else ""
    after = doc[group_end:span.end].text if group_end < span.end else ""
    if after and parts[-1][-1].whitespace_:
        after = " " + after
    elif after:
        after = after
    for part in parts:
        _set_context(part, before, (" " + after.lstrip()) if after else "")
    return parts


# ----------------------------------------------------------------- people ----

class PeopleMemory:
    """People met earlier in a story, so that later mentions by surname recall them.

    >>> memory = PeopleMemory()
    >>> memory.learn("French Foreign Minister Laurent Fabius",
    ...              Actor("...", name="Laurent Fabius", country="FRA", sector="GOV"))
    >>> memory.recall("Mr. Fabius").country
    'FRA'
    """

    def __init__(self, lexicon: Lexicon | None = None):
        self._lexicon = lexicon or ActorBook.load().lexicon
        self._people: dict[str, Actor] = {}

    def learn(self, span, actor: Actor) -> None:
        name = actor.name
        if not name or not (actor.country or actor.sector):
            return
        stored = replace(actor, start=None, end=None)
        parts = [w for w in tokenize(_strip_honorifics(name, self._lexicon)) if w.key and w.key != "'s"]
        if not parts:
            return
        keys = {" ".join(w.key for w in parts)}
        surname = [w for w in parts if w.key not in _NAME_PARTICLES]
        if surname:
            keys.add(surname[-1].key)
            if len(parts) >= 2 and parts[-2].key in _NAME_PARTICLES:
                keys.add(" ".join(w.key for w in parts[-2:]))
        for key in keys:
            self._people[key] = stored

    def recall(self, text: str) -> Actor | None:
        if not text:
            return None
        name = _strip_honorifics(text, self._lexicon)
        keys = [w.key for w in tokenize(name) if w.key and w.key != "'s"]
        for key in (" ".join(keys), keys[-1] if keys else ""):
            actor = self._people.get(key)
            if actor is not None:
                return replace(actor, text=text)
        return None

    def __len__(self) -> int:
        return len(set(map(id, self._people.values())))

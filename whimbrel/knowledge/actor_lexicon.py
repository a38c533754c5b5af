"""The actor lexicon: countries, organisations, metonyms, roles and people folded into one
table of phrases, the tokenizer actor phrases are read with, and the longest-match lookup.

Part of the actor knowledge base (``whimbrel.knowledge.actors``).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from whimbrel.knowledge.countries import AMBIGUOUS_CAPITALS, CountryBook, DATA_DIR, fold

ORGANISATIONS_TSV = DATA_DIR / "organisations.tsv"
METONYMS_TSV = DATA_DIR / "metonyms.tsv"
ROLES_TSV = DATA_DIR / "roles.tsv"
PEOPLE_TSV = DATA_DIR / "people.tsv"

# Lower-case words that may sit inside a personal name ("Omar Hassan al-Bashir").
_NAME_PARTICLES = frozenset({"al", "el", "bin", "ibn", "bint", "abu", "de", "da", "do", "dos", "das", "del",
                             "della", "di", "du", "la", "le", "van", "von", "der", "den", "ter", "y", "ould", "ag"})
_COORDINATORS = frozenset({"and", "or", "&", "plus"})

_TOKEN = re.compile(r"\w+(?:[.'\u2019]\w+)*\.?|[^\w\s]", re.UNICODE)
_POSSESSIVE = re.compile(r"^(.+?)['\u2019]s$", re.IGNORECASE)
_ACRONYM = re.compile(r"^(?:[A-Z0-9]\.?){2,6}$|^[A-Z][A-Z0-9&+/-]{1,7}$")


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

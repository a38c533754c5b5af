"""The places stage: every toponym of a story, resolved to GeoNames, and event locations.

Recognition takes spaCy's GPE, LOC and FAC entities (the text stage's entity ruler
has already set towns and countries the small model mislabels), splits "Alexandria,
La." into a town and its container, and keeps PERSON or ORG entities only when they
are well-known places said as such ("in Konna"). Demonyms ("Malian") are NORP: they
tell what the story is about but are not toponyms.

Resolution ranks each name's gazetteer candidates with a score that is a sum of
a few explainable parts (weights in ``Weights``, chosen on the LGL dev set):

- what kind of place it is (a country name is nearly always the country; a bare
  name is a town before it is a county of that name) and its population;
- whether the name is the place's own name or only an alternate one;
- containment cues: "Alexandria, La.", "Gao region", "Laurel County";
- the story: the countries and admin1 units its other places (and demonyms) are
  in, and nearness to its other places. A small Malian town in a Mali story goes
  to Mali, not to its Irish namesake.

The story context is computed from a first, context-free pass, then every name is
resolved again with it (leaving the name's own mentions out of its context).
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from whimbrel.knowledge.countries import CountryBook
from whimbrel.knowledge.gazetteer import Candidate, Gazetteer, fold_place
from whimbrel.pipeline.text import ParsedArticle, Sentence
from whimbrel.records import Place

TOPONYM_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Entities the small model often gives to places ("Gainesville" as ORG, "Konna" as PERSON).
MISLABELLED = frozenset({"PERSON", "ORG", "NORP"})
# Words after a name that say it is an administrative unit: "Gao region", "Hall County".
UNIT_WORDS = frozenset({
    "region", "province", "governorate", "state", "county", "parish", "district", "department",
    "prefecture", "oblast", "municipality", "cercle", "division", "territory",
})
# Prepositions that put an event at a place ("in", "near", "outside") or send it there.
LOCATIVE_PREPS = frozenset({
    "in", "near", "outside", "at", "around", "across", "throughout", "inside", "within", "into",
    "to", "towards", "toward", "on", "from", "nearby", "off", "along", "between", "of",
})
STRICT_LOCATIVE = LOCATIVE_PREPS - {"to", "towards", "toward", "from", "of", "between", "on"}
_DATELINE_AFTER = re.compile(r"^\s*(?:\(|—|–|--|-\s|,\s*[A-Z][A-Za-z.]+\s*(?:\(|—|–|--))")
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Weights:
    """The parts of a candidate's score; see the module docstring."""

    country: float = 3.0  # the candidate is a country (PCLI), continent or curated region
    admin1: float = 1.5
    capital: float = 1.0  # PPLC
    admin2_bare: float = -1.5  # a county matched by its bare name ("Laurel" for Laurel County)
    unit_named: float = 3.0  # the mention names a unit ("Laurel County", "Gao region") and it is one
    population: float = 0.4  # per power of ten of the population
    own_name: float = 0.7  # the mention is the place's own name, not an alternate one
    container: float = 4.0  # "Alexandria, La.": the candidate lies in the named container
    story_country: float = 2.5  # times the share of the story's places in its country
    story_admin1: float = 1.5  # times the share of the story's places in its admin1 unit
    nearby: float = 1.0  # another place of the story lies within NEARBY_KM
    demonym: float = 0.5  # weight of a demonym mention in the story's countries


NEARBY_KM = 120.0


@dataclass
class Mention:
    """A toponym in the text, with the gazetteer candidates its name can refer to."""

    text: str
    start: int
    end: int
    sentence: Sentence
    label: str
    candidates: list[Candidate] = field(default_factory=list)
    names_unit: bool = False  # "Gao region", "Laurel County"
    container: list[Candidate] = field(default_factory=list)  # "..., La." -> Louisiana
    key: str = ""
    best: Candidate | None = None
    margin: float = 0.0


@dataclass
class StoryContext:
    """Where a story's places are: shares per country and admin1, and their points."""

    countries: dict[str, float] = field(default_factory=dict)
    admin1: dict[int, float] = field(default_factory=dict)
    points: list[tuple[str, float, float]] = field(default_factory=list)  # (key, lat, lon)


class PlaceFinder:
    """Finds and resolves the toponyms of parsed articles; locates events."""

    def __init__(self, gazetteer: Gazetteer | None = None, weights: Weights | None = None):
        self.gazetteer = gazetteer or Gazetteer.open()
        self.weights = weights or Weights()
        self.countries = CountryBook.load()
        self._country_place: dict[str, Candidate | None] = {}

    # ------------------------------------------------------------------ find

    def find(self, parsed: ParsedArticle) -> list[Place]:
        """Every toponym mention of the article, resolved; sets ``parsed.places`` and
        ``parsed.focus``."""
        mentions = self.recognise(parsed)
        demonyms = self.demonym_countries(parsed)
        self.resolve(mentions, demonyms)
        places = [to_place(m) for m in mentions]
        parsed.places = places
        parsed.focus = focus_of(mentions, demonyms, self.weights.demonym)
        return places

    def recognise(self, parsed: ParsedArticle) -> list[Mention]:
        mentions: list[Mention] = []
        for ent, sentence in parsed.entities():
            if ent.label_ in TOPONYM_LABELS:
                mentions.extend(self.mentions_of(ent, sentence))
            elif ent.label_ in MISLABELLED and self.is_place_said_as_such(ent):
                mentions.extend(self.mentions_of(ent, sentence))
        return mentions

    def mentions_of(self, ent: Span, sentence: Sentence) -> list[Mention]:
        """One entity as one or more mentions: "Columbus, Ohio" is a town and its state."""
        parts = split_at_commas(ent)
        found = []
        for part in parts:
            part = trim(part)
            if part is None:
                continue
            start, end = sentence.char_span(part)
            mention = Mention(part.text, start, end, sentence, ent.label_)
            mention.key = fold_place(part.text)
            mention.candidates = self.gazetteer.lookup(part.text) if mention.key else []
            mention.names_unit = names_unit(part)
            if not mention.candidates and mention.names_unit and len(part) > 1:
                # "Gao region" when only "Gao" is in the index under that kind.
                mention.candidates = [c for c in self.gazetteer.lookup(part[:-1].text)
                                      if c.feature.startswith("ADM")]
            found.append(mention)
        for inner, outer in zip(found, found[1:]):
            inner.container = [c for c in outer.candidates if c.level in ("country", "admin1", "admin2")]
        for mention in found:
            if not mention.container:
                mention.container = self.container_after(mention, sentence)
        return found

    def container_after(self, mention: Mention, sentence: Sentence) -> list[Candidate]:
        """"Alexandria, La." where spaCy left the state out of the entity."""
        doc = sentence.span.doc
        local_end = mention.end - sentence.offset
        tokens = [t for t in doc if t.idx >= local_end][:4]
        if len(tokens) < 2 or tokens[0].text != ",":
            return []
        words = []
        for token in tokens[1:]:
            if not (token.text[:1].isupper() or token.text == "."):
                break
            words.append(token.text_with_ws)
        name = "".join(words).strip().rstrip(",")
        if not name:
            return []
        return [c for c in self.gazetteer.lookup(name) if c.level in ("country", "admin1")]

    def is_place_said_as_such(self, ent: Span) -> bool:
        """A PERSON/ORG/NORP entity that is a place: "in Konna", "the Gainesville police"
        are places; "Mr. Washington" or "Paris Hilton" are not.

        Only single-name entities that the gazetteer knows as a country, an admin1
        unit or a town, governed by a locative preposition.
        """
        if ent.label_ == "NORP" or len(ent) > 3 or not ent.text[:1].isupper():
            return False
        head = ent.root.head
        if not (ent.root.dep_ == "pobj" and head.lower_ in STRICT_LOCATIVE):
            return False
        return any(c.level in ("country", "admin1", "town", "region") for c in self.gazetteer.lookup(ent.text))

    def demonym_countries(self, parsed: ParsedArticle) -> dict[str, int]:
        """ISO3 -> number of demonyms ("Malian", "Malians") in the story."""
        counts: dict[str, int] = defaultdict(int)
        for ent, _ in parsed.entities(("NORP",)):
            country = self.countries.by_adjective(ent.text) or self.countries.by_people(ent.text)
            if country is not None:
                counts[country.iso3] += 1
        return counts

    # ------------------------------------------------------------------ resolve

    def resolve(self, mentions: list[Mention], demonyms: dict[str, int]) -> None:
        """Pick each mention's candidate: first without context, then twice with the
        context of the story's other places."""
        for mention in mentions:
            self.pick(mention, None)
        for _ in range(2):
            contexts = self.contexts(mentions, demonyms)
            for mention in mentions:
                self.pick(mention, contexts.get(mention.key))

    def pick(self, mention: Mention, context: StoryContext | None) -> None:
        if not mention.candidates:
            mention.best, mention.margin = None, 0.0
            return
        scored = sorted(((self.score(c, mention, context), c) for c in mention.candidates),
                        key=lambda pair: (-pair[0], -pair[1].population, pair[1].geonameid))
        mention.best = scored[0][1]
        mention.margin = scored[0][0] - scored[1][0] if len(scored) > 1 else 3.0

    def score(self, c: Candidate, mention: Mention, context: StoryContext | None) -> float:
        w = self.weights
        level = c.level
        total = w.population * math.log10(1 + max(c.population, 0))
        if level in ("country", "region"):
            total += w.country
        elif level == "admin1":
            total += w.admin1
        elif c.feature == "PPLC":
            total += w.capital
        if mention.names_unit:
            total += w.unit_named if c.feature.startswith("ADM") else 0.0
        elif level == "admin2":
            total += w.admin2_bare
        if fold_place(c.name) == mention.key:
            total += w.own_name
        if mention.container and any(contains(box, c) for box in mention.container):
            total += w.container
        if context is not None:
            total += w.story_country * context.countries.get(c.country or "", 0.0)
            if c.admin1_id is not None and level != "admin1":
                total += w.story_admin1 * context.admin1.get(c.admin1_id, 0.0)
            if level in ("town", "admin2", "site") and near_any(c, context.points):
                total += w.nearby
        return total

    def contexts(self, mentions: list[Mention], demonyms: dict[str, int]) -> dict[str, StoryContext]:
        """The story context seen by each name: everything but the name's own mentions."""
        keys = {m.key for m in mentions}
        return {key: story_context([m for m in mentions if m.key != key], demonyms, self.weights)
                for key in keys}

    # ------------------------------------------------------------------ locate

    def locate(self, parsed: ParsedArticle, sentence: Sentence, trigger: Token,
               actor_spans: list[Span]) -> Place | None:
        """The event's location: the place its own clause puts it at, else the
        sentence's place, else the dateline, else the story's focus country.

        Places that are the event's actors ("France sent troops to Mali") are not
        its location.
        """
        if not parsed.places and parsed.sentences:
            self.find(parsed)
        taken = [sentence.char_span(span) for span in actor_spans]
        here = [p for p in parsed.places
                if sentence.start <= p.start < sentence.end and p.lat is not None
                and not any(s <= p.start < e for s, e in taken)]
        clause = trigger_clause(trigger)
        ranked = []
        for place in here:
            token = place_token(sentence, place)
            if token is None:
                continue
            relation = locative_relation(token, clause)
            ranked.append((relation, PRECISION_RANK[place.precision], place.start, place))
        if ranked:
            ranked.sort(key=lambda r: (-r[0], -r[1], r[2]))
            return ranked[0][3]
        dateline = dateline_place(parsed)
        if dateline is not None:
            return dateline
        return self.focus_place(parsed)

    def story_location(self, parsed: ParsedArticle) -> Place | None:
        """One place for a whole (short) story such as a headline: its first place put
        after a locative preposition, at the finest precision, else its first place,
        else its focus country."""
        if not parsed.places:
            self.find(parsed)
        ranked = []
        for place in parsed.places:
            if place.lat is None:
                continue
            sentence = parsed.sentence_at(place.start)
            token = place_token(sentence, place) if sentence else None
            locative = bool(token is not None and governing_prep(token) in STRICT_LOCATIVE)
            ranked.append((locative, PRECISION_RANK[place.precision], -place.start, place))
        if ranked:
            return max(ranked, key=lambda r: r[:3])[3]
        return self.focus_place(parsed)

    def focus_place(self, parsed: ParsedArticle) -> Place | None:
        """The story's main country as a place (its first mention when it has one)."""
        if not parsed.focus:
            return None
        iso3 = max(parsed.focus, key=parsed.focus.get)
        for place in parsed.places:
            if place.country == iso3 and place.precision == "country":
                return place
        country = self.country_candidate(iso3)
        if country is None:
            return None
        return Place(text=country.name, start=-1, end=-1, geonameid=public_id(country.geonameid),
                     name=country.name, lat=country.lat, lon=country.lon, country=country.country,
                     admin1=None, feature=country.feature, score=parsed.focus[iso3])

    def country_candidate(self, iso3: str) -> Candidate | None:
        if iso3 not in self._country_place:
            record = self.countries.by_iso3(iso3)
            found = None
            if record is not None and record.geonameid is not None:
                found = self.gazetteer.get(record.geonameid)
            self._country_place[iso3] = found
        return self._country_place[iso3]


# ---------------------------------------------------------------------- recognition helpers


def split_at_commas(ent: Span) -> list[Span]:
    """"Columbus, Ohio" -> [Columbus, Ohio]; names without commas stay whole."""
    parts, start = [], ent.start
    for token in ent:
        if token.text == ",":
            if token.i > start:
                parts.append(ent.doc[start:token.i])
            start = token.i + 1
    if start < ent.end:
        parts.append(ent.doc[start:ent.end])
    return parts


def trim(span: Span) -> Span | None:
    """Without a leading "the" and a trailing possessive or punctuation."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ == "the" or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].text in ("'s", "’s", "'") or doc[end - 1].is_punct
                           and doc[end - 1].text != "."):
        end -= 1
    if end <= start:
        return None
    return doc[start:end]


def names_unit(span: Span) -> bool:
    """"Laurel County", "Gao region", or a unit word right after the name."""
    if span[-1].lower_ in UNIT_WORDS:
        return True
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return after is not None and after.lower_ in UNIT_WORDS


# ---------------------------------------------------------------------- resolution helpers


def contains(box: Candidate, c: Candidate) -> bool:
    """Is ``c`` inside ``box`` (a country, admin1 or admin2 unit)?"""
    if box.level == "country":
        return c.country == box.country and c.geonameid != box.geonameid
    if box.level == "admin1":
        return c.admin1_id == box.geonameid and c.geonameid != box.geonameid
    return c.admin2_id == box.geonameid


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def near_any(c: Candidate, points: list[tuple[str, float, float]]) -> bool:
    return any(distance_km(c.lat, c.lon, lat, lon) <= NEARBY_KM for _, lat, lon in points)


def story_context(mentions: list[Mention], demonyms: dict[str, int], w: Weights) -> StoryContext:
    """Shares of the story's countries and admin1 units, from the mentions' current picks.

    A pick counts by its confidence (its margin over the runner-up, capped at 1), so
    that a clear "Mali" or "Louisiana" weighs more than a coin-toss "Springfield".
    """
    countries: dict[str, float] = defaultdict(float)
    admin1: dict[int, float] = defaultdict(float)
    points = []
    for m in mentions:
        if m.best is None:
            continue
        weight = min(1.0, max(m.margin, 0.0) / 2 + 0.25)
        if m.best.country:
            countries[m.best.country] += weight
        unit = m.best.geonameid if m.best.level == "admin1" else m.best.admin1_id
        if unit is not None:
            admin1[unit] += weight
        if m.best.level in ("town", "admin2", "site") and weight >= 0.5:
            points.append((m.key, m.best.lat, m.best.lon))
    for iso3, count in demonyms.items():
        countries[iso3] += w.demonym * count
    return StoryContext(shares(countries), shares(admin1), points)


def shares(weights: dict) -> dict:
    total = sum(weights.values())
    return {key: value / total for key, value in weights.items()} if total > 0 else {}


def focus_of(mentions: list[Mention], demonyms: dict[str, int], demonym_weight: float) -> dict[str, float]:
    """iso3 -> share of the story's resolved places (and demonyms) in that country."""
    counts: dict[str, float] = defaultdict(float)
    for m in mentions:
        if m.best is not None and m.best.country:
            counts[m.best.country] += 1.0
    for iso3, count in demonyms.items():
        counts[iso3] += demonym_weight * count
    return {k: round(v, 3) for k, v in sorted(shares(counts).items(), key=lambda kv: -kv[1])}


def public_id(geonameid: int) -> int | None:
    """Curated places without a known GeoNames id have negative ids inside the index."""
    return geonameid if geonameid > 0 else None


def to_place(m: Mention) -> Place:
    c = m.best
    if c is None:
        return Place(text=m.text, start=m.start, end=m.end)
    return Place(text=m.text, start=m.start, end=m.end, geonameid=public_id(c.geonameid), name=c.name,
                 lat=c.lat, lon=c.lon, country=c.country, admin1=c.admin1, feature=c.feature,
                 score=min(1.0, max(m.margin, 0.0) / 3))


# ---------------------------------------------------------------------- location helpers

PRECISION_RANK = {"site": 4, "town": 3, "admin1": 2, "country": 1}


def place_token(sentence: Sentence, place: Place) -> Token | None:
    span = sentence.span.doc.char_span(place.start - sentence.offset, place.end - sentence.offset,
                                       alignment_mode="expand")
    return span.root if span is not None else None


def governing_prep(token: Token) -> str | None:
    """The preposition a place hangs from: "in" for "in northern Mali", "near" ..."""
    while token.dep_ in ("compound", "amod", "nmod", "appos", "conj") and token.head is not token:
        token = token.head
    if token.dep_ == "pobj":
        return token.head.lower_
    return None


def trigger_clause(trigger: Token) -> Token:
    """The verb heading the trigger's clause (the trigger itself when it is a verb)."""
    token = trigger
    while token.pos_ not in ("VERB", "AUX") and token.head is not token:
        token = token.head
    return token


def locative_relation(token: Token, clause: Token) -> int:
    """3: put at the place by the event's own clause ("attacked ... in Konna"),
    2: a place of the sentence after a locative preposition, 1: "X-based" or a
    place named as a modifier, 0: any other place of the sentence."""
    prep = governing_prep(token)
    doc = token.doc
    based = token.i + 2 < len(doc) and doc[token.i + 1].text == "-" and doc[token.i + 2].lower_ == "based"
    if prep in LOCATIVE_PREPS:
        head = token
        while head.dep_ != "pobj":
            head = head.head
        anchor = head.head.head  # the word the prepositional phrase modifies
        if anchor is clause or clause in anchor.ancestors or anchor in clause.subtree:
            return 3 if prep in STRICT_LOCATIVE or prep in ("to", "towards", "toward") else 2
        return 2
    if based or token.dep_ in ("compound", "amod", "nmod"):
        return 1
    return 0


def dateline_place(parsed: ParsedArticle) -> Place | None:
    """"BAMAKO, Mali (Reuters) —": the place at the very start of the story."""
    if not parsed.places or not parsed.sentences:
        return None
    first = min(parsed.places, key=lambda p: p.start)
    text = parsed.article.text
    if first.lat is None or first.start > parsed.sentences[0].start + 2:
        return None
    if _DATELINE_AFTER.match(text[first.end:first.end + 40]):
        return first
    return None

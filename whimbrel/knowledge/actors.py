"""Code an actor phrase to country + PLOVER sector + named entity.

"French Foreign Minister Laurent Fabius" -> FRA GOV "Laurent Fabius"; "rebels" -> REB;
"the U.N. Security Council" -> IGO; "Washington" -> USA GOV; "AQIM" -> REB.

Knowledge comes from the data files beside this package: countries (countries.py),
organisations.tsv, metonyms.tsv, roles.tsv and people.tsv. The work is split by what it holds:
``actor_lexicon`` (the data folded into one lexicon, tokens, longest matches), ``actor_phrases``
(reading one phrase: head, sector, country, person), ``actor_coordination`` ("X and Y officials"),
``people_memory`` (people met earlier in a story). This module holds ``ActorBook``, which codes
phrases and spaCy spans with them, and re-exports the names other modules import from here.
"""
from __future__ import annotations

import functools
import re

from whimbrel.knowledge.actor_coordination import span_context, split_coordination
from whimbrel.knowledge.actor_lexicon import (
    METONYMS_TSV, ORGANISATIONS_TSV, PEOPLE_TSV, ROLES_TSV, _COORDINATORS, _aliases, _read_tsv, build_lexicon,
    find_matches, tokenize,
)
from whimbrel.knowledge.actor_lexicon import Entry, Lexicon, Match, Word, phrase_key  # noqa: F401 (re-exported)
from whimbrel.knowledge.actor_phrases import Reading, read_phrase  # noqa: F401 (Reading re-exported)
from whimbrel.knowledge.countries import CountryBook, english_tokenizer, surface_variants
from whimbrel.knowledge.people_memory import PeopleMemory, _strip_honorifics
from whimbrel.records import Actor


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

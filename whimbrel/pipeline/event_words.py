"""Which sentences may hold an event, told from their word forms alone.

Tagging, lemmatising and parsing a sentence cost more than half of spaCy's time, and
most sentences of a news story hold no event. The `code` path therefore reads every
sentence for its names, but tags and parses only the sentences this module accepts
(``text.parse_articles(select=...)``). It has to decide before there are lemmas, so it
works on lower-case word forms: every inflected form of

- each trigger-lexicon entry (every word of a phrase, and for an entry that only names
  an event with certain objects, one of those objects too), and
- each word that the trained classifier has learned to read as an event on its own
  word features, even where the lexicon does not list it.

A sentence with none of these forms cannot yield a lexicon mention, and the classifier
would need its context alone to find one there.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Iterable

import numpy as np
from lemminflect import getAllInflections, getAllInflectionsOOV, getAllLemmas
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Span

# How much a word's own features must favour some event type over NONE in the classifier
# for the word alone to make a sentence worth parsing (a sum of logistic-regression
# weights). Chosen on the PLOVER dev set and LGL (benchmarks/RESULTS.md): at 0.75 the dev
# type accuracy equals that of parsing every sentence, and about half of LGL's sentences
# are read for names only; at 1.0 the dev set loses 3% of its events, at 0.5 LGL's
# parsed share rises to 61% for nothing.
CLASSIFIER_MARGIN = 0.75
# The classifier's features that describe the word itself, by prefix.
WORD_FEATURES = ("lem=", "low=")


@dataclass(frozen=True)
class Rule:
    """Forms that must all be present: one of ``words[0]``, one of ``words[1]``, ..."""

    words: tuple[frozenset[str], ...]

    def holds(self, forms: set[str]) -> bool:
        return all(not options.isdisjoint(forms) for options in self.words[1:])


class EventWords:
    """The word forms that make a sentence worth tagging and parsing."""

    def __init__(self, rules: Iterable[Rule]):
        self.by_form: dict[str, list[Rule]] = {}
        for rule in rules:
            for form in rule.words[0]:
                self.by_form.setdefault(form, []).append(rule)

    @classmethod
    def for_finder(cls, entries, classifier=None, margin: float = CLASSIFIER_MARGIN) -> "EventWords":
        """Rules for the trigger lexicon ``entries`` and the words ``classifier`` knows."""
        rules = []
        for entry in entries:
            words = tuple(inflections(word) for word in entry.lemma.split())
            if entry.objects:
                words += (frozenset(form for word in entry.objects for form in inflections(word)),)
            rules.append(Rule(words))
        if classifier is not None:
            rules += [Rule((forms_of_any_lemma(word),)) for word in classifier_event_words(classifier, margin)]
        return cls(rules)

    def may_hold_event(self, span: Span) -> bool:
        forms = {token.lower_ for token in span}
        return any(rule.holds(forms) for form in forms for rule in self.by_form.get(form, ()))


@cache
def inflections(lemma: str) -> frozenset[str]:
    """Every form of an English word (lemminflect's tables; its rules for unknown words)."""
    lemma = lemma.lower()
    forms = {lemma}
    found = getAllInflections(lemma)
    if not found:
        found = {**getAllInflectionsOOV(lemma, "NOUN"), **getAllInflectionsOOV(lemma, "VERB")}
    for variants in found.values():
        forms.update(form.lower() for form in variants)
    return frozenset(forms)


def forms_of_any_lemma(word: str) -> frozenset[str]:
    """All forms of every word ``word`` may be a form of ("ordering": order, ordering)."""
    lemmas = {word} | {lemma for found in getAllLemmas(word).values() for lemma in found}
    return frozenset(form for lemma in lemmas for form in inflections(lemma))


def classifier_event_words(classifier, margin: float = CLASSIFIER_MARGIN) -> list[str]:
    """Words whose own features favour an event type over NONE by ``CLASSIFIER_MARGIN``."""
    model = classifier.types
    none = model.classes.index("NONE")
    scores: dict[str, np.ndarray] = {}
    for feature, row in classifier.vocabulary.items():
        if feature.startswith(WORD_FEATURES):
            word = feature.split("=", 1)[1]
            scores[word] = scores.get(word, 0) + model.weights[row]
    found = []
    for word, weights in scores.items():
        if word.isalpha() and word not in STOP_WORDS and np.delete(weights, none).max() - weights[none] > margin:
            found.append(word)
    return sorted(found)

"""PLOVER contexts (why an event happened), cued by words of its sentence and story."""
from __future__ import annotations

import csv
from collections import Counter
from functools import cache
from importlib import resources

from whimbrel.pipeline.text import ParsedArticle

STORY_SHARE = 0.25  # a context cued by a quarter of the story's cue words colours all its events
TYPE_CONTEXTS = {"ASSAULT": "military", "MOBILIZE": "military", "CONSULT": "diplomatic",
                 "SANCTION": "economic", "PROTEST": "political_institutions"}


@cache
def cue_words() -> dict[str, str]:
    data = resources.files("whimbrel.knowledge") / "data" / "contexts.tsv"
    lines = [line for line in data.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return {row["lemma"]: row["context"] for row in csv.DictReader(lines, delimiter="\t")}


def cued(tokens) -> Counter:
    words = cue_words()
    return Counter(words[t.lemma_.lower()] for t in tokens if t.lemma_.lower() in words)


def of_story(parsed: ParsedArticle) -> list[str]:
    counts = Counter()
    for sentence in parsed.sentences:
        counts.update(cued(sentence.span))
    total = sum(counts.values())
    return [c for c, n in counts.most_common(2) if total and n / total >= STORY_SHARE]


def of_event(mention, story_contexts: list[str]) -> list[str]:
    """Contexts of one event: its sentence's cues, then the story's, at most three."""
    found = [c for c, _ in cued(mention.sentence.span).most_common()]
    if not found and mention.event_type in TYPE_CONTEXTS:
        found.append(TYPE_CONTEXTS[mention.event_type])
    for context in story_contexts:
        if context not in found:
            found.append(context)
    return found[:3]

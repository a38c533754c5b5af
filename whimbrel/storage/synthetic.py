"""Synthetic but well-formed articles and events, for load tests and store tests.

Deterministic for a seed. The events are schema v1 records built through the real record
classes, located at real places (a small built-in list of capitals and towns), so the
store, the API and the dashboard see what the pipeline would give them, at any volume.
"""
from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta
from typing import Iterator

from whimbrel.records import Actor, Article, Event, EventDate, Place, Span
from whimbrel.storage.vocabulary import MODALITIES, event_types

# (name, geonameid, lat, lon, ISO3, feature)
PLACES = (
    ("Bamako", 2460596, 12.65, -8.0, "MLI", "PPLC"),
    ("Gao", 2457163, 16.27, -0.04, "MLI", "PPLA"),
    ("Paris", 2988507, 48.85, 2.35, "FRA", "PPLC"),
    ("Benghazi", 88319, 32.12, 20.07, "LBY", "PPLA"),
    ("Kyiv", 703448, 50.45, 30.52, "UKR", "PPLC"),
    ("Kharkiv", 706483, 49.98, 36.25, "UKR", "PPLA"),
    ("Moscow", 524901, 55.75, 37.62, "RUS", "PPLC"),
    ("Khartoum", 379252, 15.55, 32.53, "SDN", "PPLC"),
    ("Nairobi", 184745, -1.28, 36.82, "KEN", "PPLC"),
    ("Caracas", 3646738, 10.49, -66.88, "VEN", "PPLC"),
    ("Bogota", 3688689, 4.61, -74.08, "COL", "PPLC"),
    ("Dhaka", 1185241, 23.71, 90.41, "BGD", "PPLC"),
    ("Manila", 1701668, 14.60, 120.98, "PHL", "PPLC"),
    ("Washington", 4140963, 38.90, -77.04, "USA", "PPLC"),
    ("Kabul", 1138958, 34.53, 69.17, "AFG", "PPLC"),
    ("Mosul", 99072, 36.34, 43.13, "IRQ", "PPLA"),
    ("Goma", 216281, -1.68, 29.23, "COD", "PPLA"),
    ("Yangon", 1298824, 16.81, 96.16, "MMR", "PPLA"),
)
ACTORS = (
    ("government", "GOV"), ("army", "MIL"), ("rebels", "REB"), ("police", "COP"),
    ("protesters", "CVL"), ("opposition", "OPP"), ("court", "JUD"), ("journalists", "JRN"),
)
VERBS = {
    "AGREE": "agreed with", "CONSULT": "met", "SUPPORT": "praised", "CONCEDE": "apologised to",
    "COOPERATE": "worked with", "AID": "sent aid to", "RETREAT": "withdrew from", "REQUEST": "asked",
    "ACCUSE": "accused", "REJECT": "rejected", "THREATEN": "threatened", "SANCTION": "sanctioned",
    "PROTEST": "protested against", "MOBILIZE": "deployed troops near", "COERCE": "arrested",
    "ASSAULT": "attacked",
}
MODES = {"ASSAULT": ("aerial", "firearms", "explosives", None), "PROTEST": ("demo", "strike", None),
         "CONSULT": ("visit", "phone", None)}


def synthetic_article(rng: random.Random, index: int, start: date, days: int,
                      events_per_article: int = 4) -> tuple[Article, list[Event]]:
    """One article of a few sentences and the events coded from them."""
    published = start + timedelta(days=rng.randrange(days))
    sentences, events = [], []
    offset = 0
    types = event_types()
    for _ in range(events_per_article):
        event_type = rng.choice(types)
        place = rng.choice(PLACES)
        other = rng.choice(PLACES)
        source_word, source_sector = rng.choice(ACTORS)
        target_word, target_sector = rng.choice(ACTORS)
        verb = VERBS[event_type]
        subject = f"{place[0]} {source_word}"
        sentence = f"The {subject} {verb} the {target_word} from {other[0]} near {place[0]}."
        trigger_start = offset + sentence.index(verb)
        place_start = offset + sentence.rindex(place[0])
        sentences.append(sentence)
        when = published - timedelta(days=rng.randrange(3))
        events.append(Event(
            article_id=f"syn-{index}",
            event_type=event_type,
            trigger=Span(verb, trigger_start, trigger_start + len(verb)),
            evidence=Span(sentence, offset, offset + len(sentence)),
            mode=rng.choice(MODES.get(event_type, (None,))),
            context=[rng.choice(("military", "economic", "diplomatic", "human_rights"))],
            modality=rng.choices(MODALITIES, weights=(8, 1, 1))[0],
            source=[Actor(subject, None, place[4], source_sector)],
            target=[Actor(target_word, None, other[4], target_sector)],
            location=Place(place[0], place_start, place_start + len(place[0]), place[1], place[0], place[2],
                           place[3], place[4], None, place[5], 0.9),
            date=EventDate(when.isoformat(), "day", None),
            confidence=round(rng.uniform(0.4, 1.0), 3),
        ))
        offset += len(sentence) + 1
    article = Article(text=" ".join(sentences), id=f"syn-{index}", title=f"Synthetic report {index}",
                      published=published, url=f"https://example.org/news/{index}", source="synthetic")
    return article, events


def synthetic_articles(count: int, seed: int = 7, start: date = date(2023, 1, 1), days: int = 365,
                       events_per_article: int = 4) -> Iterator[tuple[Article, list[Event]]]:
    """``count`` articles with their events, the same for the same arguments."""
    rng = random.Random(seed)
    for index in range(count):
        yield synthetic_article(rng, index, start, days, events_per_article)


def synthetic_records(count: int, seed: int = 7, start: date = date(2023, 1, 1), days: int = 365,
                      events_per_article: int = 4) -> Iterator[tuple[dict, list[dict]]]:
    """``count`` events as (article row, schema v1 records), built straight as dicts.

    The same shape as ``synthetic_articles`` without the record objects, so that a million
    events can be made in seconds for load tests. Article rows follow ``ARTICLE_COLUMNS``.
    """
    rng = random.Random(seed)
    types = event_types()
    made = 0
    index = 0
    while made < count:
        article_id = f"load-{index}"
        published = start + timedelta(days=rng.randrange(days))
        sentences, records = [], []
        offset = 0
        for _ in range(min(events_per_article, count - made)):
            event_type = rng.choice(types)
            place, other = rng.choice(PLACES), rng.choice(PLACES)
            source_word, source_sector = rng.choice(ACTORS)
            target_word, target_sector = rng.choice(ACTORS)
            verb = VERBS[event_type]
            subject = f"{place[0]} {source_word}"
            sentence = f"The {subject} {verb} the {target_word} from {other[0]} near {place[0]}."
            trigger_start = offset + sentence.index(verb)
            place_start = offset + sentence.rindex(place[0])
            when = published - timedelta(days=rng.randrange(3))
            key = f"{article_id}:{trigger_start}:{trigger_start + len(verb)}:{event_type}"
            records.append({
                "event_id": hashlib.sha1(key.encode()).hexdigest()[:20],
                "article_id": article_id,
                "event_type": event_type,
                "mode": rng.choice(MODES.get(event_type, (None,))),
                "context": [rng.choice(("military", "economic", "diplomatic", "human_rights"))],
                "modality": rng.choices(MODALITIES, weights=(8, 1, 1))[0],
                "source": [{"text": subject, "name": None, "country": place[4], "sector": source_sector}],
                "target": [{"text": target_word, "name": None, "country": other[4], "sector": target_sector}],
                "location": {"text": place[0], "name": place[0], "geonameid": place[1], "lat": place[2],
                             "lon": place[3], "country": place[4], "admin1": None, "feature": place[5],
                             "precision": "town"},
                "date": {"value": when.isoformat(), "precision": "day", "text": None},
                "trigger": {"text": verb, "start": trigger_start, "end": trigger_start + len(verb)},
                "evidence": {"text": sentence, "start": offset, "end": offset + len(sentence)},
                "confidence": round(rng.uniform(0.4, 1.0), 3),
            })
            sentences.append(sentence)
            offset += len(sentence) + 1
        text = " ".join(sentences)
        article = {"id": article_id, "url": f"https://example.org/load/{index}", "title": f"Load report {index}",
                   "published": published, "source": "synthetic", "content_hash": hashlib.sha256(text.encode()).hexdigest(),
                   "text": text}
        made += len(records)
        index += 1
        yield article, records

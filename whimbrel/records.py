"""The records whimbrel reads and writes: articles in, events and places out.

They are plain dataclasses so that every stage, the storage backends and the API
share one vocabulary; ``to_dict`` gives the public output schema v1 of DESIGN.md.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date

SCHEMA_VERSION = 1

MODALITIES = ("asserted", "negated", "hypothetical")


def text_hash(text: str) -> str:
    """A short, stable id for a text: the article id when the input gives none."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Article:
    """One news story as given: offsets in events point into ``text`` exactly."""

    text: str
    id: str | None = None
    title: str | None = None
    published: date | None = None
    url: str | None = None
    source: str | None = None  # where it came from: file:line, URL or feed

    def __post_init__(self) -> None:
        if self.id is None:
            self.id = text_hash(self.text)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass
class Actor:
    """Who: the text it came from, a named entity when known, country and sector."""

    text: str
    name: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-3
    sector: str | None = None  # PLOVER sector code
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict:
        return {"text": self.text, "name": self.name, "country": self.country, "sector": self.sector}


# Features as coarse as a province, whatever their feature class: regions, seas, gulfs,
# straits, mountain ranges, deserts, peninsulas, rivers and archipelagos.
REGION_SCALE_FEATURES = frozenset({"RGN", "OCN", "SEA", "GULF", "STRT", "MTS", "DSRT", "PEN", "STM", "ISLS"})


@dataclass
class Place:
    """A toponym mention resolved to GeoNames (or left unresolved with geonameid None)."""

    text: str
    start: int
    end: int
    geonameid: int | None = None
    name: str | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None  # ISO 3166-1 alpha-3
    admin1: str | None = None
    feature: str | None = None  # GeoNames feature code: PPL, PPLA, ADM1, PCLI ...
    score: float = 0.0

    @property
    def precision(self) -> str:
        """How fine the place is: site, town, admin1 or country."""
        code = self.feature or ""
        if code.startswith("PCL") or code == "CONT":
            return "country"
        if code in ("ADM1", "ADM1H") or code in REGION_SCALE_FEATURES:
            return "admin1"
        if code.startswith("PPL") or code.startswith("ADM"):
            return "town"
        return "site"

    def to_dict(self, article_id: str | None = None) -> dict:
        """The `whimbrel places` output row."""
        row = {"article_id": article_id} if article_id is not None else {}
        row.update(
            text=self.text, start=self.start, end=self.end, geonameid=self.geonameid,
            name=self.name, lat=self.lat, lon=self.lon, country=self.country,
            admin1=self.admin1, feature=self.feature, score=round(self.score, 3),
        )
        return row

    def to_location(self) -> dict:
        """The event's ``location`` object."""
        return {
            "text": self.text, "name": self.name, "geonameid": self.geonameid,
            "lat": self.lat, "lon": self.lon, "country": self.country,
            "admin1": self.admin1, "feature": self.feature, "precision": self.precision,
        }


@dataclass
class EventDate:
    """When: an ISO date (``value``) at day, month or year precision."""

    value: str
    precision: str = "day"  # day | month | year
    text: str | None = None
    fallback: bool = False  # True when only the publication date supports it

    def to_dict(self) -> dict:
        row = {"value": self.value, "precision": self.precision, "text": self.text}
        if self.fallback:
            row["fallback"] = True
        return row


@dataclass
class Span:
    """A stretch of the article text with its character offsets."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass
class Event:
    """One coded event: who did what to whom, where and when, with its evidence."""

    article_id: str
    event_type: str
    trigger: Span
    evidence: Span
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    modality: str = "asserted"
    source: list[Actor] = field(default_factory=list)
    target: list[Actor] = field(default_factory=list)
    location: Place | None = None
    date: EventDate | None = None
    confidence: float = 0.0

    @property
    def event_id(self) -> str:
        """Stable across runs and machines: article id + trigger offsets + type."""
        key = f"{self.article_id}:{self.trigger.start}:{self.trigger.end}:{self.event_type}"
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]

    def to_dict(self) -> dict:
        return {
            "event_id": self.event_id,
            "article_id": self.article_id,
            "event_type": self.event_type,
            "mode": self.mode,
            "context": list(self.context),
            "modality": self.modality,
            "source": [a.to_dict() for a in self.source],
            "target": [a.to_dict() for a in self.target],
            "location": self.location.to_location() if self.location else None,
            "date": self.date.to_dict() if self.date else None,
            "trigger": self.trigger.to_dict(),
            "evidence": self.evidence.to_dict(),
            "confidence": round(self.confidence, 3),
        }


def as_plain(obj) -> dict:
    """A dataclass as plain data (for records without a custom ``to_dict``)."""
    return asdict(obj)

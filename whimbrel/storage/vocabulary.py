"""The PLOVER words the store, the API and the exports check values against.

Event types, their quad class and their CAMEO root come from one data file,
``knowledge/data/cameo.tsv``, so that the dashboard colours, the ``cameo`` export and the
filter validation can never disagree.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

QUAD_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}

MODALITIES = ("asserted", "negated", "hypothetical")

# Sector codes of PLOVER.md; an actor's sector is one of these or null.
SECTORS = frozenset(
    "GOV MIL REB COP JUD LEG OPP PTY CVL BUS MED JRN EDU LAB REL REF ELI CRM SPY UAF IGO NGO".split()
)

# Older names seen in CAMEO-era data; accepted in filters and mapped to today's type.
TYPE_ALIASES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}


@dataclass(frozen=True)
class CameoRoot:
    code: str  # two digits, "03" .. "20"
    name: str


@dataclass(frozen=True)
class _Crosswalk:
    quads: dict[str, int]
    roots: dict[tuple[str, str], CameoRoot]  # (type, mode or "*") -> root


@lru_cache(maxsize=1)
def _crosswalk() -> _Crosswalk:
    path = resources.files("whimbrel.knowledge").joinpath("data/cameo.tsv")
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    quads: dict[str, int] = {}
    roots: dict[tuple[str, str], CameoRoot] = {}
    for row in csv.DictReader(lines, delimiter="\t"):
        event_type = row["plover_type"].strip()
        quads.setdefault(event_type, int(row["quad"]))
        roots[(event_type, row["mode"].strip())] = CameoRoot(row["cameo_root"].strip(), row["cameo_name"].strip())
    return _Crosswalk(quads, roots)


def event_types() -> tuple[str, ...]:
    """The 16 PLOVER event types, in the order of the data file."""
    return tuple(_crosswalk().quads)


def quad_of(event_type: str) -> int | None:
    """PLOVER's quad class (1-4) of an event type, None for an unknown type."""
    return _crosswalk().quads.get(TYPE_ALIASES.get(event_type, event_type))


def cameo_root(event_type: str, mode: str | None = None) -> CameoRoot | None:
    """The CAMEO root an event type (and mode, where it decides) maps to.

    >>> cameo_root("ASSAULT", "aerial").code
    '19'
    """
    roots = _crosswalk().roots
    event_type = TYPE_ALIASES.get(event_type, event_type)
    return roots.get((event_type, mode or "*")) or roots.get((event_type, "*"))


def canonical_event_type(name: str) -> str | None:
    """An event type as the user typed it, upper-cased and de-aliased; None if unknown."""
    name = name.strip().upper()
    name = TYPE_ALIASES.get(name, name)
    return name if name in _crosswalk().quads else None

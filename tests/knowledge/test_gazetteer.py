"""The gazetteer: folding, the on-disk index, curated places and ruler patterns."""
import sqlite3

import pytest

from whimbrel.knowledge import gazetteer as gz
from whimbrel.knowledge.gazetteer import Gazetteer, curated_ruler_patterns, fold_place


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.open()


@pytest.mark.parametrize("a, b", [
    ("Sevare", "Sévaré"),
    ("St. Louis", "Saint Louis"),
    ("Ft. Worth", "Fort Worth"),
    ("Ts’khinvali", "Tskhinvali"),
    ("Guinea-Bissau", "Guinea Bissau"),
    ("Łódź", "Lodz"),
    ("the Gambia", "Gambia"),
    ("U.S.", "US"),
])
def test_fold_place_treats_spellings_alike(a, b):
    assert fold_place(a) == fold_place(b)


def test_fold_place_keeps_different_names_apart():
    assert fold_place("Paris") != fold_place("Parys")


@pytest.mark.parametrize("name, iso3, feature", [
    ("U.S.", "USA", "PCLI"),
    ("DRC", "COD", "PCLI"),
    ("Ivory Coast", "CIV", "PCLI"),
    ("Mali", "MLI", "PCLI"),
])
def test_exonyms_and_abbreviations_find_the_country(gaz, name, iso3, feature):
    assert any(c.country == iso3 and c.feature == feature for c in gaz.lookup(name))


def test_curated_malian_towns_are_found_in_mali(gaz):
    for name in ("Konna", "Diabaly", "Sévaré", "Sevare"):
        found = [c for c in gaz.lookup(name) if c.country == "MLI"]
        assert found, name
        assert 13 < found[0].lat < 16 and -7 < found[0].lon < -3


def test_state_abbreviation_and_unit_kind(gaz):
    assert any(c.name == "Louisiana" and c.feature == "ADM1" for c in gaz.lookup("La."))
    assert [c.country for c in gaz.lookup("Gao region")] == ["MLI"]


def test_towns_carry_their_admin_units(gaz):
    gainesville = [c for c in gaz.lookup("Gainesville") if c.admin1 == "Florida"][0]
    county = gaz.get(gainesville.admin2_id)
    assert county is not None and county.name == "Alachua County"
    assert gaz.get(gainesville.admin1_id).feature == "ADM1"


def test_capitals_are_marked(gaz):
    assert any(c.feature == "PPLC" and c.country == "MLI" for c in gaz.lookup("Bamako"))


def test_country_points_are_central_not_median_of_towns(gaz):
    usa = [c for c in gaz.lookup("United States") if c.feature == "PCLI"][0]
    assert abs(usa.lat - 39.76) < 0.5 and abs(usa.lon + 98.5) < 0.5


def test_get_len_and_stats(gaz):
    assert gaz.get(2453866).country == "MLI"  # Mali
    assert gaz.get(1) is None
    assert len(gaz) > 230_000
    stats = gaz.stats()
    assert stats["places"] == len(gaz) and stats["names"] > stats["places"] and stats["bytes"] > 0


def test_open_is_cached_per_process(gaz):
    assert Gazetteer.open() is gaz


def test_index_is_rebuilt_for_new_sources(tmp_path, monkeypatch):
    """A new sources version means a new file; the old one is removed."""
    monkeypatch.setenv("WHIMBREL_CACHE", str(tmp_path))
    old = tmp_path / "gazetteer-old.sqlite"
    old.write_bytes(b"")
    monkeypatch.setattr(gz, "_IndexBuilder", _TinyBuilder)
    Gazetteer._open.clear()
    try:
        opened = Gazetteer.open()
        assert opened.path.parent == tmp_path and opened.path.name == f"gazetteer-{gz.sources_version()}.sqlite"
        assert not old.exists()
        assert [c.name for c in opened.lookup("Sevare")] == ["Sévaré"]
    finally:
        Gazetteer._open.clear()


def test_rebuild_leaves_an_index_in_use_alone(tmp_path, monkeypatch):
    """A reader of an older index (another process, another checkout) keeps its file:
    only index files nobody holds are deleted."""
    pytest.importorskip("fcntl")
    monkeypatch.setenv("WHIMBREL_CACHE", str(tmp_path))
    monkeypatch.setattr(gz, "_IndexBuilder", _TinyBuilder)
    in_use = gz.build_index(tmp_path / "gazetteer-inuse.sqlite", "inuse")
    unused = tmp_path / "gazetteer-unused.sqlite"
    unused.write_bytes(b"")
    reader = Gazetteer(in_use)  # holds its file, as ``Gazetteer.open`` does
    Gazetteer._open.clear()
    try:
        Gazetteer.open()
        assert in_use.exists() and not unused.exists()
        assert [c.name for c in reader.lookup("Sevare")] == ["Sévaré"]
        reader._hold.close()  # the reader is gone: the next rebuild may delete the file
        assert gz.remove_if_unused(in_use) and not in_use.exists()
    finally:
        Gazetteer._open.clear()


def test_reader_of_a_deleted_index_fails_cleanly(tmp_path):
    with pytest.raises(FileNotFoundError):
        Gazetteer(tmp_path / "gazetteer-gone.sqlite")


class _TinyBuilder(gz._IndexBuilder):
    """Only the curated places: builds in milliseconds, same file layout."""

    def build(self):
        self.add_curated()


def test_index_file_is_sqlite_with_expected_tables(gaz):
    with sqlite3.connect(f"file:{gaz.path}?mode=ro", uri=True) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"place", "name", "meta"} <= tables


def test_unit_point_is_middle_of_towns():
    towns = [(10.0, 20.0, 1), (12.0, 22.0, 1), (11.0, 21.0, 1), (30.0, 40.0, 1)] + [(11.0, 21.0, 1)] * 50
    lat, lon = gz.unit_point(towns)
    assert 10 <= lat <= 30 and 20 <= lon <= 40


def test_ruler_patterns_are_safe_place_names():
    patterns = curated_ruler_patterns()
    texts = {p["pattern"] for p in patterns}
    assert {p["label"] for p in patterns} == {"GPE"}
    assert {"Konna", "Diabaly", "Sévaré", "Sevare", "Kidal", "West Virginia"} <= texts
    for unsafe in ("Mary", "Michael", "Central", "North", "Washington", "Georgia", "Gulf"):
        assert unsafe not in texts


def test_arabic_names_without_their_article(gaz):
    assert any(c.country == "SYR" for c in gaz.lookup("Al-Raqqah"))
    # Not for names of the rest of the world: "El Paso" is not "Paso".
    assert all(c.country in gz.ARABIC_COUNTRIES for c in gaz.lookup("al Paso"))


def test_other_spellings_of_arabic_names_only_when_asked(gaz):
    assert gz.arabic_skeleton(fold_place("Khan Sheikhoun")) == gz.arabic_skeleton(fold_place("Khān Shaykhūn"))
    assert any(c.country == "SYR" for c in gaz.lookup("Khan Sheikhoun", spellings=True))
    assert any(c.country == "SYR" for c in gaz.lookup("Maarat al-Numan", spellings=True))
    # Same consonants, spelled unlike: no match.
    assert gaz.lookup("In Sudan", spellings=True) == []
    assert gaz.lookup("Muslim") == []


@pytest.mark.parametrize("name, feature", [
    ("Gulf of Mexico", "GULF"),
    ("Lake Erie", "LK"),
    ("Mississippi River", "STM"),
    ("the Rockies", "MTS"),
    ("Appalachia", "RGN"),
    ("Strait of Hormuz", "STRT"),
    ("Yellowstone National Park", "PRK"),
])
def test_natural_features_and_regions_are_in_the_index(gaz, name, feature):
    assert any(c.feature == feature for c in gaz.lookup(name))


def test_natural_features_file_is_well_formed():
    entries = gz.read_additions(gz.NATURAL_TSV)
    assert len(entries) > 300
    codes = {"OCN", "SEA", "GULF", "BAY", "SD", "STRT", "CNL", "STM", "LK", "LKS", "RSV", "MTS", "MT",
             "DSRT", "PEN", "CAPE", "ISL", "ISLS", "PRK", "DLTA", "DAM", "RGN"}
    ids = [e.geonameid for e in entries] + [e.geonameid for e in gz.read_additions()]
    assert len(ids) == len(set(ids))
    for e in entries:
        assert e.feature in codes and -90 <= e.lat <= 90 and -180 <= e.lon <= 180, e
        assert e.country is None or len(e.country) == 3, e


def test_a_state_or_town_name_is_not_made_a_river(gaz):
    # Rivers named after states go in by their full name only: a bare "Mississippi" is the state.
    assert all(c.feature != "STM" for c in gaz.lookup("Mississippi"))
    assert all(c.feature != "STM" for c in gaz.lookup("Hudson"))


def test_ruler_takes_named_features_but_not_bare_words():
    texts = {p["pattern"] for p in curated_ruler_patterns()}
    assert {"Lake Erie", "Gulf of Mexico", "Puget Sound"} <= texts
    assert not {"Pacific", "Rhine", "Sahara", "Arctic"} & texts


@pytest.mark.parametrize("name", ["Dagestan", "Tatarstan", "Kabardino-Balkaria", "North Ossetia"])
def test_english_names_of_russian_republics(gaz, name):
    assert any(c.country == "RUS" and c.feature == "ADM1" for c in gaz.lookup(name))

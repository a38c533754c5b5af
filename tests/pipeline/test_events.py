"""Event types and modality on sentences of our own (the example story has its own test)."""
import pytest

from whimbrel.pipeline.events import EventFinder
from whimbrel.pipeline.text import ParsedArticle, Sentence
from whimbrel.records import Article


@pytest.fixture(scope="module")
def finder(nlp):
    return EventFinder(nlp.vocab)


def mentions(nlp, finder, text):
    doc = nlp(text)
    parsed = ParsedArticle(Article(text), [Sentence(s, 0, i) for i, s in enumerate(doc.sents)])
    return [(m.event_type, m.modality, m.trigger.text) for m in finder.find(parsed)]


@pytest.mark.parametrize("text, expected", [
    ("Government troops shelled rebel positions outside Aleppo on Monday.", ("ASSAULT", "asserted", "shelled")),
    ("The two leaders held talks in Geneva.", ("CONSULT", "asserted", "held talks")),
    ("Kenya and Somalia signed a border agreement.", ("AGREE", "asserted", "signed")),
    ("Police arrested dozens of demonstrators in Minsk.", ("COERCE", "asserted", "arrested")),
    ("Thousands of workers went on strike in Lagos.", ("PROTEST", "asserted", "went on strike")),
    ("The European Union imposed sanctions on Belarus.", ("SANCTION", "asserted", "imposed")),
    ("Japan pledged $10 million in aid to Haiti.", ("AGREE", "asserted", "pledged")),
    ("The minister resigned after the scandal.", ("RETREAT", "asserted", "resigned")),
    ("Seoul condemned the missile launch.", ("ACCUSE", "asserted", "condemned")),
    ("The rebels rejected the peace proposal.", ("REJECT", "asserted", "rejected")),
    ("Moscow warned Kiev against joining NATO.", ("THREATEN", "asserted", "warned")),
    ("The opposition called for fresh elections.", ("REQUEST", "asserted", "called for")),
    ("Chad deployed troops to the border.", ("MOBILIZE", "asserted", "deployed")),
    ("Norway praised the ceasefire deal.", ("SUPPORT", "asserted", "praised")),
    ("The government apologised to the victims' families.", ("CONCEDE", "asserted", "apologised")),
    ("The two countries agreed to share intelligence on militant groups.", ("COOPERATE", "hypothetical", "share")),
])
def test_each_type_from_its_trigger(nlp, finder, text, expected):
    assert expected in mentions(nlp, finder, text)


@pytest.mark.parametrize("text, trigger, modality", [
    ("The militia denied that it had attacked the convoy.", "attacked", "negated"),
    ("The army did not fire on the crowd.", "fire", "negated"),
    ("Those air strikes never happened.", "air strikes", "negated"),
    ("Washington is weighing air strikes against the group.", "air strikes", "hypothetical"),
    ("The president may send troops to the region.", "send", "hypothetical"),
    ("The alliance plans to deploy more ships in the spring.", "deploy", "hypothetical"),
    ("Officials said the army had shelled the village.", "shelled", "asserted"),
    ("A peacekeeping force due to be deployed next year will train local police.", "deployed", "hypothetical"),
    ("The rebels could attack the capital within days.", "attack", "hypothetical"),
    # a negated predicate of an event noun does not deny the event; a negated occurrence does
    ("Air strikes will not end the insurgency, the general warned.", "Air strikes", "hypothetical"),
    ("The promised talks never took place.", "talks", "negated"),
    ("Chad opened its border to the refugees but was still refusing entry to soldiers.", "refusing", "asserted"),
    ("Hanoi is open to talks with Beijing on the reef.", "talks", "hypothetical"),
    # "not necessarily" leaves the act possible
    ("The peacekeepers are not necessarily mandated to fight the militias.", "fight", "hypothetical"),
    # what is refused does not happen; what is voted for has not happened yet
    ("The council declined to send troops to the disputed region.", "send", "negated"),
    ("Lawmakers voted to deploy the navy to the gulf.", "deploy", "hypothetical"),
])
def test_modality(nlp, finder, text, trigger, modality):
    found = {t: m for _, m, t in mentions(nlp, finder, text)}
    assert found.get(trigger) == modality, found


def test_conditional_promise_of_force_is_a_threat(nlp, finder):
    found = mentions(nlp, finder, "We will strike back hard if they cross the river.")
    assert ("THREATEN", "asserted", "strike") in found


def test_several_events_in_one_sentence(nlp, finder):
    found = mentions(nlp, finder, "Police fired tear gas at protesters and arrested twenty of them.")
    types = {t for t, _, _ in found}
    assert {"ASSAULT", "COERCE"} <= types


@pytest.mark.parametrize("text", [
    "He died of a heart attack in 2009.",
    "The company launched a new phone on Monday.",
    "Inflation rose to 9 percent in March.",
])
def test_no_event(nlp, finder, text):
    assert mentions(nlp, finder, text) == []


def test_defacing_websites_is_cyber_coercion_and_a_statue_vandalism(nlp, finder):
    lexicon = finder.find_in_sentence
    doc = nlp("Hackers defaced the websites of three ministries in Riga on Friday.")
    found = lexicon(Sentence(next(doc.sents), 0, 0))
    assert [(m.event_type, m.mode) for m in found] == [("COERCE", "cyber")]
    doc = nlp("Protesters defaced a statue of the king in the capital.")
    assert [(m.event_type, m.mode) for m in lexicon(Sentence(next(doc.sents), 0, 0))] == [("PROTEST", "vandalize")]


def test_pushing_for_an_act_is_a_request(nlp, finder):
    doc = nlp("Paris pushed hard for a new round of talks with the junta.")
    found = finder.find_in_sentence(Sentence(next(doc.sents), 0, 0))
    assert ("REQUEST", "pushed") in [(m.event_type, m.trigger.text) for m in found]
    doc = nlp("Rescuers pushed the boat back into the water.")
    assert finder.find_in_sentence(Sentence(next(doc.sents), 0, 0)) == []

"""Which sentences the `code` path tags and parses: word forms of the lexicon and of the
classifier's event words, on sentences of our own."""
import pytest

from whimbrel.pipeline.event_words import EventWords, Rule, classifier_event_words, forms_of_any_lemma, inflections
from whimbrel.pipeline.events import TriggerEntry


def entry(lemma, objects=(), event_type="ASSAULT"):
    return TriggerEntry(lemma, "ANY", frozenset(objects), event_type, None)


@pytest.fixture(scope="module")
def words():
    return EventWords.for_finder([entry("shell"), entry("air strike"), entry("reach", {"agreement", "deal"}, "AGREE")])


def sentence(nlp, text):
    return nlp.make_doc(text)[:]


def test_every_inflected_form_counts():
    assert {"strike", "strikes", "struck", "striking"} <= inflections("strike")
    assert {"kidnapped", "kidnapping"} <= inflections("kidnap")
    assert {"order", "ordered", "orders"} <= forms_of_any_lemma("ordering")


def test_a_sentence_with_a_lexicon_form_may_hold_an_event(nlp, words):
    assert words.may_hold_event(sentence(nlp, "Artillery shelled the northern suburbs overnight."))
    assert words.may_hold_event(sentence(nlp, "Two air strikes hit the depot."))


def test_a_phrase_needs_all_its_words(nlp, words):
    assert not words.may_hold_event(sentence(nlp, "The strikes by dock workers went on."))
    assert not words.may_hold_event(sentence(nlp, "The air was cold."))


def test_an_entry_with_objects_needs_one_of_them(nlp, words):
    assert words.may_hold_event(sentence(nlp, "The two sides reached a deal on Friday."))
    assert not words.may_hold_event(sentence(nlp, "The convoy reached the border on Friday."))


def test_a_plain_statement_is_read_for_names_only(nlp, words):
    assert not words.may_hold_event(sentence(nlp, "It was a cold morning in Bamako, the capital."))


def test_rule_holds_only_with_its_other_words():
    rule = Rule((frozenset({"air"}), frozenset({"strike", "strikes"})))
    assert rule.holds({"air", "strikes"}) and not rule.holds({"air", "force"})


def test_the_trained_classifier_adds_words_the_lexicon_lacks(pipeline):
    classifier = pipeline.events.classifier
    if classifier is None:
        pytest.skip("no trained event model ships")
    found = classifier_event_words(classifier)
    assert found and all(word.isalpha() for word in found)
    assert not {"the", "in", "have", "do"} & set(found)  # stop words never make a sentence worth parsing
    assert len(classifier_event_words(classifier, margin=0.0)) > len(found)

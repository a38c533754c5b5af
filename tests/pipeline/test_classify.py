"""The trained event classifier: its decisions, its plain-data model files, and the shipped model."""
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from whimbrel.pipeline.classify import (
    NONE, EventClassifier, LinearModel, Thresholds, merge_same_event, token_features, trigger_words,
)
from whimbrel.pipeline.events import EventFinder, Mention
from whimbrel.pipeline.text import ParsedArticle, Sentence
from whimbrel.records import Article

TRAINING = Path(__file__).resolve().parents[2] / "training"
CLASSES = [NONE, "ASSAULT", "COERCE", "PROTEST"]


def sentence_of(nlp, text):
    return Sentence(next(nlp(text).sents), 0, 0)


def tiny_classifier(rules: dict[str, dict[str, float]], thresholds=Thresholds(0.5, 0.5, 1.0)):
    """A hand-set model: each feature pushes the listed classes by the given scores."""
    vocabulary = {feature: number for number, feature in enumerate(sorted(rules))}
    weights = np.zeros((len(vocabulary), len(CLASSES)), dtype=np.float32)
    for feature, pushes in rules.items():
        for label, score in pushes.items():
            weights[vocabulary[feature], CLASSES.index(label)] = score
    bias = np.array([2.0, 0, 0, 0], dtype=np.float32)  # NONE unless a feature says otherwise
    modes = {"ASSAULT": LinearModel([NONE, "aerial", "firearms"], np.zeros((len(vocabulary), 3), np.float32),
                                    np.array([0, 1.0, 0], np.float32))}
    return EventClassifier(vocabulary, LinearModel(CLASSES, weights, bias), modes, thresholds, use_sentence=False)


def lexicon_mentions(nlp, sentence):
    return EventFinder(nlp.vocab).find_in_sentence(sentence)


def test_features_describe_the_word_its_arguments_and_the_lexicon(nlp):
    sentence = sentence_of(nlp, "The army sent troops to the border.")
    sent = next(t for t in sentence.span if t.lower_ == "sent")
    features = token_features(sent, {sent.i: "AID"})
    assert {"lem=send", "pos=VERB", "prop=AID", "lex=AID", "arg=dobj:troop", "lem+pobj=send+to:border"} <= set(features)


def test_a_lexicon_mention_is_retyped_with_the_model_confidence(nlp):
    sentence = sentence_of(nlp, "Police fired on the crowd in the square.")
    found = lexicon_mentions(nlp, sentence)
    assert [m.event_type for m in found] == ["ASSAULT"]
    classifier = tiny_classifier({"lem=fire": {"COERCE": 6.0}})
    revised = classifier.revise(sentence, found)
    assert [(m.trigger.text, m.event_type) for m in revised] == [("fired", "COERCE")]
    assert 0.9 < revised[0].confidence < 1.0
    assert found[0].event_type == "ASSAULT"  # the lexicon's mention is not changed in place


def test_a_mention_the_model_calls_none_is_dropped(nlp):
    sentence = sentence_of(nlp, "Police fired on the crowd in the square.")
    assert tiny_classifier({}).revise(sentence, lexicon_mentions(nlp, sentence)) == []


def test_a_word_the_lexicon_missed_is_added_with_mode_and_modality(nlp):
    sentence = sentence_of(nlp, "Rebels may strafe the convoy near the river.")
    classifier = tiny_classifier({"lem=strafe": {"ASSAULT": 6.0}})
    added = classifier.revise(sentence, [])
    assert [(m.trigger.text, m.event_type, m.mode, m.modality) for m in added] == \
        [("strafe", "ASSAULT", "aerial", "hypothetical")]


def test_fallback_keeps_the_likeliest_event_of_an_empty_sentence(nlp):
    sentence = sentence_of(nlp, "Rebels torched the convoy near the river.")
    unsure = {"lem=torch": {"ASSAULT": 2.0}}  # P(ASSAULT) is about 0.44
    assert tiny_classifier(unsure, Thresholds(0.5, 0.9, 1.0)).revise(sentence, []) == []
    kept = tiny_classifier(unsure, Thresholds(0.5, 0.9, 0.3)).revise(sentence, [])
    assert [m.trigger.text for m in kept] == ["torched"]


def test_trigger_words_take_the_compound_before_the_word(nlp):
    sentence = sentence_of(nlp, "The prisoners began a hunger strike on Monday.")
    strike = next(t for t in sentence.span if t.lower_ == "strike")
    assert trigger_words(strike).text == "hunger strike"


def test_two_linked_words_of_one_event_make_one_mention(nlp):
    sentence = sentence_of(nlp, "The European Union imposed sanctions on Belarus.")
    span = sentence.span
    imposed = next(t for t in span if t.lower_ == "imposed")
    sanctions = next(t for t in span if t.lower_ == "sanctions")
    mentions = [Mention(sentence, span.doc[imposed.i:imposed.i + 1], "SANCTION", None, confidence=0.9),
                Mention(sentence, span.doc[sanctions.i:sanctions.i + 1], "SANCTION", None, confidence=0.7)]
    assert [m.trigger.text for m in merge_same_event(mentions)] == ["imposed"]


# --- the training script and the model files ---------------------------------------

@pytest.fixture(scope="module")
def train_module():
    sys.path.insert(0, str(TRAINING))
    import train

    return train


def test_written_model_is_plain_data_and_loads_back(nlp, train_module, tmp_path):
    classifier = tiny_classifier({"lem=fire": {"COERCE": 6.0}, "lem=strafe": {"ASSAULT": 6.0}})
    train_module.write_model(classifier, {"corpus": {"sentences": 0}}, tmp_path)
    meta = json.loads((tmp_path / "model.json").read_text())
    with np.load(tmp_path / "weights.npz", allow_pickle=False) as arrays:
        loaded = EventClassifier.from_files(meta, {name: arrays[name] for name in arrays.files})
    sentence = sentence_of(nlp, "Rebels may strafe the convoy near the river.")
    assert [(m.event_type, m.mode) for m in loaded.revise(sentence, [])] == [("ASSAULT", "aerial")]
    assert loaded.vocabulary == classifier.vocabulary


def test_training_labels_the_head_of_each_annotated_trigger(nlp, train_module):
    doc = nlp("Thousands of workers went on strike in Lagos on Monday.")
    heads = train_module.gold_heads(doc, [{"trigger": "went on strike", "event_type": "PROTEST"}])
    assert [doc[i].text for i in heads] == ["went"]


def test_training_learns_from_a_small_corpus(nlp, train_module, tmp_path):
    rows = []
    for number, (text, trigger, event_type) in enumerate([
        ("Soldiers shelled the village at dawn.", "shelled", "ASSAULT"),
        ("Artillery shelled the town overnight.", "shelled", "ASSAULT"),
        ("Police detained ten students in the capital.", "detained", "COERCE"),
        ("Officers detained a reporter at the airport.", "detained", "COERCE"),
        ("Workers marched through the city centre.", "marched", "PROTEST"),
        ("Farmers marched on parliament with tractors.", "marched", "PROTEST"),
    ]):
        rows.append({"id": f"t-{number}", "text": text, "events": [
            {"event_type": event_type, "mode": None, "trigger": trigger, "modality": "asserted"}]})
    settings = train_module.Settings(min_count=1, thresholds=Thresholds(0.5, 0.3, 1.0))
    examples = train_module.build_examples(rows, nlp, settings)
    classifier = train_module.fit(examples, settings)
    sentence = sentence_of(nlp, "Troops shelled the market.")
    assert [m.event_type for m in classifier.revise(sentence, [])] == ["ASSAULT"]


# --- the shipped model ---------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped():
    classifier = EventClassifier.load()
    if classifier is None:
        pytest.skip("no event model in whimbrel/models/events (run training/train.py)")
    return classifier


@pytest.fixture(scope="module")
def finder(nlp, shipped):
    return EventFinder(nlp.vocab)


def coded(nlp, finder, text):
    doc = nlp(text)
    parsed = ParsedArticle(Article(text), [Sentence(s, 0, i) for i, s in enumerate(doc.sents)])
    return [(m.event_type, m.trigger.text) for m in finder.find(parsed)]


def test_shipped_model_loads_once(shipped):
    assert EventClassifier.load() is shipped
    assert shipped.types.classes[0] == NONE and len(shipped.types.classes) == 17


@pytest.mark.parametrize("text, event_type", [
    ("Government troops shelled rebel positions outside Aleppo on Monday.", "ASSAULT"),
    ("Riot police detained dozens of opposition supporters in Minsk.", "COERCE"),
    ("Kenya and Somalia signed a border agreement in Nairobi.", "AGREE"),
    ("The European Union imposed fresh sanctions on Belarus.", "SANCTION"),
    ("Tens of thousands of people marched through Santiago demanding pension reform.", "PROTEST"),
])
def test_shipped_model_codes_plain_wire_sentences(nlp, finder, text, event_type):
    assert event_type in {t for t, _ in coded(nlp, finder, text)}


@pytest.mark.parametrize("text", [
    "He died of a heart attack in 2009.",
    "Inflation rose to 9 percent in March.",
])
def test_shipped_model_codes_nothing_in_plain_statements(nlp, finder, text):
    assert coded(nlp, finder, text) == []


def modalities(nlp, finder, text):
    doc = nlp(text)
    parsed = ParsedArticle(Article(text), [Sentence(s, 0, i) for i, s in enumerate(doc.sents)])
    return [(m.event_type, m.trigger.text, m.modality) for m in finder.find(parsed)]


def test_unnamed_demand_is_a_request(nlp, finder):
    found = modalities(nlp, finder, "The Swiss government said Tehran must guarantee the safety of the detained tourists.")
    assert ("REQUEST", "guarantee", "asserted") in found


@pytest.mark.parametrize("text", [
    "Economists said the currency must stabilise before the summer.",  # no party must act
    "We must stay calm, the coach told the players after the match.",  # not reported, and first person
    "Diplomats argued that the treaty gives them the right to intervene, should Paris choose.",  # a condition
])
def test_no_demand_without_a_party_who_must_act(nlp, finder, text):
    assert "REQUEST" not in {t for t, _, _ in modalities(nlp, finder, text)}


def test_prepared_to_act_is_an_offer_and_the_act_hypothetical(nlp, finder):
    found = modalities(nlp, finder, "The Kenyan president said he was prepared to lift the ban on the opposition party.")
    assert ("AGREE", "lift", "asserted") in found
    assert any(t != "AGREE" and word == "lift" and modality == "hypothetical" for t, word, modality in found)


def test_prepared_to_impose_force_is_a_threat(nlp, finder):
    found = modalities(nlp, finder, "The interim government announced it was prepared to impose a curfew on the capital.")
    assert "THREATEN" in {t for t, _, _ in found}


def test_mandative_subjunctive_is_demanded_not_done(nlp, finder):
    found = modalities(nlp, finder, "Donors urged that Kabul release the detained aid workers.")
    assert ("REQUEST", "urged", "asserted") in found
    assert any(word == "release" and modality == "hypothetical" for _, word, modality in found)
    found = modalities(nlp, finder, "Cairo insisted that Ethiopia halt the filling of the dam.")
    assert ("REQUEST", "halt", "asserted") in found


@pytest.mark.parametrize("text, event_type", [
    ("Indian and Japanese warships launched war games off Chennai on Monday.", "COOPERATE"),
    ("The Greek navy held exercises with French frigates south of Crete.", "COOPERATE"),
    ("The Iranian navy launched war games in the Gulf on Friday.", "MOBILIZE"),
])
def test_drills_with_a_partner_are_cooperation(nlp, finder, text, event_type):
    assert event_type in {t for t, _, _ in modalities(nlp, finder, text)}

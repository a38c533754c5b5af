"""The trained event classifier: types, drops or adds the event mentions of a sentence.

The trigger lexicon (knowledge/data/triggers.tsv) proposes candidates; this module
decides. Every content word of the sentence (verbs, nouns, adjectives, and every
head the lexicon proposed) is a candidate, described by sparse features of its own
word, its place in the parse (governor, dependents, the objects of its
prepositions) and what the lexicon says about it; a multinomial logistic
regression trained on the annotated corpus (training/train.py) gives each
candidate a probability for NONE and for each of the 16 PLOVER types. Beside the
sparse features it reads spaCy's own token vectors (``doc.tensor``, already computed
by the parse). A second, per-type model picks the mode.

After the model, ``stated_intentions`` codes what an actor says it will do (or says
someone must do) as the speech act PLOVER makes of it: AGREE, THREATEN, REQUEST or
REJECT, beside the announced act itself as a hypothetical mention.

The lexicon stays useful as a feature: a word it lists is a strong prior for its
type, which lets the model generalise to trigger words that are rare in the
corpus, while the parse features learn what the lexicon cannot say ("sent troops
to help" is AID, "sent troops to the border" MOBILIZE, "a heart attack" nothing).

The model is plain data: ``whimbrel/models/events/model.json`` (classes, feature
vocabulary, thresholds) and ``weights.npz`` (float32 coefficients), read with
``numpy.load(allow_pickle=False)``; nothing executable is unpickled.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Iterable

import numpy as np
from spacy.tokens import Span, Token

from whimbrel.pipeline.events import Mention, is_mandative, modality_of, trigger_lexicon
from whimbrel.pipeline.text import Sentence

NONE = "NONE"
MODEL_FORMAT = 1
# Parts of speech that can name an event; the lexicon's own heads are always candidates too.
CANDIDATE_POS = frozenset({"VERB", "NOUN", "ADJ", "PROPN"})
# Dependents whose lemma says what the event is about ("send troops", "fired on protesters").
ARGUMENT_DEPS = frozenset({"dobj", "nsubj", "nsubjpass", "attr", "oprd", "dative", "prt", "agent",
                           "xcomp", "ccomp", "acomp", "compound", "amod", "neg", "aux", "auxpass", "advmod",
                           "npadvmod", "poss", "nmod", "acl", "relcl", "mark", "appos"})
NO_NOUN_POS = frozenset({"DET", "PUNCT", "CCONJ", "PRON", "NUM", "SYM", "SPACE", "X", "PART"})


# --- features ---------------------------------------------------------------------

@cache
def lexicon_types() -> dict[str, tuple[str, ...]]:
    """Lemma -> the event types the trigger lexicon gives it (single words and phrase heads)."""
    types: dict[str, set[str]] = {}
    for entry in trigger_lexicon():
        for word in entry.lemma.split():
            types.setdefault(word, set()).add(entry.event_type)
    return {lemma: tuple(sorted(found)) for lemma, found in types.items()}


def lemma_of(token: Token) -> str:
    return token.lemma_.lower()


def candidate_tokens(span: Span, proposed: dict[int, str]) -> list[Token]:
    """The tokens of a sentence that could name an event."""
    return [t for t in span if t.pos_ in CANDIDATE_POS or t.i in proposed]


def token_features(token: Token, proposed: dict[int, str]) -> list[str]:
    """Sparse features of one candidate; ``proposed`` maps token index -> the lexicon's type."""
    lemma = lemma_of(token)
    head = token.head
    features = [
        f"lem={lemma}", f"low={token.lower_}", f"pos={token.pos_}", f"tag={token.tag_}", f"dep={token.dep_}",
        f"lem|pos={lemma}|{token.pos_}", f"suffix={lemma[-4:]}", f"prop={proposed.get(token.i, NONE)}",
    ]
    for event_type in lexicon_types().get(lemma, ()):
        features.append(f"lex={event_type}")
    if head.i == token.i:
        features.append("root")
    else:
        head_lemma = lemma_of(head)
        features += [f"head={head_lemma}", f"dep>head={token.dep_}>{head_lemma}", f"headpos={head.pos_}"]
        features += [f"headlex={t}" for t in lexicon_types().get(head_lemma, ())]
        if head.i in proposed:
            features.append(f"headprop={proposed[head.i]}")
        if head.head.i != head.i:
            features.append(f"grandhead={lemma_of(head.head)}")
    features += argument_features(token, lemma)
    features += party_features(token)
    return features


PARTY_ENTS = frozenset({"GPE", "NORP", "ORG"})


def party_features(token: Token) -> list[str]:
    """Does the event have several parties? Joint drills are COOPERATE, one army's drills MOBILIZE.

    "French and Egyptian warships launched war games", "held exercises with Russia":
    a coordinated subject of the clause, or a named party after "with".
    """
    verb = token.head if token.dep_ in ("dobj", "nsubjpass", "attr") else token
    features = []
    for subject in (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")):
        if any(t.dep_ == "conj" for t in subject.subtree):
            features.append("jointsubj")
    for holder in {verb.i: verb, token.i: token}.values():
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ in ("with", "between", "alongside"):
                if any(t.ent_type_ in PARTY_ENTS for t in prep.subtree):
                    features.append(f"party={prep.lower_}")
    return features


def argument_features(token: Token, lemma: str) -> list[str]:
    """What the candidate's dependents say: its objects, subject, particles and prepositions."""
    features = []
    for child in token.children:
        dep = child.dep_
        if dep == "prep":
            prep = lemma_of(child)
            features += [f"prep={prep}", f"lem+prep={lemma}+{prep}"]
            for pobj in child.children:
                if pobj.dep_ in ("pobj", "pcomp"):
                    word = lemma_of(pobj)
                    features += [f"pobj={prep}:{word}", f"lem+pobj={lemma}+{prep}:{word}"]
                    features += [f"pobjlex={t}" for t in lexicon_types().get(word, ())]
        elif dep in ARGUMENT_DEPS and child.pos_ not in NO_NOUN_POS | {"ADP"} or dep in ("neg", "aux", "prt"):
            word = lemma_of(child)
            features += [f"arg={dep}:{word}", f"lem+arg={lemma}+{dep}:{word}"]
            if dep in ("dobj", "nsubjpass", "xcomp", "ccomp", "compound", "nsubj"):
                features += [f"arglex={dep}:{t}" for t in lexicon_types().get(word, ())]
            if dep == "dobj":
                features += [f"objmod={lemma_of(m)}" for m in child.children if m.dep_ in ("compound", "amod")]
    return features


def sentence_features(span: Span) -> list[str]:
    """Words of the whole sentence, shared by all its candidates (the topic of the sentence)."""
    return sorted({f"sent={lemma_of(t)}" for t in span
                   if t.pos_ in ("VERB", "NOUN", "ADJ") and not t.is_stop})


# Scales the tok2vec output (values around +-2) to the size of a binary feature.
DENSE_SCALE = 0.25


def token_vectors(tokens: list[Token], width: int) -> np.ndarray:
    """Each token's row of ``doc.tensor`` (spaCy's shared tok2vec output) beside its governor's.

    The vectors carry what the sparse features cannot: that an unseen verb is used
    like one seen in training. A doc without a tensor of that width gives zeros.
    """
    if not tokens:
        return np.zeros((0, 2 * width), dtype=np.float32)
    tensor = tokens[0].doc.tensor
    if tensor is None or tensor.ndim != 2 or tensor.shape[1] != width:
        return np.zeros((len(tokens), 2 * width), dtype=np.float32)
    own = tensor[[t.i for t in tokens]]
    heads = tensor[[t.head.i for t in tokens]]
    return np.hstack([own, heads]).astype(np.float32) * DENSE_SCALE


# --- the model --------------------------------------------------------------------

@dataclass
class LinearModel:
    """Multinomial logistic regression as plain arrays: weights[feature, class] + bias[class]."""

    classes: list[str]
    weights: np.ndarray
    bias: np.ndarray
    dense: np.ndarray | None = None  # [dimension, class], for the parser's token vectors

    def probabilities(self, rows: list[list[int]], vectors: np.ndarray | None = None) -> np.ndarray:
        scores = np.tile(self.bias, (len(rows), 1))
        lengths = np.fromiter((len(r) for r in rows), dtype=np.intp, count=len(rows))
        if lengths.any():  # one gather and one segmented sum for all rows (a loop per row is slower)
            flat = [index for row in rows for index in row]
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
            filled = lengths > 0
            scores[filled] += np.add.reduceat(self.weights[flat], starts[filled], axis=0)
        if self.dense is not None and vectors is not None:
            scores += vectors @ self.dense
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        return scores / scores.sum(axis=1, keepdims=True)


@dataclass
class Thresholds:
    keep: float = 0.5  # a lexicon mention is dropped when P(NONE) is above this
    add: float = 0.5  # a candidate the lexicon missed becomes a mention from this P(type) up
    fallback: float = 0.1  # a sentence with no mention keeps its likeliest candidate from this P(type) up


class EventClassifier:
    """Decides which candidate words name events, and of which type and mode."""

    def __init__(self, vocabulary: dict[str, int], types: LinearModel, modes: dict[str, LinearModel],
                 thresholds: Thresholds, use_sentence: bool = True, intentions: bool = True):
        self.vocabulary = vocabulary
        self.intentions = intentions  # code stated intentions as speech acts (see stated_intentions)
        self.types = types
        self.modes = modes
        self.thresholds = thresholds
        self.use_sentence = use_sentence

    @classmethod
    def load(cls) -> "EventClassifier | None":
        """The shipped model, or None when none is installed (the lexicon then decides alone)."""
        return _load_shipped()

    @classmethod
    def from_files(cls, meta: dict, arrays) -> "EventClassifier":
        if meta.get("format") != MODEL_FORMAT:
            raise ValueError(f"event model format {meta.get('format')!r}, expected {MODEL_FORMAT}")
        vocabulary = {feature: number for number, feature in enumerate(meta["features"])}
        types = LinearModel(meta["classes"], arrays["type_weights"].astype(np.float32), arrays["type_bias"],
                            arrays.get("type_dense"))
        modes = {}
        for event_type, classes in meta["modes"].items():
            weights = np.zeros((len(vocabulary), len(classes)), dtype=np.float32)
            rows = arrays[f"mode_rows_{event_type}"]
            weights[rows] = arrays[f"mode_weights_{event_type}"]
            modes[event_type] = LinearModel(classes, weights, arrays[f"mode_bias_{event_type}"])
        return cls(vocabulary, types, modes, Thresholds(**meta["thresholds"]), meta.get("sentence_features", True),
                   meta.get("intentions", True))

    # -- scoring --

    def encode(self, span: Span, tokens: Iterable[Token], proposed: dict[int, str]) -> list[list[int]]:
        vocabulary = self.vocabulary
        names = sentence_features(span) if self.use_sentence else []
        shared = [vocabulary[name] for name in names if name in vocabulary]  # looked up once per sentence
        rows = []
        for token in tokens:
            rows.append([vocabulary[name] for name in token_features(token, proposed) if name in vocabulary] + shared)
        return rows

    def vectors(self, tokens: list[Token]) -> np.ndarray | None:
        """The parser's context vectors of each token and of its governor (None for a sparse-only model)."""
        if self.types.dense is None:
            return None
        return token_vectors(tokens, self.types.dense.shape[0] // 2)

    def predict_mode(self, event_type: str, row: list[int]) -> str | None:
        model = self.modes.get(event_type)
        if model is None:
            return None
        mode = model.classes[int(model.probabilities([row])[0].argmax())]
        return None if mode == NONE else mode

    # -- the events stage hook --

    def revise(self, sentence: Sentence, mentions: list[Mention]) -> list[Mention]:
        """Re-type, drop and add mentions of one sentence, each with the model's confidence."""
        return self.decide(sentence, mentions, *self.score(sentence, mentions))

    def score(self, sentence: Sentence, mentions: list[Mention]) -> tuple[list[Token], list[list[int]], np.ndarray]:
        """The candidates of a sentence, their feature rows and their class probabilities."""
        proposed = {m.head.i: m.event_type for m in mentions}
        tokens = candidate_tokens(sentence.span, proposed)
        rows = self.encode(sentence.span, tokens, proposed)
        return tokens, rows, self.types.probabilities(rows, self.vectors(tokens))

    def decide(self, sentence: Sentence, mentions: list[Mention], tokens: list[Token],
               rows: list[list[int]], probabilities: np.ndarray) -> list[Mention]:
        """Turn scored candidates into mentions (new objects; ``mentions`` are left as they were)."""
        by_head = {m.head.i: m for m in mentions}
        classes = self.types.classes
        none = classes.index(NONE)
        revised = []
        for token, row, p in zip(tokens, rows, probabilities):
            event_p = p.copy()
            event_p[none] = -1.0
            best = int(event_p.argmax())
            event_type, confidence = classes[best], float(p[best])
            mention = by_head.get(token.i)
            if mention is not None:
                if p[none] > self.thresholds.keep:
                    continue
                mode = mention.mode if event_type == mention.event_type else self.predict_mode(event_type, row)
                revised.append(replace(mention, event_type=event_type, mode=mode, confidence=confidence))
            elif confidence >= self.thresholds.add:
                revised.append(self.new_mention(sentence, token, event_type, row, confidence))
        if not revised and len(tokens):
            revised = self.fallback(sentence, tokens, rows, probabilities, none)
        revised = joint_drills(promised_force(merge_same_event(revised)))
        return revised + stated_intentions(sentence, revised) if self.intentions else revised

    def fallback(self, sentence: Sentence, tokens: list[Token], rows: list[list[int]],
                 probabilities: np.ndarray, none: int) -> list[Mention]:
        """A sentence left without events keeps its likeliest one if that is likely enough.

        Most event sentences name one event; when no single word is sure enough, the
        best of them still is the event far more often than not.
        """
        event_p = probabilities.copy()
        event_p[:, none] = -1.0
        number, best = np.unravel_index(int(event_p.argmax()), event_p.shape)
        confidence = float(probabilities[number, best])
        if confidence < self.thresholds.fallback:
            return []
        return [self.new_mention(sentence, tokens[number], self.types.classes[best], rows[number], confidence)]

    def new_mention(self, sentence: Sentence, token: Token, event_type: str, row: list[int],
                    confidence: float) -> Mention:
        return Mention(sentence, trigger_words(token), event_type, self.predict_mode(event_type, row),
                       modality_of(token), confidence=confidence)


def trigger_words(token: Token) -> Span:
    """The token with the compound words just before it ("air strikes", "hunger strike")."""
    start = token.i
    while start > token.sent.start and token.doc[start - 1].dep_ == "compound" \
            and token.doc[start - 1].head.i == token.i:
        start -= 1
    return token.doc[start:token.i + 1]


def merge_same_event(mentions: list[Mention]) -> list[Mention]:
    """One event named twice by linked words ("imposed sanctions", "held talks") is one mention.

    Of a governor and its direct dependent with the same type, the governor is kept
    with the higher of the two confidences.
    """
    by_head = {m.head.i: m for m in mentions}
    dropped = set()
    for mention in mentions:
        head = mention.head
        if head.dep_ not in ("dobj", "pobj", "xcomp", "compound", "nsubjpass", "attr", "acl"):
            continue
        # "went on strike": the object of a preposition belongs to the verb above it.
        above = head.head.head if head.dep_ == "pobj" else head.head
        governor = by_head.get(above.i)
        if governor is None or governor is mention or governor.event_type != mention.event_type:
            continue
        # The governing word stays the trigger, as in the lexicon ("imposed", not "sanctions").
        governor.confidence = max(governor.confidence, mention.confidence)
        dropped.add(id(mention))
    kept = [m for m in mentions if id(m) not in dropped]
    return sorted(kept, key=lambda m: m.trigger.start)


# --- stated intentions ------------------------------------------------------------

COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
CONFLICTUAL = frozenset({"SANCTION", "COERCE", "ASSAULT", "MOBILIZE", "PROTEST"})
SPEECH_ACTS = frozenset({"AGREE", "THREATEN", "REQUEST", "REJECT"})
FUTURE_AUX = frozenset({"will", "'ll", "shall", "would", "wo"})
OBLIGATION_AUX = frozenset({"must", "should"})
INTENT_WORDS = frozenset({"willing", "ready", "prepared", "determined", "going"})  # not "plans to": hypothetical
SPEECH_VERBS = frozenset({"say", "announce", "confirm", "tell", "declare", "state", "add", "insist", "reiterate",
                          "conclude", "maintain", "argue",
                          "indicate", "write", "signal", "assure", "inform", "make", "stress", "vow"})
THREAT_MODES = {"ASSAULT": "violence", "MOBILIZE": "violence", "arrest": "arrest", "deport": "expel",
                "expel": "expel", "SANCTION": "restrict", "COERCE": "restrict"}
REQUEST_MODES = {"AID": "assist", "RETREAT": "yield", "CONCEDE": "yield", "CONSULT": "meet"}


def stated_intentions(sentence: Sentence, mentions: list[Mention]) -> list[Mention]:
    """"Syria says it will withdraw", "Israel must end the blockade": speech acts of their own.

    PLOVER codes what an actor says it will do as AGREE when the act is cooperative
    (CAMEO 03, "express intent to cooperate") and as THREATEN when it is coercive
    (CAMEO 13), what it says someone must do as REQUEST (CAMEO 10), and a refusal
    in the future tense ("will not accept") as REJECT. The announced act itself stays
    a hypothetical (or negated) mention of its own type.
    """
    spoken = {m.event_type for m in mentions if m.modality == "asserted" and m.event_type in SPEECH_ACTS}
    heads = {m.head.i: m for m in mentions}
    added: list[Mention] = []
    for mention in mentions:
        if mention.modality == "asserted" or mention.event_type in SPEECH_ACTS - {"AGREE"}:
            continue
        if any(heads.get(a.i) is not None and heads[a.i].event_type in SPEECH_ACTS for a in mention.head.ancestors):
            continue  # "threatened to impose", "urged them to withdraw": already said
        kind = intention_of(mention.head)
        if kind is None:
            continue
        event_type, mode = speech_act_for(kind, mention)
        if event_type is None or event_type in spoken or any(a.event_type == event_type for a in added):
            continue
        # The trigger is the announced act, as for conditional threats in events.py; the
        # confidence is below what the sentence reports as done ("rallied ... saying Abbas
        # must resign" is a protest first).
        added.append(Mention(sentence, mention.trigger, event_type, mode, "asserted",
                             confidence=mention.confidence / 2, stated=True))
    if "REQUEST" not in spoken and not any(a.event_type == "REQUEST" for a in added):
        added += unnamed_demands(sentence, heads)
    return added


# Confidence of a demand read off "X said Y must ...", where the demanded act names no event.
DEMAND_CONFIDENCE = 0.3


def unnamed_demands(sentence: Sentence, heads: dict[int, Mention]) -> list[Mention]:
    """"The Red Cross said the occupying forces must ensure security", "Cairo insisted that
    Ethiopia halt the filling": a REQUEST (CAMEO 10).

    What a speaker says another party must or should do is a demand even when the
    demanded act is no PLOVER event of its own. Only a named or known party who must
    act counts ("the currency must recover" is a forecast, "we must" a resolve).
    """
    from whimbrel.pipeline.actors import is_actor_like, is_pronoun  # actors imports events, not us

    found = []
    for token in sentence.span:
        if token.i in heads or token.pos_ != "VERB":
            continue
        modals = [c for c in token.children if c.dep_ == "aux" and c.lower_ in OBLIGATION_AUX]
        subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
        if modals and is_said(token):
            if subjects and modals[0].i < subjects[0].i:
                continue  # "should France choose": a condition, not a demand
        elif not (is_mandative(token) and is_said(token, DEMAND_WORDS)):  # "insisted that Ethiopia halt"
            continue
        if subjects and all(is_actor_like(s) and not is_pronoun(s) for s in subjects):
            found.append(Mention(sentence, token.doc[token.i:token.i + 1], "REQUEST", "change", "asserted",
                                 confidence=DEMAND_CONFIDENCE, stated=True))
    return found[:1]


EXERCISE_WORDS = frozenset({"game", "exercise", "drill", "manoeuvre", "maneuver", "manoeuvres", "maneuvers",
                            "patrol", "wargame"})


def joint_drills(mentions: list[Mention]) -> list[Mention]:
    """Drills with a partner are COOPERATE, one army's drills MOBILIZE (training/GUIDELINE.md).

    The model sees the parties only through two features; the guideline's rule is
    plain, so it is applied as a rule to exercise words the model typed either way.
    """
    for mention in mentions:
        if mention.event_type in ("MOBILIZE", "COOPERATE") and lemma_of(mention.head) in EXERCISE_WORDS:
            joint = exercise_is_joint(mention.head)
            if joint and mention.event_type == "MOBILIZE":
                mention.event_type, mention.mode = "COOPERATE", None
            elif not joint and mention.event_type == "COOPERATE":
                mention.event_type, mention.mode = "MOBILIZE", "weapons"
    return mentions


JOINT_WORDS = frozenset({"joint", "combined", "bilateral", "trilateral", "multinational", "together", "allied"})


def exercise_is_joint(noun: Token) -> bool:
    """"Indian and French warships launched ten days of war games", "drills with Russia",
    "joint exercises": a coordinated subject, a named partner, or a word that says so."""
    verb = next((t for t in [noun, *noun.ancestors] if t.pos_ in ("VERB", "AUX")), noun)
    words = [noun, verb] + [t for t in noun.ancestors if t.i != verb.i and verb.is_ancestor(t)]
    if any(lemma_of(c) in JOINT_WORDS for t in words for c in t.children):
        return True
    if any(lemma_of(t) in JOINT_WORDS for t in noun.subtree):
        return True
    return any(f in ("jointsubj", "party=with", "party=between", "party=alongside")
               for t in {noun.i: noun, verb.i: verb}.values() for f in party_features(t))


PROMISE_VERBS = frozenset({"vow", "swear", "pledge", "promise"})


def promised_force(mentions: list[Mention]) -> list[Mention]:
    """"vowed to fight on", "swore to retake the villages": a promise of force is a threat.

    PLOVER (after CAMEO 13) codes a pledge to use force as THREATEN, not AGREE; the
    promised act stays a mention of its own, hypothetical because it has not happened.
    """
    heads = {m.head.i: m for m in mentions}
    for mention in mentions:
        if mention.event_type != "AGREE" or lemma_of(mention.head) not in PROMISE_VERBS:
            continue
        # xcomp, or advcl with "to" where the parser takes "sworn to fight" for a purpose
        acts = [heads[c.i] for c in mention.head.children if c.i in heads and heads[c.i].event_type in CONFLICTUAL
                and (c.dep_ == "xcomp" or c.dep_ == "advcl" and any(a.lower_ == "to" for a in c.children))]
        if acts:
            act = acts[0]
            mention.event_type = "THREATEN"
            mention.mode = THREAT_MODES.get(act.mode or "", THREAT_MODES.get(act.event_type))
            if act.modality == "asserted":
                act.modality = "hypothetical"
    return mentions


def speech_act_for(kind: str, mention: Mention) -> tuple[str | None, str | None]:
    action = mention.event_type
    if kind == "obligation":
        return "REQUEST", REQUEST_MODES.get(action, "change")
    if mention.modality == "negated":
        cooperative = action in COOPERATIVE or action == "AGREE"
        return ("REJECT", REQUEST_MODES.get(action, "change")) if cooperative else (None, None)
    if action == "AGREE":
        return None, None  # "will sign" is already the promise
    if action in COOPERATIVE:
        # "will withdraw its force unless ...": an ultimatum
        return ("THREATEN", None) if has_unless(mention.head) else ("AGREE", None)
    if action in CONFLICTUAL:
        return "THREATEN", THREAT_MODES.get(mention.mode or "", THREAT_MODES.get(action))
    return None, None


def intention_of(head: Token) -> str | None:
    """"future" ("will", "willing to") or "obligation" ("must") when ``head`` is announced in a said or main clause."""
    token = head
    for _ in range(5):
        if is_mandative(token) and is_said(token, DEMAND_WORDS):
            return "obligation"  # "insisted that Ethiopia stop filling the dam"
        for child in token.children:
            if child.dep_ == "aux" and child.lower_ in FUTURE_AUX:
                return "future" if is_said(token) else None
            if child.dep_ == "aux" and child.lower_ in OBLIGATION_AUX:
                return "obligation" if is_said(token) else None
        if token.i != head.i and lemma_of(token) in INTENT_WORDS:
            return "future" if is_said(token) else None
        if token.dep_ in ("xcomp", "acomp", "conj", "dobj", "nsubjpass") and token.head.i != token.i:
            token = token.head
            continue
        if token.dep_ == "pobj" and token.head.head.i != token.head.i:  # "impose a ban on": the verb above
            token = token.head.head
            continue
        return None
    return None


def has_unless(token: Token) -> bool:
    clause = token
    while clause.dep_ in ("xcomp", "acomp", "conj", "dobj") and clause.head.i != clause.i:
        clause = clause.head
    return any(t.lower_ == "unless" for t in clause.subtree)


# Words that report a demand: the clause under them says what someone wants done.
DEMAND_WORDS = frozenset({"demand", "insist", "urge", "ask", "request", "call", "propose", "recommend",
                          "require", "press", "order"})


def is_said(token: Token, reporters: frozenset[str] = frozenset()) -> bool:
    """Is the clause of ``token`` the main clause, or what a speech verb (or ``reporters``) reports?"""
    while token.dep_ in ("xcomp", "acomp", "conj", "aux", "auxpass") and token.head.i != token.i:
        token = token.head
    if token.dep_ == "ROOT":
        return True
    return token.dep_ in ("ccomp", "acl") and lemma_of(token.head) in SPEECH_VERBS | reporters


# --- loading ---------------------------------------------------------------------

def model_directory():
    return resources.files("whimbrel") / "models" / "events"


@cache
def _load_shipped() -> EventClassifier | None:
    directory = model_directory()
    meta_file, weights_file = directory / "model.json", directory / "weights.npz"
    if not (meta_file.is_file() and weights_file.is_file()):
        return None
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    with weights_file.open("rb") as handle:
        with np.load(handle, allow_pickle=False) as arrays:
            return EventClassifier.from_files(meta, {name: arrays[name] for name in arrays.files})

"""The events stage: event mentions with type, mode, modality and trigger.

Triggers come from a lexicon (knowledge/data/triggers.tsv) matched on spaCy
lemmas, checked against the parse (a verb that only names an event with certain
objects, "send troops", "impose sanctions"), and given a modality from the chain
of words that govern them ("considering launching drone strikes" is hypothetical,
"those strikes never came" negated). A conditional promise of force ("we will be
ready to push them back if they cross the river") is a THREATEN event of its own.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from whimbrel.pipeline.text import ParsedArticle, Sentence

# Words whose presence above a trigger makes it not (yet) real.
MODALS = {"may", "might", "could", "would", "should", "can", "will", "shall", "must", "'ll", "wo", "ca"}
HEDGE_VERBS = {
    "consider", "mull", "weigh", "plan", "propose", "intend", "want", "seek", "prepare", "threaten",
    "aim", "hope", "expect", "try", "attempt", "offer", "vow", "pledge", "promise", "discuss",
    "study", "contemplate", "explore", "urge", "ask", "call", "demand", "need", "decide", "agree",
    "warn", "order", "authorize", "authorise", "approve", "suggest", "recommend", "vote",
}
HEDGE_WORDS = {
    "possibility", "possible", "option", "open", "ready", "prospect", "plan", "proposal", "idea",
    "threat", "risk", "likely", "unlikely", "due", "potential", "possibly", "perhaps", "if", "unless",
    "whether", "future", "call", "demand", "request", "willing", "poised", "set",
    "prepared", "determined",  # "is prepared to lift the ban": offered, not done
}
# Verbs through whose prepositional object an event is done: "engage in combat", "carry out attacks".
PARTICIPATION_VERBS = {"launch", "carry", "conduct", "stage", "mount", "engage", "participate", "join",
                       "resort", "take", "involve", "step"}
# "refused to withdraw", "declined to send": what is refused does not happen.
NEGATING_VERBS = {"deny", "reject", "rule", "refute", "dismiss", "cancel", "abandon", "scrap", "avoid", "refuse",
                  "decline"}
NEGATION_WORDS = {"not", "n't", "never", "no", "without"}
# Hedge words that hedge only as adjectives: "open to talks", not "opened its borders".
ADJECTIVE_HEDGES = {"open"}
# "not necessarily", "not yet clear whether": the negation leaves the event possible.
UNCERTAIN_ADVERBS = {"necessarily"}
# Verbs that say whether an event happened: "the strikes never came", "no talks took place".
OCCURRENCE_VERBS = {"come", "happen", "occur", "materialize", "materialise", "take", "go", "begin", "start",
                    "resume", "continue", "end", "stop", "last", "be", "get"}
# Coercive verbs that, promised on a condition, make a threat.
THREAT_ACTIONS = {
    "stop", "halt", "attack", "strike", "respond", "retaliate", "act", "intervene", "crush", "destroy",
    "punish", "hit", "use", "defend", "fight", "expel", "sanction", "arrest", "cut", "close",
}
CONDITION_MARKERS = {"if", "unless", "should"}
NOT_EVENT_ENTITIES = {"DATE", "TIME", "PERSON", "GPE", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY",
                      "WORK_OF_ART", "PRODUCT", "LANGUAGE"}


@dataclass(frozen=True)
class TriggerEntry:
    lemma: str
    pos: str
    objects: frozenset[str]
    event_type: str
    mode: str | None


@dataclass
class Mention:
    """An event found in a sentence, before it becomes an ``Event`` record."""

    sentence: Sentence
    trigger: Span  # the matched words
    event_type: str
    mode: str | None
    modality: str = "asserted"
    confidence: float = 0.6
    constrained: bool = False  # the lexicon entry asked for a particular object
    sources: list = field(default_factory=list)  # Actor records, filled by the actors stage
    targets: list = field(default_factory=list)
    actor_spans: list[Span] = field(default_factory=list)
    # A speech act read off an announced act ("China must drop its barriers" -> REQUEST):
    # the trigger is the act, the speaker is the source (see classify.stated_intentions).
    stated: bool = False

    @property
    def head(self) -> Token:
        return self.trigger.root

    @property
    def char_span(self) -> tuple[int, int]:
        return self.sentence.char_span(self.trigger)


@cache
def trigger_lexicon() -> tuple[TriggerEntry, ...]:
    data = resources.files("whimbrel.knowledge") / "data" / "triggers.tsv"
    lines = [line for line in data.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    entries = []
    for row in csv.DictReader(lines, delimiter="\t"):
        objects = frozenset(x for x in (row["with"] or "").split("|") if x)
        entries.append(TriggerEntry(row["lemma"], row["pos"], objects, row["type"], row["mode"] or None))
    return tuple(entries)


class EventFinder:
    """Finds event mentions in parsed sentences."""

    def __init__(self, vocab: Vocab):
        from whimbrel.pipeline.classify import EventClassifier

        self.classifier = EventClassifier.load()  # None when no trained model ships
        self.entries = trigger_lexicon()
        # Phrase matchers, not a token Matcher: their cost does not grow with the
        # number of lexicon entries. Lemmas of hyphenated and compound forms
        # ("airstrikes") stay lower case in spaCy, hence the second one on LOWER.
        self.matchers = [PhraseMatcher(vocab, attr="LEMMA"), PhraseMatcher(vocab, attr="LOWER")]
        for number, entry in enumerate(self.entries):
            words = entry.lemma.split()
            pattern = Doc(vocab, words=words, lemmas=words)
            for matcher in self.matchers:
                matcher.add(str(number), [pattern])

    def find(self, parsed: ParsedArticle) -> list[Mention]:
        mentions: list[Mention] = []
        for sentence in parsed.sentences:
            if not sentence.parsed:
                continue  # read for its names only: no event word in it (event_words.py)
            found = self.find_in_sentence(sentence)
            if self.classifier is not None:
                found = self.classifier.revise(sentence, found)
            found += conditional_threats(sentence, found)
            mentions.extend(found)
        return mentions

    def find_in_sentence(self, sentence: Sentence) -> list[Mention]:
        span = sentence.span
        candidates: dict[int, Mention] = {}  # one mention per head token
        # A PhraseMatcher given a Span answers in offsets of the whole Doc.
        matches = sorted({match for matcher in self.matchers for match in matcher(span)})
        for match_id, start, end in matches:
            entry = self.entries[int(span.vocab.strings[match_id])]
            words = span.doc[start:end]
            mention = self.mention_for(sentence, words, entry)
            if mention is None:
                continue
            current = candidates.get(mention.head.i)
            if current is None or better(mention, current):
                candidates[mention.head.i] = mention
        mentions = drop_purposes(drop_nested(list(candidates.values())))
        for mention in mentions:
            mention.modality = modality_of(mention.head)
        return sorted(mentions, key=lambda m: m.trigger.start)

    def mention_for(self, sentence: Sentence, words: Span, entry: TriggerEntry) -> Mention | None:
        head = words.root
        if head.ent_type_ in NOT_EVENT_ENTITIES:  # "March" the month, "Strike" in a name
            return None
        if entry.pos == "VERB" and head.pos_ not in ("VERB", "AUX"):
            return None
        if entry.pos == "NOUN" and head.pos_ not in ("NOUN", "PROPN"):
            return None
        if entry.objects and not has_object(head, entry.objects, words):
            return None
        if is_figurative(head):
            return None
        return Mention(sentence, words, entry.event_type, entry.mode,
                       confidence=0.7 if entry.objects else 0.6, constrained=bool(entry.objects))


def better(new: Mention, old: Mention) -> bool:
    """Prefer the entry that asked for this very object, then the longer phrase."""
    return (new.constrained, len(new.trigger)) > (old.constrained, len(old.trigger))


def drop_nested(mentions: list[Mention]) -> list[Mention]:
    """"air strike" wins over "strike" on the same words."""
    kept = []
    for mention in mentions:
        inside = any(
            other is not mention and other.trigger.start <= mention.trigger.start
            and mention.trigger.end <= other.trigger.end and len(other.trigger) > len(mention.trigger)
            for other in mentions
        )
        if not inside:
            kept.append(mention)
    return kept


def drop_purposes(mentions: list[Mention]) -> list[Mention]:
    """"sending forces to aid the government" is one AID event, not two."""
    heads = {m.head.i: m for m in mentions}
    kept = []
    for mention in mentions:
        head = mention.head
        governor = heads.get(head.head.i) if head.dep_ in ("xcomp", "advcl") else None
        if governor is not None and governor is not mention and governor.event_type == mention.event_type:
            continue
        kept.append(mention)
    return kept


def has_object(head: Token, objects: frozenset[str], words: Span) -> bool:
    """Does the verb take one of ``objects`` (directly, through a preposition, or in its phrase)?"""
    if any(token.lemma_.lower() in objects for token in words if token.i != head.i):
        return True
    for child in head.children:
        if child.dep_ in ("advcl", "ccomp") and any(m.dep_ == "mark" and m.lemma_.lower() in objects
                                                   for m in child.children):
            return True  # "pushing for Greece to accept": spaCy makes "for" the mark of the clause
        if child.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "dative", "nsubj", "prt"):
            if noun_lemmas(child) & objects:
                return True
        if child.dep_ == "prep":
            if child.lemma_.lower() in objects:
                return True
            for pobj in child.children:
                if pobj.dep_ == "pobj" and noun_lemmas(pobj) & objects:
                    return True
    return False


def noun_lemmas(token: Token) -> set[str]:
    """The lemma of a noun and of its compounds and modifiers ("its air force"); "@PERSON" for a person."""
    lemmas = {token.lemma_.lower()}
    if token.ent_type_ == "PERSON":
        lemmas.add("@PERSON")
    lemmas.update(c.lemma_.lower() for c in token.children if c.dep_ in ("compound", "amod", "nmod"))
    return lemmas


FIGURATIVE_COMPOUNDS = {"heart", "panic", "asthma", "anxiety", "hunger", "price", "lucky", "shark"}


def is_figurative(head: Token) -> bool:
    """Event words in non-political senses ("heart attack", "price war")."""
    return any(c.dep_ in ("compound", "amod") and c.lemma_.lower() in FIGURATIVE_COMPOUNDS
               for c in head.children) and head.lemma_.lower() != "hunger strike"


# --- modality -------------------------------------------------------------------

def modality_of(trigger: Token) -> str:
    """asserted, negated or hypothetical, from the words that govern the trigger.

    Climbs from the trigger through the words it depends on while they still speak
    of the same happening (its verb, the verb that launches or considers it), and
    stops at reported speech, which keeps the modality of what is reported.
    """
    token = trigger
    via_subject = False
    for _ in range(8):
        found = own_modality(token, is_trigger=token.i == trigger.i)
        if found == "negated" and via_subject and not is_occurrence(token):
            # "air strikes will not restore order": what is denied is the predicate, not
            # that strikes happen; the modal still counts ("will" -> hypothetical).
            found = own_modality(token, is_trigger=False, negation=False)
        if found:
            return found
        dep = token.dep_
        head = token.head
        if head.i == token.i:
            break
        via_subject = dep == "nsubj"
        if dep in ("xcomp", "dobj", "nsubj", "nsubjpass", "pcomp", "attr", "oprd", "acomp", "csubj",
                   "auxpass", "amod", "compound", "nmod"):
            token = head
            continue
        if dep == "conj":
            token = head
            continue
        if dep == "pobj":
            governor = head.head
            if governor.lemma_.lower() in HEDGE_WORDS or governor.lemma_.lower() in HEDGE_VERBS:
                return "hypothetical"
            if governor.pos_ in ("VERB", "AUX") and governor.lemma_.lower() in PARTICIPATION_VERBS:
                token = governor
                continue
            break
        if dep in ("ccomp", "advcl", "acl", "relcl"):
            if dep == "ccomp" and head.lemma_.lower() in NEGATING_VERBS:
                return "negated"
            if dep in ("ccomp", "acl") and head.lemma_.lower() in HEDGE_WORDS | {"consider", "plan", "weigh", "mull"}:
                return "hypothetical"
            break
        break
    return "asserted"


def is_occurrence(verb: Token) -> bool:
    """"the strikes never came", "talks took place" (not "strikes will not end the war")."""
    objects = [c.lemma_.lower() for c in verb.children if c.dep_ == "dobj"]
    return verb.lemma_.lower() in OCCURRENCE_VERBS and objects in ([], ["place"])


def is_mandative(verb: Token) -> bool:
    """"demanded that Israel ease the restrictions": a bare verb after a singular subject
    in a that-clause is the mandative subjunctive, what someone wants done, not a fact."""
    if verb.tag_ not in ("VB", "VBP") or verb.dep_ not in ("ccomp", "acl"):
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    return any(c.dep_ == "nsubj" and c.tag_ in ("NN", "NNP") for c in verb.children)


def own_modality(token: Token, is_trigger: bool, negation: bool = True) -> str | None:
    lemma = token.lemma_.lower()
    if is_mandative(token):
        return "hypothetical"
    if negation and not is_trigger and lemma in NEGATING_VERBS and token.pos_ == "VERB":
        return "negated"
    for child in token.children if negation else ():
        word = child.lower_
        if child.dep_ == "neg" or (word in NEGATION_WORDS and child.dep_ in ("advmod", "det", "neg")):
            if any(c.lower_ in UNCERTAIN_ADVERBS for c in token.children):
                return "hypothetical"  # "not necessarily mandated to fight": possible, not denied
            return "negated"
    for child in token.children:
        word = child.lower_
        if child.dep_ in ("aux", "auxpass") and word in MODALS:
            return "hypothetical"
        if child.dep_ == "aux" and word in ("going", "due", "set", "poised"):
            return "hypothetical"
        if child.dep_ == "mark" and word in CONDITION_MARKERS | {"whether"}:
            return "hypothetical"
        if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITION_MARKERS
                                         for m in child.children) and not is_trigger:
            return "hypothetical"
    if not is_trigger and (lemma in HEDGE_VERBS or lemma in HEDGE_WORDS and not
                           (token.pos_ == "VERB" and lemma in ADJECTIVE_HEDGES)):
        return "hypothetical"
    return None


# --- conditional threats ----------------------------------------------------------

def conditional_threats(sentence: Sentence, found: list[Mention]) -> list[Mention]:
    """"We stand ready to push them back if they cross the river": a THREATEN event.

    A coercive action promised in the future on a condition is a threat in PLOVER,
    whatever the verb. The threatened action itself is not an event.
    """
    if any(m.event_type == "THREATEN" for m in found):
        return []
    threats = []
    for token in sentence.span:
        if token.lemma_.lower() not in THREAT_ACTIONS or token.pos_ != "VERB":
            continue
        clause = clause_head(token)
        if not has_condition(clause) or not is_future(token, clause):
            continue
        words = sentence.span.doc[token.i:token.i + 1]
        threats.append(Mention(sentence, words, "THREATEN", "violence", "asserted", confidence=0.55))
        for mention in found:  # the promised action is not an event of its own
            if token.i in (mention.head.i, mention.head.head.i):
                mention.modality = "hypothetical"
    return threats[:1]


def clause_head(token: Token) -> Token:
    while token.dep_ in ("xcomp", "acomp", "conj") and token.head.i != token.i:
        token = token.head
    return token


def has_condition(clause: Token) -> bool:
    for child in clause.subtree:
        if child.dep_ == "mark" and child.lower_ in CONDITION_MARKERS and child.head.dep_ == "advcl":
            return True
    return False


def is_future(token: Token, clause: Token) -> bool:
    for word in (token, clause):
        if any(c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall", "would") for c in word.children):
            return True
        if any(c.lemma_.lower() in ("ready", "prepared", "willing", "determined") for c in word.children):
            return True
    return clause.lemma_.lower() in ("ready", "prepared", "willing")

"""The actors stage: who did it and to whom, from the clause around the trigger.

Roles come from the dependency parse (subject, object, "by" agent of a passive,
"on"/"against" objects of an attack noun, the subject of the verb that launches
or considers an event noun); the phrases are coded to country and sector by the
actor knowledge base. Pronouns and later mentions of people are resolved within
the story; a bare "rebels" takes the country the event happens in.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Span, Token

from whimbrel.knowledge.actors import ActorBook, PeopleMemory, phrase_key
from whimbrel.pipeline.events import Mention
from whimbrel.pipeline.text import ParsedArticle
from whimbrel.records import Actor

SUBJECTS = ("nsubj", "csubj")
OBJECTS = ("dobj", "dative")
# Prepositions that introduce the recipient of an event noun or verb.
TARGET_PREPS = {"against", "on", "upon", "at", "to", "toward", "towards", "into", "over", "for"}
PARTY_PREPS = {"with"}  # meetings and agreements: all parties are actors
JOINT_TYPES = {"CONSULT", "AGREE", "COOPERATE"}
SPEECH_VERBS = {"say", "tell", "announce", "declare", "state", "add", "insist", "confirm", "lay", "write",
                "explain", "note", "argue"}
# Launch verbs: an event noun that is their object is done by their subject.
# ("stag": spaCy's English lemmatizer gives it for "staged" and "staging".)
LAUNCH_VERBS = {"launch", "carry", "conduct", "stage", "stag", "remain", "mount", "unleash", "order", "make", "begin",
                "start", "step", "intensify", "continue", "resume", "use", "consider", "plan", "mull",
                "threaten", "announce", "claim", "deny", "issue", "hold", "impose", "file", "level", "lodge"}
# Verbs that bring parties to an event: "arrived in Riyadh for talks".
MOTION_VERBS = {"return", "arrive", "travel", "fly", "head", "come", "gather", "convene", "assemble"}
FIRST_PERSON = {"we", "i", "us", "our", "my", "me"}
THIRD_PERSON = {"it", "its", "they", "them", "their", "he", "she", "him", "his", "her"}
# Sectors that belong to a country, and take the event's country when the phrase names none.
# "both sides" is a vague group too: the place the event happens in does not say whose sides they are.
COLLECTIVES = {"countries", "nations", "states", "powers", "allies", "partners", "donors", "governments", "sides"}
# Verbs and nouns whose parties act on each other: in "the army and the RSF fought" each party is
# the other's recipient, and the place fought in is none.
RECIPROCAL = {"fight", "clash", "battle", "skirmish", "feud", "spar", "exchange", "trade", "fighting", "clashes"}
DOMESTIC_SECTORS = {"REB", "MIL", "COP", "GOV", "CVL", "OPP", "PTY", "JUD", "LEG", "REF", "UAF", "CRM",
                    "JRN", "MED", "LAB", "BUS", "EDU", "REL", "ELI", "SPY"}


@dataclass
class StoryActors:
    """What the story has said so far: speakers, recent actors, people by name."""

    people: PeopleMemory = field(default_factory=PeopleMemory)
    recent: list[Actor] = field(default_factory=list)
    speaker: Actor | None = None


class ActorCoder:
    def __init__(self, book: ActorBook | None = None):
        self.book = book or ActorBook.load()

    def code(self, parsed: ParsedArticle, mentions: list[Mention]) -> None:
        """Fill sources and targets of every mention, in story order."""
        memory = StoryActors()
        by_sentence: dict[int, list[Mention]] = {}
        for mention in mentions:
            by_sentence.setdefault(mention.sentence.index, []).append(mention)
        for sentence in parsed.sentences:
            for mention in by_sentence.get(sentence.index, []):
                self.code_mention(mention, memory)
                for actor in mention.sources + mention.targets:
                    if actor.country is None:
                        actor.country = place_country(actor, parsed.places)
            if sentence.parsed:
                self.remember(sentence.span, memory)
            else:
                self.remember_people(sentence.span, memory)

    def code_mention(self, mention: Mention, memory: StoryActors) -> None:
        source_heads, target_heads = roles(mention)
        mention.sources = self.code_heads(source_heads, mention, memory)
        mention.targets = [a for a in self.code_heads(target_heads, mention, memory)
                           if a not in mention.sources]
        if not mention.targets and len(mention.sources) >= 2 and is_reciprocal(mention):
            # "Sudan's army and the RSF fought": each is the other's recipient (the first source's first)
            mention.targets = mention.sources[1:] + mention.sources[:1]

    def code_heads(self, heads: list[Token], mention: Mention, memory: StoryActors) -> list[Actor]:
        actors: list[Actor] = []
        for head in heads:
            for token in [head] + list(head.conjuncts):
                for actor in self.code_token(token, mention, memory):
                    if actor not in actors:
                        actors.append(actor)
        return actors

    def code_token(self, token: Token, mention: Mention, memory: StoryActors) -> list[Actor]:
        """The actors a phrase names: one, or several for "Hungarian and Romanian officials"."""
        sentence = mention.sentence
        pronoun = is_pronoun(token)
        if pronoun and token.lower_ in THIRD_PERSON and (antecedent := speaker_in_sentence(token)) is not None:
            return self.code_token(antecedent, mention, memory)  # "Hungary said it will support ..."
        if (group := group_antecedent(token, memory)) is not None:
            start, end = sentence.char_span(token)
            return [Actor(noun_phrase(token).text, group.name, group.country, group.sector, start, end)]
        if pronoun:
            actor = resolve_pronoun(token, memory)
            if actor is None:
                return []
            start, end = sentence.char_span(token)
            return [Actor(token.text, actor.name, actor.country, actor.sector, start, end)]
        phrase = noun_phrase(token)
        mention.actor_spans.append(phrase)
        actors = self.book.code_compound(phrase, memory.people)
        if actors and not any(a.country for a in actors):
            wider = noun_phrase(token, keep_preps=WIDER_PREPS)
            if len(wider) > len(phrase):  # "a camp for Congolese refugees", "police in Minsk"
                country = self.book.code_span(wider, memory.people).country
                for actor in actors:
                    actor.country = country
        if len(actors) == 1 and actors[0].country is None:
            # "Salaheddine Sidhoum, Algeria's leading rights activist": the apposition says who
            for appos in (c for c in token.children if c.dep_ == "appos"):
                described = self.book.code_span(noun_phrase(appos), memory.people)
                actors[0].country = described.country
                actors[0].sector = actors[0].sector or described.sector
                break
        for actor in actors:
            # code_span gives offsets in the block's Doc; records want article offsets
            if actor.start is not None:
                actor.start, actor.end = actor.start + sentence.offset, actor.end + sentence.offset
            if actor.country is None and actor.name and actor.sector in ("GOV", "MIL", "LEG", "JUD", "OPP"):
                actor.country = sole_country(sentence.span, self.book)
        return actors

    def remember_people(self, span: Span, memory: StoryActors) -> None:
        """Learn the people a sentence read for its names only introduces (no parse):
        each PERSON with the titles before it ("Kenyan Foreign Minister Amina Mohamed")."""
        doc = span.doc
        for ent in span.ents:
            if ent.label_ != "PERSON":
                continue
            start = ent.start
            while start > span.start and is_title_word(doc[start - 1], self.book):
                start -= 1
            if start < ent.start:
                self.book.code_span(doc[start:ent.end], memory.people)  # learns the person

    def remember(self, span: Span, memory: StoryActors) -> None:
        """Learn speakers and named actors of a sentence for later pronouns."""
        for token in span:
            if token.dep_ in SUBJECTS and token.pos_ in ("PROPN", "NOUN"):
                actor = self.book.code_span(noun_phrase(token), memory.people)
                if actor.country is None and actor.name:
                    actor.country = sole_country(span, self.book)
                if actor.country or actor.sector:
                    memory.people.learn(noun_phrase(token), actor)
                    memory.recent.append(actor)
                    if token.head.lemma_.lower() in SPEECH_VERBS or token.head.lemma_.lower() == "decide":
                        memory.speaker = actor
        for token in span:
            if token.text == ":" and token.i > span.start:
                subject = next((t for t in span if t.dep_ in SUBJECTS and t.i < token.i
                                and t.pos_ == "PROPN"), None)
                if subject is not None:
                    memory.speaker = self.book.code_span(noun_phrase(subject), memory.people)


def is_title_word(token: Token, book: ActorBook) -> bool:
    """A word of a title before a name: capitalised ("Foreign", "Kenyan") or one the
    actor lexicon knows ("minister", "Kenya's")."""
    if token.ent_type_ in ("DATE", "TIME", "CARDINAL") or token.is_punct and token.text != "-":
        return False
    return token.is_title or token.lower_ == "'s" or bool(book.lexicon.get(phrase_key(token.text)))


def place_country(actor: Actor, places: list) -> str | None:
    """"the northern city of Kirkuk" -> IRQ: the country of a resolved place the phrase names.

    The actor books know countries, capitals and demonyms; any other town or region
    an actor phrase names is looked up in what the places stage resolved.
    """
    if actor.start is None:
        return None
    inside = [p for p in places if p.country and actor.start <= p.start and p.end <= actor.end]
    return inside[-1].country if inside else None


def sole_country(span: Span, book: ActorBook) -> str | None:
    """The one country a sentence names: "President Hollande explained France's decision" -> FRA.

    Officials are usually introduced beside their country; with two or more
    countries in the sentence the choice would be a guess, so none is made.
    """
    found = {book.code_span(ent).country for ent in span.ents if ent.label_ in ("GPE", "NORP")}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


# "the group", "the militia": a later mention of an organised actor named before in the story.
GROUP_NOUNS = {"group", "groups", "movement", "militia", "militias", "organisation", "organization", "faction",
               "militants", "insurgents", "rebels", "party", "alliance", "union", "coalition", "network"}
GROUP_SECTORS = {"REB", "PTY", "OPP", "NGO", "IGO", "CRM", "LAB", "UAF"}


def group_antecedent(token: Token, memory: "StoryActors") -> Actor | None:
    """The latest organised actor of the story, for a bare "the group" or "the militia"."""
    if token.lower_ not in GROUP_NOUNS or token.ent_type_:
        return None
    modifiers = [c for c in token.children if c.dep_ not in ("det", "punct", "relcl", "acl", "prep", "appos")]
    determiner = [c for c in token.children if c.dep_ == "det"]
    if modifiers or not determiner or determiner[0].lower_ not in ("the", "this"):
        return None
    return next((a for a in reversed(memory.recent) if a.sector in GROUP_SECTORS), None)


def is_pronoun(token: Token) -> bool:
    """A personal pronoun, not "US" the country."""
    return token.pos_ == "PRON" and token.lower_ in FIRST_PERSON | THIRD_PERSON


def speaker_in_sentence(pronoun: Token) -> Token | None:
    """The subject of the speech verb a pronoun's clause is reported by: "Syria says it ..."."""
    token = pronoun.head
    for _ in range(5):
        if token.dep_ == "ccomp" and token.head.lemma_.lower() in SPEECH_VERBS | {"announce", "warn", "vow"}:
            # The speaker comes first ("Syria says it will ..."); in "They killed nine
            # guests, police said" the pronoun points back to the story, not to the police.
            speech = token.head
            if speech.dep_ == "pcomp" and speech.head.head.i != speech.head.i:
                speech = speech.head.head  # "was quoted as saying he would ...": the one quoted
            subjects = [c for c in speech.children if c.dep_ in SUBJECTS + ("nsubjpass",)
                        and c.lower_ not in FIRST_PERSON | THIRD_PERSON and c.i < pronoun.i]
            return subjects[0] if subjects else None
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def resolve_pronoun(token: Token, memory: StoryActors) -> Actor | None:
    """'we' and 'I' are the quoted speaker; 'it', 'they', 'he' the latest actor."""
    if token.lower_ in FIRST_PERSON:
        return memory.speaker or (memory.recent[-1] if memory.recent else None)
    return memory.recent[-1] if memory.recent else None


# --- roles from the parse -----------------------------------------------------------

def roles(mention: Mention) -> tuple[list[Token], list[Token]]:
    """Heads of the source and target phrases of a mention."""
    head = mention.head
    if mention.stated and mention.event_type == "REQUEST":
        return demand_roles(head)
    if mention.stated and head.pos_ in ("NOUN", "PROPN") and head.dep_ == "dobj":
        head = head.head  # "said it will extend the curfew": the speech act is the verb phrase's
    if head.pos_ in ("VERB", "AUX", "ADJ"):  # "ready to contribute troops" behaves as a verb
        sources, targets = verb_roles(head, reporter_may_act=mention.event_type not in UNNAMED_DOER_TYPES)
    else:
        sources, targets = noun_roles(head, mention.trigger)
    if not targets and mention.event_type in AGAINST_AN_ACT_TYPES:
        targets = act_doers(head)  # "police prevented the rally staged by students"
    if mention.event_type in JOINT_TYPES:
        sources += [pobj for prep in head.children if prep.lower_ in PARTY_PREPS for pobj in prep.children
                    if pobj.dep_ == "pobj"]
    if not targets and mention.event_type in ("REQUEST", "ACCUSE"):
        targets = clause_subjects(head)  # "demanded that the US cancel ..."
    if not targets and mention.event_type in SPOKEN_TYPES:
        # "threatened to ban opposition candidates", "offered to hand over to Britain"
        targets = [t for c in head.children if c.dep_ == "xcomp" and c.pos_ == "VERB"
                   for t in verb_roles(c)[1]]
    if not targets and mention.event_type in PURPOSE_TYPES:
        targets = purpose_targets(head)
        if not targets and head.dep_ in ("dobj", "nsubjpass"):
            targets = purpose_targets(head.head)  # "staged rallies to demand the resignation of X"
    if not targets and not (head.lemma_.lower() in RECIPROCAL and any(s.conjuncts for s in sources)):
        targets = named_in_clause(head, sources)  # (parties fighting each other are coded in code_mention)
    return sources, [t for t in targets if t not in sources]


def is_reciprocal(mention: Mention) -> bool:
    """A fight or clash whose parties are all subjects: no "with" or "against" names another."""
    return mention.head.lemma_.lower() in RECIPROCAL or mention.trigger.text.lower() in RECIPROCAL


# Types whose object may be another party's act: its doer is the recipient.
AGAINST_AN_ACT_TYPES = {"COERCE", "SANCTION", "ACCUSE", "REJECT", "ASSAULT", "PROTEST"}


def act_doers(verb: Token) -> list[Token]:
    """The doers of the act a verb is aimed at: "investigating war crimes by militias",
    "banned the opposition's rally", "prevented the march staged by students"."""
    for obj in (c for c in verb.children if c.dep_ in ("dobj", "nsubjpass") and not is_actor_like(c)):
        doers = [c for c in obj.children if c.dep_ == "poss" and not is_pronoun(c)]
        doers += [p for prep in obj.children if prep.dep_ == "prep" and prep.lower_ == "by"
                  for p in prep.children if p.dep_ == "pobj" and is_actor_like(p)]
        doers += [p for acl in obj.children if acl.dep_ == "acl" for agent in acl.children if agent.dep_ == "agent"
                  for p in agent.children if p.dep_ == "pobj" and is_actor_like(p)]
        if doers:
            return doers
    return []


# Speech acts about an act of the speaker's own: their recipient is the act's recipient.
SPOKEN_TYPES = {"THREATEN", "AGREE", "REJECT", "SUPPORT"}
# Types whose purpose clause names the recipient: "sent jets to stop the militia".
PURPOSE_TYPES = {"AID", "ASSAULT", "COERCE", "SUPPORT", "PROTEST", "REQUEST"}


def clause_subjects(verb: Token) -> list[Token]:
    """The subject of the clause a demand or an accusation governs: "demanded that the US cancel"."""
    return [s for c in verb.children if c.dep_ == "ccomp" for s in c.children
            if s.dep_ in ("nsubj", "nsubjpass") and is_actor_like(s) and not is_pronoun(s)]


def demand_roles(act: Token) -> tuple[list[Token], list[Token]]:
    """"The minister said Libya must hand over the suspects": the speaker asks, Libya is asked.

    The trigger of a stated demand is the demanded act; the one who must act is its
    subject, and the one who demands is the subject of the saying verb above it.
    """
    asked = [c for c in act.children if c.dep_ in ("nsubj", "nsubjpass")]
    token = act
    while token.dep_ in ("xcomp", "conj", "acomp") and token.head.i != token.i:
        token = token.head
    if not asked:
        asked = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
    speakers: list[Token] = []
    if token.dep_ in ("ccomp", "acl") and token.head.i != token.i:
        governor = token.head  # "reiterated that ...", "its demand that ..."
        speakers = [c for c in governor.children if c.dep_ in SUBJECTS]
        if not speakers and governor.pos_ == "NOUN":
            speakers = [c for c in governor.children if c.dep_ == "poss"]
            if governor.dep_ == "dobj":
                speakers = speakers or [c for c in governor.head.children if c.dep_ in SUBJECTS]
        speakers = speakers or inherited_subject(governor)
    return speakers, [a for a in asked if a.i not in {s.i for s in speakers}]


def verb_roles(verb: Token, reporter_may_act: bool = True) -> tuple[list[Token], list[Token]]:
    """Subjects and objects of a verb trigger.

    An agentless passive reported by a saying verb takes the sayer as its doer ("the curfew
    has been lifted, the ministry said"), unless ``reporter_may_act`` is off: those who
    report that "56 civilians have been killed" are witnesses, not the attackers.
    """
    children = list(verb.children)
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in children)
    targets = [c for c in children if c.dep_ in OBJECTS and not is_theme(c) and is_actor_like(c)]
    if passive:
        sources = [p for c in children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        # "the deal was signed by ...": a passive subject is a recipient only if it can be a party
        targets = [c for c in children if c.dep_ == "nsubjpass" and not is_theme(c) and is_actor_like(c)] + targets
    else:
        sources = [c for c in children if c.dep_ in SUBJECTS]
    if not sources and not (passive and verb.dep_ == "ccomp" and not reporter_may_act):
        sources = inherited_subject(verb)
    targets += [p for c in children if c.dep_ == "prep" and c.lower_ in TARGET_PREPS
                for p in c.children if p.dep_ == "pobj" and is_actor_like(p)]
    if not targets:  # "imposed sanctions on the Taliban", "launched strikes against rebel camps"
        targets = [p for c in children if c.dep_ == "dobj" for prep in c.children
                   if prep.dep_ == "prep" and prep.lower_ in TARGET_PREPS
                   for p in prep.children if p.dep_ == "pobj" and is_actor_like(p)]
    return sources, targets


def inherited_subject(verb: Token) -> list[Token]:
    """The subject of a verb that has none of its own: "decided to send", "responded by sending"."""
    token = verb
    for _ in range(4):
        if token.dep_ in ("xcomp", "conj", "advcl", "pcomp", "ccomp", "acomp") or (token.dep_ == "pobj"):
            token = token.head
            if token.dep_ == "prep":
                token = token.head
            subjects = [c for c in token.children if c.dep_ in SUBJECTS]
            if subjects:
                return subjects
            agents = [p for c in token.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
            if agents:
                return agents
        elif token.dep_ == "relcl":
            return [token.head]  # "the rebels who took the town"
        elif token.dep_ == "acl":
            agents = [p for c in token.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
            return agents
        else:
            break
    return []


def noun_roles(noun: Token, trigger: Span) -> tuple[list[Token], list[Token]]:
    children = [c for c in noun.children if not trigger.start <= c.i < trigger.end]  # not "drone" of "drone strikes"
    sources = [c for c in children if c.dep_ == "poss"]
    sources += [c for c in children if c.dep_ in ("compound", "amod", "nmod") and is_actor_like(c)]
    sources += [p for prep in nested_preps(noun) if prep.lower_ in ("by", "from")
                for p in prep.children if p.dep_ == "pobj" and is_actor_like(p)]
    sources += [p for c in children if c.dep_ == "acl" for agent in c.children if agent.dep_ == "agent"
                for p in agent.children if p.dep_ == "pobj"]  # "an offensive launched by rebels"
    targets = [p for c in children if c.dep_ == "prep" and c.lower_ in TARGET_PREPS
               for p in c.children if p.dep_ == "pobj" and is_actor_like(p)]
    if not sources or all(is_pronoun(t) for t in sources):
        # "the rebels continued their hunger strike": the launcher names whom "their" means
        sources = launcher_subject(noun) or sources
    if not targets:
        targets = responder(noun)
    if not targets:
        targets = governor_targets(noun)
    return sources, targets


def governor_targets(noun: Token) -> list[Token]:
    """Recipients the verb around an event noun names.

    "staged rallies against the party's leader" (the verb's prepositions), "a roadside
    bombing killed a U.S. soldier" (the object of the verb the event noun is subject of).
    """
    verb = noun.head
    if verb.i == noun.i or verb.pos_ not in ("VERB", "AUX"):
        return []
    if noun.dep_ in ("nsubj", "nsubjpass"):
        return [c for c in verb.children if c.dep_ == "dobj" and is_actor_like(c)]
    if noun.dep_ == "dobj":
        return [p for c in verb.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPS - {"at", "for", "to", "into"}
                for p in c.children if p.dep_ == "pobj" and is_actor_like(p)]
    return []


def launcher_subject(noun: Token) -> list[Token]:
    """Who launches, carries out or considers an event noun: "Britain was weighing launching raids"."""
    token = noun
    if token.dep_ == "pobj" and token.head.head.lemma_.lower() in LAUNCH_VERBS | {"go"}:
        token = token.head  # "remained on alert", "went on strike"
    elif token.dep_ == "pobj" and token.head.lower_ == "for" and token.head.head.lemma_.lower() in MOTION_VERBS:
        token = token.head  # "negotiators return to Geneva for talks"
    elif token.dep_ not in ("dobj", "nsubjpass", "attr"):
        return []
    token = token.head
    for _ in range(4):
        if token.lemma_.lower() not in LAUNCH_VERBS | MOTION_VERBS and token.pos_ == "VERB" and token.dep_ not in ("xcomp", "pcomp"):
            break
        subjects = [c for c in token.children if c.dep_ in SUBJECTS]
        if subjects:
            return subjects
        if token.dep_ in ("xcomp", "pcomp", "conj", "advcl"):
            token = token.head
            continue
        break
    return []


def responder(noun: Token) -> list[Token]:
    """"France responded to a request from Mali": France is the request's recipient."""
    if noun.dep_ != "pobj" or noun.head.head.lemma_.lower() not in ("respond", "answer", "heed", "reply", "react"):
        return []
    return [c for c in noun.head.head.children if c.dep_ in SUBJECTS]


CLAUSE_PREPS = TARGET_PREPS | {"in", "from", "with", "between", "about", "of"}


def named_in_clause(head: Token, sources: list[Token]) -> list[Token]:
    """A named party the event is done to, found deeper in its clause.

    "providing intelligence to Macedonia", "lifted a curfew in Montenegro", "withdraw
    its troops from Lebanon": the recipient hangs off the object or a nested phrase,
    and a country where a state acts is, in PLOVER's coding, the state acted upon.
    """
    taken = {t.i for s in sources for t in noun_phrase(s)}
    frontier = [head] + [c for c in head.children if c.dep_ in OBJECTS + ("xcomp", "nsubjpass")]
    for _ in range(3):
        preps = [c for t in frontier for c in t.children if c.dep_ == "prep" and c.lower_ in CLAUSE_PREPS]
        named = [p for prep in preps for p in prep.children if p.dep_ == "pobj" and p.i not in taken
                 and any(t.ent_type_ in ACTOR_HINT_LABELS for t in noun_phrase(p))]
        if named:
            return named[:1]
        frontier = [p for prep in preps for p in prep.children if p.dep_ == "pobj"]
    return []


def purpose_targets(verb: Token) -> list[Token]:
    """Recipients named in the purpose clause: "sent jets to stop the advance of the militia"."""
    for child in verb.children:
        if child.dep_ in ("xcomp", "advcl") and any(c.lower_ == "to" for c in child.children):
            for token in child.subtree:
                if token.pos_ in ("NOUN", "PROPN") and is_actor_like(token) and token.i != child.i:
                    while token.dep_ in ("compound", "amod", "nmod") and token.head.i != child.i:
                        token = token.head  # "Moslem fundamentalist demonstrators", not "Moslem"
                    return [token]
    return []


# Verbs whose object is the thing given or used, not the recipient: "sent troops", "used its air force".
THEME_VERBS = {"use", "send", "provide", "deliver", "supply", "donate", "grant", "give", "offer", "deploy",
               "dispatch", "impose", "lift", "sign", "mobilize", "mobilise", "station", "move", "fire",
               "launch", "release", "withdraw", "pull", "ease", "share", "express", "hold", "reach",
               "contribute", "commit", "pledge", "promise"}


def is_theme(token: Token) -> bool:
    """The air force in "used its air force", the troops in "sent troops": the means, not the recipient."""
    return token.head.lemma_.lower() in THEME_VERBS and not token.ent_type_ in ("GPE", "PERSON")


def nested_preps(noun: Token, depth: int = 2) -> list[Token]:
    """Prepositions hanging off a noun and off its prepositional objects: "request for help from Mali"."""
    found, frontier = [], [noun]
    for _ in range(depth):
        preps = [c for t in frontier for c in t.children if c.dep_ == "prep"]
        found.extend(preps)
        frontier = [p for prep in preps for p in prep.children if p.dep_ == "pobj"]
    return found


ACTOR_HINT_LABELS = {"GPE", "NORP", "ORG", "PERSON"}


def is_actor_like(token: Token) -> bool:
    """A phrase that can be a political actor: a named entity or a person/group noun."""
    if token.ent_type_ in ACTOR_HINT_LABELS:
        return True
    if any(t.ent_type_ in ACTOR_HINT_LABELS for t in noun_phrase(token)):
        return True  # "a U.S. diplomatic outpost"
    if is_pronoun(token):
        return True
    # The original word, not the lemma: the knowledge base is case-aware ("US" the country, "us" the pronoun).
    if word_is_actor(token.text) or word_is_actor(token.lemma_):
        return True
    # "bombed rebel positions", "raided army bases": what belongs to an actor stands for it.
    return any(c.dep_ in ("compound", "amod", "poss") and not is_pronoun(c) and word_is_actor(c.text)
               for c in token.children)


@lru_cache(maxsize=20000)
def word_is_actor(word: str) -> bool:
    """Does the knowledge base know this word as an actor ("rebels", "police", "France")?"""
    actor = ActorBook.load().code_text(word)
    return actor.sector is not None or actor.country is not None


# Prepositions whose object still describes who a phrase names, when its head alone names no country.
WIDER_PREPS = frozenset({"of", "for", "from", "in", "throughout", "at"})


def noun_phrase(token: Token, keep_preps: frozenset[str] = frozenset({"of"})) -> Span:
    """The words of a noun phrase without its clauses, appositions and trailing prepositions."""
    doc = token.doc
    skip = {"relcl", "acl", "appos", "punct", "cc", "conj", "advcl", "prep"}
    words = [token]
    for child in token.children:
        if child.dep_ in skip and not (child.dep_ == "prep" and child.lower_ in keep_preps):
            continue
        words.extend(child.subtree)
    start = min(w.i for w in words)
    end = max(w.i for w in words) + 1
    while end - 1 > start and doc[end - 1].is_punct:
        end -= 1
    while start < end - 1 and (doc[start].is_punct or doc[start].dep_ == "cc"):
        start += 1
    return doc[start:end]


# Sectors that act only at home: what they act upon is in their own country.
HOME_SECTORS = {"COP", "JUD", "LEG"}


def fill_missing_countries(actors: list[Actor], country: str | None) -> None:
    """A bare "rebels" or "troops" belongs to the country the event happens in."""
    home = next((a.country for a in actors if a.sector in HOME_SECTORS and a.country), None)
    country = country or home
    if not country:
        return
    for actor in actors:
        collective = actor.text.lower().split()[-1:] and actor.text.lower().split()[-1] in COLLECTIVES
        if actor.country is None and actor.sector in DOMESTIC_SECTORS and actor.name is None and not collective:
            actor.country = country
        elif actor.country is None and actor.sector is None and not collective:
            # Nothing known about it ("a roadside bomb", "Islamic fundamentalists"): PLOVER
            # codes an unidentified party by the country it acts in.
            actor.country = country


# Violent acts whose doer the text does not name: PLOVER codes an unidentified armed party.
UNNAMED_DOER_TYPES = {"ASSAULT", "COERCE"}


def unnamed_perpetrator(mention: Mention, country: str | None) -> list[Actor]:
    """"A roadside bomb near Kandahar killed four soldiers": an unidentified armed actor
    (UAF) in the country the attack happened in, named by the trigger's words."""
    if mention.event_type not in UNNAMED_DOER_TYPES or not country or mention.modality != "asserted":
        return []
    start, end = mention.char_span
    return [Actor(mention.trigger.text, None, country, "UAF", start, end)]

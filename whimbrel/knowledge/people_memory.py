"""People met earlier in a story, so that a later "Mr. Fabius" recalls the foreign minister."""
from __future__ import annotations

from dataclasses import replace

from whimbrel.knowledge.actor_lexicon import Lexicon, _NAME_PARTICLES, find_matches, tokenize
from whimbrel.records import Actor


def _strip_honorifics(name: str, lexicon: Lexicon) -> str:
    words = tokenize(name)
    drop = 0
    for match in find_matches(words, lexicon, name):
        if match.start == drop and match.first("honorific", "role"):
            drop = match.end
        else:
            break
    if drop >= len(words):
        return name
    return name[words[drop].start:].strip()



class PeopleMemory:
    """People met earlier in a story, so that later mentions by surname recall them.

    >>> memory = PeopleMemory()
    >>> memory.learn("French Foreign Minister Laurent Fabius",
    ...              Actor("...", name="Laurent Fabius", country="FRA", sector="GOV"))
    >>> memory.recall("Mr. Fabius").country
    'FRA'
    """

    def __init__(self, lexicon: Lexicon | None = None):
        from whimbrel.knowledge.actors import ActorBook  # (actors imports this module)

        self._lexicon = lexicon or ActorBook.load().lexicon
        self._people: dict[str, Actor] = {}

    def learn(self, span, actor: Actor) -> None:
        name = actor.name
        if not name or not (actor.country or actor.sector):
            return
        stored = replace(actor, start=None, end=None)
        parts = [w for w in tokenize(_strip_honorifics(name, self._lexicon)) if w.key and w.key != "'s"]
        if not parts:
            return
        keys = {" ".join(w.key for w in parts)}
        surname = [w for w in parts if w.key not in _NAME_PARTICLES]
        if surname:
            keys.add(surname[-1].key)
            if len(parts) >= 2 and parts[-2].key in _NAME_PARTICLES:
                keys.add(" ".join(w.key for w in parts[-2:]))
        for key in keys:
            self._people[key] = stored

    def recall(self, text: str) -> Actor | None:
        if not text:
            return None
        name = _strip_honorifics(text, self._lexicon)
        keys = [w.key for w in tokenize(name) if w.key and w.key != "'s"]
        for key in (" ".join(keys), keys[-1] if keys else ""):
            actor = self._people.get(key)
            if actor is not None:
                return replace(actor, text=text)
        return None

    def __len__(self) -> int:
        return len(set(map(id, self._people.values())))

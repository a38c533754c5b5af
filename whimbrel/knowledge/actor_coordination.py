"""Splitting coordinated actor phrases: "Hungarian and Romanian officials" is two actors,
"Trinidad and Tobago" one."""
from __future__ import annotations

from whimbrel.knowledge.actor_lexicon import _COORDINATORS

# ------------------------------------------------------------ coordination ----

_CONTEXT_ATTR = "whimbrel_actor_context"


def span_context(span) -> tuple[str, str] | None:
    """The shared words ``split_compound`` attached to a part, as (before, after)."""
    from spacy.tokens import Span

    if not Span.has_extension(_CONTEXT_ATTR):
        return None
    return getattr(span._, _CONTEXT_ATTR)


def _set_context(part, before: str, after: str) -> None:
    from spacy.tokens import Span

    if not Span.has_extension(_CONTEXT_ATTR):
        Span.set_extension(_CONTEXT_ATTR, default=None)
    setattr(part._, _CONTEXT_ATTR, (before, after) if (before or after) else None)


def _depth(token, span) -> int:
    depth = 0
    while token.head.i != token.i and span.start <= token.head.i < span.end:
        token = token.head
        depth += 1
    return depth


_NOMINAL = frozenset({"NOUN", "PROPN", "ADJ", "PRON", "NUM", "X"})
_PART_EDGES = frozenset({"cc", "punct", "preconj"})


def split_coordination(span, protected: dict[int, int]) -> list:
    """Split a span at its highest nominal coordination (spaCy's ``conj`` arcs).

    Each part is a span of the conjunct and its own dependents; the words that
    all conjuncts share ("officials" in "Hungarian and Romanian officials") are
    attached to each part with ``span_context``.
    """
    inside = range(span.start, span.end)
    def inside_one_name(token) -> bool:  # "and" of "Trinidad and Tobago" coordinates nothing
        return token.i in protected and protected.get(token.head.i) == protected[token.i]

    anchors = [t.head for t in span if t.dep_ == "conj" and t.head.i in inside and not inside_one_name(t)]
    if not anchors:
        return [span]
    anchor = min(anchors, key=lambda t: (_depth(t, span), t.i))
    anchor_name = protected.get(anchor.i)
    members = sorted([anchor, *[c for c in anchor.conjuncts if c.i in inside
                                and (anchor_name is None or protected.get(c.i) != anchor_name)]],
                     key=lambda t: t.i)
    if len(members) < 2 or any(m.pos_ not in _NOMINAL for m in members):
        return [span]
    doc = span.doc
    subtrees = {m.i: {t.i for t in m.subtree if t.i in inside} for m in members}
    parts = []
    for member in members:
        own = set(subtrees[member.i])
        for other in members:
            if other.i != member.i and other.i in own:
                own -= subtrees[other.i]
        own -= {t.i for t in member.children if t.dep_ in _PART_EDGES and t.i > member.i}
        own = sorted(i for i in own if not (doc[i].dep_ in _PART_EDGES and doc[i].head.i != member.i)
                     or doc[i].head.i == member.i and doc[i].dep_ != "cc")
        while own and (doc[own[0]].dep_ in _PART_EDGES or doc[own[0]].lower_ in _COORDINATORS):
            own.pop(0)
        while own and (doc[own[-1]].dep_ in _PART_EDGES or doc[own[-1]].lower_ in _COORDINATORS):
            own.pop()
        if not own:
            return [span]
        first, last = own[0], own[-1]
        for number in {protected[i] for i in own if i in protected}:  # whole names only
            name_tokens = [i for i, n in protected.items() if n == number]
            first, last = min(first, *name_tokens), max(last, *name_tokens)
        parts.append(doc[first:last + 1])
    parts = list({(p.start, p.end): p for p in parts}.values())
    if len(parts) < 2:
        return [span]
    group_start, group_end = parts[0].start, parts[-1].end
    before = doc[span.start:group_start].text_with_ws if group_start > span.start else ""
    after = doc[group_end:span.end].text if group_end < span.end else ""
    if after and parts[-1][-1].whitespace_:
        after = " " + after
    elif after:
        after = after
    for part in parts:
        _set_context(part, before, (" " + after.lstrip()) if after else "")
    return parts

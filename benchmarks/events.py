"""Event coding scored against the PLOVER gold-standard records (dev split).

    .venv/bin/python benchmarks/events.py [--show-errors N]

Each gold record is one wire sentence with one event. whimbrel codes the sentence; its
main event (asserted before others, then the trigger nearest the sentence root, then
the most confident) is
compared on type, and on source and target country. Prints top-1 type accuracy,
macro-F1 over types, country accuracies and the commonest confusions.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import GOLD, read_jsonl, write_result  # noqa: E402

ALIASES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}


RANK = {"asserted": 0, "hypothetical": 1, "negated": 2}


def main_event(events, parsed=None):
    """The event a one-event gold record most likely means.

    Asserted before hypothetical before negated; then, with the parse, the trigger
    nearest the root of its sentence (the main clause's event, not one in a relative,
    purpose or subordinate clause); then the most confident. ``--rank confidence``
    skips the parse step (the rule before issue #4's second round).
    """
    if not events:
        return None
    depth = (lambda e: trigger_depth(parsed, e)) if parsed is not None else (lambda e: 0)
    return min(events, key=lambda e: (RANK[e.modality], depth(e), -e.confidence, e.trigger.start))


def trigger_depth(parsed, event) -> int:
    """How many words govern the event's trigger in its sentence's parse."""
    for sentence in parsed.sentences:
        if sentence.start <= event.trigger.start < sentence.end:
            tokens = [t for t in sentence.span
                      if event.trigger.start <= sentence.char_span(t)[0] < event.trigger.end]
            return min((len(list(t.ancestors)) for t in tokens), default=99)
    return 99


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    labels = {gold for gold, _ in pairs}
    scores = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def country_hit(gold_actors: list[dict], predicted) -> bool | None:
    wanted = {a["country"] for a in gold_actors if a.get("country")}
    if not wanted:
        return None
    return bool(wanted & {a.country for a in predicted})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", type=int, default=0)
    parser.add_argument("--rank", choices=("depth", "confidence"), default="depth",
                        help="main event: nearest the root (default) or most confident")
    parser.add_argument("--dump", type=Path, help="write one line per record (id, types, country hits) to compare runs")
    args = parser.parse_args()
    from whimbrel import Article, default_pipeline

    rows = read_jsonl(GOLD / "plover_gsr_dev.jsonl")
    pipe = default_pipeline()
    pairs, sources, targets, errors, lines = [], [], [], [], []
    articles = [Article(row["text"], id=row["id"]) for row in rows]
    for row, parsed in zip(rows, pipe.parse(articles)):
        events = pipe.code_parsed(parsed)
        gold = ALIASES.get(row["event_type"], row["event_type"])
        event = main_event(events, parsed if args.rank == "depth" else None)
        predicted = event.event_type if event else "NONE"
        pairs.append((gold, predicted))
        if predicted != gold:
            errors.append((gold, predicted, row["text"]))
        for hits, key, side in ((sources, "source", "source"), (targets, "target", "target")):
            hit = country_hit(row.get(key) or [], getattr(event, side) if event else [])
            if hit is not None:
                hits.append(hit)
        if args.dump:
            countries = {side: [a.country for a in getattr(event, side)] if event else [] for side in ("source", "target")}
            lines.append(json.dumps({"id": row["id"], "gold": gold, "predicted": predicted, **countries}))
    accuracy = sum(g == p for g, p in pairs) / len(pairs)
    confusions = Counter((g, p) for g, p in pairs if g != p).most_common(12)
    result = {
        "gold": "plover_gsr_dev.jsonl", "rank": args.rank, "records": len(pairs), "type_accuracy": round(accuracy, 3),
        "macro_f1": round(macro_f1(pairs), 3),
        "source_country_accuracy": round(sum(sources) / len(sources), 3), "source_scored": len(sources),
        "target_country_accuracy": round(sum(targets) / len(targets), 3), "target_scored": len(targets),
        "no_event": sum(1 for _, p in pairs if p == "NONE"),
        "confusions": [f"{g}->{p}: {n}" for (g, p), n in confusions],
    }
    for key, value in result.items():
        print(f"{key:26} {value}")
    for gold, predicted, text in errors[: args.show_errors]:
        print(f"  {gold:9} -> {predicted:9} {text[:110]}")
    if args.dump:
        args.dump.write_text("\n".join(lines) + "\n")
    print("written", write_result("events", result))


if __name__ == "__main__":
    main()

"""What the events stage costs beside spaCy's parse, on the same news text.

    .venv/bin/python benchmarks/events_speed.py [--limit N] [--repeat N]

Parses the LGL local-news articles with whimbrel's spaCy pipeline (timed), then runs
the events stage on the parsed sentences twice: the trigger lexicon alone, and the
lexicon plus the trained classifier (timed). Issue #4 allows the events stage at most
20% of the parse time. One process, one core; the best of ``--repeat`` runs is kept
for each side, so that a busy machine does not decide the ratio.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import GOLD, read_jsonl, write_result  # noqa: E402


def best_of(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=200, help="the first N articles")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from whimbrel.pipeline.classify import EventClassifier
    from whimbrel.pipeline.events import EventFinder
    from whimbrel.pipeline.text import ParsedArticle, Sentence, load_nlp
    from whimbrel.records import Article

    texts = [row["text"] for row in read_jsonl(GOLD / "lgl.jsonl")[: args.limit]]
    nlp = load_nlp()
    nlp(texts[0])  # warm up
    docs: list = []
    parse_seconds = best_of(args.repeat, lambda: docs.__setitem__(slice(None), list(nlp.pipe(texts, batch_size=64))))
    parsed = [ParsedArticle(Article(doc.text), [Sentence(s, 0, i) for i, s in enumerate(doc.sents)]) for doc in docs]
    sentences = sum(len(p.sentences) for p in parsed)

    finder = EventFinder(nlp.vocab)
    if finder.classifier is None:
        sys.exit("no event model installed (training/train.py writes it)")
    counts = {}

    def run(name):
        counts[name] = sum(len(finder.find(p)) for p in parsed)

    classifier = finder.classifier
    finder.classifier = None
    lexicon_seconds = best_of(args.repeat, lambda: run("lexicon"))
    finder.classifier = classifier
    stage_seconds = best_of(args.repeat, lambda: run("classifier"))
    result = {
        "corpus": "lgl.jsonl", "articles": len(texts), "sentences": sentences,
        "parse_seconds": round(parse_seconds, 2),
        "events_lexicon_only_seconds": round(lexicon_seconds, 2),
        "events_with_classifier_seconds": round(stage_seconds, 2),
        "events_share_of_parse": round(stage_seconds / parse_seconds, 3),
        "classifier_share_of_parse": round((stage_seconds - lexicon_seconds) / parse_seconds, 3),
        "mentions": counts,
    }
    for key, value in result.items():
        print(f"{key:32} {value}")
    print("written", write_result("events-speed", result))


if __name__ == "__main__":
    main()

"""How well MinHash near-duplicate detection tells wire copies from different stories.

    .venv/bin/python benchmarks/dedup.py [--limit N] [--seed 13]

There is no gold set of duplicate news, so copies are made the way outlets make them, from
the real articles of ../shared/gold/lgl.jsonl: a dateline and agency tag in front, a
sign-off behind, the last paragraph (or sentence) cut, a few words changed by an editor,
or all of these. Each copy is looked up in an index of all originals: it should find its
own original (recall) and nothing else; each original, looked up among the others, should
find nothing (false positives, a check on distinct stories that share boilerplate).
Reports recall and false positives per threshold, and the time to fingerprint an article.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import GOLD, read_jsonl, write_result  # noqa: E402

from whimbrel.pipeline.dedup import NearDuplicateIndex, fingerprint  # noqa: E402

THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)


def edit_words(text: str, rng: random.Random, share: float) -> str:
    """An editor's touch: ``share`` of the words replaced by other words of the text."""
    words = text.split(" ")
    for i in rng.sample(range(len(words)), k=max(1, int(len(words) * share))):
        words[i] = rng.choice(words)
    return " ".join(words)


def cut_last(text: str) -> str:
    paragraphs = [p for p in text.split("\n") if p.strip()]
    if len(paragraphs) > 2:
        return "\n".join(paragraphs[:-1])
    sentences = text.split(". ")
    return ". ".join(sentences[:-1]) + "." if len(sentences) > 2 else text


def copies(text: str, rng: random.Random) -> dict[str, str]:
    dateline = "WASHINGTON (Wire) — "
    signoff = "\n\nReporting by the wire desk; editing by the night editor. Copyright 2024 Wire. All rights reserved."
    return {
        "dateline+signoff": dateline + text + signoff,
        "last part cut": cut_last(text),
        "3% words edited": edit_words(text, rng, 0.03),
        "all of these": dateline + edit_words(cut_last(text), rng, 0.03) + signoff,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    rows = read_jsonl(GOLD / "lgl.jsonl")[: args.limit]
    # Very short texts have too few shingles to judge; outlets' copies are of full stories.
    rows = [r for r in rows if len(r["text"].split()) >= 80]
    rng = random.Random(args.seed)

    started = time.perf_counter()
    originals = {row["id"]: fingerprint(row["text"]) for row in rows}
    per_article_ms = (time.perf_counter() - started) / len(rows) * 1000
    variants = {row["id"]: {kind: fingerprint(text) for kind, text in copies(row["text"], rng).items()} for row in rows}

    result = {"corpus": "lgl.jsonl (articles of 80+ words)", "articles": len(rows),
              "fingerprint_ms_per_article": round(per_article_ms, 2), "thresholds": {}}
    for threshold in THRESHOLDS:
        index = NearDuplicateIndex(threshold)
        for article_id, signature in originals.items():
            index.add(article_id, signature)
        found = {kind: 0 for kind in next(iter(variants.values()))}
        wrong = 0
        for article_id, kinds in variants.items():
            for kind, signature in kinds.items():
                match = index.find(signature)
                found[kind] += match == article_id
                wrong += match is not None and match != article_id
        # Distinct stories: each original against all the others.
        false_pairs = 0
        for article_id, signature in originals.items():
            candidates = [key for key in index.lsh.query(signature) if key != article_id
                          and index.signatures[key].jaccard(signature) >= threshold]
            false_pairs += bool(candidates)
        total = len(variants)
        result["thresholds"][str(threshold)] = {
            "recall": {kind: round(count / total, 3) for kind, count in found.items()},
            "copies_matched_to_the_wrong_article": wrong,
            "originals_matching_another_original": false_pairs,
        }
        recalls = " ".join(f"{kind}={count / total:.3f}" for kind, count in found.items())
        print(f"threshold {threshold}: recall {recalls}; wrong matches {wrong}; "
              f"originals matching another {false_pairs}/{len(originals)}")
    print(f"{len(rows)} articles; {per_article_ms:.2f} ms to fingerprint one")
    print("written", write_result("dedup", result))


if __name__ == "__main__":
    main()

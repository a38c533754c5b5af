"""Accuracy and speed of the places stage on the dev gold sets in ../shared/gold.

    .venv/bin/python benchmarks/places.py [--limit N] [--sweep]

LGL (588 local news articles, 5,088 toponyms): recognition precision, recall and F1
with overlap matching (each predicted span matched to at most one gold span it
overlaps); on the recognised toponyms that have gold coordinates, the share placed
within 161 km (Acc@161), the share with the exact GeoNames id and the median error;
end to end, Acc@161 over all gold toponyms with coordinates (unrecognised ones are
misses). The places stage's time is compared with the spaCy parse of the same texts.

UCDP GED Syria headlines: the headline's location (``PlaceFinder.story_location``)
within 25 km of the UCDP event, and, when the dates stage exists, its date within
the coded range.

Prints a table and writes benchmarks/out/places.json. ``--sweep`` also re-scores LGL
with each resolution weight halved and doubled (the parse is reused), which is how
the shipped weights were chosen.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from whimbrel.knowledge.gazetteer import Gazetteer  # noqa: E402
from whimbrel.pipeline.places import PlaceFinder, Weights, distance_km  # noqa: E402
from whimbrel.records import Article  # noqa: E402

GOLD = ROOT.parent / "shared" / "gold"
OUT = ROOT / "benchmarks" / "out"
NO_PLACE_KM = 20_039.0  # half the Earth's circumference: the error of an unplaced toponym


def load_jsonl(path: Path, limit: int | None = None) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
            if limit and len(rows) >= limit:
                break
    return rows


def load_parser():
    """The text stage's spaCy pipeline; without the actor book when it is not there yet."""
    from whimbrel.pipeline import text

    try:
        return text.load_nlp(), "load_nlp"
    except ImportError as missing:  # another stage's knowledge not written yet
        import spacy

        from whimbrel.knowledge.countries import CountryBook
        from whimbrel.knowledge.gazetteer import curated_ruler_patterns

        nlp = spacy.load(text.SPACY_MODEL)
        ruler = nlp.add_pipe("entity_ruler", after="ner", config={"overwrite_ents": True})
        ruler.add_patterns(CountryBook.load().ruler_patterns() + curated_ruler_patterns())
        return nlp, f"spaCy + country and place ruler ({missing.name} missing)"


def parse_all(nlp, articles: list[Article], cache: bool = False):
    """The text stage on ``articles``; with ``cache``, parses are kept on disk (see
    ``CachedParser``) so that only the places stage runs again."""
    from whimbrel.pipeline.ingest import body_blocks
    from whimbrel.pipeline.text import parse_articles

    blocks = [(a, body_blocks(a.text)) for a in articles]
    started = time.perf_counter()
    parser = CachedParser(nlp, [a.text[s:e] for a, spans in blocks for s, e in spans]) if cache else nlp
    parsed = list(parse_articles(parser, blocks))
    if cache:
        parser.save()
    return parsed, time.perf_counter() - started


class CachedParser:
    """Stands in for ``nlp`` in ``parse_articles``: the docs of a previous run when the
    texts and the pipeline (its components and entity-ruler patterns) are the same.

    The text stage's time dominates the benchmark (minutes for LGL); iterating on the
    places stage only needs the parse once. Timing numbers come from uncached runs.
    """

    def __init__(self, nlp, texts: list[str]):
        import hashlib

        from whimbrel.knowledge.gazetteer import cache_dir

        from whimbrel.pipeline import text as text_stage

        digest = hashlib.sha1()
        digest.update(json.dumps([nlp.pipe_names, nlp.meta.get("version")]).encode())
        # The text stage's own code (its custom components) is part of the pipeline's version.
        digest.update(Path(text_stage.__file__).read_bytes())
        if "entity_ruler" in nlp.pipe_names:
            digest.update(json.dumps(nlp.get_pipe("entity_ruler").patterns, sort_keys=True).encode())
        for text in texts:
            digest.update(text.encode("utf-8") + b"\0")
        self.nlp = nlp
        self.path = cache_dir() / f"bench-parse-{digest.hexdigest()[:16]}.spacy"
        self.docs = None
        self._fresh: list = []

    def __getattr__(self, name):
        return getattr(self.nlp, name)  # get_pipe, vocab ... of the real pipeline

    def pipe(self, texts, as_tuples=False, batch_size=64):
        """Called once per batch of blocks: the cached docs are read on in order."""
        from spacy.tokens import DocBin

        if self.docs is None and self.path.exists():
            self.docs = DocBin().from_disk(self.path).get_docs(self.nlp.vocab)
        items = list(texts)
        if self.docs is not None:
            for item in items:
                doc = next(self.docs)
                yield (doc, item[1]) if as_tuples else doc
            return
        for result in self.nlp.pipe(items, as_tuples=as_tuples, batch_size=batch_size):
            self._fresh.append(result[0] if as_tuples else result)
            yield result

    def save(self) -> None:
        from spacy.tokens import DocBin

        if self._fresh:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            DocBin(docs=self._fresh).to_disk(self.path)


# ---------------------------------------------------------------------- LGL


def match_spans(predicted: list, gold: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs (predicted index, gold index) of overlapping spans, greedily by overlap."""
    pairs = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            overlap = min(p.end, g["end"]) - max(p.start, g["start"])
            if overlap > 0:
                pairs.append((overlap, i, j))
    used_p, used_g, matched = set(), set(), []
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            matched.append((i, j))
    return matched


def is_demonym(text: str) -> bool:
    """"American", "Iraqis": issue #3 says these are not toponyms, LGL's gold counts them."""
    from whimbrel.knowledge.countries import CountryBook

    book = CountryBook.load()
    # "U.S." and "UK" are also used as adjectives, but they are the country's names.
    return bool(book.by_adjective(text) or book.by_people(text)) and book.by_name(text) is None


def recognition(predictions: list[list], gold_sets: list[list[dict]]) -> dict:
    n_pred = sum(len(p) for p in predictions)
    n_gold = sum(len(g) for g in gold_sets)
    n_match = sum(len(match_spans(p, g)) for p, g in zip(predictions, gold_sets))
    precision = n_match / n_pred if n_pred else 0.0
    recall = n_match / n_gold if n_gold else 0.0
    return {"gold_toponyms": n_gold, "predicted": n_pred, "matched": n_match,
            "precision": precision, "recall": recall,
            "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0}


def score_lgl(rows: list[dict], parsed: list, finder: PlaceFinder, misses: list | None = None) -> dict:
    errors, exact, with_coords_total = [], [], 0
    started = time.perf_counter()
    predictions = [finder.find(p) for p in parsed]
    places_seconds = time.perf_counter() - started
    for row, places in zip(rows, predictions):
        gold = row["toponyms"]
        with_coords_total += sum(1 for g in gold if g.get("lat") is not None)
        pairs = match_spans(places, gold)
        for i, j in pairs:
            g, p = gold[j], places[i]
            if g.get("lat") is None:
                continue
            if p.lat is None:
                error = NO_PLACE_KM
            else:
                error = distance_km(p.lat, p.lon, float(g["lat"]), float(g["lon"]))
            errors.append(error)
            exact.append(p.geonameid is not None and str(p.geonameid) == str(g.get("geonameid")))
            if misses is not None and error > 161:
                misses.append({"kind": "far", "id": row["id"], "text": p.text, "start": p.start,
                               "km": round(error), "got": [p.name, p.country, p.feature, p.geonameid],
                               "gold": [g["name"], g.get("type"), g.get("geonameid")]})
        if misses is not None:
            found_p, found_g = {i for i, _ in pairs}, {j for _, j in pairs}
            for j, g in enumerate(gold):
                if j not in found_g:
                    misses.append({"kind": "missed", "id": row["id"], "text": row["text"][g["start"]:g["end"]],
                                   "start": g["start"], "context": row["text"][max(0, g["start"] - 50):g["end"] + 30]})
            for i, p in enumerate(places):
                if i not in found_p:
                    misses.append({"kind": "spurious", "id": row["id"], "text": p.text, "start": p.start,
                                   "context": row["text"][max(0, p.start - 50):p.end + 30]})
    golds = [row["toponyms"] for row in rows]
    without = [[g for g in gold if not is_demonym(row["text"][g["start"]:g["end"]])]
               for row, gold in zip(rows, golds)]
    result = {"articles": len(rows), **recognition(predictions, golds)}
    no_demonyms = recognition(predictions, without)
    within = sum(1 for e in errors if e <= 161)
    result.update({
        "gold_demonyms": result["gold_toponyms"] - no_demonyms["gold_toponyms"],
        "without_gold_demonyms": no_demonyms,
        "recognised_with_coords": len(errors),
        "acc161_recognised": within / len(errors) if errors else 0.0,
        "exact_id_recognised": sum(exact) / len(exact) if exact else 0.0,
        "median_error_km": statistics.median(errors) if errors else None,
        "acc161_end_to_end": within / with_coords_total if with_coords_total else 0.0,
        "places_seconds": places_seconds,
    })
    return result


# ---------------------------------------------------------------------- UCDP


def headline_date(parsed, published: date | None):
    """The headline's date, as the dates stage dates a short story."""
    from whimbrel.pipeline import dates

    return dates.story_date(parsed, published)


def date_in_range(found, start: date, end: date) -> bool:
    if found is None:
        return False
    value = found.value
    if found.precision == "day":
        return start <= date.fromisoformat(value) <= end
    if found.precision == "month":
        year, month = map(int, value[:7].split("-"))
        return (start.year, start.month) <= (year, month) <= (end.year, end.month)
    return start.year <= int(value[:4]) <= end.year


def score_ucdp(rows: list[dict], parsed: list, finder: PlaceFinder, misses: list | None = None) -> dict:
    try:
        import whimbrel.pipeline.dates  # noqa: F401
        has_dates = True
    except ImportError:
        has_dates = False
    within, errors, dated = 0, [], 0
    for row, p in zip(rows, parsed):
        finder.find(p)
        place = finder.story_location(p)
        error = NO_PLACE_KM if place is None or place.lat is None else distance_km(
            place.lat, place.lon, row["lat"], row["lon"])
        errors.append(error)
        within += error <= 25
        in_range = None
        if has_dates:
            found = headline_date(p, p.article.published)
            in_range = date_in_range(found, date.fromisoformat(row["date_start"]),
                                     date.fromisoformat(row["date_end"]))
            dated += in_range
        if misses is not None and (error > 25 or in_range is False):
            misses.append({"kind": "ucdp", "id": row["id"], "text": row["text"], "gold": row["place"],
                           "km": round(error), "got": place.text if place else None,
                           "published": row["published"], "range": [row["date_start"], row["date_end"]],
                           "date": found.value if has_dates and found else None,
                           "date_ok": in_range})
    return {
        "headlines": len(rows), "located_within_25km": within / len(rows) if rows else 0.0,
        "median_error_km": statistics.median(errors) if errors else None,
        "date_in_range": dated / len(rows) if has_dates and rows else None,
    }


# ---------------------------------------------------------------------- main


def sweep(rows, parsed, gazetteer) -> list[dict]:
    """LGL end-to-end Acc@161 with each weight halved and doubled."""
    results = []
    for f in dataclasses.fields(Weights):
        for factor in (0.5, 2.0):
            weights = dataclasses.replace(Weights(), **{f.name: getattr(Weights(), f.name) * factor})
            score = score_lgl(rows, parsed, PlaceFinder(gazetteer, weights))
            results.append({"weight": f.name, "factor": factor,
                            "acc161_recognised": round(score["acc161_recognised"], 4),
                            "exact_id_recognised": round(score["exact_id_recognised"], 4)})
            print(f"  {f.name:14s} x{factor:<4} acc161 {score['acc161_recognised']:.4f} "
                  f"exact {score['exact_id_recognised']:.4f}", flush=True)
    return results


def splits(rows, parsed, finder: PlaceFinder) -> dict[str, float]:
    """Acc@161 of recognised toponyms on each half and each third of LGL."""
    result = {}
    for parts in (2, 3):
        size = -(-len(rows) // parts)
        for k in range(parts):
            part = slice(k * size, (k + 1) * size)
            score = score_lgl(rows[part], parsed[part], finder)
            result[f"{k + 1}/{parts}"] = round(score["acc161_recognised"], 4)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles/headlines")
    parser.add_argument("--sweep", action="store_true", help="also vary each resolution weight")
    parser.add_argument("--cache-parse", action="store_true",
                        help="reuse the spaCy parses of an earlier run (timings are then meaningless)")
    parser.add_argument("--misses", action="store_true", help="write the misses to benchmarks/out/")
    parser.add_argument("--splits", action="store_true",
                        help="also score each half and third of LGL (by article order): a change that "
                             "generalises should hold on every part, not only on the whole")
    args = parser.parse_args(argv)
    if not GOLD.exists():
        print(f"no gold sets at {GOLD}", file=sys.stderr)
        return 1

    started = time.perf_counter()
    gazetteer = Gazetteer.open()
    open_seconds = time.perf_counter() - started
    nlp, parser_name = load_parser()
    finder = PlaceFinder(gazetteer)

    lgl_rows = load_jsonl(GOLD / "lgl.jsonl", args.limit)
    lgl_articles = [Article(text=r["text"], id=str(r["id"])) for r in lgl_rows]
    lgl_parsed, parse_seconds = parse_all(nlp, lgl_articles, args.cache_parse)
    misses: list | None = [] if args.misses else None
    lgl = score_lgl(lgl_rows, lgl_parsed, finder, misses)
    lgl["parse_seconds"] = parse_seconds
    lgl["places_share_of_pipeline"] = lgl["places_seconds"] / (parse_seconds + lgl["places_seconds"])

    ucdp_rows = load_jsonl(GOLD / "ucdp_syria_headlines_dev.jsonl", args.limit)
    ucdp_articles = [Article(text=r["text"], id=str(r["id"]),
                             published=date.fromisoformat(r["published"])) for r in ucdp_rows]
    ucdp_parsed, _ = parse_all(nlp, ucdp_articles, args.cache_parse)
    ucdp = score_ucdp(ucdp_rows, ucdp_parsed, finder, misses)

    result = {"parser": parser_name, "gazetteer": gazetteer.stats(),
              "gazetteer_open_seconds": open_seconds, "weights": dataclasses.asdict(Weights()),
              "lgl": lgl, "ucdp_syria_headlines": ucdp}
    if args.sweep:
        result["sweep"] = sweep(lgl_rows, lgl_parsed, gazetteer)
    if args.splits:
        result["splits"] = splits(lgl_rows, lgl_parsed, finder)
    print_table(result)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "places.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten {OUT / 'places.json'}")
    if misses is not None:
        with (OUT / "places-misses.jsonl").open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(m, ensure_ascii=False) + "\n" for m in misses)
        print(f"written {OUT / 'places-misses.jsonl'}")
    return 0


def print_table(result: dict) -> None:
    lgl, ucdp = result["lgl"], result["ucdp_syria_headlines"]
    rows = [
        ("LGL recognition precision", lgl["precision"], None),
        ("LGL recognition recall", lgl["recall"], None),
        ("LGL recognition F1 (gold demonyms kept)", lgl["f1"], 0.85),
        ("LGL recognition P, gold demonyms dropped", lgl["without_gold_demonyms"]["precision"], None),
        ("LGL recognition R, gold demonyms dropped", lgl["without_gold_demonyms"]["recall"], None),
        ("LGL recognition F1, gold demonyms dropped", lgl["without_gold_demonyms"]["f1"], 0.85),
        ("LGL Acc@161 of recognised", lgl["acc161_recognised"], 0.90),
        ("LGL exact GeoNames id of recognised", lgl["exact_id_recognised"], 0.80),
        ("LGL median error km (recognised)", lgl["median_error_km"], None),
        ("LGL Acc@161 end to end", lgl["acc161_end_to_end"], None),
        ("LGL places share of pipeline time", lgl["places_share_of_pipeline"], -0.15),
        ("UCDP located within 25 km", ucdp["located_within_25km"], 0.80),
        ("UCDP date in range", ucdp["date_in_range"], 0.90),
    ]
    print(f"parser: {result['parser']}")
    print(f"gazetteer: {result['gazetteer']['places']} places, {result['gazetteer']['names']} names, "
          f"{result['gazetteer']['bytes'] / 1e6:.1f} MB, opened in {result['gazetteer_open_seconds']:.2f} s")
    print(f"LGL gold demonyms: {lgl['gold_demonyms']} of {lgl['gold_toponyms']} gold toponyms")
    print(f"{'measure':42s} {'value':>9s} {'target':>8s}")
    for name, value, target in rows:
        shown = "-" if value is None else f"{value:9.3f}"
        goal = "" if target is None else (f"<= {-target:.2f}" if target < 0 else f">= {target:.2f}")
        print(f"{name:42s} {shown:>9s} {goal:>8s}")
    print(f"(spaCy parse {lgl['parse_seconds']:.1f} s, places {lgl['places_seconds']:.1f} s "
          f"for {lgl['articles']} LGL articles)")
    if "splits" in result:
        print("LGL Acc@161 of recognised by part: "
              + ", ".join(f"{part} {value:.4f}" for part, value in result["splits"].items()))


if __name__ == "__main__":
    raise SystemExit(main())

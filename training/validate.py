"""Check the annotated training corpus and count what it holds.

Every ``*.jsonl`` file under ``training/data/`` holds one annotated news sentence a line, in the
format described in ``training/GUIDELINE.md``. This script checks each line against that format
(JSON, required fields, PLOVER types, modes, contexts, sectors, modalities, ISO3 countries, every
span an exact substring of the sentence), checks ids and sentences are unique across all files,
and prints per-file and total counts.

Usage::

    .venv/bin/python training/validate.py              # all of training/data/
    .venv/bin/python training/validate.py some.jsonl   # named files or directories

Exit status is 1 when any line breaks the format; each problem is printed as
``file:line: field: message``. Warnings (near-duplicate sentences, unusual region labels) are
printed too but do not fail the run.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pycountry

DATA_DIR = Path(__file__).resolve().parent / "data"

# The 16 PLOVER event types and the modes PLOVER.md allows for each (an empty set: mode must be null).
EVENT_MODES: dict[str, frozenset[str]] = {
    "AGREE": frozenset(),
    "CONSULT": frozenset({"visit", "third-party", "multilateral", "phone"}),
    "SUPPORT": frozenset(),
    "CONCEDE": frozenset(),
    "COOPERATE": frozenset(),
    "AID": frozenset(),
    "RETREAT": frozenset({"withdraw", "release", "disarm", "ceasefire", "access", "resign"}),
    "REQUEST": frozenset({"assist", "change", "yield", "meet"}),
    "ACCUSE": frozenset({"disapprove", "investigate", "allege"}),
    "REJECT": frozenset({"assist", "change", "yield", "meet"}),
    "THREATEN": frozenset({"restrict", "arrest", "relations", "expel", "territory", "violence"}),
    "SANCTION": frozenset({"convict", "expel", "withdraw", "discontinue"}),
    "PROTEST": frozenset({"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"}),
    "MOBILIZE": frozenset({"troops", "weapons", "police", "militia"}),
    "COERCE": frozenset({
        "seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
        "misinformation", "cyber",
    }),
    "ASSAULT": frozenset({
        "abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms",
        "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control",
        "unconventional",
    }),
}

CONTEXTS = frozenset({
    "military", "intelligence", "executive", "legislative", "election", "political_institutions",
    "pro_democracy", "pro_autocracy", "economic", "legal", "reparations", "human_rights",
    "rights_freedoms", "repression", "human_security", "gender", "lgbt", "religion_ethnicity",
    "inequality", "diplomatic", "territory", "peacekeeping", "health", "asylum", "migration",
    "disasters", "natural_resource", "environment", "technology", "terrorism", "cbrn", "cyber",
    "misinformation", "crime", "corruption", "illegal_drugs", "trafficking",
})

SECTORS = frozenset({
    "GOV", "MIL", "REB", "COP", "JUD", "LEG", "OPP", "PTY", "CVL", "BUS", "MED", "JRN", "EDU",
    "LAB", "REL", "REF", "ELI", "CRM", "SPY", "UAF", "IGO", "NGO",
})

MODALITIES = ("asserted", "negated", "hypothetical")

STYLES = ("wire", "quote", "analysis", "passive", "reported", "headline", "caption", "background")

# The regions the guideline asks writers to spread over; other labels only draw a warning.
REGIONS = frozenset({"Africa", "Middle East", "Europe", "Asia", "Americas", "ex-USSR", "Pacific"})

# Codes PLOVER uses that ISO 3166-1 does not list (Kosovo); Palestine (PSE) is in ISO already.
EXTRA_COUNTRIES = frozenset({"XKX", "KOS", "PSE"})

RECORD_KEYS = frozenset({"id", "text", "events", "meta"})
EVENT_KEYS = frozenset({
    "event_type", "mode", "context", "modality", "trigger", "actor", "recipient", "location", "date",
})
PARTICIPANT_KEYS = frozenset({"text", "country", "sector"})
META_KEYS = frozenset({"region", "era", "style"})

MIN_WORDS, MAX_WORDS = 8, 45
MAX_EVENTS = 3
ERA_PATTERN = re.compile(r"^(19|20)\d0s$")
ID_PATTERN = re.compile(r"^[a-z]+-\d{4,}$")

# Sentences sharing this much of their word 3-grams are reported as likely templates.
NEAR_DUPLICATE_JACCARD = 0.6


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one line: where it is, which field, what is wrong."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


@dataclass
class FileReport:
    """What one file holds: its valid records (with line numbers) and its problems."""

    path: str
    records: list[tuple[int, dict]] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def is_country_code(code: str) -> bool:
    """True for an upper-case ISO 3166-1 alpha-3 code or one of PLOVER's extra codes.

    >>> is_country_code("FRA"), is_country_code("fra"), is_country_code("XKX")
    (True, False, True)
    """
    if code in EXTRA_COUNTRIES:
        return True
    # pycountry matches case-insensitively; the corpus wants the canonical upper-case form.
    return code.isupper() and len(code) == 3 and pycountry.countries.get(alpha_3=code) is not None


def check_span(name: str, value, text: str, *, nullable: bool) -> list[tuple[str, str]]:
    """A span field must be null (when allowed) or a non-empty exact substring of the sentence."""
    if value is None:
        return [] if nullable else [(name, "must not be null")]
    if not isinstance(value, str) or not value.strip():
        return [(name, f"must be a non-empty string, got {value!r}")]
    if value != value.strip():
        return [(name, f"{value!r} has leading or trailing spaces")]
    if value not in text:
        return [(name, f"{value!r} is not an exact substring of the text")]
    return []


def check_participant(name: str, participant, text: str) -> list[tuple[str, str]]:
    """An actor or recipient entry: {text, country, sector}, text found in the sentence."""
    if not isinstance(participant, dict):
        return [(name, "must be an object with text, country, sector")]
    problems = _check_keys(name, participant, PARTICIPANT_KEYS)
    problems += check_span(f"{name}.text", participant.get("text"), text, nullable=False)
    country = participant.get("country")
    if country is not None and not (isinstance(country, str) and is_country_code(country)):
        problems.append((f"{name}.country", f"{country!r} is not an ISO 3166-1 alpha-3 code"))
    sector = participant.get("sector")
    if sector is not None and sector not in SECTORS:
        problems.append((f"{name}.sector", f"{sector!r} is not a PLOVER sector"))
    return problems


def check_event(name: str, event, text: str) -> list[tuple[str, str]]:
    """One event: type, mode allowed for the type, contexts, modality, spans, participants."""
    if not isinstance(event, dict):
        return [(name, "must be an object")]
    problems = _check_keys(name, event, EVENT_KEYS)
    event_type = event.get("event_type")
    if event_type not in EVENT_MODES:
        problems.append((f"{name}.event_type", f"{event_type!r} is not a PLOVER event type"))
    mode = event.get("mode")
    if mode is not None and event_type in EVENT_MODES and mode not in EVENT_MODES[event_type]:
        allowed = ", ".join(sorted(EVENT_MODES[event_type])) or "none (use null)"
        problems.append((f"{name}.mode", f"{mode!r} is not a mode of {event_type}; allowed: {allowed}"))
    context = event.get("context")
    if not isinstance(context, list):
        problems.append((f"{name}.context", "must be a list (may be empty)"))
    else:
        problems += [(f"{name}.context", f"{c!r} is not a PLOVER context") for c in context if c not in CONTEXTS]
        if len(set(context)) != len(context):
            problems.append((f"{name}.context", "lists a context twice"))
    if event.get("modality") not in MODALITIES:
        problems.append((f"{name}.modality", f"{event.get('modality')!r} is not one of {', '.join(MODALITIES)}"))
    problems += check_span(f"{name}.trigger", event.get("trigger"), text, nullable=False)
    problems += check_span(f"{name}.location", event.get("location"), text, nullable=True)
    problems += check_span(f"{name}.date", event.get("date"), text, nullable=True)
    for role in ("actor", "recipient"):
        participants = event.get(role)
        if not isinstance(participants, list):
            problems.append((f"{name}.{role}", "must be a list (use [] when none is named)"))
            continue
        for j, participant in enumerate(participants):
            problems += check_participant(f"{name}.{role}[{j}]", participant, text)
    return problems


def check_meta(meta) -> list[tuple[str, str]]:
    """meta: region (free label), era (a decade such as 2010s), style (one of STYLES)."""
    if not isinstance(meta, dict):
        return [("meta", "must be an object with region, era, style")]
    problems = _check_keys("meta", meta, META_KEYS)
    if not isinstance(meta.get("region"), str) or not meta.get("region"):
        problems.append(("meta.region", "must be a non-empty string"))
    if not isinstance(meta.get("era"), str) or not ERA_PATTERN.match(meta.get("era")):
        problems.append(("meta.era", f"{meta.get('era')!r} is not a decade such as '2010s'"))
    if meta.get("style") not in STYLES:
        problems.append(("meta.style", f"{meta.get('style')!r} is not one of {', '.join(STYLES)}"))
    return problems


def check_record(record) -> list[tuple[str, str]]:
    """All per-line checks of one parsed line; returns (field, message) pairs, empty when valid."""
    if not isinstance(record, dict):
        return [("line", "must be a JSON object")]
    problems = _check_keys("record", record, RECORD_KEYS)
    record_id = record.get("id")
    if not isinstance(record_id, str) or not ID_PATTERN.match(record_id):
        problems.append(("id", f"{record_id!r} is not of the form 'a-0001'"))
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return problems + [("text", "must be a non-empty string")]
    if text != text.strip() or "\n" in text:
        problems.append(("text", "has leading/trailing spaces or a line break"))
    words = len(text.split())
    if not MIN_WORDS <= words <= MAX_WORDS:
        problems.append(("text", f"has {words} words; a sentence needs {MIN_WORDS}-{MAX_WORDS}"))
    events = record.get("events")
    if not isinstance(events, list):
        problems.append(("events", "must be a list (use [] for a sentence with no event)"))
    else:
        if len(events) > MAX_EVENTS:
            problems.append(("events", f"has {len(events)} events; at most {MAX_EVENTS}"))
        for i, event in enumerate(events):
            problems += check_event(f"events[{i}]", event, text)
    problems += check_meta(record.get("meta"))
    return problems


def iter_spans(record: dict):
    """Yield (field, span) for every trigger, participant text, location and date of a valid record."""
    for i, event in enumerate(record["events"]):
        name = f"events[{i}]"
        yield f"{name}.trigger", event["trigger"]
        for key in ("location", "date"):
            if event[key] is not None:
                yield f"{name}.{key}", event[key]
        for role in ("actor", "recipient"):
            for j, participant in enumerate(event[role]):
                yield f"{name}.{role}[{j}].text", participant["text"]


def span_boundary_warnings(record: dict) -> list[tuple[str, str]]:
    """Spans whose first occurrence sits inside a longer word ("Niger" in "Nigeria").

    Consumers locate a span by its first occurrence, so such a span points at the wrong
    characters; the text or the span should be changed.
    """
    text = record["text"]
    warnings = []
    for name, span in iter_spans(record):
        start = text.find(span)
        end = start + len(span)
        inside = (start > 0 and text[start - 1].isalnum() and span[0].isalnum()) or (
            end < len(text) and text[end].isalnum() and span[-1].isalnum()
        )
        if inside:
            warnings.append((name, f"first occurrence of {span!r} is inside a longer word"))
    return warnings


def _check_keys(name: str, obj: dict, expected: frozenset[str]) -> list[tuple[str, str]]:
    # Unknown keys are usually typos ("recipients", "modallity") that would silently lose data.
    problems = [(f"{name}.{key}", "is missing") for key in sorted(expected - obj.keys())]
    problems += [(f"{name}.{key}", "is not a field of the format") for key in sorted(obj.keys() - expected)]
    return problems


def normalise_text(text: str) -> str:
    """The form used to spot duplicate sentences: case and spacing do not make a new sentence."""
    return " ".join(text.casefold().split())


def read_file(path: Path, shown_as: str) -> FileReport:
    """Parse and check one JSONL file line by line."""
    report = FileReport(shown_as)
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                report.errors.append(Problem(shown_as, number, "line", "is empty"))
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                report.errors.append(Problem(shown_as, number, "json", f"does not parse: {error.msg} at column {error.colno}"))
                continue
            problems = check_record(record)
            report.errors += [Problem(shown_as, number, name, message) for name, message in problems]
            if isinstance(record, dict) and isinstance(record.get("meta"), dict):
                region = record["meta"].get("region")
                if isinstance(region, str) and region and region not in REGIONS:
                    report.warnings.append(Problem(shown_as, number, "meta.region", f"{region!r} is not one of the guideline's regions"))
            if not problems:
                report.records.append((number, record))
                report.warnings += [Problem(shown_as, number, name, message) for name, message in span_boundary_warnings(record)]
    return report


def check_uniqueness(reports: list[FileReport]) -> None:
    """Ids and sentences must be unique over the whole corpus, not just within a file."""
    first_id: dict[str, str] = {}
    first_text: dict[str, str] = {}
    for report in reports:
        for number, record in report.records:
            where = f"{report.path}:{number}"
            if record["id"] in first_id:
                report.errors.append(Problem(report.path, number, "id", f"{record['id']!r} already used at {first_id[record['id']]}"))
            else:
                first_id[record["id"]] = where
            key = normalise_text(record["text"])
            if key in first_text:
                report.errors.append(Problem(report.path, number, "text", f"duplicates the sentence at {first_text[key]}"))
            else:
                first_text[key] = where


def _word_shingles(text: str, size: int = 3) -> set[str]:
    words = re.findall(r"\w+", text.casefold())
    return {" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}


def warn_near_duplicates(reports: list[FileReport]) -> None:
    """Flag sentence pairs so alike that one looks like a template of the other.

    MinHash LSH (datasketch) finds candidate pairs without comparing all pairs; the exact Jaccard
    of the word 3-gram sets then decides, so the warning does not depend on hashing luck.
    """
    from datasketch import MinHash, MinHashLSH

    # The LSH band threshold sits well below the reported one so that pairs just above it are
    # not lost to the approximation; the exact Jaccard below filters the extra candidates.
    lsh = MinHashLSH(threshold=NEAR_DUPLICATE_JACCARD / 2, num_perm=64)
    shingles: dict[str, set[str]] = {}
    for report in reports:
        for number, record in report.records:
            key = f"{report.path}:{number}"
            shingles[key] = _word_shingles(record["text"])
            signature = MinHash(num_perm=64, seed=1)
            for shingle in shingles[key]:
                signature.update(shingle.encode("utf-8"))
            for other in lsh.query(signature):
                overlap = len(shingles[key] & shingles[other]) / len(shingles[key] | shingles[other])
                if overlap >= NEAR_DUPLICATE_JACCARD:
                    report.warnings.append(Problem(report.path, number, "text", f"near-duplicate of {other} (word 3-gram Jaccard {overlap:.2f})"))
            lsh.insert(key, signature)


def validate(paths: list[Path], base: Path | None = None) -> list[FileReport]:
    """Check every JSONL file in ``paths`` (files or directories) and the corpus as a whole."""
    files: list[Path] = []
    for path in paths:
        files += sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    reports = [read_file(path, _shown_as(path, base)) for path in files]
    check_uniqueness(reports)
    warn_near_duplicates(reports)
    return reports


def _shown_as(path: Path, base: Path | None) -> str:
    try:
        return str(path.resolve().relative_to((base or Path.cwd()).resolve()))
    except ValueError:
        return str(path)


def count_records(records: list[dict]) -> dict[str, Counter]:
    """Counts by event type, modality (per event), style and number of events (per sentence)."""
    counts = {name: Counter() for name in ("sentences", "event_type", "modality", "style", "events")}
    for record in records:
        counts["sentences"]["sentences"] += 1
        counts["style"][record["meta"]["style"]] += 1
        counts["events"][str(len(record["events"]))] += 1
        for event in record["events"]:
            counts["event_type"][event["event_type"]] += 1
            counts["modality"][event["modality"]] += 1
    return counts


def format_summary(reports: list[FileReport]) -> str:
    """A table per count: one column per file plus the total."""
    columns = [(Path(report.path).name, [record for _, record in report.records]) for report in reports]
    columns.append(("total", [record for report in reports for _, record in report.records]))
    counted = [(name, count_records(records)) for name, records in columns]
    width = max([12] + [len(name) for name, _ in columns]) + 2
    lines = []
    orders = {"event_type": list(EVENT_MODES), "modality": list(MODALITIES), "style": list(STYLES), "events": ["0", "1", "2", "3"]}
    for table in ("sentences", "event_type", "modality", "style", "events"):
        lines.append("")
        lines.append(f"{table:<14}" + "".join(f"{name:>{width}}" for name, _ in counted))
        keys = orders.get(table, ["sentences"])
        for key in keys:
            if any(counts[table][key] for _, counts in counted):
                lines.append(f"  {key:<12}" + "".join(f"{counts[table][key]:>{width}}" for _, counts in counted))
    total = counted[-1][1]
    sentences, events = total["sentences"]["sentences"], sum(total["modality"].values())
    if sentences and events:
        marked = total["style"]["passive"] + total["style"]["reported"]
        lines.append("")
        lines.append("modality share: " + ", ".join(f"{m} {total['modality'][m] / events:.0%}" for m in MODALITIES))
        lines.append(f"passive or reported style: {marked / sentences:.0%} of sentences")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check the annotated training corpus (training/data/*.jsonl).")
    parser.add_argument("paths", nargs="*", type=Path, help="files or directories (default: training/data/)")
    parser.add_argument("--no-summary", action="store_true", help="print problems only, not the counts")
    parser.add_argument("--no-warnings", action="store_true", help="do not print warnings")
    args = parser.parse_args(argv)
    reports = validate(args.paths or [DATA_DIR])
    errors = [problem for report in reports for problem in report.errors]
    warnings = [problem for report in reports for problem in report.warnings]
    for problem in sorted(errors, key=lambda p: (p.path, p.line)):
        print(f"error: {problem}", file=sys.stderr)
    if not args.no_warnings:
        for problem in sorted(warnings, key=lambda p: (p.path, p.line)):
            print(f"warning: {problem}", file=sys.stderr)
    if not args.no_summary:
        print(format_summary(reports).lstrip("\n"))
    print(f"\n{len(reports)} file(s), {len(errors)} error(s), {len(warnings)} warning(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

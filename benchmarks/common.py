"""What the benchmarks share: where the gold data is, reading it, writing results."""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold"
OUT = ROOT / "benchmarks" / "out"


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        sys.exit(f"benchmark: {path} is absent (the gold sets live in ../shared/gold)")
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_result(name: str, result: dict) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return path

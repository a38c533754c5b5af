"""--processes, --executor, --scheduler, --workers on `code` and `ingest`: clashes are usage errors."""
import subprocess
import sys

import pytest
from click.testing import CliRunner

from whimbrel.cli import cli


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "story.jsonl"
    path.write_text('{"id": "s", "text": "Rebels seized the town of Konna on Thursday."}\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["code", "ingest"])
@pytest.mark.parametrize("options, complaint", [
    (["--workers", "2"], "--workers"),
    (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler"),
    (["--executor", "dask", "--processes", "2"], "--processes"),
    (["--executor", "dask", "--scheduler", "tcp://127.0.0.1:8786", "--workers", "2"], "--workers"),
    (["--executor", "spark"], "--executor"),
])
def test_clashing_options_are_usage_errors(command, options, complaint, story, tmp_path):
    extra = ["--db", str(tmp_path / "x.duckdb")] if command == "ingest" else []
    result = CliRunner().invoke(cli, [command, str(story), *extra, *options])
    assert result.exit_code == 2
    assert complaint in result.output and "Traceback" not in result.output


def test_an_unreachable_scheduler_is_one_line_and_exit_2(story):
    result = subprocess.run([sys.executable, "-m", "whimbrel", "code", str(story), "--executor", "dask",
                             "--scheduler", "tcp://127.0.0.1:9"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("whimbrel: --scheduler: cannot reach the Dask scheduler at")
    assert "hint:" in lines[0]

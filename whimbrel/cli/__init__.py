"""The `whimbrel` command: thin wrappers over functions that return data.

Each command lives in its own module and defines ``command``; errors users can
meet end as one line on standard error, never a traceback.
"""
from __future__ import annotations

import importlib
import sys

import click

from whimbrel import __version__

COMMANDS = ("code", "places", "info", "ingest", "export", "serve", "watch")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="whimbrel")
def cli() -> None:
    """Turn news into PLOVER political event data: who did what to whom, where and when."""


for _name in COMMANDS:
    try:
        _module = importlib.import_module(f"whimbrel.cli.{_name}")
    except ModuleNotFoundError as _error:
        if _error.name != f"whimbrel.cli.{_name}":
            raise
        continue
    cli.add_command(_module.command)


def main() -> None:
    """Entry point: runs the group and turns unexpected errors into one line."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("whimbrel: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except KeyboardInterrupt:
        click.echo("whimbrel: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as error:  # the last line of defence: no traceback reaches a user
        click.echo(f"whimbrel: internal error: {type(error).__name__}: {error} "
                   "(hint: run with WHIMBREL_DEBUG=1 for details and report it)", err=True)
        if __import__("os").environ.get("WHIMBREL_DEBUG"):
            raise
        sys.exit(1)
    sys.exit(0)

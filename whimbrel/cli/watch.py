"""`whimbrel watch FEEDS... --db`: poll RSS/Atom feeds, code new stories and store them.

State lives in the database, so stopping and starting the watcher again loses nothing
and codes nothing twice. Failing feeds and pages are logged one line each and retried
later; ``--once`` runs a single round (for cron) and exits 3 if anything failed.
"""
from __future__ import annotations

import sys

import click

import whimbrel
from whimbrel.cli.common import EXIT_OK, EXIT_SKIPPED, report_problem
from whimbrel.storage.cli_support import db_option, open_db


def _every(value: str):
    from whimbrel.feeds.watcher import parse_every

    try:
        return parse_every(value)
    except ValueError as error:
        raise click.BadParameter(f"{error} (hint: e.g. 15m, 1h, 90s)", param_hint="--every") from None


@click.command("watch")
@click.argument("feeds", nargs=-1, required=True)
@db_option
@click.option("--every", default="15m", show_default=True, help="How often to poll each feed (15m, 1h, 90s).")
@click.option("--once", is_flag=True, help="Run one round (poll, fetch, code, store) and exit.")
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=20.0, show_default=True,
              help="Seconds before a request is given up.")
@click.option("--retries", type=click.IntRange(0, 10), default=3, show_default=True,
              help="Retries of a failing request (timeouts, 5xx, 429), with exponential backoff.")
@click.option("--fetchers", type=click.IntRange(1, 32), default=4, show_default=True,
              help="Pages fetched at the same time.")
def command(feeds, db, every, once, timeout, retries, fetchers):
    """Watch FEEDS (feed URLs, files of URLs one a line, OPML files): code and store new stories."""
    from whimbrel.feeds import Fetcher, FetchPolicy, Watcher, WatchSettings, read_feed_list

    interval = _every(every)
    urls, problems = read_feed_list(feeds)
    for problem in problems:
        report_problem(problem)
    if not urls:
        raise click.UsageError("no feeds to watch (hint: give feed URLs, a file of them or an OPML file)")
    store = open_db(db)
    log = lambda line: click.echo(f"whimbrel: {line}", err=True)  # noqa: E731
    fetcher = Fetcher(FetchPolicy(timeout=timeout, retries=retries))
    failed = False
    try:
        watcher = Watcher(store, urls, lambda: whimbrel.default_pipeline().code_articles, fetcher,
                          whimbrel.PIPELINE_VERSION, WatchSettings(every=interval, fetchers=fetchers), log=log)
        log(f"watching {len(urls)} feed(s) every {every} into {_safe(store.url)}" + ("" if not once else " (one round)"))

        def on_round(report):
            nonlocal failed
            failed = failed or report.failures > 0
            log(report.line())

        watcher.run(once=once, on_round=on_round)
    finally:
        fetcher.close()
        store.close()
    sys.exit(EXIT_SKIPPED if (problems or failed) else EXIT_OK)


def _safe(target: str) -> str:
    if "://" in target and "@" in target:
        return target.split("://", 1)[0] + "://***@" + target.rsplit("@", 1)[1]
    return target

"""`whimbrel info`: versions, the spaCy model, and the sizes of the knowledge it codes with."""
from __future__ import annotations

import json

import click


def collect_info() -> dict:
    import whimbrel
    from whimbrel.knowledge.actors import ActorBook
    from whimbrel.knowledge.countries import CountryBook
    from whimbrel.knowledge.gazetteer import Gazetteer
    from whimbrel.pipeline.events import trigger_lexicon
    from whimbrel.pipeline.text import model_name

    gazetteer = Gazetteer.open()
    return {
        "version": whimbrel.__version__,
        "pipeline_version": whimbrel.PIPELINE_VERSION,
        "spacy_model": model_name(),
        "gazetteer": gazetteer.stats(),
        "countries": len(CountryBook.load()),
        "actor_knowledge": actor_sizes(ActorBook.load()),
        "event_triggers": len(trigger_lexicon()),
    }


def actor_sizes(book) -> dict:
    return {"organisations": len(book.organisations), "metonyms": len(book.metonyms),
            "roles": len(book.roles), "people": len(book.people)}


@click.command("info")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def command(fmt):
    """Show the version, the spaCy model in use and the knowledge sizes."""
    info = collect_info()
    if fmt == "json":
        click.echo(json.dumps(info, indent=2))
        return
    for key, value in info.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items())
        click.echo(f"{key:18} {value}")

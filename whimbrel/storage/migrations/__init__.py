"""Versioned schema migrations: ``NNN_name.sql`` files applied in order, each once.

A store records the versions it has applied in ``schema_migrations``; opening a store
applies whatever is missing, each file in its own transaction, so a failed migration
leaves the schema at the previous version rather than half changed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    def statements(self, types: dict[str, str]) -> list[str]:
        """The file's statements with the backend's type names filled in.

        Migration files hold no semicolons inside literals, so splitting on ";" is safe.
        """
        text = "\n".join(line for line in self.sql.splitlines() if not line.lstrip().startswith("--"))
        for placeholder, type_name in types.items():
            text = text.replace("{" + placeholder + "}", type_name)
        return [statement.strip() for statement in text.split(";") if statement.strip()]


def all_migrations() -> list[Migration]:
    """Every migration shipped with whimbrel, oldest first."""
    found = []
    for entry in resources.files(__name__).iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a version number: {versions}")
    return found


CREATE_LEDGER = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)"
)

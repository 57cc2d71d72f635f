"""Datasette for the database: full-text search kept current by triggers,
and the command that serves it with the project's metadata (db/metadata.json:
titles, descriptions, units, facets, label columns, canned queries).

Pinned to Datasette 0.65.x: the 1.0 alphas dropped per-column units and moved
table settings out of metadata.
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

METADATA = Path(__file__).resolve().parent.parent / "db" / "metadata.json"

# table -> columns indexed for full-text search
FTS = {
    "articles": ["title", "condition", "description", "body"],
    "treatments": ["name", "text"],
    "exercises": ["name", "text"],
    "entities": ["canonical_name", "aliases"],
}


def prepare(db: sqlite_utils.Database) -> list[str]:
    """Create the FTS5 indexes (once) with triggers that keep them current as
    the pipeline writes; return the tables that were newly indexed."""
    created = []
    for table, columns in FTS.items():
        if not db[table].exists():
            continue
        if db[table].detect_fts() is None:
            db[table].enable_fts(columns, fts_version="FTS5", create_triggers=True)
            created.append(table)
    return created


def serve_command(db_path: str, port: int = 8001, host: str = "127.0.0.1") -> list[str]:
    """Arguments after ``python`` that serve the database in Datasette."""
    return ["-m", "datasette", "serve", str(db_path), "--metadata", str(METADATA), "--host", host,
            "--port", str(port), "--setting", "sql_time_limit_ms", "5000", "--setting", "facet_time_limit_ms", "500"]

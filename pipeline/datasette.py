"""Datasette for the database: full-text search kept current by triggers, a
few views written for people, and the command that serves it with the
project's metadata, templates, plugins and styles.

- ``db/metadata.json`` (titles, descriptions, units, facets, label columns,
  canned queries) is written for a database called ``health``; at serve
  time it is re-keyed to whatever the database file is called.
- Long text columns are cut short in table views (Datasette's own
  ``truncate_cells_html``); a row page shows them whole.
- An article's page (``datasette_assets/templates/row.html``) shows its
  treatments and exercises in the page's own sections, with hold, reps,
  sets and rest, its related links and "what others are reading" with
  titles and reasons; the SQL lives in the template (datasette-template-sql).
- ``datasette_assets/plugins/health.py`` renders JSON lists and objects as
  text and labels article rows by title.
- Full-text search over ``articles`` covers the curated articles: its index
  follows the ``curation`` table by triggers.

Pinned to Datasette 0.65.x: the 1.0 alphas dropped per-column units and moved
table settings out of metadata.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import sqlite_utils

ROOT = Path(__file__).resolve().parent.parent
METADATA = ROOT / "db" / "metadata.json"
ASSETS = Path(__file__).resolve().parent / "datasette_assets"
METADATA_DATABASE = "health"  # the database name db/metadata.json is written for

# table -> columns indexed for full-text search (sqlite-utils' triggers keep them current)
FTS = {
    "treatments": ["name", "text"],
    "exercises": ["name", "text"],
    "entities": ["canonical_name", "aliases"],
}
ARTICLE_FTS_COLUMNS = ["title", "condition", "description", "body"]
ARTICLE_FTS_VERSION = "curated-1"

# The curated articles' index: its own copy of the text (not external
# content), so a row can be removed by rowid whatever the article holds now.
ARTICLE_FTS_SQL = [statement.strip().rstrip(";") + ";" for statement in f"""
CREATE VIRTUAL TABLE articles_fts USING fts5({', '.join(ARTICLE_FTS_COLUMNS)}, tokenize='porter unicode61');

CREATE TRIGGER articles_fts_curated AFTER INSERT ON curation WHEN new.included = 1 BEGIN
    INSERT INTO articles_fts(rowid, {', '.join(ARTICLE_FTS_COLUMNS)})
        SELECT rowid, {', '.join(ARTICLE_FTS_COLUMNS)} FROM articles WHERE url = new.url;
END;

CREATE TRIGGER articles_fts_uncurated AFTER DELETE ON curation WHEN old.included = 1 BEGIN
    DELETE FROM articles_fts WHERE rowid = (SELECT rowid FROM articles WHERE url = old.url);
END;

CREATE TRIGGER articles_fts_recurated AFTER UPDATE OF included ON curation BEGIN
    DELETE FROM articles_fts WHERE rowid = (SELECT rowid FROM articles WHERE url = old.url);
    INSERT INTO articles_fts(rowid, {', '.join(ARTICLE_FTS_COLUMNS)})
        SELECT rowid, {', '.join(ARTICLE_FTS_COLUMNS)} FROM articles WHERE url = new.url AND new.included = 1;
END;

CREATE TRIGGER articles_fts_article_gone AFTER DELETE ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.rowid;
END;

CREATE TRIGGER articles_fts_article_back AFTER INSERT ON articles
WHEN EXISTS (SELECT 1 FROM curation WHERE url = new.url AND included = 1) BEGIN
    INSERT INTO articles_fts(rowid, {', '.join(ARTICLE_FTS_COLUMNS)})
        VALUES (new.rowid, {', '.join('new.' + c for c in ARTICLE_FTS_COLUMNS)});
END;
""".split(";\n\n")]

# Views for people: what a table shows with its keys, in words.
VIEWS = {
    "reading_lists": """
        SELECT a.title AS article, r.rank, b.title AS read_next, r.reason, round(r.score, 3) AS score,
               r.article_url, r.recommended_url
        FROM recommendations r JOIN articles a ON a.url = r.article_url JOIN articles b ON b.url = r.recommended_url
    """,
}


def prepare(db: sqlite_utils.Database) -> list[str]:
    """Create the FTS5 indexes and views (once), with triggers that keep the
    indexes current as the pipeline writes; return what was newly made."""
    created = []
    for table, columns in FTS.items():
        if db[table].exists() and db[table].detect_fts() is None:
            db[table].enable_fts(columns, fts_version="FTS5", create_triggers=True)
            created.append(table)
    if _article_index_version(db) != ARTICLE_FTS_VERSION:
        _create_article_index(db)
        created.append("articles")
    for name, sql in VIEWS.items():
        if name not in db.view_names():
            db.conn.execute(f"CREATE VIEW {name} AS {sql}")
            created.append(name)
    return created


def _article_index_version(db: sqlite_utils.Database) -> str | None:
    if "articles_fts" not in db.table_names():
        return None
    row = db.conn.execute("SELECT value FROM meta WHERE key = 'articles_fts'").fetchone()
    return row[0] if row else None


def _create_article_index(db: sqlite_utils.Database) -> None:
    """(Re)build the curated articles' index, replacing an older one that
    covered every article (sqlite-utils' external-content index)."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        for (trigger,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                                       "(name LIKE 'articles\\_a_' ESCAPE '\\' OR name LIKE 'articles\\_fts\\_%' ESCAPE '\\')").fetchall():
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute("DROP TABLE IF EXISTS articles_fts")
        for statement in ARTICLE_FTS_SQL:
            conn.execute(statement)
        conn.execute(f"INSERT INTO articles_fts(rowid, {', '.join(ARTICLE_FTS_COLUMNS)}) "
                     f"SELECT a.rowid, {', '.join('a.' + c for c in ARTICLE_FTS_COLUMNS)} FROM articles a "
                     "JOIN curation c ON c.url = a.url WHERE c.included = 1")
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('articles_fts', ?)", (ARTICLE_FTS_VERSION,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def database_name(db_path: str | os.PathLike) -> str:
    """The name Datasette gives a database file: its name without the suffix."""
    return Path(db_path).stem


def metadata_for(db_path: str | os.PathLike) -> dict:
    """db/metadata.json, its database section keyed to this file's name."""
    metadata = json.loads(METADATA.read_text(encoding="utf-8"))
    databases = metadata.get("databases", {})
    if METADATA_DATABASE in databases:
        databases = {database_name(db_path): databases[METADATA_DATABASE]}
    metadata["databases"] = databases
    return metadata


def write_metadata(db_path: str | os.PathLike) -> Path:
    """The re-keyed metadata as a file Datasette can read (in the temp folder)."""
    folder = Path(tempfile.gettempdir()) / "health-pipeline-datasette"
    folder.mkdir(exist_ok=True)
    digest = hashlib.sha1(str(Path(db_path).resolve()).encode()).hexdigest()[:12]
    path = folder / f"{database_name(db_path)}-{digest}.json"
    text = json.dumps(metadata_for(db_path), indent=2)
    temp = path.with_suffix(f".{os.getpid()}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)
    return path


def serve_command(db_path: str, port: int = 8001, host: str = "127.0.0.1") -> list[str]:
    """Arguments after ``python`` that serve the database in Datasette."""
    return ["-m", "datasette", "serve", str(db_path), "--metadata", str(write_metadata(db_path)),
            "--template-dir", str(ASSETS / "templates"), "--plugins-dir", str(ASSETS / "plugins"),
            "--static", f"assets:{ASSETS / 'static'}", "--host", host, "--port", str(port),
            "--setting", "sql_time_limit_ms", "5000", "--setting", "facet_time_limit_ms", "500",
            "--setting", "truncate_cells_html", "140"]

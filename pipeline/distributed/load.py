"""`pipeline load`: a dataset written by a distributed run, into the SQLite
database, so Datasette, `status` and the exports work on it as on a
single-machine run.

What the batch stages compute replaces what the database held of it, in one
transaction (a reader sees the old results or the new, never a mix):
extractions, articles and their records, signatures, duplicate pairs and
clusters, entities, curation, recommendations and every other table the
finishing stages filled. The pages the run read are upserted (an older
capture never replaces a newer row); their HTML stays where it was read from.
"""

from __future__ import annotations

import time

import pyarrow as pa
import sqlite_utils

from pipeline import db as dbmod
from pipeline.distributed import steps
from pipeline.distributed.batch import DATASET_VERSION, MANIFEST
from pipeline.distributed.storage import DatasetStore
from pipeline.errors import ConfigError
from pipeline.pages import upsert_page

# Inserted in this order (foreign keys: entities before the records that cite them).
LOAD_ORDER = ("extractions", "articles", "entities", "treatments", "exercises", "related_links",
              "article_signatures", "duplicate_pairs", "article_clusters", "curation", "recommendations",
              "most_read")
# Cleared before loading; articles' delete cascades to their records and dedupe rows.
REPLACED = ("most_read", "recommendations", "curation", "article_clusters", "duplicate_pairs",
            "article_signatures", "related_links", "treatments", "exercises", "articles", "entities", "extractions")


def read_manifest(store: DatasetStore) -> dict:
    if not store.exists(MANIFEST):
        raise ConfigError(f"{store.url}: no {MANIFEST}: not a finished dataset of `pipeline run --engine ray`")
    manifest = store.read_json(MANIFEST)
    if manifest.get("version") != DATASET_VERSION:
        raise ConfigError(f"{store.url}: dataset version {manifest.get('version')}, this pipeline reads "
                          f"{DATASET_VERSION}")
    return manifest


def _insert(conn, table: str, data: pa.Table, columns: set[str]) -> int:
    names = [n for n in data.column_names if n in columns]
    if not data.num_rows or not names:
        return 0
    values = [data.column(n).to_pylist() for n in names]
    conn.executemany(f"INSERT INTO {table}({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                     zip(*values))
    return data.num_rows


def load_dataset(db: sqlite_utils.Database, store: DatasetStore, config=None) -> dict:
    """Load the dataset at ``store`` into ``db`` (the caller holds the run lock)."""
    started = time.monotonic()
    manifest = read_manifest(store)
    superseded = {tuple(x) for x in manifest.get("superseded", [])}
    partitions = manifest["partitions"]
    conn = db.conn
    columns = {t: {r[1] for r in conn.execute(f"PRAGMA table_info({t})")} for t in db.table_names()}
    counts: dict[str, int] = {}
    with dbmod.transaction(db):
        if config is not None:
            for source in config.sources:
                conn.execute("INSERT INTO sources(name, priority) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET "
                             "priority = excluded.priority", (source.name, source.priority))
        pages = 0
        for pid in partitions:
            data = steps.drop_superseded(store.read_table(f"extract/pages/{pid}.parquet"), superseded, "url")
            names = [n for n in data.column_names if n in columns["pages"]]
            stored = dict(conn.execute("SELECT url, fetched_at FROM pages WHERE url IN (SELECT value FROM "
                                       "json_each(?))", (_json_list(data.column("url").to_pylist()),)))
            for row in data.select(names).to_pylist():
                conn.execute("INSERT OR IGNORE INTO sources(name, priority) VALUES (?, 0)", (row["source"],))
                if stored.get(row["url"]) and stored[row["url"]] > (row["fetched_at"] or ""):
                    continue  # the database has a newer capture of this page
                upsert_page(conn, row)
                pages += 1
        counts["pages"] = pages
        for table in REPLACED:
            conn.execute(f"DELETE FROM {table}")
        finish_tables = set(manifest["finish_tables"])
        for table in LOAD_ORDER:
            counts[table] = 0
            if table in finish_tables:
                counts[table] = _insert(conn, table, store.read_table(f"finish/{table}.parquet"), columns[table])
                continue
            if table == "duplicate_pairs":
                counts[table] = _insert(conn, table, store.read_table("dedupe/duplicate_pairs.parquet"),
                                        columns[table])
                continue
            # All partitions' rows in one order (URL, then position), as
            # extraction inserts them: row ids, and every stage that reads
            # rows in stored order, come out as on one machine.
            url_column = "article_url" if table in ("treatments", "exercises", "related_links") else "url"
            pieces = [steps.drop_superseded(store.read_table(f"extract/{table}/{pid}.parquet"), superseded,
                                            url_column) for pid in partitions]
            if pieces:
                counts[table] = _insert(conn, table, steps.sort_rows(pa.concat_tables(pieces), table), columns[table])
        # Tables the finishing stages filled that this loader has no rule for
        # (a stage added one): loaded whole when the database has them.
        for table in sorted(finish_tables - set(LOAD_ORDER)):
            if table in columns:
                conn.execute(f"DELETE FROM {table}")
                counts[table] = _insert(conn, table, store.read_table(f"finish/{table}.parquet"), columns[table])
    return {"dataset": store.url, "partitions": len(partitions), "tables": counts,
            "seconds": round(time.monotonic() - started, 2)}


def _json_list(values: list) -> str:
    import json

    return json.dumps(values)

"""The export stage: the curated dataset as JSON, JSON Lines and CSV, with a
JSON Schema for each file and a Frictionless ``datapackage.json``.

IDs are derived from canonical URLs (and entity keys), so they stay the same
from run to run; records are sorted by ID, so an unchanged database exports
byte-identical files. Every file is written to a temporary name and renamed
into place: another program reading the export sees the previous complete
file or the new complete file, never half of one.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
import time
from pathlib import Path

import sqlite_utils

from pipeline.errors import ConfigError

FORMATS = ("json", "jsonl", "csv")


def stable_id(value: str) -> str:
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:16]


# -- schemas (one place) ----------------------------------------------------------------

_STR = {"type": ["string", "null"]}
_INT = {"type": ["integer", "null"]}
TREATMENT_SCHEMA = {
    "type": "object",
    "required": ["position", "name", "category"],
    "properties": {
        "position": {"type": "integer", "minimum": 1}, "name": {"type": "string", "minLength": 1},
        "text": _STR, "category": {"type": "string"}, "entity_id": _STR,
        "medicines": {"type": "array", "items": {"type": "string"}},
        "warnings": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": False,
}
EXERCISE_SCHEMA = {
    "type": "object",
    "required": ["position", "name"],
    "properties": {
        "position": {"type": "integer", "minimum": 1}, "name": {"type": "string", "minLength": 1}, "text": _STR,
        "entity_id": _STR, "hold_seconds": {"type": ["integer", "null"], "minimum": 0},
        "hold_seconds_max": _INT, "reps": _INT, "sets": _INT, "rest_seconds": _INT, "body_position": _STR,
    },
    "additionalProperties": False,
}
RECORD_SCHEMAS = {
    "articles": {
        "title": "A curated article",
        "type": "object",
        "required": ["id", "url", "title", "treatments", "exercises"],
        "properties": {
            "id": {"type": "string", "pattern": "^[0-9a-f]{16}$"}, "url": {"type": "string", "format": "uri"},
            "source": _STR, "title": {"type": "string"}, "condition": _STR, "author": _STR,
            "published": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"},
            "modified": _STR, "description": _STR, "language": _STR, "site_name": _STR, "image": _STR,
            "word_count": _INT, "cluster_size": _INT,
            "treatments": {"type": "array", "items": TREATMENT_SCHEMA},
            "exercises": {"type": "array", "items": EXERCISE_SCHEMA},
        },
        "additionalProperties": False,
    },
    "entities": {
        "title": "A treatment or exercise, merged across articles",
        "type": "object",
        "required": ["id", "kind", "name", "article_count"],
        "properties": {
            "id": {"type": "string"}, "kind": {"enum": ["treatment", "exercise"]}, "name": {"type": "string"},
            "category": _STR, "aliases": {"type": "array", "items": {"type": "string"}},
            "article_count": {"type": "integer"}, "source_count": {"type": "integer"},
            "articles": {"type": "array", "items": {"type": "string"}},
        },
        "additionalProperties": False,
    },
    "recommendations": {
        "title": "What others are reading, for one article",
        "type": "object",
        "required": ["article_id", "article_url", "recommendations"],
        "properties": {
            "article_id": {"type": "string"}, "article_url": {"type": "string"},
            "recommendations": {"type": "array", "items": {
                "type": "object", "required": ["rank", "id", "url", "score", "reason"],
                "properties": {"rank": {"type": "integer"}, "id": {"type": "string"}, "url": {"type": "string"},
                               "title": _STR, "score": {"type": "number"}, "reason": {"type": "string"}},
                "additionalProperties": False}},
        },
        "additionalProperties": False,
    },
    "most_read": {
        "title": "Most read right now",
        "type": "object",
        "required": ["rank", "id", "url", "score"],
        "properties": {"rank": {"type": "integer"}, "id": {"type": "string"}, "url": {"type": "string"},
                       "title": _STR, "score": {"type": "number"}, "reason": _STR},
        "additionalProperties": False,
    },
}
# CSV: the flat tables (nested lists become their own files).
CSV_COLUMNS = {
    "articles": ["id", "url", "source", "title", "condition", "author", "published", "modified", "description",
                 "language", "site_name", "image", "word_count", "cluster_size"],
    "treatments": ["article_id", "position", "name", "category", "entity_id", "medicines", "warnings", "text"],
    "exercises": ["article_id", "position", "name", "entity_id", "hold_seconds", "hold_seconds_max", "reps", "sets",
                  "rest_seconds", "body_position", "text"],
    "entities": ["id", "kind", "name", "category", "article_count", "source_count", "aliases"],
    "recommendations": ["article_id", "rank", "id", "url", "title", "score", "reason"],
    "most_read": ["rank", "id", "url", "title", "score", "reason"],
}
INTEGER_COLUMNS = {"position", "word_count", "cluster_size", "hold_seconds", "hold_seconds_max", "reps", "sets",
                   "rest_seconds", "article_count", "source_count", "rank"}


def json_schema(name: str, as_list: bool) -> dict:
    record = RECORD_SCHEMAS[name]
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{name}.schema.json"}
    if as_list:
        return {**schema, "title": f"{record['title']} (a list)", "type": "array", "items": record}
    return {**schema, **record}


# -- reading the database --------------------------------------------------------------


def collect(db: sqlite_utils.Database) -> dict[str, list[dict]]:
    """The records to export, as plain data, sorted by ID."""
    conn = db.conn
    entity_ids = {row[0]: stable_id(f"{row[1]}:{row[2]}") for row in conn.execute("SELECT id, kind, key FROM entities")}
    cluster_size = dict(conn.execute("SELECT url, size FROM article_clusters"))
    columns = ["url", "source", "title", "condition", "author", "published", "modified", "description", "language",
               "site_name", "image", "word_count"]
    articles = {}
    for row in conn.execute(f"SELECT {', '.join(columns)} FROM curated_articles"):
        article = dict(zip(columns, row))
        article = {"id": stable_id(article["url"]), **article, "cluster_size": cluster_size.get(article["url"], 1),
                   "treatments": [], "exercises": []}
        articles[article["url"]] = article
    for url, position, name, text, category, medicines, warnings, entity in conn.execute(
            "SELECT article_url, position, name, text, category, medicines, warnings, entity_id FROM treatments "
            "ORDER BY article_url, position"):
        if url in articles:
            articles[url]["treatments"].append({
                "position": position, "name": name, "text": text, "category": category or "other",
                "entity_id": entity_ids.get(entity), "medicines": json.loads(medicines or "[]"),
                "warnings": json.loads(warnings or "[]")})
    for row in conn.execute(
            "SELECT article_url, position, name, text, hold_seconds, hold_seconds_max, reps, sets, rest_seconds, "
            "body_position, entity_id FROM exercises ORDER BY article_url, position"):
        url = row[0]
        if url in articles:
            keys = ["position", "name", "text", "hold_seconds", "hold_seconds_max", "reps", "sets", "rest_seconds",
                    "body_position"]
            exercise = dict(zip(keys, row[1:10]))
            exercise["entity_id"] = entity_ids.get(row[10])
            articles[url]["exercises"].append(exercise)
    curated = set(articles)
    entity_articles: dict[int, set[str]] = {}
    for entity, url in conn.execute("SELECT entity_id, article_url FROM treatments UNION SELECT entity_id, article_url FROM exercises"):
        if url in curated and entity is not None:
            entity_articles.setdefault(entity, set()).add(stable_id(url))
    entities = []
    for entity_id, kind, name, category, aliases, article_count, source_count in conn.execute(
            "SELECT id, kind, canonical_name, category, aliases, article_count, source_count FROM entities"):
        entities.append({"id": entity_ids[entity_id], "kind": kind, "name": name, "category": category,
                         "aliases": sorted(json.loads(aliases or "{}")), "article_count": article_count,
                         "source_count": source_count, "articles": sorted(entity_articles.get(entity_id, ()))})
    recommendations: dict[str, dict] = {}
    for article_url, rank, url, score, why, title in conn.execute(
            "SELECT r.article_url, r.rank, r.recommended_url, r.score, r.reason, a.title FROM recommendations r "
            "JOIN articles a ON a.url = r.recommended_url ORDER BY r.article_url, r.rank"):
        if article_url not in curated:
            continue
        entry = recommendations.setdefault(article_url, {"article_id": stable_id(article_url), "article_url": article_url,
                                                        "recommendations": []})
        entry["recommendations"].append({"rank": rank, "id": stable_id(url), "url": url, "title": title,
                                         "score": score, "reason": why})
    most_read = [{"rank": rank, "id": stable_id(url), "url": url, "title": title, "score": score, "reason": why}
                 for rank, url, title, score, why in conn.execute("SELECT rank, url, title, score, reason FROM most_read ORDER BY rank")]
    return {
        "articles": sorted(articles.values(), key=lambda a: a["id"]),
        "entities": sorted(entities, key=lambda e: e["id"]),
        "recommendations": sorted(recommendations.values(), key=lambda r: r["article_id"]),
        "most_read": most_read,
    }


# -- writing ------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, flush it to disk, rename it over."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def _csv_bytes(rows: list[dict], columns: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: json.dumps(row[c], ensure_ascii=False) if isinstance(row.get(c), list) else row.get(c)
                         for c in columns})
    return buffer.getvalue().encode("utf-8")


def _flat_tables(records: dict[str, list[dict]]) -> dict[str, list[dict]]:
    tables = {"articles": records["articles"], "entities": records["entities"], "most_read": records["most_read"],
              "treatments": [], "exercises": [], "recommendations": []}
    for article in records["articles"]:
        for t in article["treatments"]:
            tables["treatments"].append({"article_id": article["id"], **t})
        for e in article["exercises"]:
            tables["exercises"].append({"article_id": article["id"], **e})
    for entry in records["recommendations"]:
        for item in entry["recommendations"]:
            tables["recommendations"].append({"article_id": entry["article_id"], **item})
    return tables


def _table_schema(columns: list[str]) -> dict:
    return {"fields": [{"name": c, "type": "integer" if c in INTEGER_COLUMNS else
                        ("number" if c == "score" else "string")} for c in columns],
            "primaryKey": ["id"] if "id" in columns and "article_id" not in columns and "rank" not in columns else None}


def export(db: sqlite_utils.Database, out_dir: str | os.PathLike, formats: tuple[str, ...] = FORMATS) -> dict:
    """Write the export; return what was written (files, records)."""
    started = time.monotonic()
    for fmt in formats:
        if fmt not in FORMATS:
            raise ConfigError(f"--format: unknown format {fmt!r}; allowed: {', '.join(FORMATS)}")
    out = Path(out_dir)
    # Temporary files of a run that was killed mid-write: never read, now removed.
    for stale in list(out.glob(".*.tmp")) + list(out.glob("schemas/.*.tmp")):
        stale.unlink(missing_ok=True)
    records = collect(db)
    files: list[dict] = []

    def emit(relative: str, data: bytes, resource: dict) -> None:
        write_atomic(out / relative, data)
        files.append({"path": relative, "bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                      **resource})

    for name, rows in records.items():
        if "json" in formats:
            schema = json_schema(name, as_list=True)
            write_atomic(out / "schemas" / f"{name}.schema.json", json.dumps(schema, indent=2).encode())
            emit(f"{name}.json", json.dumps(rows, indent=1, ensure_ascii=False).encode("utf-8"),
                 {"name": f"{name}-json", "format": "json", "mediatype": "application/json",
                  "schema": f"schemas/{name}.schema.json", "records": len(rows)})
        if "jsonl" in formats:
            schema = json_schema(name, as_list=False)
            write_atomic(out / "schemas" / f"{name}.record.schema.json", json.dumps(schema, indent=2).encode())
            data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
            emit(f"{name}.jsonl", data, {"name": f"{name}-jsonl", "format": "jsonl",
                                         "mediatype": "application/x-ndjson",
                                         "schema": f"schemas/{name}.record.schema.json", "records": len(rows)})
    if "csv" in formats:
        for name, rows in _flat_tables(records).items():
            columns = CSV_COLUMNS[name]
            schema = _table_schema(columns)
            if schema["primaryKey"] is None:
                schema.pop("primaryKey")
            emit(f"{name}.csv", _csv_bytes(rows, columns), {"name": f"{name}-csv", "format": "csv",
                                                             "mediatype": "text/csv", "encoding": "utf-8",
                                                             "schema": schema, "records": len(rows)})
    package = {
        "name": "health-pipeline-curated",
        "title": "Curated health articles: treatments, exercises and what others are reading",
        "licenses": [{"name": "other-at", "title": "Texts remain with their publishers; see each article's url"}],
        "resources": [{k: v for k, v in f.items() if k != "records"} for f in files],
    }
    write_atomic(out / "datapackage.json", json.dumps(package, indent=2).encode())
    return {"out": str(out), "files": len(files) + 1, "articles": len(records["articles"]),
            "entities": len(records["entities"]), "recommendation_lists": len(records["recommendations"]),
            "seconds": round(time.monotonic() - started, 2)}

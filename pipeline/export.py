"""The export stage: the curated dataset as one consistent set of files.

Formats: JSON, JSON Lines and CSV (with a JSON Schema or Table Schema for
each), Parquet (one file per table, lists as real lists), schema.org JSON-LD
per article, a Frictionless Data Package v2 ``datapackage.json`` with every
file's size and sha256, and a dataset card ``README.md`` whose YAML header
the Hugging Face Hub reads.

**One atomic set.** Every file goes into a fresh sibling folder
(``.exports.<time>-<pid>``); once all of them are on disk, ``exports`` (a
symlink) is switched to it with a single ``rename``. A reader that follows
the link sees the previous complete set or the new complete set, never new
recommendations beside old articles, and ``datapackage.json``'s hashes always
describe the files beside it. A failure midway (a full disk, a kill) leaves
the published set untouched. The previous set is kept for readers still
inside it; older sets are pruned, and only the files the export itself wrote
(listed in each set's ``.export-files``) are ever deleted.

IDs are derived from canonical URLs (and entity keys), so they stay the same
from run to run; records are sorted by ID, so an unchanged database exports
byte-identical data files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import secrets
import time
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from pipeline.errors import ConfigError
from pipeline.recommend import EvidenceKind

FORMATS = ("json", "jsonl", "csv", "parquet", "jsonld")
GENERATOR = "health-pipeline export"
FILE_LOG = ".export-files"  # in each set: every file the export wrote there, one per line


def stable_id(value: str) -> str:
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:16]


# -- schemas (one place) ----------------------------------------------------------------

_STR = {"type": ["string", "null"]}
_INT = {"type": ["integer", "null"]}
_NUM = {"type": ["number", "null"]}
_STRINGS = {"type": "array", "items": {"type": "string"}}
# An ICD-10-CM code as the tabular list writes it: M54.5, G43, G25.81.
ICD10CM_PATTERN = r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$"
_ICD10CM = {"type": ["string", "null"], "pattern": ICD10CM_PATTERN}
EVIDENCE_KINDS = [kind.value for kind in EvidenceKind]
LINK_RELATIONS = ["same_as", "broader"]         # entity_links.relation (pipeline/dedupe.py)
ICD10CM_MATCHES = ["exact", "close", "title"]   # how well the code fits (pipeline.vocab.CodeLink.match)
EVIDENCE_SCHEMA = {
    "type": "object", "required": ["kind", "text"],
    "properties": {"kind": {"enum": EVIDENCE_KINDS}, "text": {"type": "string", "minLength": 1}},
    "additionalProperties": False,
}
ENTITY_LINK_SCHEMA = {
    "type": "object", "required": ["relation", "vocabulary", "code", "source"],
    "properties": {"relation": {"enum": LINK_RELATIONS}, "vocabulary": {"type": "string"},
                   "code": {"type": "string", "minLength": 1}, "label": _STR, "source": {"type": "string"}},
    "additionalProperties": False,
}
TREATMENT_SCHEMA = {
    "type": "object",
    "required": ["position", "name", "category"],
    "properties": {
        "position": {"type": "integer", "minimum": 1}, "name": {"type": "string", "minLength": 1},
        "text": _STR, "category": {"type": "string"}, "entity_id": _STR,
        "section": _STR, "section_kind": _STR, "confidence": _NUM, "unsure": {"type": "boolean"},
        "medicines": _STRINGS, "warnings": _STRINGS,
    },
    "additionalProperties": False,
}
EXERCISE_SCHEMA = {
    "type": "object",
    "required": ["position", "name"],
    "properties": {
        "position": {"type": "integer", "minimum": 1}, "name": {"type": "string", "minLength": 1}, "text": _STR,
        "entity_id": _STR, "hold_seconds": {"type": ["integer", "null"], "minimum": 0},
        "hold_seconds_max": _INT, "reps": _INT, "reps_max": _INT, "sets": _INT, "sets_max": _INT,
        "per_side": {"type": "boolean"}, "rest_seconds": _INT, "duration_seconds": _INT, "frequency": _STR,
        "body_position": _STR, "section": _STR, "section_kind": _STR, "confidence": _NUM,
        "unsure": {"type": "boolean"},
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
            "source": _STR, "title": {"type": "string"}, "condition": _STR, "icd10cm_code": _ICD10CM,
            "body_region": _STR, "author": _STR,
            "published": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"},
            "modified": _STR, "description": _STR, "language": _STR, "site_name": _STR, "image": _STR,
            "word_count": _INT, "cluster_size": _INT,
            "treatments": {"type": "array", "items": TREATMENT_SCHEMA},
            "exercises": {"type": "array", "items": EXERCISE_SCHEMA},
        },
        "additionalProperties": False,
    },
    "entities": {
        "title": "A treatment or exercise, merged across the exported articles",
        "type": "object",
        "required": ["id", "kind", "name", "article_count", "articles"],
        "properties": {
            "id": {"type": "string"}, "kind": {"enum": ["treatment", "exercise"]}, "name": {"type": "string"},
            "category": _STR, "aliases": _STRINGS, "concept": _STR,
            "links": {"type": "array", "items": ENTITY_LINK_SCHEMA},
            "article_count": {"type": "integer", "minimum": 1}, "source_count": {"type": "integer"},
            "articles": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        },
        "additionalProperties": False,
    },
    "conditions": {
        "title": "A condition the exported articles are about, with its ICD-10-CM code where one fits",
        "type": "object",
        "required": ["name", "label", "icd10cm_code", "article_count", "articles"],
        "properties": {
            "name": {"type": "string", "minLength": 1}, "label": {"type": "string"}, "concept": _STR,
            "body_region": _STR, "icd10cm_code": _ICD10CM, "icd10cm_title": _STR,
            "icd10cm_match": {"enum": [*ICD10CM_MATCHES, None]}, "icd10cm_source": _STR,
            "article_count": {"type": "integer", "minimum": 1},
            "articles": {"type": "array", "items": {"type": "string"}, "minItems": 1},
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
                "type": "object", "required": ["rank", "id", "url", "score", "reason", "reason_kind", "evidence"],
                "properties": {"rank": {"type": "integer"}, "id": {"type": "string"}, "url": {"type": "string"},
                               "title": _STR, "score": {"type": "number"}, "reason": {"type": "string"},
                               "reason_kind": {"enum": [*EVIDENCE_KINDS, None]},
                               "evidence": {"type": "array", "items": EVIDENCE_SCHEMA}},
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
# The flat tables (CSV and Parquet): nested lists of the JSON records become their own tables.
TABLE_COLUMNS = {
    "articles": ["id", "url", "source", "title", "condition", "icd10cm_code", "body_region", "author", "published",
                 "modified", "description", "language", "site_name", "image", "word_count", "cluster_size"],
    "treatments": ["article_id", "position", "section", "name", "category", "entity_id", "medicines", "warnings",
                   "confidence", "unsure", "text"],
    "exercises": ["article_id", "position", "section", "name", "entity_id", "hold_seconds", "hold_seconds_max",
                  "reps", "reps_max", "sets", "sets_max", "per_side", "rest_seconds", "duration_seconds",
                  "frequency", "body_position", "confidence", "unsure", "text"],
    "entities": ["id", "kind", "name", "category", "concept", "article_count", "source_count", "aliases"],
    "entity_links": ["entity_id", "relation", "vocabulary", "code", "label", "source"],
    "conditions": ["name", "label", "concept", "body_region", "icd10cm_code", "icd10cm_title", "icd10cm_match",
                   "icd10cm_source", "article_count"],
    "recommendations": ["article_id", "rank", "id", "url", "title", "score", "reason", "reason_kind", "evidence"],
    "most_read": ["rank", "id", "url", "title", "score", "reason"],
}
CSV_COLUMNS = TABLE_COLUMNS  # the name earlier versions used
INTEGER_COLUMNS = {"position", "word_count", "cluster_size", "hold_seconds", "hold_seconds_max", "reps", "reps_max",
                   "sets", "sets_max", "rest_seconds", "duration_seconds", "article_count", "source_count", "rank"}
NUMBER_COLUMNS = {"score", "confidence"}
BOOLEAN_COLUMNS = {"unsure", "per_side"}
LIST_COLUMNS = {"medicines", "warnings", "aliases"}
EVIDENCE_COLUMNS = {"evidence"}  # lists of {kind, text}: JSON in a CSV cell, a list of structs in Parquet
PRIMARY_KEYS = {"articles": ["id"], "entities": ["id"], "most_read": ["rank"],
                "treatments": ["article_id", "position"], "exercises": ["article_id", "position"],
                "recommendations": ["article_id", "rank"], "conditions": ["name"],
                "entity_links": ["entity_id", "relation", "vocabulary", "code"]}
# Checked by `frictionless validate`: every value must be found in the table it points to.
FOREIGN_KEYS = {
    "articles": [("condition", "conditions", "name")],
    "entity_links": [("entity_id", "entities", "id")],
}
# Constraints of the Table Schemas (the JSON Schemas say the same of the records).
FIELD_CONSTRAINTS = {
    "icd10cm_code": {"pattern": ICD10CM_PATTERN},
    "icd10cm_match": {"enum": ICD10CM_MATCHES},
    "reason_kind": {"enum": EVIDENCE_KINDS},
    "relation": {"enum": LINK_RELATIONS},
}
COLUMN_DESCRIPTIONS = {
    "id": "Stable ID: the first 16 hex digits of the sha1 of the canonical URL (entities: of kind and key)",
    "article_id": "The article's id (articles table)",
    "section": "The heading of the page section the item sits in, as the page words it",
    "hold_seconds": "Seconds to hold a position (lower bound of a range)",
    "rest_seconds": "Rest between repetitions or sets, in seconds",
    "entity_id": "The same treatment or exercise across articles (entities table)",
    "unsure": "True: kept, but extraction is not sure this is a real item",
    "cluster_size": "How many copies of this article were found (1: none)",
    "icd10cm_code": "The condition's ICD-10-CM code (conditions table), empty where none fits",
    "icd10cm_title": "The code's official title in the ICD-10-CM tabular list",
    "icd10cm_match": "How well the code fits the condition: exact, close (the nearest code), "
                     "title (the name is the code's own title or inclusion term)",
    "icd10cm_source": "Where the code comes from: the curated table and the package it was checked against",
    "concept": "The concept in the project's curated vocabulary (pipeline/vocab/), or empty",
    "reason_kind": "The main evidence: " + ", ".join(EVIDENCE_KINDS),
    "evidence": "Every piece of evidence for the item, strongest first: a list of {kind, text}",
    "relation": "same_as: the entity is this concept; broader: the concept is a wider term for it",
    "vocabulary": "aliases (pipeline/vocab/aliases.json) or an exercise vocabulary such as free-exercise-db",
    "code": "The concept's id in that vocabulary",
}


def json_schema(name: str, as_list: bool) -> dict:
    record = RECORD_SCHEMAS[name]
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{name}.schema.json"}
    if as_list:
        return {**schema, "title": f"{record['title']} (a list)", "type": "array", "items": record}
    return {**schema, **record}


def table_schema(name: str) -> dict:
    """The Frictionless Table Schema (v2) of a flat table."""
    fields = []
    for column in TABLE_COLUMNS[name]:
        kind = ("integer" if column in INTEGER_COLUMNS else "number" if column in NUMBER_COLUMNS else
                "boolean" if column in BOOLEAN_COLUMNS else "array" if column in LIST_COLUMNS else "string")
        if column in EVIDENCE_COLUMNS:
            kind = "array"
        field = {"name": column, "type": kind}
        if column in COLUMN_DESCRIPTIONS:
            field["description"] = COLUMN_DESCRIPTIONS[column]
        if column in FIELD_CONSTRAINTS:
            field["constraints"] = FIELD_CONSTRAINTS[column]
        fields.append(field)
    schema = {"$schema": "https://datapackage.org/profiles/2.0/tableschema.json", "fields": fields,
              "primaryKey": PRIMARY_KEYS[name], "missingValues": [""]}
    if name in FOREIGN_KEYS:
        schema["foreignKeys"] = [{"fields": [column], "reference": {"resource": f"{table}-csv", "fields": [field]}}
                                 for column, table, field in FOREIGN_KEYS[name]]
    return schema


# -- reading the database --------------------------------------------------------------


def _item_common(row: dict) -> dict:
    return {"section": row.get("section"), "section_kind": row.get("section_kind"),
            "confidence": row.get("confidence"), "unsure": bool(row.get("unsure"))}


def collect(db: sqlite_utils.Database) -> dict[str, list[dict]]:
    """The records to export, as plain data, sorted by ID. Entities list only
    articles that are in the export, and entities cited by none are left out."""
    conn = db.conn
    entity_ids = {row[0]: stable_id(f"{row[1]}:{row[2]}") for row in conn.execute("SELECT id, kind, key FROM entities")}
    cluster_size = dict(conn.execute("SELECT url, size FROM article_clusters"))
    condition_rows = _condition_rows(conn)
    columns = ["url", "source", "title", "condition", "body_region", "author", "published", "modified", "description",
               "language", "site_name", "image", "word_count"]
    articles = {}
    for row in conn.execute(f"SELECT {', '.join(columns)} FROM curated_articles"):
        article = dict(zip(columns, row))
        code = condition_rows.get(article["condition"], {}).get("icd10cm_code")
        article = {"id": stable_id(article["url"]), **article, "icd10cm_code": code,
                   "cluster_size": cluster_size.get(article["url"], 1), "treatments": [], "exercises": []}
        articles[article["url"]] = article
    conn_rows = conn.execute(
        "SELECT article_url, position, name, text, category, medicines, warnings, entity_id, section, section_kind, "
        "confidence, unsure FROM treatments ORDER BY article_url, position")
    keys = [d[0] for d in conn_rows.description]
    for values in conn_rows:
        row = dict(zip(keys, values))
        if row["article_url"] in articles:
            articles[row["article_url"]]["treatments"].append({
                "position": row["position"], "name": row["name"], "text": row["text"],
                "category": row["category"] or "other", "entity_id": entity_ids.get(row["entity_id"]),
                "medicines": json.loads(row["medicines"] or "[]"), "warnings": json.loads(row["warnings"] or "[]"),
                **_item_common(row)})
    conn_rows = conn.execute(
        "SELECT article_url, position, name, text, hold_seconds, hold_seconds_max, reps, reps_max, sets, sets_max, "
        "per_side, rest_seconds, duration_seconds, frequency, body_position, entity_id, section, section_kind, "
        "confidence, unsure FROM exercises ORDER BY article_url, position")
    keys = [d[0] for d in conn_rows.description]
    facts = ["hold_seconds", "hold_seconds_max", "reps", "reps_max", "sets", "sets_max", "rest_seconds",
             "duration_seconds", "frequency", "body_position"]
    for values in conn_rows:
        row = dict(zip(keys, values))
        if row["article_url"] in articles:
            articles[row["article_url"]]["exercises"].append({
                "position": row["position"], "name": row["name"], "text": row["text"],
                **{k: row[k] for k in facts}, "per_side": bool(row["per_side"]),
                "entity_id": entity_ids.get(row["entity_id"]), **_item_common(row)})
    entity_articles: dict[int, set[str]] = {}
    entity_sources: dict[int, set[str]] = {}
    for entity, url in conn.execute(
            "SELECT entity_id, article_url FROM treatments WHERE entity_id IS NOT NULL "
            "UNION SELECT entity_id, article_url FROM exercises WHERE entity_id IS NOT NULL"):
        if url in articles:
            entity_articles.setdefault(entity, set()).add(articles[url]["id"])
            entity_sources.setdefault(entity, set()).add(articles[url]["source"] or "")
    entity_links: dict[int, list[dict]] = {}
    for entity_id, relation, vocabulary, code, label, source in conn.execute(
            "SELECT entity_id, relation, vocabulary, code, label, source FROM entity_links "
            "ORDER BY entity_id, relation DESC, vocabulary, code"):  # same_as before broader
        entity_links.setdefault(entity_id, []).append({"relation": relation, "vocabulary": vocabulary, "code": code,
                                                       "label": label, "source": source or ""})
    entities = []
    for entity_id, kind, name, category, aliases, concept in conn.execute(
            "SELECT id, kind, canonical_name, category, aliases, concept FROM entities"):
        cited_by = sorted(entity_articles.get(entity_id, ()))
        if not cited_by:
            continue  # cited only by articles that are not in the export
        entities.append({"id": entity_ids[entity_id], "kind": kind, "name": name, "category": category,
                         "aliases": sorted(json.loads(aliases or "{}")), "concept": concept,
                         "links": entity_links.get(entity_id, []), "article_count": len(cited_by),
                         "source_count": len(entity_sources[entity_id]), "articles": cited_by})
    conditions: dict[str, dict] = {}
    for article in articles.values():
        name = article["condition"]
        if not name:
            continue
        if name not in conditions:
            known = condition_rows.get(name, {})
            conditions[name] = {"name": name, "label": known.get("label") or name,
                                **{k: known.get(k) for k in ("concept", "body_region", "icd10cm_code", "icd10cm_title",
                                                             "icd10cm_match", "icd10cm_source")},
                                "article_count": 0, "articles": []}
        conditions[name]["articles"].append(article["id"])
    for condition in conditions.values():
        condition["articles"].sort()
        condition["article_count"] = len(condition["articles"])
    recommendations: dict[str, dict] = {}
    for article_url, rank, url, score, why, title, reason_kind, evidence in conn.execute(
            "SELECT r.article_url, r.rank, r.recommended_url, r.score, r.reason, a.title, r.reason_kind, r.evidence "
            "FROM recommendations r JOIN articles a ON a.url = r.recommended_url ORDER BY r.article_url, r.rank"):
        if article_url not in articles or url not in articles:
            continue
        entry = recommendations.setdefault(article_url, {"article_id": stable_id(article_url), "article_url": article_url,
                                                        "recommendations": []})
        entry["recommendations"].append({"rank": rank, "id": stable_id(url), "url": url, "title": title,
                                         "score": score, "reason": why, "reason_kind": reason_kind,
                                         "evidence": distinct_evidence(evidence)})
    most_read = [{"rank": rank, "id": stable_id(url), "url": url, "title": title, "score": score, "reason": why}
                 for rank, url, title, score, why in conn.execute("SELECT rank, url, title, score, reason FROM most_read ORDER BY rank")
                 if url in articles]
    return {
        "articles": sorted(articles.values(), key=lambda a: a["id"]),
        "entities": sorted(entities, key=lambda e: e["id"]),
        "conditions": sorted(conditions.values(), key=lambda c: c["name"]),
        "recommendations": sorted(recommendations.values(), key=lambda r: r["article_id"]),
        "most_read": most_read,
    }


def _condition_rows(conn) -> dict[str, dict]:
    """The conditions table (dedupe writes it) by name: label, concept,
    region and the ICD-10-CM code with its title, fit and source."""
    rows = conn.execute("SELECT name, label, concept, body_region, icd10cm_code, icd10cm_title, match, source "
                        "FROM conditions")
    keys = ["name", "label", "concept", "body_region", "icd10cm_code", "icd10cm_title", "icd10cm_match",
            "icd10cm_source"]
    return {values[0]: dict(zip(keys, values)) for values in rows}


def distinct_evidence(value: str | None) -> list[dict]:
    """A recommendation's evidence (JSON in the database) as a list of
    {kind, text}, strongest first, each piece once: the link from the page
    and the link back read alike ("editors of Site link these") and say
    nothing more the second time."""
    seen, out = set(), []
    for item in json.loads(value or "[]"):
        key = (item.get("kind"), item.get("text"))
        if key not in seen and item.get("text"):
            seen.add(key)
            out.append({"kind": item["kind"], "text": item["text"]})
    return out


def flat_tables(records: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The records as flat tables (CSV, Parquet): one row per treatment, exercise, recommendation."""
    tables = {"articles": records["articles"], "treatments": [], "exercises": [], "entities": records["entities"],
              "entity_links": [], "conditions": records["conditions"], "recommendations": [],
              "most_read": records["most_read"]}
    for article in records["articles"]:
        for t in article["treatments"]:
            tables["treatments"].append({"article_id": article["id"], **t})
        for e in article["exercises"]:
            tables["exercises"].append({"article_id": article["id"], **e})
    for entity in records["entities"]:
        for link in entity["links"]:
            tables["entity_links"].append({"entity_id": entity["id"], **link})
    for entry in records["recommendations"]:
        for item in entry["recommendations"]:
            tables["recommendations"].append({"article_id": entry["article_id"], **item})
    return tables


# -- formats ------------------------------------------------------------------------------

# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value as a CSV cell: lists as JSON, booleans as true/false, and text
    that a spreadsheet would run as a formula neutralised with a leading quote."""
    if isinstance(value, list):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(rows: list[dict], columns: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])
    return buffer.getvalue().encode("utf-8")


def parquet_bytes(name: str, rows: list[dict]) -> bytes:
    """A flat table as Parquet (pyarrow), with typed columns and lists as lists."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def arrow_type(column: str):
        if column in INTEGER_COLUMNS:
            return pa.int64()
        if column in NUMBER_COLUMNS:
            return pa.float64()
        if column in BOOLEAN_COLUMNS:
            return pa.bool_()
        if column in LIST_COLUMNS:
            return pa.list_(pa.string())
        if column in EVIDENCE_COLUMNS:
            return pa.list_(pa.struct([("kind", pa.string()), ("text", pa.string())]))
        return pa.string()

    columns = TABLE_COLUMNS[name]
    schema = pa.schema([(c, arrow_type(c)) for c in columns])
    table = pa.table({c: [row.get(c) for row in rows] for c in columns}, schema=schema)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def _duration(seconds: int | None) -> str | None:
    """Seconds as an ISO 8601 duration (schema.org Duration): 90 -> PT1M30S."""
    if seconds is None:
        return None
    minutes, rest = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + (
        f"{rest}S" if rest or not (hours or minutes) else "")


def _quantity(low, high, unit: str | None = None):
    """A number, or a schema.org QuantitativeValue for a range."""
    if low is None:
        return None
    if high is None or high == low:
        return low if unit is None else {"@type": "QuantitativeValue", "value": low, "unitText": unit}
    value = {"@type": "QuantitativeValue", "minValue": low, "maxValue": high}
    if unit:
        value["unitText"] = unit
    return value


def article_jsonld(article: dict, recommended: list[dict] = ()) -> dict:
    """One article as schema.org JSON-LD: a MedicalWebPage about its condition,
    its treatments as the steps of a HowTo, each exercise as an ExercisePlan."""
    doc: dict = {"@context": "https://schema.org", "@type": "MedicalWebPage", "@id": article["url"],
                 "url": article["url"], "name": article["title"], "headline": article["title"]}
    optional = {"description": article.get("description"), "inLanguage": article.get("language"),
                "datePublished": article.get("published"), "dateModified": article.get("modified"),
                "image": article.get("image")}
    doc.update({k: v for k, v in optional.items() if v})
    if article.get("author"):
        doc["author"] = {"@type": "Person", "name": article["author"]}
    if article.get("site_name"):
        doc["publisher"] = {"@type": "Organization", "name": article["site_name"]}
    if article.get("condition"):
        doc["about"] = {"@type": "MedicalCondition", "name": article["condition"]}
        if article.get("icd10cm_code"):
            doc["about"]["code"] = {"@type": "MedicalCode", "codeValue": article["icd10cm_code"],
                                    "codingSystem": "ICD-10-CM"}
    if article.get("body_region"):
        doc["about"] = {**doc.get("about", {"@type": "MedicalCondition"}),
                        "associatedAnatomy": {"@type": "AnatomicalStructure", "name": article["body_region"]}}
    parts = []
    if article["treatments"]:
        howto = {"@type": "HowTo", "name": f"Treatments: {article['title']}", "step": []}
        for t in article["treatments"]:
            step = {"@type": "HowToStep", "position": t["position"], "name": t["name"]}
            if t.get("text"):
                step["text"] = t["text"]
            howto["step"].append(step)
        parts.append(howto)
    for e in article["exercises"]:
        plan: dict = {"@type": "ExercisePlan", "name": e["name"], "position": e["position"]}
        if e.get("text"):
            plan["description"] = e["text"]
        if e.get("hold_seconds") is not None:
            plan["activityDuration"] = (_duration(e["hold_seconds"]) if not e.get("hold_seconds_max") else
                                        _quantity(e["hold_seconds"], e["hold_seconds_max"], "seconds held"))
        elif e.get("duration_seconds") is not None:
            plan["activityDuration"] = _duration(e["duration_seconds"])
        reps = _quantity(e.get("reps"), e.get("reps_max"))
        if reps is not None:
            plan["repetitions"] = reps
        if e.get("rest_seconds") is not None:
            plan["restPeriods"] = _duration(e["rest_seconds"])
        if e.get("frequency"):
            plan["activityFrequency"] = e["frequency"]
        extra = []
        if e.get("sets") is not None:
            extra.append(f"{e['sets']}{'-' + str(e['sets_max']) if e.get('sets_max') else ''} sets")
        if e.get("per_side"):
            extra.append("per side")
        if e.get("body_position"):
            extra.append(f"starting position: {e['body_position']}")
        if extra:
            plan["additionalVariable"] = "; ".join(extra)
        parts.append(plan)
    if parts:
        doc["hasPart"] = parts
    if recommended:
        doc["relatedLink"] = [r["url"] for r in recommended]
    return doc


def vocabulary_sources(tables: dict[str, list[dict]]) -> list[str]:
    """Every vocabulary the condition codes and entity links come from, once
    each (a link's source names the alias table and the vocabulary it maps to)."""
    found = {part.strip() for row in tables["conditions"] if row.get("icd10cm_source")
             for part in row["icd10cm_source"].split(";")}
    found |= {part.strip() for row in tables["entity_links"] if row.get("source") for part in row["source"].split(";")}
    return sorted(part for part in found if part)


def dataset_card(tables: dict[str, list[dict]], parquet: bool, created: str) -> bytes:
    """README.md for the export: a YAML header the Hugging Face Hub reads
    (one config per Parquet table, articles the default) and a short text."""
    lines = ["---", "pretty_name: Curated health articles, treatments and exercises", "license: other",
             "license_name: publishers-rights", "tags:", "- health", "- exercise", "- treatments"]
    languages = sorted({a["language"] for a in tables["articles"] if a.get("language")})
    if languages:
        lines += ["language:", *(f"- {lang}" for lang in languages)]
    if parquet:
        lines.append("configs:")
        for name in TABLE_COLUMNS:
            lines += [f"- config_name: {name}", "  data_files:", "  - split: train", f"    path: {name}.parquet"]
            if name == "articles":
                lines.append("  default: true")
    lines.append("---")
    body = [
        "", "# Curated health articles", "",
        f"Exported by health-pipeline on {created}. Each article's treatments and exercises were extracted from",
        "the page, copies were merged, and \"what others are reading\" lists were built from the sites' own",
        "related links and content similarity; each item says why in words, with every piece of evidence",
        "(`reason_kind`, `evidence`). Conditions carry their ICD-10-CM code where one fits, and treatments and",
        "exercises their place in curated vocabularies (`entity_links`). The texts belong to their publishers:",
        "see each article's `url`.",
        "", "| table | rows | one row per |", "|---|---|---|",
    ]
    meaning = {"articles": "curated article", "treatments": "treatment in an article",
               "exercises": "exercise in an article (hold, reps, sets, rest)",
               "entities": "treatment or exercise merged across articles",
               "entity_links": "entity's link to a curated vocabulary (same_as or broader), with its source",
               "conditions": "condition the articles are about, with its ICD-10-CM code where one fits",
               "recommendations": "recommended article, per article and rank, with its evidence",
               "most_read": "article in the site-wide most-read list"}
    for name, rows in tables.items():
        body.append(f"| {name} | {len(rows)} | {meaning[name]} |")
    coded = sum(1 for c in tables["conditions"] if c.get("icd10cm_code"))
    body += ["", f"{coded} of {len(tables['conditions'])} conditions have an ICD-10-CM code; a condition without one",
             "had no code that fits it (a wrong code is worse than none). Codes and links come from:", ""]
    body += [f"- {source}" for source in vocabulary_sources(tables)] or ["- (none in this export)"]
    body += ["", "Files: `<table>.parquet` and `<table>.csv` (flat), `<name>.json` and `<name>.jsonl` (nested",
             "records, JSON Schemas in `schemas/`), `articles.jsonld` (one schema.org document per line),",
             "`datapackage.json` (Frictionless Data Package v2 with sizes and sha256 hashes).", ""]
    return ("\n".join(lines + body)).encode("utf-8")


# -- the export set ---------------------------------------------------------------------


class ExportSet:
    """A fresh folder beside ``out`` that files are written into; ``publish``
    points ``out`` (a symlink) at it in one rename."""

    def __init__(self, out: Path):
        if out.name in ("", ".", ".."):
            raise ConfigError(f"--out: {str(out)!r} must name a folder of its own (for example exports)")
        self.out = out
        self.parent = out.parent if str(out.parent) else Path(".")
        self.parent.mkdir(parents=True, exist_ok=True)
        if out.exists() and not out.is_dir():
            raise ConfigError(f"--out: {out} is a file, not a folder")
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        self.name = f".{out.name}.{stamp}-{os.getpid()}-{secrets.token_hex(2)}"
        self.folder = self.parent / self.name
        self.folder.mkdir()  # the umask decides its permissions, as for any folder the user makes
        self.log = open(self.folder / FILE_LOG, "a", encoding="utf-8")
        self.files: list[dict] = []

    def write(self, relative: str, data: bytes, resource: dict | None = None) -> None:
        """Write one file of the set (mode 0666 less the umask, like any program's output)."""
        self.log.write(relative + "\n")
        self.log.flush()
        path = self.folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if resource is not None:
            self.files.append({**resource, "path": relative, "bytes": len(data),
                               "hash": "sha256:" + hashlib.sha256(data).hexdigest()})

    def publish(self) -> str | None:
        """Switch ``out`` to this set in one rename; return the set it replaced."""
        self.log.close()
        _fsync_dir(self.folder)
        previous = os.readlink(self.out) if self.out.is_symlink() else None
        if self.out.exists() and not self.out.is_symlink():
            # An export folder from before sets existed: moved aside (not deleted: it may hold other files).
            aside = self.parent / f".{self.out.name}.before-sets-{secrets.token_hex(2)}"
            os.rename(self.out, aside)
        link = self.parent / f".{self.out.name}.link-{secrets.token_hex(4)}"
        os.symlink(self.name, link)
        try:
            os.replace(link, self.out)
        except BaseException:
            link.unlink(missing_ok=True)
            raise
        _fsync_dir(self.parent)
        return previous

    def discard(self) -> None:
        """Remove what this set wrote after a failure; the published set is untouched."""
        if not self.log.closed:
            self.log.close()
        remove_set(self.folder)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_set(folder: Path) -> None:
    """Delete the files an export wrote into ``folder`` (its file log says
    which), then the folders left empty. Anything else stays."""
    log = folder / FILE_LOG
    if not log.exists():
        return
    written = [line for line in log.read_text(encoding="utf-8").splitlines() if line]
    for relative in written:
        path = folder / relative
        if path.is_file() and not path.is_symlink() and folder in path.resolve().parents:
            path.unlink()
    log.unlink()
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        try:
            sub.rmdir()
        except OSError:
            pass
    try:
        folder.rmdir()
    except OSError:
        pass  # something we did not write is in there: left alone


def prune_sets(out: Path, keep: set[str] = frozenset()) -> list[str]:
    """Remove the export sets beside ``out`` (finished, or left half-written
    by a killed run) except the published one and those named in ``keep``;
    return the names removed."""
    parent = out.parent if str(out.parent) else Path(".")
    current = os.readlink(out) if out.is_symlink() else None
    removed = []
    for folder in sorted(parent.glob(f".{out.name}.2*")):  # sets are named .<out>.<UTC time>-...
        if folder.name in (current, *keep) or folder.is_symlink() or not (folder / FILE_LOG).exists():
            continue
        remove_set(folder)
        removed.append(folder.name)
    return removed


def published_export(out_dir: str | os.PathLike) -> dict | None:
    """What the export at ``out_dir`` holds now, or None when nothing is
    published there: ``{"articles", "entities", "recommendation_lists",
    "created_at", "path"}``. The job compares it with a new export before
    publishing one that shrinks."""
    out = Path(out_dir)
    package_path = out / "datapackage.json"
    if not package_path.exists():
        return None
    try:
        package = json.loads(package_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    counts = package.get("x_health_pipeline", {}).get("counts")
    if counts is None:  # an export from before counts were recorded
        try:
            counts = {"articles": len(json.loads((out / "articles.json").read_text(encoding="utf-8")))}
        except (OSError, ValueError):
            return None
    return {"articles": counts.get("articles", 0), "entities": counts.get("entities"),
            "recommendation_lists": counts.get("recommendation_lists"),
            "created_at": package.get("created"), "path": str(out.resolve())}


# -- the stage ----------------------------------------------------------------------------


def export(db: sqlite_utils.Database, out_dir: str | os.PathLike, formats: tuple[str, ...] = FORMATS) -> dict:
    """Write the export as one new set and publish it; return what was written."""
    started = time.monotonic()
    for fmt in formats:
        if fmt not in FORMATS:
            raise ConfigError(f"--format: unknown format {fmt!r}; allowed: {', '.join(FORMATS)}")
    records = collect(db)
    tables = flat_tables(records)
    created = datetime.now(timezone.utc).isoformat(timespec="seconds")
    target = ExportSet(Path(out_dir))
    try:
        _write_files(target, records, tables, formats, created)
        counts = {"articles": len(records["articles"]), "entities": len(records["entities"]),
                  "conditions": len(records["conditions"]),
                  "recommendation_lists": len(records["recommendations"]), "most_read": len(records["most_read"])}
        package = {
            "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
            "name": "health-pipeline-curated",
            "title": "Curated health articles: treatments, exercises and what others are reading",
            "description": "Articles from the sites in sources.yaml with their treatments and exercises as records, "
                           "copies merged, conditions with their ICD-10-CM codes, and 'what others are reading' "
                           "lists with their evidence. See README.md.",
            "created": created,
            "licenses": [{"name": "other-at", "title": "Texts remain with their publishers; see each article's url"}],
            "x_health_pipeline": {"generator": GENERATOR, "counts": counts},
            "resources": target.files,
        }
        sources = vocabulary_sources(tables)
        if sources:  # where the codes and vocabulary links come from
            package["sources"] = [{"title": source} for source in sources]
        target.write("datapackage.json", json.dumps(package, indent=2).encode())
        previous = target.publish()
    except BaseException:
        target.discard()
        raise
    prune_sets(Path(out_dir), keep={previous} if previous else set())
    return {"out": str(out_dir), "files": len(target.files) + 1, **counts,
            "replaced": previous, "seconds": round(time.monotonic() - started, 2)}


def _write_files(target: ExportSet, records: dict, tables: dict, formats: tuple[str, ...], created: str) -> None:
    for name, rows in records.items():
        if "json" in formats:
            target.write(f"schemas/{name}.schema.json", json.dumps(json_schema(name, as_list=True), indent=2).encode())
            target.write(f"{name}.json", json.dumps(rows, indent=1, ensure_ascii=False).encode("utf-8"),
                         {"name": f"{name}-json", "type": "json", "format": "json", "mediatype": "application/json",
                          "jsonSchema": f"schemas/{name}.schema.json"})
        if "jsonl" in formats:
            target.write(f"schemas/{name}.record.schema.json",
                         json.dumps(json_schema(name, as_list=False), indent=2).encode())
            data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
            target.write(f"{name}.jsonl", data, {"name": f"{name}-jsonl", "type": "json", "format": "jsonl",
                                                 "mediatype": "application/x-ndjson",
                                                 "jsonSchema": f"schemas/{name}.record.schema.json"})
    for name, rows in tables.items():
        if "csv" in formats:
            target.write(f"{name}.csv", csv_bytes(rows, TABLE_COLUMNS[name]),
                         {"name": f"{name}-csv", "type": "table", "format": "csv", "mediatype": "text/csv",
                          "encoding": "utf-8", "schema": table_schema(name)})
        if "parquet" in formats:
            target.write(f"{name}.parquet", parquet_bytes(name, rows),
                         # "file", not "table": frictionless would need pandas to read Parquet as a
                         # table; the columns and types are those of the CSV's Table Schema.
                         {"name": f"{name}-parquet", "type": "file", "format": "parquet",
                          "mediatype": "application/vnd.apache.parquet",
                          "description": f"The {name} table as Parquet: the columns of {name}.csv, typed, lists as lists"})
    if "jsonld" in formats:
        recommended = {r["article_id"]: r["recommendations"] for r in records["recommendations"]}
        data = "".join(json.dumps(article_jsonld(a, recommended.get(a["id"], [])), ensure_ascii=False) + "\n"
                       for a in records["articles"]).encode("utf-8")
        target.write("articles.jsonld", data, {"name": "articles-jsonld", "type": "json", "format": "jsonld",
                                               "mediatype": "application/ld+json",
                                               "description": "One schema.org MedicalWebPage per line"})
    target.write("README.md", dataset_card(tables, "parquet" in formats, created))

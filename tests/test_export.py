"""The export over a real database of the demo site, read back by the tools
people load it with: jsonschema, frictionless (its own CLI), pyarrow, YAML
for the dataset card; and the atomic set: one rename publishes it, a
failure leaves the last one, files get the umask's permissions, nothing
the export did not write is deleted."""

import csv
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import jsonschema
import pyarrow.parquet as pq
import pytest
import yaml

from pipeline import export as exportmod
from pipeline.crawl import crawl
from pipeline.curate import run_curate
from pipeline.db import open_db
from pipeline.dedupe import run_dedupe
from pipeline.extract.stage import run_extract
from pipeline.recommend import run_recommend

from conftest import run_cli


@pytest.fixture(scope="module")
def built_db(tmp_path_factory):
    """The demo site crawled, extracted, deduplicated, curated and recommended: a database file."""
    from pipeline.demo.server import ServerThread, site_handler
    from pipeline.demo.site import DemoSite
    from pipeline.sources import parse_config

    path = tmp_path_factory.mktemp("export") / "health.db"
    with ServerThread(site_handler(DemoSite(40))) as site:
        config = parse_config(f'sources:\n  - name: demo\n    allow_private_addresses: true\n    start_urls: ["{site.url}/"]\n'
                              "    requests_per_second: 500\n    concurrency: 8\n")
        database = open_db(path)
        crawl(database, config)
        run_extract(database, config)
        run_dedupe(database)
        run_curate(database)
        run_recommend(database)
        database.close()
    return path


@pytest.fixture
def database(built_db, tmp_path):
    """A private copy of the built database, free to change."""
    copy = tmp_path / "copy.db"
    source = sqlite3.connect(built_db)
    target = sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    db = open_db(copy)
    yield db
    db.close()


def test_json_and_jsonl_validate_against_their_schemas(database, tmp_path):
    summary = exportmod.export(database, tmp_path / "out")
    out = tmp_path / "out"
    for name in ("articles", "entities", "conditions", "recommendations", "most_read"):
        data = json.loads((out / f"{name}.json").read_text())
        jsonschema.validate(data, json.loads((out / "schemas" / f"{name}.schema.json").read_text()))
        record_schema = json.loads((out / "schemas" / f"{name}.record.schema.json").read_text())
        lines = (out / f"{name}.jsonl").read_text().splitlines()
        assert len(lines) == len(data)
        for line in lines:
            jsonschema.validate(json.loads(line), record_schema)
    articles = json.loads((out / "articles.json").read_text())
    assert summary["articles"] == len(articles) == 40
    assert [a["id"] for a in articles] == sorted(a["id"] for a in articles)
    assert all(a["treatments"] for a in articles)
    sections = {t["section"] for a in articles for t in a["treatments"]} | {e["section"] for a in articles for e in a["exercises"]}
    assert "section" in articles[0]["treatments"][0] and sections  # the page's own section structure travels along


def test_recommendation_items_carry_their_evidence(database, tmp_path):
    out = tmp_path / "out"
    exportmod.export(database, out)
    stored = {(url, rank): (kind, json.loads(evidence)) for url, rank, kind, evidence in database.conn.execute(
        "SELECT article_url, rank, reason_kind, evidence FROM recommendations")}
    lists = json.loads((out / "recommendations.json").read_text())
    kinds = set()
    for entry in lists:
        for item in entry["recommendations"]:
            kind, evidence = stored[(entry["article_url"], item["rank"])]
            assert item["reason_kind"] == kind == item["evidence"][0]["kind"]
            assert item["reason"].startswith(item["evidence"][0]["text"])  # the reason names the strongest evidence
            pairs = [(e["kind"], e["text"]) for e in item["evidence"]]
            assert len(pairs) == len(set(pairs))  # each piece once
            assert pairs == list(dict.fromkeys((e["kind"], e["text"]) for e in evidence))  # in the stored order
            kinds |= {e["kind"] for e in item["evidence"]}
    assert {"editors", "same_condition", "shared"} <= kinds
    # the same in the flat tables: JSON in the CSV cell, a list of structs in Parquet
    rows = list(csv.DictReader(io.StringIO((out / "recommendations.csv").read_text())))
    table = pq.read_table(out / "recommendations.parquet")
    assert str(table.schema.field("evidence").type) == "list<element: struct<kind: string, text: string>>"
    assert table.column("reason_kind").to_pylist() == [r["reason_kind"] for r in rows]
    assert table.column("evidence").to_pylist() == [json.loads(r["evidence"]) for r in rows]
    first = lists[0]["recommendations"][0]
    assert json.loads(rows[0]["evidence"]) == first["evidence"]


def test_evidence_of_a_database_from_before_evidence_exports_as_empty(database, tmp_path):
    database.conn.execute("UPDATE recommendations SET reason_kind = NULL, evidence = NULL")
    out = tmp_path / "out"
    exportmod.export(database, out)
    lists = json.loads((out / "recommendations.json").read_text())
    jsonschema.validate(lists, json.loads((out / "schemas" / "recommendations.schema.json").read_text()))
    assert all(i["reason_kind"] is None and i["evidence"] == [] for e in lists for i in e["recommendations"])
    assert exportmod.distinct_evidence('[{"kind": "editors", "text": "a"}, {"kind": "editors", "text": "a"}, '
                                       '{"kind": "similar", "text": "b"}]') == [
        {"kind": "editors", "text": "a"}, {"kind": "similar", "text": "b"}]


def test_entities_carry_their_concept_and_vocabulary_links(database, tmp_path):
    out = tmp_path / "out"
    exportmod.export(database, out)
    conn = database.conn
    ids = {exportmod.stable_id(f"{kind}:{key}"): (entity_id, concept)
           for entity_id, kind, key, concept in conn.execute("SELECT id, kind, key, concept FROM entities")}
    entities = json.loads((out / "entities.json").read_text())
    relations = set()
    for entity in entities:
        entity_id, concept = ids[entity["id"]]
        assert entity["concept"] == concept
        stored = {(r, v, c, l, s) for r, v, c, l, s in conn.execute(
            "SELECT relation, vocabulary, code, label, source FROM entity_links WHERE entity_id = ?", (entity_id,))}
        assert {(k["relation"], k["vocabulary"], k["code"], k["label"], k["source"]) for k in entity["links"]} == stored
        assert all(k["source"] for k in entity["links"])  # each link names where it comes from
        if concept:
            assert {"relation": "same_as", "vocabulary": "aliases"}.items() <= entity["links"][0].items()
        relations |= {(k["relation"], k["vocabulary"]) for k in entity["links"]}
    assert {("same_as", "aliases"), ("broader", "aliases"), ("same_as", "free-exercise-db")} <= relations
    # flat: entities.concept and one entity_links row per link, read back by pyarrow
    links = pq.read_table(out / "entity_links.parquet").to_pylist()
    assert len(links) == sum(len(e["links"]) for e in entities)
    by_id = {e["id"]: e for e in entities}
    for link in links:
        assert {k: v for k, v in link.items() if k != "entity_id"} in by_id[link["entity_id"]]["links"]
    concepts = dict(zip(*pq.read_table(out / "entities.parquet", columns=["id", "concept"]).to_pydict().values()))
    assert concepts == {e["id"]: e["concept"] for e in entities}


def test_conditions_with_their_icd10cm_codes(database, tmp_path):
    out = tmp_path / "out"
    exportmod.export(database, out)
    stored = {name: (code, title, match) for name, code, title, match in database.conn.execute(
        "SELECT name, icd10cm_code, icd10cm_title, match FROM conditions")}
    articles = json.loads((out / "articles.json").read_text())
    conditions = json.loads((out / "conditions.json").read_text())
    assert [c["name"] for c in conditions] == sorted({a["condition"] for a in articles if a["condition"]})
    code_pattern = re.compile(exportmod.ICD10CM_PATTERN)
    for condition in conditions:
        code, title, match = stored[condition["name"]]
        assert (condition["icd10cm_code"], condition["icd10cm_title"], condition["icd10cm_match"]) == (code, title, match)
        assert condition["articles"] == sorted(a["id"] for a in articles if a["condition"] == condition["name"])
        assert condition["article_count"] == len(condition["articles"])
        if code:
            assert code_pattern.match(code) and condition["icd10cm_source"]
    coded = [c for c in conditions if c["icd10cm_code"]]
    assert coded and len(coded) < len(conditions)  # the demo has conditions no code fits: they stay without one
    for article in articles:  # each article names its condition's code where known
        assert article["icd10cm_code"] == (stored[article["condition"]][0] if article["condition"] else None)
    assert "sciatica" in stored and next(c for c in conditions if c["name"] == "sciatica")["icd10cm_code"] == "M54.3"
    # flat tables: the same, read back by pyarrow
    table = pq.read_table(out / "conditions.parquet").to_pylist()
    assert [{k: v for k, v in c.items() if k != "articles"} for c in conditions] == table
    codes = dict(zip(*pq.read_table(out / "articles.parquet", columns=["id", "icd10cm_code"]).to_pydict().values()))
    assert codes == {a["id"]: a["icd10cm_code"] for a in articles}
    # the schema holds codes to the ICD-10-CM shape
    broken = [dict(conditions[0], icd10cm_code="back pain")]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, json.loads((out / "schemas" / "conditions.schema.json").read_text()))
    # the package and the card name where codes and links come from
    package = json.loads((out / "datapackage.json").read_text())
    titles = [s["title"] for s in package["sources"]]
    assert any("simple-icd-10-cm" in t for t in titles) and any("aliases.json" in t for t in titles)
    card = (out / "README.md").read_text()
    assert f"{len(coded)} of {len(conditions)} conditions have an ICD-10-CM code" in card
    assert all(f"- {t}" in card for t in titles)


def rehash(out: Path) -> None:
    """Make datapackage.json's sizes and hashes describe the files as they are now."""
    package = json.loads((out / "datapackage.json").read_text())
    for resource in package["resources"]:
        data = (out / resource["path"]).read_bytes()
        resource["bytes"], resource["hash"] = len(data), "sha256:" + hashlib.sha256(data).hexdigest()
    (out / "datapackage.json").write_text(json.dumps(package))


def frictionless_errors(out: Path) -> dict[str, list[str]]:
    frictionless = Path(sys.executable).with_name("frictionless")
    result = subprocess.run([str(frictionless), "validate", "--json", str(out / "datapackage.json")],
                            capture_output=True, text=True, timeout=180)
    report = json.loads(result.stdout)
    assert (result.returncode == 0) == report["valid"]
    return {task["name"]: [e["type"] + ": " + e["message"] for e in task["errors"]]
            for task in report["tasks"] if task["errors"]}


def edit_csv(path: Path, column: str, change) -> None:
    """Change the first row whose ``column`` is not empty."""
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    target = next(r for r in rows if r[column])
    target[column] = change(target[column])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue())


def test_frictionless_checks_the_new_fields(database, tmp_path):
    """The Table Schemas hold the new columns to their meaning: a code in the
    ICD-10-CM shape, a known evidence kind and link relation, and every
    article's condition and every link's entity present in their tables."""
    out = tmp_path / "out"
    exportmod.export(database, out)
    out = out.resolve()
    edit_csv(out / "conditions.csv", "icd10cm_code", lambda code: "back pain")
    edit_csv(out / "recommendations.csv", "reason_kind", lambda kind: "gut feeling")
    edit_csv(out / "articles.csv", "condition", lambda name: "not a condition of this export")
    edit_csv(out / "entity_links.csv", "relation", lambda relation: "cousin")
    edit_csv(out / "entity_links.csv", "entity_id", lambda entity: "0" * 16)
    rehash(out)
    errors = frictionless_errors(out)
    assert set(errors) == {"conditions-csv", "recommendations-csv", "articles-csv", "entity_links-csv"}, errors
    assert any("constraint-error" in e and "icd10cm_code" in e for e in errors["conditions-csv"])
    assert any("constraint-error" in e and "reason_kind" in e for e in errors["recommendations-csv"])
    assert any("foreign-key" in e and "not a condition of this export" in e for e in errors["articles-csv"])
    assert any("foreign-key" in e and "0" * 16 in e for e in errors["entity_links-csv"])
    assert any("constraint-error" in e and "relation" in e for e in errors["entity_links-csv"])


def test_frictionless_validate_accepts_the_package(database, tmp_path):
    out = tmp_path / "out"
    exportmod.export(database, out)
    frictionless = Path(sys.executable).with_name("frictionless")
    result = subprocess.run([str(frictionless), "validate", "--json", str(out / "datapackage.json")],
                            capture_output=True, text=True, timeout=180)
    report = json.loads(result.stdout)
    assert report["valid"], json.dumps(report)[:2000]
    assert result.returncode == 0
    package = json.loads((out / "datapackage.json").read_text())
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    checked = {task["name"] for task in report["tasks"]}
    assert {"articles-csv", "articles-json", "treatments-parquet", "articles-jsonld", "conditions-csv",
            "conditions-json", "entity_links-csv", "entity_links-parquet", "recommendations-csv"} <= checked
    schemas = {r["name"]: r.get("schema") for r in package["resources"]}
    assert schemas["articles-csv"]["foreignKeys"] == [
        {"fields": ["condition"], "reference": {"resource": "conditions-csv", "fields": ["name"]}}]
    for resource in package["resources"]:
        data = (out / resource["path"]).read_bytes()
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert resource["bytes"] == len(data)
    # frictionless notices a file that no longer matches its hash
    (out / "entities.csv").write_bytes((out / "entities.csv").read_bytes() + b"x,y\n")
    broken = subprocess.run([str(frictionless), "validate", "--json", str(out / "datapackage.json")],
                            capture_output=True, text=True, timeout=180)
    assert broken.returncode != 0 and not json.loads(broken.stdout)["valid"]


def test_parquet_tables_read_by_pyarrow_match_the_csv(database, tmp_path):
    out = tmp_path / "out"
    exportmod.export(database, out)
    for name, columns in exportmod.TABLE_COLUMNS.items():
        table = pq.read_table(out / f"{name}.parquet")
        rows = list(csv.DictReader(io.StringIO((out / f"{name}.csv").read_text())))
        assert table.num_rows == len(rows) > 0, name
        assert table.column_names == columns
    treatments = pq.read_table(out / "treatments.parquet").to_pylist()
    assert all(isinstance(t["medicines"], list) for t in treatments)
    assert any(t["medicines"] for t in treatments)
    exercises = pq.read_table(out / "exercises.parquet")
    assert str(exercises.schema.field("hold_seconds").type) == "int64"
    holds = [h for h in exercises.column("hold_seconds").to_pylist() if h is not None]
    assert holds and all(h > 0 for h in holds)


def test_dataset_card_has_the_header_the_hub_reads(database, tmp_path):
    out = tmp_path / "out"
    exportmod.export(database, out)
    text = (out / "README.md").read_text()
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    assert match, text[:200]
    header = yaml.safe_load(match.group(1))
    configs = {c["config_name"]: c for c in header["configs"]}
    assert set(configs) == set(exportmod.TABLE_COLUMNS)
    assert configs["articles"].get("default") is True
    for config in configs.values():
        for data_file in config["data_files"]:
            assert data_file["split"] == "train" and (out / data_file["path"]).exists()
    assert header["language"] == ["en"] and header["license"]
    assert "| articles | 40 |" in text
    for name in ("conditions", "entity_links"):
        rows = pq.read_table(out / f"{name}.parquet").num_rows
        assert rows and f"| {name} | {rows} |" in text


def test_every_article_as_schema_org_jsonld(database, tmp_path):
    out = tmp_path / "out"
    exportmod.export(database, out)
    articles = {a["url"]: a for a in json.loads((out / "articles.json").read_text())}
    docs = [json.loads(line) for line in (out / "articles.jsonld").read_text().splitlines()]
    assert len(docs) == len(articles)
    duration = re.compile(r"^PT(\d+H)?(\d+M)?(\d+S)?$")
    seen_plan = seen_rest = seen_code = 0
    for doc in docs:
        article = articles[doc["url"]]
        assert doc["@context"] == "https://schema.org" and doc["@type"] == "MedicalWebPage"
        assert doc["about"]["@type"] == "MedicalCondition" and doc["about"]["name"] == article["condition"]
        if article["icd10cm_code"]:
            seen_code += 1
            assert doc["about"]["code"] == {"@type": "MedicalCode", "codeValue": article["icd10cm_code"],
                                            "codingSystem": "ICD-10-CM"}
        else:
            assert "code" not in doc["about"]
        parts = doc.get("hasPart", [])
        howto = [p for p in parts if p["@type"] == "HowTo"]
        assert [s["name"] for s in howto[0]["step"]] == [t["name"] for t in article["treatments"]]
        plans = [p for p in parts if p["@type"] == "ExercisePlan"]
        assert [p["name"] for p in plans] == [e["name"] for e in article["exercises"]]
        for plan, exercise in zip(plans, article["exercises"]):
            seen_plan += 1
            if exercise["hold_seconds"] is not None and not exercise["hold_seconds_max"]:
                assert duration.match(plan["activityDuration"])
                assert exportmod._duration(exercise["hold_seconds"]) == plan["activityDuration"]
            if exercise["reps"] is not None and not exercise["reps_max"]:
                assert plan["repetitions"] == exercise["reps"]
            if exercise["rest_seconds"] is not None:
                seen_rest += 1
                assert duration.match(plan["restPeriods"])
        assert doc.get("relatedLink")
    assert seen_plan and seen_code
    assert exportmod._duration(90) == "PT1M30S" and exportmod._duration(20) == "PT20S"
    assert exportmod._duration(3600) == "PT1H"


def test_entities_list_only_exported_articles(database, tmp_path):
    # Take every article that cites one entity out of the curated set: that entity must vanish.
    entity_id, kind, key = database.conn.execute(
        "SELECT e.id, e.kind, e.key FROM entities e ORDER BY e.article_count LIMIT 1").fetchone()
    citing = [r[0] for r in database.conn.execute(
        "SELECT article_url FROM treatments WHERE entity_id = ? UNION SELECT article_url FROM exercises WHERE entity_id = ?",
        (entity_id, entity_id))]
    database.conn.executemany("UPDATE curation SET included = 0, excluded_by = 'test' WHERE url = ?",
                              [(u,) for u in citing])
    out = tmp_path / "out"
    exportmod.export(database, out)
    articles = {a["id"] for a in json.loads((out / "articles.json").read_text())}
    entities = json.loads((out / "entities.json").read_text())
    assert entities and exportmod.stable_id(f"{kind}:{key}") not in {e["id"] for e in entities}
    for entity in entities:
        assert entity["articles"] and set(entity["articles"]) <= articles
        assert entity["article_count"] == len(entity["articles"])


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(database, tmp_path):
    url = database.conn.execute("SELECT url FROM curated_articles ORDER BY url LIMIT 1").fetchone()[0]
    database.conn.execute("UPDATE articles SET title = '=HYPERLINK(\"http://evil\")', author = '@SUM(A1)' WHERE url = ?", (url,))
    database.conn.execute("UPDATE treatments SET name = '+1 trick', text = '-5 degrees' WHERE article_url = ? AND position = 1",
                          (url,))
    out = tmp_path / "out"
    exportmod.export(database, out)
    rows = {r["url"]: r for r in csv.DictReader(io.StringIO((out / "articles.csv").read_text()))}
    assert rows[url]["title"] == "'=HYPERLINK(\"http://evil\")" and rows[url]["author"] == "'@SUM(A1)"
    treatment = next(r for r in csv.DictReader(io.StringIO((out / "treatments.csv").read_text()))
                     if r["article_id"] == exportmod.stable_id(url) and r["position"] == "1")
    assert treatment["name"] == "'+1 trick" and treatment["text"] == "'-5 degrees"
    every_cell = [c for r in csv.reader(io.StringIO((out / "articles.csv").read_text())) for c in r]
    assert not [c for c in every_cell if c[:1] in ("=", "+", "-", "@")]
    # The JSON keeps the text as it is: only spreadsheets run formulas.
    article = next(a for a in json.loads((out / "articles.json").read_text()) if a["url"] == url)
    assert article["title"] == '=HYPERLINK("http://evil")'


def test_data_files_are_deterministic(database, tmp_path):
    exportmod.export(database, tmp_path / "a")
    exportmod.export(database, tmp_path / "b")
    for path in (tmp_path / "a").rglob("*"):
        if path.is_file() and path.name not in ("datapackage.json", "README.md"):  # these carry the time
            assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes(), path
    article = json.loads((tmp_path / "a" / "articles.json").read_text())[0]
    assert article["id"] == exportmod.stable_id(article["url"])


# -- the atomic set ------------------------------------------------------------------


def sets_beside(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.2"))


def test_one_rename_publishes_a_whole_set_and_the_previous_stays_for_readers(database, tmp_path):
    out = tmp_path / "exports"
    exportmod.export(database, out)
    assert out.is_symlink()
    first = os.readlink(out)
    reader_view = out.resolve()  # a reader that resolved the link before the next export
    exportmod.export(database, out)
    second = os.readlink(out)
    assert second != first and sets_beside(out) == sorted([first, second])
    assert json.loads((reader_view / "articles.json").read_text())  # still whole for that reader
    exportmod.export(database, out)
    third = os.readlink(out)
    assert sets_beside(out) == sorted([second, third])  # the first is pruned, the previous kept
    assert not (tmp_path / first).exists()
    assert exportmod.published_export(out)["articles"] == 40
    assert exportmod.published_export(tmp_path / "nothing-here") is None


def test_a_failure_midway_leaves_the_published_set_untouched(database, tmp_path, monkeypatch):
    out = tmp_path / "exports"
    exportmod.export(database, out)
    before = os.readlink(out)
    files_before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def disk_full(name, rows):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exportmod, "parquet_bytes", disk_full)
    with pytest.raises(OSError, match="No space left"):
        exportmod.export(database, out)
    assert os.readlink(out) == before
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == files_before
    assert sets_beside(out) == [before]  # the half-written set is gone


def test_a_set_left_by_a_killed_export_is_cleaned_up_but_foreign_files_stay(database, tmp_path):
    out = tmp_path / "exports"
    exportmod.export(database, out)
    # What a SIGKILL mid-export leaves: a set folder with some files and its file log.
    killed = tmp_path / ".exports.20000101T000000Z-1-abcd"
    (killed / "schemas").mkdir(parents=True)
    (killed / "articles.json").write_text("[{\"half")
    (killed / "schemas" / "articles.schema.json").write_text("{}")
    (killed / exportmod.FILE_LOG).write_text("articles.json\nschemas/articles.schema.json\n")
    # and an older set a person put a note into
    exportmod.export(database, out)
    older = tmp_path / os.readlink(out)
    exportmod.export(database, out)
    exportmod.export(database, out)
    assert not killed.exists()
    (tmp_path / "notes.txt").write_text("mine")
    current = out.resolve()
    (current / "my-notes.txt").write_text("mine too")
    exportmod.export(database, out)
    exportmod.export(database, out)
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert (current / "my-notes.txt").read_text() == "mine too"  # its set was pruned around it
    assert sorted(p.name for p in current.iterdir()) == ["my-notes.txt"]
    assert not older.exists()


def test_an_old_export_folder_is_moved_aside_not_deleted(database, tmp_path):
    out = tmp_path / "exports"
    out.mkdir()
    (out / "articles.json").write_text("[]")
    (out / "mine.txt").write_text("keep me")
    exportmod.export(database, out)
    assert out.is_symlink() and len(json.loads((out / "articles.json").read_text())) == 40
    aside = [p for p in tmp_path.iterdir() if p.name.startswith(".exports.before-sets-")]
    assert len(aside) == 1 and (aside[0] / "mine.txt").read_text() == "keep me"


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640)])
def test_files_get_the_umasks_permissions(database, tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        exportmod.export(database, tmp_path / "out")
    finally:
        os.umask(old)
    for path in (tmp_path / "out").resolve().rglob("*"):
        if path.is_file():
            assert path.stat().st_mode & 0o777 == mode, path


def test_out_must_name_a_folder_of_its_own(database, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(exportmod.ConfigError, match="must name a folder"):
        exportmod.export(database, ".")
    assert not list(tmp_path.glob(".*2*"))


def test_export_cli_rejects_unknown_format(tmp_path):
    result = run_cli("--db", tmp_path / "x.db", "export", "--out", tmp_path / "o", "--format", "xml")
    assert result.returncode == 2
    assert "unknown format 'xml'" in result.stderr
    assert not (tmp_path / "o").exists()


def test_export_cli_prints_one_line_of_json(built_db, tmp_path):
    db = tmp_path / "cli.db"
    shutil.copy(built_db, db)
    result = run_cli("--db", db, "export", "--out", tmp_path / "o", "--json")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1
    assert json.loads(result.stdout)["articles"] == 40

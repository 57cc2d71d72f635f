"""Datasette over a real database: started on a loopback port, queried through
its JSON API, and its main pages rendered by headless Chromium, with
screenshots kept in test-output/datasette/ for a person to look at.

The database is deliberately not called health.db: the metadata must apply
to whatever the file is called."""

import html as html_lib
import json
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from pipeline.crawl import crawl
from pipeline.curate import run_curate
from pipeline.datasette import metadata_for, prepare
from pipeline.db import open_db
from pipeline.dedupe import run_dedupe
from pipeline.extract.stage import run_extract
from pipeline.recommend import run_recommend

from conftest import ROOT, start_datasette

SCREENSHOTS = ROOT / "test-output" / "datasette"
DB = "nightly-2026"  # the file's name, so Datasette's name for it


@pytest.fixture(scope="module")
def datasette(tmp_path_factory):
    from pipeline.demo.server import ServerThread, site_handler
    from pipeline.demo.site import DemoSite
    from pipeline.sources import parse_config

    folder = tmp_path_factory.mktemp("ds")
    db_path = folder / f"{DB}.db"
    with ServerThread(site_handler(DemoSite(40))) as site:
        config = parse_config(f'sources:\n  - name: demo\n    allow_private_addresses: true\n    start_urls: ["{site.url}/"]\n'
                              "    requests_per_second: 500\n    concurrency: 8\n")
        database = open_db(db_path)
        crawl(database, config)
        prepare(database)  # FTS triggers before the data, as in a scheduled run
        run_extract(database, config)
        run_dedupe(database)
        run_curate(database)
        run_recommend(database)
        database.close()
    proc, base = start_datasette(db_path)
    yield base, db_path
    proc.terminate()
    proc.wait(10)


def get(base, path):
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return json.loads(response.read())


def html(base, path):
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return response.geturl(), response.read().decode()


def curated_url(db_path) -> str:
    return open_db(db_path).conn.execute(
        "SELECT a.url FROM curated_articles a WHERE exercise_count > 0 AND treatment_count > 0 ORDER BY url LIMIT 1").fetchone()[0]


def row_path(url: str) -> str:
    from datasette.utils import tilde_encode

    return f"/{DB}/articles/{tilde_encode(url)}"


def test_datasette_is_the_pinned_version(datasette):
    base, _ = datasette
    assert get(base, "/-/versions.json")["datasette"]["version"].startswith("0.65.")


def test_metadata_is_keyed_to_the_files_name(datasette, tmp_path):
    base, _ = datasette
    metadata = get(base, "/-/metadata.json")
    assert list(metadata["databases"]) == [DB]
    tables = metadata["databases"][DB]["tables"]
    assert tables["exercises"]["units"]["hold_seconds"] == "s"
    table = get(base, f"/{DB}/entities.json?_size=0")
    assert table["human_description_en"] == "sorted by article_count descending"  # the metadata is in force
    assert list(metadata_for(tmp_path / "other.name.db")["databases"]) == ["other.name"]


def test_full_text_search_covers_curated_articles(datasette):
    base, db_path = datasette
    conn = open_db(db_path).conn
    curated = {r[0] for r in conn.execute("SELECT url FROM curated_articles")}
    # a word from the title of a copy that curation left out
    word = conn.execute("SELECT a.condition FROM articles a JOIN curation c ON c.url = a.url "
                        "WHERE c.included = 0 ORDER BY a.url LIMIT 1").fetchone()[0].split()[-1]
    titled = {r[0] for r in conn.execute("SELECT url FROM articles WHERE lower(title) LIKE ?", (f"%{word}%",))}
    rows = get(base, f"/{DB}/articles.json?_search={word}&_shape=array&_size=max")
    found = {r["url"] for r in rows}
    assert titled & curated <= found <= curated
    assert titled - curated  # there were copies to leave out, and they are not found
    exercises = get(base, f"/{DB}/exercises.json?_search=plank&_shape=array")
    assert exercises and all("plank" in (e["name"] + e["text"]).lower() for e in exercises)
    # The index follows curation: take an article out, it leaves the search; put it back, it returns.
    url = sorted(found)[0]
    search = f"/{DB}/articles.json?_search={word}&_shape=array&_size=max"
    conn.execute("UPDATE curation SET included = 0 WHERE url = ?", (url,))
    assert url not in {r["url"] for r in get(base, search)}
    conn.execute("UPDATE curation SET included = 1 WHERE url = ?", (url,))
    assert url in {r["url"] for r in get(base, search)}


def test_an_older_all_articles_index_is_replaced(tmp_path):
    database = open_db(tmp_path / "old.db")
    database["articles"].enable_fts(["title", "condition", "description", "body"], fts_version="FTS5",
                                    create_triggers=True)  # what earlier versions made
    assert "articles" in prepare(database)
    triggers = {r[0] for r in database.conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert not triggers & {"articles_ai", "articles_ad", "articles_au"}
    assert prepare(database) == []  # once only


def test_foreign_keys_show_labels(datasette):
    base, _ = datasette
    rows = get(base, f"/{DB}/treatments.json?_labels=on&_shape=array&_size=3")
    assert isinstance(rows[0]["entity_id"], dict) and rows[0]["entity_id"]["label"]
    assert isinstance(rows[0]["article_url"], dict) and rows[0]["article_url"]["label"]


def test_long_columns_stay_out_of_table_views(datasette):
    base, _ = datasette
    final, page = html(base, f"/{DB}/articles")
    assert "_nocol=body" in final and "_nocol=description" in final
    headers = re.findall(r'<th class="col-([\w-]+)', page)
    assert "title" in headers and "body" not in headers
    final, page = html(base, f"/{DB}/articles?_search=sciatica")
    assert "_search=sciatica" in final and "_nocol=body" in final
    assert "body" in get(base, f"/{DB}/articles.json?_shape=array&_size=1")[0]  # the API keeps every column
    _, shown = html(base, f"/{DB}/articles?_col=body")  # asking for a column is respected
    assert 'class="col-body" ' in shown
    for table in ("treatments", "exercises"):  # their text is on the article's page and their row pages
        final, page = html(base, f"/{DB}/{table}")
        assert "_nocol=text" in final and 'class="col-text" ' not in page and 'class="col-name" ' in page


def test_json_lists_are_rendered_not_raw(datasette):
    base, db_path = datasette
    medicine = open_db(db_path).conn.execute(
        "SELECT id, medicines FROM treatments WHERE medicines != '[]' LIMIT 1").fetchone()
    names = json.loads(medicine[1])
    _, page = html(base, f"/{DB}/treatments?id={medicine[0]}")
    cell = re.search(r'<td class="col-medicines[^"]*"[^>]*>(.*?)</td>', page, re.S).group(1).strip()
    assert cell == ", ".join(names)
    _, page = html(base, f"/{DB}/entities")
    assert '{"' not in re.search(r'<td class="col-aliases[^"]*"[^>]*>(.*?)</td>', page, re.S).group(1)


def test_rows_are_labelled_by_title(datasette):
    base, db_path = datasette
    url = curated_url(db_path)
    title = open_db(db_path).conn.execute("SELECT title FROM articles WHERE url = ?", (url,)).fetchone()[0]
    _, page = html(base, f"/{DB}/articles?url={quote(url, safe='')}")
    assert f'<a href="{row_path(url)}">{title}</a>' in page.replace("&#39;", "'")


def test_canned_queries(datasette):
    base, db_path = datasette
    holds = get(base, f"/{DB}/exercises_with_hold_times.json?_shape=array")
    assert holds and all(h["hold_seconds"] > 0 for h in holds)
    assert [h["hold_seconds"] for h in holds] == sorted((h["hold_seconds"] for h in holds), reverse=True)
    cited = get(base, f"/{DB}/most_cited_treatments.json?_shape=array")
    assert cited[0]["summary"].startswith(cited[0]["canonical_name"] + ": cited by ")
    url = curated_url(db_path)
    reading = get(base, f"/{DB}/what_others_are_reading.json?_shape=array&url={quote(url, safe='')}")
    assert [r["rank"] for r in reading] == [1, 2, 3, 4, 5] and all(r["reason"] and r["title"] for r in reading)
    runs = get(base, f"/{DB}/latest_crawl_runs.json?_shape=array")
    assert runs[0]["status"] == "completed"
    left_out = get(base, f"/{DB}/why_articles_were_left_out.json?_shape=array")
    kept_out = open_db(db_path).conn.execute("SELECT count(*) FROM curation WHERE included = 0").fetchone()[0]
    assert left_out == [{"rule": "duplicate", "articles": kept_out}] and kept_out > 0


def test_reading_lists_read_in_words(datasette):
    base, db_path = datasette
    rows = get(base, f"/{DB}/reading_lists.json?_shape=array&_size=5")
    assert all(r["article"] and r["read_next"] and r["reason"] for r in rows)
    assert get(base, "/-/metadata.json")["databases"][DB]["tables"]["recommendations"]["hidden"]


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser, "chromium is missing: `make test` installs it (Debian package chromium)"
    profile = tmp_path_factory.mktemp("chromium-profile")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def run(base, path, screenshot: str | None = None) -> str:
        common = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
        out = subprocess.run([*common, "--dump-dom", base + path], capture_output=True, text=True, timeout=90)
        assert out.returncode == 0, out.stderr[-500:]
        if screenshot:
            target = SCREENSHOTS / f"{screenshot}.png"
            shot = subprocess.run([*common, "--window-size=1280,1600", f"--screenshot={target}", base + path],
                                  capture_output=True, text=True, timeout=90)
            assert shot.returncode == 0 and target.stat().st_size > 10_000, shot.stderr[-500:]
        return out.stdout

    return run


def test_the_article_page_in_chromium(datasette, chromium):
    """What a person sees on an article's page: its sections, exercise facts,
    related links and what others are reading, with titles and reasons."""
    base, db_path = datasette
    conn = open_db(db_path).conn
    url = curated_url(db_path)
    page = chromium(base, row_path(url), screenshot="article")
    title = conn.execute("SELECT title FROM articles WHERE url = ?", (url,)).fetchone()[0]
    assert f"<h1" in page and title in page and "in the curated dataset" in page
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    for (name,) in conn.execute("SELECT name FROM treatments WHERE article_url = ? ORDER BY position", (url,)):
        assert name in text
    for name, hold, reps, reps_max, sets, sets_max in conn.execute(
            "SELECT name, hold_seconds, reps, reps_max, sets, sets_max FROM exercises WHERE article_url = ? "
            "ORDER BY position", (url,)):
        assert name in text
        if reps is not None:
            assert (f"{reps}-{reps_max} reps" if reps_max else f"{reps} reps") in text
        if sets is not None:
            assert (f"{sets}-{sets_max} sets" if sets_max else f"{sets} sets") in text
        if hold is not None and hold < 60:
            assert f"hold {hold}" in text
    assert text.index("Treatments") < text.index("Exercises")
    block = conn.execute("SELECT block FROM related_links WHERE article_url = ? LIMIT 1", (url,)).fetchone()[0]
    assert block in text
    assert "What others are reading" in text
    for read_next, reason, evidence in conn.execute(
            "SELECT b.title, r.reason, r.evidence FROM recommendations r JOIN articles b ON b.url = r.recommended_url "
            "WHERE r.article_url = ? ORDER BY r.rank", (url,)):
        assert f"{read_next} — {reason}" in text
        pieces = list(dict.fromkeys(e["text"] for e in json.loads(evidence)))  # each piece in words, once
        assert pieces and f"{reason} evidence: {'; '.join(pieces)}" in text
    # the condition's ICD-10-CM code, and for a condition no code fits, that none does
    condition, code, title = conn.execute("SELECT c.name, c.icd10cm_code, c.icd10cm_title FROM articles a "
                                          "JOIN conditions c ON c.name = a.condition WHERE a.url = ?", (url,)).fetchone()
    assert code and f"about {condition} ICD-10-CM {code} {title}" in text
    uncoded = conn.execute("SELECT a.url, a.condition FROM curated_articles a JOIN conditions c ON c.name = a.condition "
                           "WHERE c.icd10cm_code IS NULL ORDER BY a.url LIMIT 1").fetchone()
    assert f"about {uncoded[1]} no ICD-10-CM code fits" in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ",
                                                                                      chromium(base, row_path(uncoded[0]))))
    # A left-out copy says why.
    copy = conn.execute("SELECT url, excluded_by FROM curation WHERE included = 0 LIMIT 1").fetchone()
    assert f"left out: {copy[1]}" in chromium(base, row_path(copy[0]))


def test_main_pages_in_chromium_with_screenshots(datasette, chromium):
    base, _ = datasette
    home = chromium(base, "/", screenshot="home")
    assert "Health articles: treatments, exercises, and what others are reading" in home
    database = chromium(base, f"/{DB}", screenshot="database")
    assert "Why articles were left out of the curated set" in database
    articles = chromium(base, f"/{DB}/articles", screenshot="articles")
    assert "Search covers the curated articles" in articles and 'class="col-body" ' not in articles
    entity = get(base, f"/{DB}/entities.json?_shape=array&_sort_desc=article_count&_size=1")[0]
    page = chromium(base, f"/{DB}/entities/{entity['id']}", screenshot="entity")
    assert entity["canonical_name"] in page and "Links from other tables" in page
    reading = chromium(base, f"/{DB}/reading_lists", screenshot="reading-lists")
    assert "read_next" in reading
    left_out = chromium(base, f"/{DB}/why_articles_were_left_out", screenshot="why-left-out")
    assert re.search(r"<td[^>]*>\s*duplicate\s*</td>", left_out)
    exercises = chromium(base, f"/{DB}/exercises", screenshot="exercises")
    assert "hold_seconds" in exercises
    assert {p.name for p in SCREENSHOTS.glob("*.png")} >= {  # a set: sorted lists compared only their first names
        f"{n}.png" for n in ("article", "home", "database", "articles", "entity", "reading-lists", "why-left-out",
                             "exercises")}


def test_vocabulary_tables_are_described(datasette):
    """related_blocks, entity_links and conditions: a description for each
    table and each of its columns, keyed to the file's name."""
    base, db_path = datasette
    tables = get(base, "/-/metadata.json")["databases"][DB]["tables"]
    conn = open_db(db_path).conn
    for table in ("related_blocks", "entity_links", "conditions"):
        described = tables[table]
        assert len(described["description"]) > 80, table
        columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        assert set(described["columns"]) == columns, table
        assert all(len(text) > 10 for text in described["columns"].values()), table
    assert set(tables["recommendations"]["columns"]) >= {"reason_kind", "evidence"}
    assert "concept" in tables["entities"]["columns"]


def test_entity_and_condition_pages_in_chromium(datasette, chromium):
    """An entity's page shows its links to curated vocabularies with their
    sources; a condition's page its ICD-10-CM code and its articles; the
    judged blocks read with their description."""
    base, db_path = datasette
    conn = open_db(db_path).conn

    def words(page: str) -> str:
        return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", page)))

    broader = conn.execute("SELECT entity_id FROM entity_links WHERE relation = 'broader' ORDER BY entity_id LIMIT 1").fetchone()[0]
    exercise = conn.execute("SELECT entity_id FROM entity_links WHERE vocabulary = 'free-exercise-db' "
                            "ORDER BY entity_id LIMIT 1").fetchone()[0]
    for entity_id, shot in ((broader, "entity-vocabulary"), (exercise, None)):
        text = words(chromium(base, f"/{DB}/entities/{entity_id}", screenshot=shot))
        links = conn.execute("SELECT relation, vocabulary, code, label, source FROM entity_links WHERE entity_id = ?",
                             (entity_id,)).fetchall()
        assert "In curated vocabularies" in text and len(links) >= 2
        for relation, vocabulary, code, label, source in links:
            said = {"same_as": "same as", "broader": "a kind of"}[relation]
            assert f"{said} {label} {vocabulary}: {code} source: {source}" in text
    # an entity the alias table does not know says so
    conn.execute("INSERT INTO entities(id, kind, canonical_name, key) VALUES (99999, 'treatment', 'Moon bathing', 'moon bathing')")
    try:
        assert "None: the alias table" in words(chromium(base, f"/{DB}/entities/99999"))
    finally:
        conn.execute("DELETE FROM entities WHERE id = 99999")
    condition, code, title = conn.execute("SELECT c.name, c.icd10cm_code, c.icd10cm_title FROM articles a "
                                          "JOIN conditions c ON c.name = a.condition WHERE a.url = ?",
                                          (curated_url(db_path),)).fetchone()
    text = words(chromium(base, f"/{DB}/conditions/{quote(condition)}", screenshot="condition"))
    assert f"ICD-10-CM {code} {title}" in text and "Articles about it" in text
    for (about,) in conn.execute("SELECT title FROM curated_articles WHERE condition = ?", (condition,)):
        assert about in text
    conditions = words(chromium(base, f"/{DB}/conditions", screenshot="conditions"))
    assert "a wrong code is worse than none" in conditions and "icd10cm_code" in conditions
    blocks = words(chromium(base, f"/{DB}/related_blocks", screenshot="related-blocks"))
    judged = conn.execute("SELECT judged_as FROM related_blocks").fetchone()[0]
    assert "judged each site's related-links block" in blocks and judged in blocks
    assert {p.name for p in SCREENSHOTS.glob("*.png")} >= {
        f"{n}.png" for n in ("entity-vocabulary", "condition", "conditions", "related-blocks")}

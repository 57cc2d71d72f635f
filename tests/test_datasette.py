"""Datasette over a real database: started on a loopback port, queried through
its JSON API, and one page rendered by headless Chromium."""

import json
import shutil
import subprocess
import urllib.request

import pytest

from pipeline.crawl import crawl
from pipeline.curate import run_curate
from pipeline.datasette import prepare
from pipeline.db import open_db
from pipeline.dedupe import run_dedupe
from pipeline.extract.stage import run_extract
from pipeline.recommend import run_recommend

from conftest import start_datasette


@pytest.fixture(scope="module")
def datasette(tmp_path_factory):
    from pipeline.demo.server import ServerThread, site_handler
    from pipeline.demo.site import DemoSite
    from pipeline.sources import parse_config

    folder = tmp_path_factory.mktemp("ds")
    db_path = folder / "health.db"  # the name db/metadata.json describes
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


def test_datasette_is_the_pinned_version(datasette):
    base, _ = datasette
    assert get(base, "/-/versions.json")["datasette"]["version"].startswith("0.65.")


def test_tables_and_metadata(datasette):
    base, _ = datasette
    metadata = get(base, "/-/metadata.json")
    tables = metadata["databases"]["health"]["tables"]
    assert tables["exercises"]["units"]["hold_seconds"] == "s"
    articles = get(base, "/health/articles.json?_shape=array&_size=5")
    assert len(articles) == 5 and all(a["title"] for a in articles)


def test_full_text_search(datasette):
    base, _ = datasette
    rows = get(base, "/health/articles.json?_search=sciatica&_shape=array")
    assert rows and all("sciatica" in (r["title"] + r["body"]).lower() for r in rows)
    exercises = get(base, "/health/exercises.json?_search=plank&_shape=array")
    assert exercises and all("plank" in (e["name"] + e["text"]).lower() for e in exercises)


def test_foreign_keys_show_labels(datasette):
    base, _ = datasette
    rows = get(base, "/health/treatments.json?_labels=on&_shape=array&_size=3")
    assert isinstance(rows[0]["entity_id"], dict) and rows[0]["entity_id"]["label"]
    assert isinstance(rows[0]["article_url"], dict) and rows[0]["article_url"]["label"]


def test_canned_queries(datasette):
    base, db_path = datasette
    holds = get(base, "/health/exercises_with_hold_times.json?_shape=array")
    assert holds and all(h["hold_seconds"] > 0 for h in holds)
    assert [h["hold_seconds"] for h in holds] == sorted((h["hold_seconds"] for h in holds), reverse=True)
    cited = get(base, "/health/most_cited_treatments.json?_shape=array")
    assert cited[0]["summary"].startswith(cited[0]["canonical_name"] + ": cited by ")
    url = open_db(db_path).conn.execute("SELECT url FROM curated_articles LIMIT 1").fetchone()[0]
    from urllib.parse import quote
    reading = get(base, f"/health/what_others_are_reading.json?_shape=array&url={quote(url, safe='')}")
    assert [r["rank"] for r in reading] == [1, 2, 3, 4, 5] and all(r["reason"] for r in reading)
    runs = get(base, "/health/latest_crawl_runs.json?_shape=array")
    assert runs[0]["status"] == "completed"


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_pages_in_headless_chromium(datasette, tmp_path):
    """What a person sees: the home page and an entity with its citing records."""
    base, _ = datasette
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser, "chromium is missing: `make test` installs it (Debian package chromium)"

    def dom(path):
        out = subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
                              base + path], capture_output=True, text=True, timeout=90)
        assert out.returncode == 0, out.stderr[-500:]
        return out.stdout

    home = dom("/")
    assert "Health articles: treatments, exercises, and what others are reading" in home
    entity = get(base, "/health/entities.json?_shape=array&_sort_desc=article_count&_size=1")[0]
    page = dom(f"/health/entities/{entity['id']}")
    assert entity["canonical_name"] in page
    assert "Links from other tables" in page and "entity_id" in page

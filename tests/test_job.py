"""The scheduled job as one unit (pipeline/job.py), run as cron runs it: the
real CLI against a real demo site on 127.0.0.1, with nights when the site
fails. A run never publishes a worse dataset than the last good one."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest
from aiohttp import web

from pipeline.db import run_lock
from pipeline.job import JobOptions, JobSummary, run_job
from pipeline.demo.server import MutableSite, ServerThread, free_port, site_handler
from pipeline.demo.site import DemoSite

from conftest import ROOT, run_cli


class Site:
    """The demo site on a fixed port of its own, with switches for bad nights."""

    def __init__(self, articles: int = 40):
        self.holder = MutableSite(DemoSite(articles))
        self.port = free_port()
        self.robots_503 = False
        self.failing: set[str] = set()  # paths answering 503
        self.gone: set[str] = set()  # paths answering 404
        self.server = None
        self.log: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Site":
        inner = site_handler(self.holder)

        async def handle(request):
            self.log.append(request.path)
            if request.path == "/robots.txt" and self.robots_503:
                return web.Response(status=503, text="busy")
            if request.path in self.failing:
                return web.Response(status=503, text="busy")
            if request.path in self.gone:
                return web.Response(status=404, text="gone")
            return await inner(request)

        self.server = ServerThread(handle, port=self.port).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.stop()
            self.server = None


@pytest.fixture
def site():
    s = Site().start()
    yield s
    s.stop()


def write_config(tmp_path, url: str, settings: str = "", requests_per_second: int = 300) -> str:
    path = tmp_path / "sources.yaml"
    path.write_text(settings + "sources:\n  - name: demo\n"
                    f'    start_urls: ["{url}/"]\n    sitemaps: ["{url}/sitemap.xml"]\n'
                    f"    allow_private_addresses: true\n    requests_per_second: {requests_per_second}\n"
                    "    concurrency: 4\n    max_retries: 1\n    timeout_seconds: 3\n")
    return str(path)


def job(tmp_path, config, *args, db="health.db", out="exports"):
    return run_cli("--db", tmp_path / db, "--config", config, "run", "--out", tmp_path / out, "--json", *args,
                   timeout=300)


def run_in_process(tmp_path, config, **options) -> JobSummary:
    """The job as the CLI runs it, in this process (no interpreter start-up per run)."""
    return run_job(str(tmp_path / "health.db"), config, JobOptions(out=str(tmp_path / "exports"), **options))


def summary_of(result) -> dict:
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout[-2000:]  # --json: one line
    return json.loads(lines[0])


def test_bad_nights_never_make_the_export_worse(tmp_path, site):
    config = write_config(tmp_path, site.url)
    first = run_in_process(tmp_path, config)
    assert first.exit_code == 0, first.problems
    good = (tmp_path / "exports" / "articles.json").read_bytes()
    published = len(json.loads(good))
    assert published >= 30

    # Night 2: robots.txt answers 503, so every page is blocked (RFC 9309).
    site.robots_503 = True
    night = job(tmp_path, config)  # as cron runs it
    site.robots_503 = False
    assert night.returncode == 1, night.stderr
    assert "every one of the" in night.stderr and "last good versions" in night.stderr
    assert summary_of(night)["stages"]["crawl"]["blocked_by_robots"] > 30
    assert (tmp_path / "exports" / "articles.json").read_bytes() == good

    # Night 3: the site is down (connection refused).
    site.stop()
    night = run_in_process(tmp_path, config)
    site.start()
    assert night.exit_code == 1 and night.stages["crawl"].summary["blocked_by_robots"] > 30  # robots.txt unreachable
    blocked = sqlite3.connect(tmp_path / "health.db").execute(
        "SELECT DISTINCT reason, detail FROM pages WHERE outcome = 'blocked' AND url NOT LIKE '%/private/%'").fetchall()
    assert blocked == [("robots.txt unavailable", "robots.txt: connection refused")]
    assert (tmp_path / "exports" / "articles.json").read_bytes() == good

    # Night 4: one article answers 503; it has an exact copy (its print page).
    original = DemoSite(40).article(10).path
    site.failing = {original}
    night = run_in_process(tmp_path, config)
    site.failing = set()
    assert night.exit_code == 0, night.problems
    db = sqlite3.connect(tmp_path / "health.db")
    outcome, reason = db.execute("SELECT outcome, reason FROM pages WHERE url = ?", (site.url + original,)).fetchone()
    assert (outcome, reason) == ("failed", "server error")
    included, = db.execute("SELECT included FROM curation WHERE url = ?", (site.url + original,)).fetchone()
    assert included == 1  # its last good version stays in the dataset
    copy = db.execute("SELECT excluded_by, detail FROM curation WHERE url = ?", (site.url + "/print" + original,)).fetchone()
    assert copy == ("duplicate", f"of {site.url + original}")
    assert (tmp_path / "exports" / "articles.json").read_bytes() == good


def test_confirmed_removals_and_the_shrink_guard(tmp_path, site):
    config = write_config(tmp_path, site.url)
    assert run_in_process(tmp_path, config).exit_code == 0
    before = (tmp_path / "exports" / "articles.json").read_bytes()
    published = len(json.loads(before))
    demo = DemoSite(40)
    site.gone = {demo.article(i).path for i in range(0, 40, 2)}  # half the articles answer 404 from now on

    once = run_in_process(tmp_path, config)  # the first 404: kept, the site may be mid-deploy
    assert once.exit_code == 0, once.problems
    assert (tmp_path / "exports" / "articles.json").read_bytes() == before
    db = sqlite3.connect(tmp_path / "health.db")
    gone_url = site.url + demo.article(2).path
    assert db.execute("SELECT outcome, reason, missing_runs FROM pages WHERE url = ?", (gone_url,)).fetchone() == (
        "failed", "not found", 1)

    twice = job(tmp_path, config)  # the second: removed, and the export would shrink by half
    assert twice.returncode == 4, twice.stderr
    summary = summary_of(twice)
    assert summary["exit_code"] == 4 and summary["stages"]["export"]["status"] == "skipped"
    assert "would shrink from" in twice.stderr and "--allow-shrink" in twice.stderr
    assert (tmp_path / "exports" / "articles.json").read_bytes() == before
    row = db.execute("SELECT outcome, reason, detail, removed_at FROM pages WHERE url = ?", (gone_url,)).fetchone()
    assert row[:3] == ("removed", "removed from the site", "HTTP 404 on 2 runs in a row") and row[3]
    assert db.execute("SELECT included, excluded_by FROM curation WHERE url = ?", (gone_url,)).fetchone() == (
        0, "page removed")

    allowed = run_in_process(tmp_path, config, allow_shrink=True)
    assert allowed.exit_code == 0, allowed.problems
    now = json.loads((tmp_path / "exports" / "articles.json").read_text())
    assert len(now) < published * 0.8 and gone_url not in {a["url"] for a in now}


def test_one_lock_for_the_database_file_however_it_is_spelled(tmp_path, site):
    config = write_config(tmp_path, site.url)
    real = tmp_path / "real.db"
    (tmp_path / "link.db").symlink_to(real)
    (tmp_path / "sub").mkdir()
    with run_lock(real):
        for spelling in ("link.db", "sub/../real.db"):
            result = run_cli("--db", tmp_path / spelling, "--config", config, "run", "--out", tmp_path / "x")
            assert result.returncode == 3, (spelling, result.stderr)
            assert "another pipeline run is using" in result.stderr and f"pid {os.getpid()}" in result.stderr
    assert site.log == [] and not (tmp_path / "x").exists()
    with run_lock(tmp_path / "link.db"):
        assert run_cli("--db", real, "--config", config, "crawl").returncode == 3


def test_datasette_serves_while_a_run_holds_the_lock(tmp_path):
    slow = Site(articles=120).start()
    try:
        config = write_config(tmp_path, slow.url, requests_per_second=25)  # the run lasts well past Datasette's start
        db = tmp_path / "health.db"
        assert run_cli("--db", db, "--config", config, "crawl", "--max-pages", "3").returncode == 0
        run = subprocess.Popen([sys.executable, "-m", "pipeline", "--db", str(db), "--config", config, "run", "--out",
                                str(tmp_path / "exports")], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        port = free_port()
        serve = None
        try:
            for _ in range(200):  # until the run is crawling
                row = sqlite3.connect(db).execute("SELECT value FROM meta WHERE key = 'job'").fetchone()
                if row and json.loads(row[0])["stage"] == "crawl":
                    break
                time.sleep(0.05)
            serve = subprocess.Popen([sys.executable, "-m", "pipeline", "--db", str(db), "serve", "--port", str(port)],
                                     cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            counts = []
            for _ in range(300):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{db.stem}.json?sql=select+count(*)+as+n+"
                                                "from+pages&_shape=array", timeout=2) as response:
                        counts.append(json.loads(response.read())[0]["n"])
                    if len(counts) >= 3:
                        break
                except OSError:
                    pass
                time.sleep(0.1)
            assert run.poll() is None, "the run should still be going"
            assert len(counts) >= 3 and counts == sorted(counts)
        finally:
            if serve:
                serve.terminate()
                serve.wait(10)
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err.decode()[-1000:]
    finally:
        slow.stop()


def test_configuration_is_checked_before_anything_is_written(tmp_path, site):
    config = write_config(tmp_path, site.url, settings="settings:\n  curate:\n    min_word: 100\n")
    result = job(tmp_path, config)
    assert result.returncode == 2 and "settings.curate: unknown key 'min_word'" in result.stderr
    config = write_config(tmp_path, site.url)
    result = job(tmp_path, config, "--pageviews", tmp_path / "views.csv")
    assert result.returncode == 2 and "views.csv: file not found" in result.stderr
    result = run_cli("--db", tmp_path / "missing" / "health.db", "--config", config, "run", "--out", tmp_path / "e")
    assert result.returncode == 2 and "does not exist" in result.stderr
    assert not (tmp_path / "missing").exists()
    result = run_cli("--db", tmp_path / "missing" / "health.db", "--config", config, "crawl")
    assert result.returncode == 2 and not (tmp_path / "missing").exists()
    assert site.log == [] and not (tmp_path / "health.db").exists() and not (tmp_path / "exports").exists()


def test_shipped_sources_crawl_nothing_by_default(tmp_path):
    result = run_cli("--db", tmp_path / "health.db", "run", "--out", tmp_path / "exports")
    assert result.returncode == 2 and "no source is enabled" in result.stderr
    assert not (tmp_path / "exports").exists()


def test_summary_has_a_line_per_stage_and_per_source(tmp_path, site):
    config = write_config(tmp_path, site.url)
    result = run_cli("--db", tmp_path / "h.db", "--config", config, "run", "--out", tmp_path / "exports")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(" ")[0].rstrip(":") for line in lines] == [
        "crawl", "extract", "dedupe", "curate", "recommend", "export", "datasette", "source"]
    assert lines[-1].startswith("source demo: ") and "articles curated" in lines[-1]
    summary = run_job(str(tmp_path / "h.db"), config, JobOptions(out=str(tmp_path / "exports"))).as_dict()
    assert summary["sources"]["demo"]["unchanged"] > 30 and summary["sources"]["demo"]["curated"] > 30


def test_demo_writes_its_own_database_and_export(tmp_path):
    shutil.copy(ROOT / "sources.yaml", tmp_path / "sources.yaml")
    (tmp_path / "db").mkdir()
    result = subprocess.run([sys.executable, "-m", "pipeline", "demo", "--port", "0", "--articles", "30"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300,
                            env={k: v for k, v in os.environ.items() if k != "PIPELINE_DB"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "db" / "demo.db").exists() and (tmp_path / "exports-demo" / "articles.json").exists()
    assert not (tmp_path / "db" / "health.db").exists() and not (tmp_path / "exports").exists()
    assert "database: " + str(tmp_path / "db" / "demo.db") in result.stdout


def test_remove_source_deletes_its_data(tmp_path, site):
    config = write_config(tmp_path, site.url)
    assert run_in_process(tmp_path, config).exit_code == 0
    db = tmp_path / "health.db"
    assert run_cli("--db", db, "remove-source", "nosuch", "--yes").returncode == 2
    refused = run_cli("--db", db, "remove-source", "demo", stdin=subprocess.DEVNULL)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    result = run_cli("--db", db, "--config", config, "remove-source", "demo", "--yes")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("removed source demo: ") and "still enabled" in result.stderr
    conn = sqlite3.connect(db)
    for table in ("pages", "page_html", "frontier", "extractions", "articles", "treatments", "exercises",
                  "related_links", "curation", "recommendations", "article_signatures", "duplicate_pairs",
                  "article_clusters", "sources"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []

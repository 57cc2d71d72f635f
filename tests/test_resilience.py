"""Killed runs and scheduled runs: nothing lost, nothing duplicated, and the
database follows a site that changes."""

import csv
import json
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from pipeline.crawl import CrawlOptions, crawl
from pipeline.curate import run_curate
from pipeline.db import open_db
from pipeline.demo.server import MutableSite, ServerThread, site_handler
from pipeline.demo.site import DemoSite
from pipeline.extract.stage import run_extract

from conftest import ROOT, RecordingServer, start_datasette

KEYS = {  # table -> its natural key: a second row with the same key is a duplicate
    "pages": "url", "page_html": "url", "frontier": "url", "extractions": "url", "articles": "url",
    "treatments": "article_url, position", "exercises": "article_url, position", "related_links": "article_url, position",
    "duplicate_pairs": "url_a, url_b", "article_clusters": "url", "entities": "kind, key",
    "recommendations": "article_url, rank", "curation": "url",
}


def check_database(path: Path) -> dict:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    duplicated = 0
    for table, key in KEYS.items():
        duplicated += conn.execute(f"SELECT count(*) FROM (SELECT {key} FROM {table} GROUP BY {key} HAVING count(*) > 1)").fetchone()[0]
    ok = {r[0] for r in conn.execute("SELECT url FROM pages WHERE outcome IN ('ok', 'unchanged')")}
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in KEYS}
    conn.close()
    return {"duplicated": duplicated, "ok": ok, "counts": counts}


def check_exports(folder: Path) -> int:
    """Every export file present is complete: it parses to the end."""
    files = 0
    for path in folder.glob("*.json"):
        json.loads(path.read_text())
        files += 1
    for path in folder.glob("*.jsonl"):
        for line in path.read_text().splitlines():
            json.loads(line)
        files += 1
    for path in folder.glob("*.csv"):
        rows = list(csv.reader(path.read_text().splitlines()))
        assert rows and all(len(r) == len(rows[0]) for r in rows), path
        files += 1
    return files


def test_twenty_kills_across_every_stage(tmp_path):
    site = DemoSite(150)
    server = ServerThread(site_handler(site)).start()
    config = tmp_path / "sources.yaml"
    config.write_text("sources:\n  - name: demo\n"
                      f'    start_urls: ["{server.url}/"]\n    sitemaps: ["{server.url}/sitemap.xml"]\n'
                      "    allow_private_addresses: true\n    requests_per_second: 300\n    concurrency: 4\n")
    db = tmp_path / "killed.db"
    out = tmp_path / "exports"
    args = [sys.executable, "-m", "pipeline", "--db", str(db), "--config", str(config), "run", "--out", str(out), "--json"]
    rng = random.Random(42)  # kill moments spread over every stage: crawl, extract, dedupe, recommend, export
    kills = 0
    seen_ok: set[str] = set()
    # Once the site is stored a run is quicker (304s, nothing to re-extract),
    # so the kill window shrinks to the length of the last run that finished:
    # a fixed window would let most runs end before the kill on a fast machine.
    window = 3.5
    try:
        for _ in range(80):
            started = time.monotonic()
            proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                proc.wait(timeout=rng.uniform(0.2, window))
                window = max(0.4, min(window, 0.95 * (time.monotonic() - started)))
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                kills += 1
                proc.wait()
            if db.exists():
                state = check_database(db)
                assert state["duplicated"] == 0
                assert seen_ok <= state["ok"], "a stored page went missing"
                seen_ok = state["ok"]
            if out.exists():
                check_exports(out)
            if kills >= 20:
                break
        assert kills >= 20
        final = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert final.returncode == 0, final.stderr
        survived = check_database(db)
        # A clean run from scratch over the same site gives the same database.
        clean = subprocess.run([*args[:4], str(tmp_path / "clean.db"), *args[5:7], "run", "--out", str(tmp_path / "clean"),
                                "--json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert clean.returncode == 0, clean.stderr
    finally:
        server.stop()
    reference = check_database(tmp_path / "clean.db")
    assert survived["duplicated"] == 0
    assert survived["ok"] == reference["ok"]
    for table in ("articles", "treatments", "exercises", "related_links", "duplicate_pairs", "curation", "recommendations"):
        assert survived["counts"][table] == reference["counts"][table], table
    # 5 record sets as JSON and JSON Lines, 8 flat tables as CSV, and datapackage.json
    assert check_exports(out) == check_exports(tmp_path / "clean") == 19
    assert (out / "articles.json").read_bytes() == (tmp_path / "clean" / "articles.json").read_bytes()
    assert not list(out.glob(".*.tmp"))


def test_ten_scheduled_runs_over_a_changing_site(serve, make_config, database):
    holder = MutableSite(DemoSite(60, version=0))
    server = serve(site_handler(holder))
    _, config = make_config(server.url, sitemaps=f'["{server.url}/sitemap.xml"]')
    versions = [0, 0, 1, 2, 3, 4, 5, 6, 7, 8]
    for run, version in enumerate(versions):
        holder.site = DemoSite(60, version=version)
        site = holder.site
        server.log.clear()
        summary = crawl(database, config, options=CrawlOptions(keep_versions=3))
        run_extract(database, config)
        rows = {r["url"]: r for r in database["pages"].rows}
        live = {server.url + p for p in site.article_paths()}
        assert live <= {u for u, r in rows.items() if r["outcome"] in ("ok", "unchanged")}, run
        for i in site.removed:
            row = rows[server.url + site.article(i).path]
            # Listed in the last run's sitemap, missing from this one's, and answering 404: removed.
            assert row["outcome"] == "removed" and row["reason"] == "removed from the site", row
            assert re.fullmatch(r"gone from the sitemaps and unreachable \(not found\)|HTTP 404 on \d+ runs in a row",
                                row["detail"]), row["detail"]
            assert database["page_html"].get(row["url"])  # its content is kept, not deleted
        for i, target in site.redirected.items():
            row = rows[server.url + site.article(i).path]
            assert row["outcome"] == "redirect" and row["final_url"] == server.url + site.article(target).path
        if run == 1:  # the same site twice: only conditional requests, all answered 304
            article_requests = [r for r in server.log if r["path"] in set(site.article_paths())]
            assert article_requests and all("If-None-Match" in r["headers"] for r in article_requests)
            assert summary["new"] == 0 and summary["changed"] == 0
        if run >= 2:
            assert summary["new"] >= 5  # five articles added per version
    # Edited pages kept their earlier versions, at most keep_versions - 1 of them.
    versions_per_page = database.conn.execute("SELECT url, count(*) FROM page_versions GROUP BY url").fetchall()
    assert versions_per_page and max(c for _, c in versions_per_page) == 2
    # Removed pages are out of the curated set, with the rule that says why; so are moved ones.
    run_curate(database)
    removed = [r["url"] for r in database["pages"].rows if r["outcome"] == "removed"]
    assert removed
    for url in removed:
        row = database["curation"].get(url)
        assert not row["included"] and row["excluded_by"] == "page removed"
    moved = [r["url"] for r in database["pages"].rows if r["outcome"] == "redirect" and r["status_code"] == 301
             and database["articles"].count_where("url = ?", [r["url"]])]
    assert moved and all(database["curation"].get(u)["excluded_by"] == "page moved" for u in moved)


def test_datasette_reads_while_a_crawl_writes(tmp_path):
    site = DemoSite(300)
    slow = RecordingServer(site_handler(site)).start()
    db_path = tmp_path / "health.db"
    open_db(db_path).close()
    from pipeline.sources import parse_config

    proc, base = start_datasette(db_path)
    try:
        config = parse_config("sources:\n  - name: demo\n    allow_private_addresses: true\n"
                              f'    start_urls: ["{slow.url}/"]\n    sitemaps: ["{slow.url}/sitemap.xml"]\n'
                              "    requests_per_second: 150\n    concurrency: 2\n")
        database = open_db(db_path)
        thread = threading.Thread(target=crawl, args=(database, config))
        thread.start()
        counts = []
        while thread.is_alive():
            with urllib.request.urlopen(base + "/health.json?sql=select+count(*)+as+n+from+pages&_shape=array",
                                        timeout=10) as response:
                counts.append(json.loads(response.read())[0]["n"])
            time.sleep(0.1)
        thread.join()
        assert len(counts) >= 5
        assert counts == sorted(counts) and counts[-1] > counts[0]  # it saw the crawl's progress, never an error
    finally:
        proc.terminate()
        proc.wait(10)
        slow.stop()

"""The extract stage over a real database filled by a real crawl."""

import json
import signal
import subprocess
import sys
import time

from aiohttp import web

from pipeline.crawl import crawl
from pipeline.db import open_db
from pipeline.extract import stage
from pipeline.extract.stage import run_extract

from conftest import ROOT


def counts(database):
    return {t: database[t].count for t in ("extractions", "articles", "treatments", "exercises", "related_links")}


def test_crawl_then_extract_fills_the_tables(demo_server, demo_site, make_config, database):
    _, config = make_config(demo_server.url)
    crawl(database, config)
    summary = run_extract(database, config, workers=2)
    assert summary["failed"] == 0
    truth = [demo_site.truth(i) for i in range(demo_site.n)]
    base = demo_server.url
    for i, article in enumerate(demo_site.article_paths()):
        row = database["articles"].get(base + article)
        assert row["title"] == truth[i]["title"]
        names = [r[0] for r in database.conn.execute(
            "SELECT name FROM treatments WHERE article_url = ? ORDER BY position", (base + article,))]
        assert names == truth[i]["treatments"]
    holds = dict(database.conn.execute(
        "SELECT name, hold_seconds FROM exercises WHERE name IN ('Lower back stretch', 'Kneeling hip flexor stretch')"))
    assert holds.get("Lower back stretch", 7) == 7 and holds.get("Kneeling hip flexor stretch", 60) == 60
    # Index pages and the 404 page are recorded, with their reason, as not articles.
    reasons = [r[0] for r in database.conn.execute("SELECT reason FROM extractions WHERE status = 'not_article'")]
    assert reasons and all(r for r in reasons)
    assert database.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert summary["treatments"] == database["treatments"].count


def test_rerun_touches_only_what_changed(serve, make_config, database, monkeypatch):
    version = {"v": 1}
    paragraph = "<p>Back pain often eases with rest and gentle movement over a few days, and most people recover.</p>" * 6

    async def handler(request):
        names = ["Rest the back", "Ice the area", "Stretch gently", "Walk every day"][: version["v"] + 1]
        items = "".join(f"<li><strong>{n}.</strong> Do this gently every day for a week or two.</li>" for n in names)
        links = '<a href="/b">b</a>' if request.path == "/" else ""
        body = f"<html><body><article><h1>How To Treat Back Pain</h1>{paragraph}<p>Here are some treatments to try:</p><ol>{items}</ol>{links}</article></body></html>"
        if request.path == "/b":
            body = body.replace("How To Treat Back Pain", "How To Treat Neck Pain")
        return web.Response(text=body, content_type="text/html")

    server = serve(handler)
    _, config = make_config(server.url, respect_robots="false")
    crawl(database, config)
    assert run_extract(database, config)["extracted"] == 2
    before = counts(database)
    assert run_extract(database, config)["extracted"] == 0
    version["v"] = 2
    crawl(database, config)
    again = run_extract(database, config)
    assert again["extracted"] == 2  # both pages changed (both render the version)
    assert database["treatments"].count == before["treatments"] + 2
    # A new extractor version re-reads everything, and yields the same rows again.
    monkeypatch.setattr(stage, "EXTRACTOR_VERSION", "test-next")
    snapshot = counts(database)
    assert run_extract(database, config)["extracted"] == 2
    assert counts(database) == snapshot
    assert run_extract(database, config, everything=True)["extracted"] == 2
    assert counts(database) == snapshot


def test_killed_extract_resumes_without_duplicates(tmp_path, serve, make_config):
    from pipeline.demo.server import site_handler
    from pipeline.demo.site import DemoSite

    server = serve(site_handler(DemoSite(500)))
    config_path, config = make_config(server.url)
    db_path = tmp_path / "kill.db"
    database = open_db(db_path)
    crawl(database, config)
    (total,) = database.conn.execute("SELECT count(*) FROM page_html").fetchone()
    database.close()
    args = [sys.executable, "-m", "pipeline", "--db", str(db_path), "--config", str(config_path), "extract",
            "--workers", "1", "--json"]
    partial = False
    for delay in (0.6, 0.8, 1.0, 1.3, 1.7, 2.2):
        proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        check = open_db(db_path)
        (done,) = check.conn.execute("SELECT count(*) FROM extractions").fetchone()
        check.close()
        if 0 < done < total:
            partial = True
            break
    assert partial, "never caught the extract stage mid-run"
    final = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert final.returncode == 0, final.stderr
    assert 0 < json.loads(final.stdout)["extracted"] < total  # it resumed, it did not start over
    database = open_db(db_path)
    after_kill = counts(database)
    # A clean extraction of the same pages from scratch gives exactly the same rows.
    clean = open_db(tmp_path / "clean.db")
    crawl(clean, config)
    run_extract(clean, config)
    assert after_kill == counts(clean)
    duplicates = database.conn.execute(
        "SELECT count(*) FROM (SELECT article_url, position FROM treatments GROUP BY 1, 2 HAVING count(*) > 1)").fetchone()[0]
    assert duplicates == 0
    assert database.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

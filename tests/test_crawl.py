"""Whole crawls of the demo site over a real server: discovery, deduplication,
conditional re-runs, resuming after SIGKILL, the lock and exit codes."""

import json
import signal
import subprocess
import sys
import time
from collections import Counter

from aiohttp import web

from pipeline.crawl import crawl
from pipeline.db import open_db, run_lock
from pipeline.demo.server import ServerThread, site_handler
from pipeline.demo.site import DemoSite

from conftest import ROOT, run_cli


def article_urls(server, site):
    return {server.url + p for p in site.article_paths()}


def test_demo_crawl_finds_every_article_once(demo_server, demo_site, make_config, database):
    _, config = make_config(demo_server.url, sitemaps=f'["{demo_server.url}/sitemap.xml"]')
    summary = crawl(database, config)
    rows = {r["url"]: r for r in database["pages"].rows}
    wanted = article_urls(demo_server, demo_site)
    assert wanted <= {u for u, r in rows.items() if r["outcome"] == "ok"}
    # Tracking-parameter and fragment links collapse onto one URL, fetched once.
    assert not [u for u in rows if "utm_" in u or "#" in u]
    paths = Counter(r["path"] for r in demo_server.log)
    assert all(paths[p] == 1 for p in demo_site.article_paths())
    assert summary["duplicates_skipped"] > 0
    # robots.txt Disallow, a redirect, a broken link and a PDF are each recorded with their reason.
    assert rows[demo_server.url + "/private/staff-notes"]["outcome"] == "blocked"
    old, target = next(iter(demo_site.redirect_paths().items()))
    assert rows[demo_server.url + old]["final_url"] == demo_server.url + target
    broken = [r for r in rows.values() if "this-page-was-removed" in r["url"]]
    assert broken and all(r["reason"] == "not found" and r["detail"] == "HTTP 404" for r in broken)
    assert any(r["reason"] == "not HTML" and r["detail"] == "application/pdf" for r in rows.values())
    # The gzipped sitemap behind the sitemap index was read.
    assert demo_server.hits("/sitemap-1.xml.gz") == 1
    assert summary["new"] == sum(1 for r in rows.values() if r["outcome"] == "ok")
    run = database["crawl_runs"].get(summary["run_id"])
    assert run["status"] == "completed" and run["new"] == summary["new"]


def test_rerun_costs_only_conditional_requests(demo_server, make_config, database):
    _, config = make_config(demo_server.url)
    first = crawl(database, config)
    html_before = {r["url"]: r["html"] for r in database["page_html"].rows}
    demo_server.log.clear()
    second = crawl(database, config)
    assert second["new"] == 0 and second["changed"] == 0
    assert second["unchanged"] == first["new"]
    conditional = [r for r in demo_server.log if "If-None-Match" in r["headers"]]
    assert len(conditional) == first["new"]
    assert {r["url"]: r["html"] for r in database["page_html"].rows} == html_before
    assert database["pages"].count == len({r["url"] for r in database["pages"].rows})
    outcomes = Counter(r["outcome"] for r in database["pages"].rows)
    assert outcomes["unchanged"] == first["new"] and outcomes["ok"] == 0


def test_changed_page_is_downloaded_again(serve, make_config, database):
    version = {"v": 1}

    async def handler(request):
        body = f"<html><body><p>version {version['v']}</p></body></html>"
        return web.Response(text=body, content_type="text/html", headers={"ETag": f'"v{version["v"]}"'})

    server = serve(handler)
    _, config = make_config(server.url, respect_robots="false")
    crawl(database, config)
    version["v"] = 2
    summary = crawl(database, config)
    assert summary["changed"] == 1
    row = database["pages"].get(server.url + "/")
    assert row["etag"] == '"v2"' and row["outcome"] == "ok"


def test_max_pages(demo_server, make_config, database):
    _, config = make_config(demo_server.url, max_pages=7)
    crawl(database, config)
    assert database["pages"].count == 7


def test_max_depth_zero_fetches_only_start(demo_server, make_config, database):
    _, config = make_config(demo_server.url, max_depth=0, use_robots_sitemaps="false")
    crawl(database, config)
    assert [r["url"] for r in database["pages"].rows] == [demo_server.url + "/"]


def test_robots_sitemap_lines_are_followed(demo_server, demo_site, make_config, database):
    _, config = make_config(demo_server.url, max_depth=0)
    crawl(database, config)
    assert demo_server.hits("/sitemap.xml") == 1
    ok = {r["url"] for r in database["pages"].rows if r["outcome"] == "ok"}
    assert article_urls(demo_server, demo_site) <= ok


def test_killed_crawl_resumes_without_duplicates_or_losses(tmp_path):
    """SIGKILL a real `pipeline crawl` mid-run, start it again, compare with the site."""
    site = DemoSite(150)
    server = ServerThread(site_handler(site)).start()

    try:
        config = tmp_path / "sources.yaml"
        config.write_text(
            "sources:\n  - name: demo\n"
            f'    start_urls: ["{server.url}/"]\n    sitemaps: ["{server.url}/sitemap.xml"]\n'
            "    allow_private_addresses: true\n    requests_per_second: 60\n    concurrency: 2\n"
        )
        db = tmp_path / "kill.db"
        args = [sys.executable, "-m", "pipeline", "--db", str(db), "--config", str(config), "crawl", "--json"]
        kills = 0
        for delay in (0.8, 1.1, 0.9):
            proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            time.sleep(delay)
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
            proc.wait()
        assert kills >= 2
        final = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert final.returncode == 0, final.stderr
        summary = json.loads(final.stdout)
        assert summary["resumed"] is True
    finally:
        server.stop()
    database = open_db(db)
    urls = [r["url"] for r in database["pages"].rows]
    assert len(urls) == len(set(urls))
    ok = {r["url"] for r in database["pages"].rows if r["outcome"] == "ok"}
    assert {server.url + p for p in site.article_paths()} <= ok
    assert database["page_html"].count == len(ok)
    runs = list(database["crawl_runs"].rows)
    assert len(runs) == 1 and runs[0]["status"] == "completed"
    assert database.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_second_run_while_locked_exits_3(tmp_path, demo_server):
    db = tmp_path / "locked.db"
    with run_lock(db):
        result = run_cli("--db", db, "crawl", env={"DEMO_URL": demo_server.url})
    assert result.returncode == 3
    assert "another pipeline run is using" in result.stderr
    assert demo_server.log == []


def test_run_where_everything_fails_exits_1(tmp_path, serve, make_config):
    async def handler(request):
        return web.Response(status=404, text="gone")

    server = serve(handler)
    config_path, _ = make_config(server.url, respect_robots="false")
    result = run_cli("--db", tmp_path / "f.db", "--config", config_path, "crawl")
    assert result.returncode == 1
    assert "every one of the 1 pages this run tried failed" in result.stderr
    assert "1 failed (not found: 1)" in result.stdout


def test_unreachable_site_exits_1(tmp_path, make_config):
    from pipeline.demo.server import free_port

    config_path, _ = make_config(f"http://127.0.0.1:{free_port()}")
    result = run_cli("--db", tmp_path / "down.db", "--config", config_path, "crawl")
    assert result.returncode == 1
    assert "blocked: 1" in result.stderr  # robots.txt unreachable: RFC 9309 says assume all disallowed


def test_cli_summary_line_and_json(tmp_path, demo_server, make_config):
    config_path, _ = make_config(demo_server.url)
    line = run_cli("--db", tmp_path / "c.db", "--config", config_path, "crawl")
    assert line.returncode == 0, line.stderr
    assert line.stdout.count("\n") == 1 and line.stdout.startswith("crawl run 1: ")
    assert "\r" not in line.stderr  # no progress bar without a terminal
    again = run_cli("--db", tmp_path / "c.db", "--config", config_path, "crawl", "--json")
    summary = json.loads(again.stdout)
    assert summary["run_id"] == 2 and summary["new"] == 0 and summary["unchanged"] > 0

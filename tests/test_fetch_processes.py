"""Crawling with fetch processes (``crawl --processes N``): the same database
as one process, politeness per host, and no orphans or losses when a worker
or the crawl itself is killed."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from aiohttp import web

from pipeline.crawl import CrawlOptions, crawl
from pipeline.db import decompress_html, open_db
from pipeline.fetch_worker import ProcessFetchPool

from conftest import ROOT


def proc_state(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process from /proc, or None if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[0], int(fields[1])


def alive(pid: int) -> bool:
    state = proc_state(pid)
    return state is not None and state[0] != "Z"


def worker_pids(parent: int) -> list[int]:
    """Live fetch processes whose parent is ``parent``."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        state = proc_state(pid)
        if state is not None and state[1] == parent and alive(pid) and b"pipeline.fetch_worker" in cmdline:
            pids.append(pid)
    return pids


def stored(database) -> dict:
    pages = {r["url"]: (r["outcome"], r["status_code"], r["content_hash"], r["canonical_link"], r["final_url"])
             for r in database["pages"].rows}
    html = {r["url"]: decompress_html(r["html"]) for r in database["page_html"].rows}
    return {"pages": pages, "html": html}


def slow_site(pages: int, delay: float):
    """A home page linking to ``pages`` pages that each take ``delay`` seconds."""

    async def handler(request):
        if request.path == "/":
            links = "".join(f'<a href="/p{i}">page {i}</a>' for i in range(pages))
            return web.Response(text=f"<html><body>{links}</body></html>", content_type="text/html")
        if request.path.startswith("/p"):
            await asyncio.sleep(delay)
            return web.Response(text=f"<html><body><p>{request.path} text</p></body></html>", content_type="text/html")
        return web.Response(status=404)

    return handler


def test_two_processes_store_what_one_process_stores(demo_server, demo_site, make_config, tmp_path):
    _, config = make_config(demo_server.url, sitemaps=f'["{demo_server.url}/sitemap.xml"]')
    one = open_db(tmp_path / "one.db")
    crawl(one, config, options=CrawlOptions(fetch_processes=1))
    demo_server.log.clear()
    two = open_db(tmp_path / "two.db")
    summary = crawl(two, config, options=CrawlOptions(fetch_processes=2))
    assert stored(two) == stored(one)
    assert len(stored(two)["html"]) >= len(demo_site.article_paths())
    # Every article fetched once, however the jobs were spread.
    for path in demo_site.article_paths():
        assert demo_server.hits(path) == 1
    assert summary["new"] == one["crawl_runs"].get(1)["new"]
    assert summary["failed"] == one["crawl_runs"].get(1)["failed"]
    assert two["crawl_runs"].get(summary["run_id"])["status"] == "completed"
    # A re-run in processes still sends conditional requests only.
    demo_server.log.clear()
    again = crawl(two, config, options=CrawlOptions(fetch_processes=2))
    assert again["new"] == 0 and again["changed"] == 0 and again["unchanged"] == summary["new"]
    assert stored(two)["html"] == stored(one)["html"]


def test_a_polite_crawl_gives_each_host_to_one_process():
    pool = ProcessFetchPool(3, [], {"polite": True, "global_concurrency": 6})
    for host in ("a.example", "b.example", "c.example", "d.example"):
        chosen = {pool.choose(f"https://{host}/page-{i}").index for i in range(20)}
        assert len(chosen) == 1, f"{host} was spread over processes {chosen}"
    spread = {pool.choose(f"https://host{i}.example/").index for i in range(30)}
    assert spread == {0, 1, 2}


def test_a_killed_fetch_process_fails_only_its_jobs_and_is_replaced(serve, make_config, database):
    server = serve(slow_site(30, 0.4))
    _, config = make_config(server.url, respect_robots="false")
    result: dict = {}
    thread = threading.Thread(target=lambda: result.update(
        summary=crawl(database, config, options=CrawlOptions(fetch_processes=2, global_concurrency=8))))
    thread.start()
    deadline = time.monotonic() + 20
    while sum(1 for r in server.log if r["path"].startswith("/p")) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    victims = worker_pids(os.getpid())
    assert len(victims) == 2
    os.kill(victims[0], signal.SIGKILL)
    thread.join(60)
    assert not thread.is_alive()
    summary = result["summary"]
    rows = {r["url"]: r for r in database["pages"].rows}
    died = [r for r in rows.values() if r["reason"] == "internal error" and "FetchProcessDied" in (r["detail"] or "")]
    ok = [r for r in rows.values() if r["outcome"] == "ok"]
    assert died, "the killed process held jobs, and they are recorded against their pages"
    assert len(died) + len(ok) == 31 and summary["failed"] == len(died)
    assert database["crawl_runs"].get(summary["run_id"])["status"] == "completed"
    # The next run fetches what the dead process lost.
    again = crawl(database, config, options=CrawlOptions(fetch_processes=2, global_concurrency=8))
    assert again["failed"] == 0
    assert all(r["outcome"] in ("ok", "unchanged") for r in database["pages"].rows)
    assert database["pages"].count == 31
    assert worker_pids(os.getpid()) == []


def test_sigkilled_crawl_takes_its_fetch_processes_with_it_and_resumes(tmp_path, serve):
    server = serve(slow_site(40, 0.3))
    config = tmp_path / "sources.yaml"
    config.write_text("sources:\n  - name: slow\n"
                      f'    start_urls: ["{server.url}/"]\n    allow_private_addresses: true\n'
                      "    respect_robots: false\n    requests_per_second: 500\n    concurrency: 8\n")
    db = tmp_path / "kill.db"
    args = [sys.executable, "-m", "pipeline", "--db", str(db), "--config", str(config),
            "crawl", "--processes", "2", "--json"]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while sum(1 for r in server.log if r["path"].startswith("/p")) < 6 and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = worker_pids(proc.pid)
    assert len(workers) == 2
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers), "fetch processes outlived the crawl"
    final = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert final.returncode == 0, final.stderr
    assert json.loads(final.stdout)["resumed"] is True
    database = open_db(db)
    urls = [r["url"] for r in database["pages"].rows]
    assert len(urls) == len(set(urls)) == 41
    assert all(r["outcome"] == "ok" for r in database["pages"].rows)
    assert database.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

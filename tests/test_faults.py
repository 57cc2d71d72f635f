"""A hostile web, served on 127.0.0.1: every fault at once, one real crawl
(the CLI, as cron runs it), then what became of each page."""

import asyncio
import gzip
import json
import os
import resource
import subprocess
import sys

import pytest
from aiohttp import web

from pipeline.db import open_db

from conftest import ROOT, RecordingServer

GOOD = 6
ARTICLE = ("<html><head><title>How To Treat Shin Splints {n}</title></head><body><article><h1>How To Treat Shin Splints {n}</h1>"
           + "<p>Shin splints hurt along the inner edge of the shin bone after running, and most cases heal with rest.</p>" * 6
           + "<p>Here are some treatments to try:</p><ol><li><strong>Rest your legs.</strong> Take a week off running.</li>"
           "<li><strong>Ice the shins.</strong> Ten minutes after activity.</li></ol></article></body></html>")

FAULTS = {
    "/e500": ("failed", "HTTP 500"),
    "/e503-retry-after": ("failed", "HTTP 503"),
    "/e429-then-ok": ("ok", None),
    "/trickle": ("failed", "timeout"),
    "/reset-mid-body": ("failed", "connection_error"),
    "/wrong-content-length": ("failed", "connection_error"),
    "/gzip-truncated": ("failed", "truncated gzip body"),
    "/gzip-corrupt": ("failed", "bad content encoding"),
    "/huge": ("skipped", "too large"),
    "/gzip-bomb": ("skipped", "too large"),
    "/loop-a": ("redirect", None),
    "/chain/0": ("redirect", None),
    "/to-foreign-host": ("skipped", "redirect to another host"),
    "/to-private": ("skipped", "redirect to another host"),
    "/to-link-local": ("skipped", "redirect to another host"),
    "/to-ftp": ("skipped", "redirect to a non-web URL"),
    "/invalid-utf8": ("ok", None),
    "/binary-as-html": ("ok", None),
    "/deeply-nested": ("ok", None),
    "/malformed": ("ok", None),
}


def make_handler(state):
    async def handler(request):
        path = request.path
        base = f"http://{request.host}"
        if path == "/robots.txt":
            return web.Response(text="User-agent: *\nAllow: /\n")
        if path == "/":
            links = "".join(f'<a href="{p}">{p}</a>' for p in FAULTS) + "".join(f'<a href="/good/{n}">g</a>' for n in range(GOOD))
            return web.Response(text=f"<html><body>{links}</body></html>", content_type="text/html")
        if path.startswith("/good/"):
            return web.Response(text=ARTICLE.format(n=path[6:]), content_type="text/html")
        if path == "/e500":
            return web.Response(status=500)
        if path == "/e503-retry-after":
            return web.Response(status=503, headers={"Retry-After": "1"})
        if path == "/e429-then-ok":
            state["429"] = state.get("429", 0) + 1
            if state["429"] == 1:
                return web.Response(status=429, headers={"Retry-After": "0"})
            return web.Response(text=ARTICLE.format(n="429"), content_type="text/html")
        if path == "/trickle":
            response = web.StreamResponse(headers={"Content-Type": "text/html"})
            await response.prepare(request)
            try:
                for _ in range(30):
                    await response.write(b"<p>slow</p>")
                    await asyncio.sleep(0.2)
            except (ConnectionResetError, RuntimeError):
                pass
            return response
        if path in ("/reset-mid-body", "/wrong-content-length"):
            headers = {"Content-Type": "text/html"}
            if path == "/wrong-content-length":
                headers["Content-Length"] = "50000"
            response = web.StreamResponse(headers=headers)
            await response.prepare(request)
            await response.write(b"<html><body><p>half a page")
            request.transport.close()
            return response
        if path == "/gzip-truncated":
            body = gzip.compress(ARTICLE.format(n="gz").encode() * 20)
            return web.Response(body=body[: len(body) // 2], headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
        if path == "/gzip-corrupt":
            return web.Response(body=b"\x1f\x8b\x08\x00garbage-not-deflate" * 10,
                                headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
        if path == "/huge":
            response = web.StreamResponse(headers={"Content-Type": "text/html"})
            response.enable_chunked_encoding()
            await response.prepare(request)
            try:
                for _ in range(200):
                    await response.write(b"x" * 100_000)
            except (ConnectionResetError, RuntimeError):
                pass
            return response
        if path == "/gzip-bomb":
            return web.Response(body=state["bomb"], headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
        if path == "/loop-a":
            raise web.HTTPFound("/loop-b")
        if path == "/loop-b":
            raise web.HTTPFound("/loop-a")
        if path.startswith("/chain/"):
            raise web.HTTPFound(f"/chain/{int(path[7:]) + 1}")
        if path == "/to-foreign-host":
            raise web.HTTPFound(f"http://127.0.0.2:{request.url.port}/elsewhere")
        if path == "/to-private":
            raise web.HTTPFound("http://10.0.0.1/admin")
        if path == "/to-link-local":
            raise web.HTTPFound("http://169.254.169.254/latest/meta-data/")
        if path == "/to-ftp":
            raise web.HTTPFound("ftp://127.0.0.1/file.txt")
        if path == "/invalid-utf8":
            body = ARTICLE.format(n="utf").encode().replace(b"Shin splints hurt", b"Shin \xff\xfe splints hurt")
            return web.Response(body=body, headers={"Content-Type": "text/html; charset=utf-8"})
        if path == "/binary-as-html":
            return web.Response(body=bytes(range(256)) * 64, headers={"Content-Type": "text/html"})
        if path == "/deeply-nested":
            return web.Response(text="<html><body>" + "<div>" * 20000 + "deep" + "</div>" * 20000, content_type="text/html")
        if path == "/malformed":
            return web.Response(text="<html><body><p <<div>> </td></tr><table><li>" * 200, content_type="text/html")
        if path == "/sitemap-xxe.xml":
            return web.Response(text=f"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "{base}/secret">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&xxe;</loc></url>
<url><loc>{base}/good/0</loc></url></urlset>""", content_type="application/xml")
        if path == "/sitemap-laughs.xml":
            entities = '<!ENTITY lol "lol">' + "".join(
                f'<!ENTITY lol{k} "{("&lol" + (str(k - 1) if k > 1 else "") + ";") * 10}">' for k in range(1, 10))
            return web.Response(text=f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]><urlset><url><loc>&lol9;</loc></url></urlset>',
                                content_type="application/xml")
        if path == "/sitemap-million.xml.gz":
            return web.Response(body=state["million"], content_type="application/gzip")
        return web.Response(status=404, text="not found")

    return handler


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    state = {"bomb": gzip.compress(b" " * 30_000_000)}
    server = RecordingServer(make_handler(state)).start()
    base = server.url
    own = "".join(f"<url><loc>{base}/good/{n}</loc></url>" for n in range(GOOD))
    foreign = "".join(f"<url><loc>https://foreign{k % 97}.example/page/{k}</loc></url>" for k in range(1_000_000))
    state["million"] = gzip.compress(f"<urlset>{own}{foreign}</urlset>".encode(), 6)
    folder = tmp_path_factory.mktemp("hostile")
    config = folder / "sources.yaml"
    config.write_text(
        "sources:\n  - name: hostile\n"
        f'    start_urls: ["{base}/"]\n'
        f'    sitemaps: ["{base}/sitemap-xxe.xml", "{base}/sitemap-laughs.xml", "{base}/sitemap-million.xml.gz"]\n'
        "    allowed_hosts: [127.0.0.1]\n    allow_private_addresses: true\n    requests_per_second: 200\n"
        "    concurrency: 8\n    max_retries: 1\n    timeout_seconds: 1.5\n    max_bytes: 1000000\n"
        "    max_redirects: 3\n    max_pages: 200\n")
    db = folder / "hostile.db"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run([sys.executable, "-m", "pipeline", "--db", str(db), "--config", str(config), "crawl", "--json"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    extract = subprocess.run([sys.executable, "-m", "pipeline", "--db", str(db), "--config", str(config), "extract", "--json"],
                             cwd=ROOT, capture_output=True, text=True, timeout=300)
    peak_mb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    server.stop()
    database = open_db(db)
    yield {"crawl": result, "extract": extract, "db": database, "server": server, "peak_mb": peak_mb, "base": base}
    database.close()


def test_run_finishes_with_exit_0_and_a_summary(hostile_run):
    result = hostile_run["crawl"]
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["failed"] >= 6 and summary["skipped"] >= 6 and summary["redirected"] >= 2
    assert sum(summary["failed_by_reason"].values()) == summary["failed"]
    assert hostile_run["extract"].returncode == 0, hostile_run["extract"].stderr


@pytest.mark.parametrize("path", sorted(FAULTS))
def test_each_fault_is_recorded_with_its_reason(hostile_run, path):
    outcome, reason = FAULTS[path]
    row = hostile_run["db"]["pages"].get(hostile_run["base"] + path)
    assert row["outcome"] == outcome, (path, row["outcome"], row["reason"])
    if reason:
        assert reason in (row["reason"] or ""), (path, row["reason"])
    if outcome in ("failed", "skipped"):
        assert row["reason"]


def test_every_good_page_is_stored_and_extracted(hostile_run):
    db = hostile_run["db"]
    for n in range(GOOD):
        url = f"{hostile_run['base']}/good/{n}"
        assert db["pages"].get(url)["outcome"] == "ok"
        assert db["extractions"].get(url)["status"] == "article"
        names = [r[0] for r in db.conn.execute("SELECT name FROM treatments WHERE article_url = ?", (url,))]
        assert names == ["Rest your legs", "Ice the shins"]


def test_bad_bodies_are_recorded_by_extraction(hostile_run):
    db = hostile_run["db"]
    base = hostile_run["base"]
    assert db["extractions"].get(base + "/binary-as-html")["reason"] == "binary content, not HTML"
    assert db["extractions"].get(base + "/deeply-nested")["status"] in ("not_article", "failed")
    assert db["extractions"].get(base + "/invalid-utf8")["status"] == "article"


def test_redirect_targets_elsewhere_are_never_contacted(hostile_run):
    server = hostile_run["server"]
    paths = [r["path"] for r in server.log]
    assert "/secret" not in paths  # the XML external entity was not resolved
    assert server.hits("/loop-a") == 1 and server.hits("/loop-b") == 1
    assert server.hits("/chain/3") == 1 and server.hits("/chain/4") == 0
    hosts = {r["headers"].get("Host", "").split(":")[0] for r in server.log}
    assert hosts == {"127.0.0.1"}


def test_sitemaps_cannot_bring_in_foreign_hosts_or_blow_up(hostile_run):
    db = hostile_run["db"]
    foreign = db.conn.execute("SELECT count(*) FROM frontier WHERE url LIKE '%.example/%'").fetchone()[0]
    assert foreign == 0
    assert db.conn.execute("SELECT count(*) FROM frontier").fetchone()[0] < 300
    assert db.conn.execute("SELECT count(*) FROM frontier WHERE url LIKE '%lol%'").fetchone()[0] == 0


def test_memory_stays_bounded(hostile_run):
    # A 20 MB stream, a 30 MB gzip bomb and a 70 MB million-URL sitemap were
    # all served; the crawl process stays far below their sum.
    assert hostile_run["peak_mb"] < 400, hostile_run["peak_mb"]

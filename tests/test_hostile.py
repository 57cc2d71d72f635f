"""The crawler against a hostile server on 127.0.0.1 (pipeline/demo/hostile.py):
each defect of issue 12 that a site could trigger, as a regression test."""

import asyncio
import json
import resource
import subprocess
import sys
import time

import pytest

from pipeline.crawl import CrawlOptions, crawl
from pipeline.demo.hostile import (HOSTILE, MULTI_MEMBER_PARTS, RawServer, article, hostile_handler, html, response,
                                   sitemap_handler)
from pipeline.demo.server import free_port
from pipeline.fetch import Fetcher, address_problem
from pipeline.http import ContentDecoder, TooLarge
from pipeline.sources import parse_config

from conftest import ROOT


def config_for(url: str, name: str = "site", **keys):
    lines = [f"  - name: {name}", f'    start_urls: ["{url}/"]', "    allow_private_addresses: true",
             "    requests_per_second: 500", "    concurrency: 4", "    max_retries: 1", "    timeout_seconds: 5",
             "    max_bytes: 1000000"]
    for key, value in keys.items():
        lines = [line for line in lines if not line.strip().startswith(f"{key}:")]
        lines.append(f"    {key}: {value}")
    return parse_config("sources:\n" + "\n".join(lines) + "\n", "s.yaml")


@pytest.fixture
def raw_server(serve):
    return lambda handler, host="127.0.0.1": serve(handler, host=host, kind=RawServer)


def rows_by_path(database, base):
    return {r["url"][len(base):]: r for r in database["pages"].rows if r["url"].startswith(base)}


# -- responses ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    """Every misbehaviour of HOSTILE crawled once by the real CLI, in its own
    process, so its peak memory is its own."""
    state: dict = {}
    server = RawServer(hostile_handler(state)).start()
    folder = tmp_path_factory.mktemp("hostile")
    config = folder / "sources.yaml"
    config.write_text(f'sources:\n  - name: hostile\n    start_urls: ["{server.url}/"]\n'
                      "    allow_private_addresses: true\n    requests_per_second: 500\n    concurrency: 4\n"
                      "    max_retries: 0\n    timeout_seconds: 10\n    max_bytes: 1000000\n")
    db = folder / "hostile.db"
    # VmHWM, the process's own peak: ru_maxrss would carry over pytest's size from before the exec.
    code = ("import re, sys; from pipeline.cli import main; import atexit; "
            "atexit.register(lambda: print('PEAK', int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())"
            "[1]) // 1024, file=sys.stderr)); sys.argv = ['pipeline'] + sys.argv[1:]; main()")
    runs = []
    for _ in range(2):  # the second run sends the stored validators back
        runs.append(subprocess.run([sys.executable, "-c", code, "--db", str(db), "--config", str(config), "crawl",
                                    "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120))
    from pipeline.db import open_db

    database = open_db(db)
    yield {"runs": runs, "db": database, "server": server}
    database.close()
    server.stop()


def test_hostile_runs_finish_with_exit_0_and_bounded_memory(hostile_crawl):
    for run in hostile_crawl["runs"]:
        assert run.returncode == 0, run.stderr[-2000:]
        peak = int(run.stderr.split("PEAK")[-1].split()[0])
        # A few kilobytes of "gzip, gzip" decode to 1 GB and a deflate body to 256 MB; the crawl reads 1 MB of each.
        assert peak < 250, peak


@pytest.mark.parametrize("path", sorted(HOSTILE))
def test_each_misbehaviour_is_recorded_as_the_servers_fault(hostile_crawl, path):
    outcome, reason = HOSTILE[path]
    base = hostile_crawl["server"].url
    row = hostile_crawl["db"]["pages"].get(base + path)
    first = json.loads(hostile_crawl["runs"][0].stdout)
    assert first["failed_by_reason"].get("internal error") is None, first["failed_by_reason"]
    if outcome == "ok":
        assert row["outcome"] in ("ok", "unchanged"), (path, row["outcome"], row["reason"], row["detail"])
    else:
        assert (row["outcome"], row["reason"]) == (outcome, reason), (path, row["outcome"], row["reason"], row["detail"])


def test_multi_member_gzip_is_read_whole(hostile_crawl):
    from pipeline.db import page_html

    text = page_html(hostile_crawl["db"], hostile_crawl["server"].url + "/multi-member-gzip")
    assert all(part in text for part in MULTI_MEMBER_PARTS) and text.rstrip().endswith("</html>")


def test_non_ascii_validators_are_sent_back_as_received(hostile_crawl):
    server, database = hostile_crawl["server"], hostile_crawl["db"]
    utf8 = [r for r in server.log if r.path == "/etag-utf8"]
    assert len(utf8) == 2 and utf8[1].headers["if-none-match"] == '"caf\u00e9-1"'.encode()
    assert database["pages"].get(server.url + "/etag-utf8")["outcome"] == "unchanged"
    assert database["pages"].get(server.url + "/etag-utf8")["reason"] == "not modified"
    # Bytes that are not UTF-8 cannot be sent back as they came: the page is fetched whole, never failed.
    assert database["pages"].get(server.url + "/etag-latin1")["outcome"] == "unchanged"
    assert database["pages"].get(server.url + "/etag-latin1")["reason"] == "same content"


def test_decoder_caps_every_layer():
    bomb = __import__("pipeline.demo.hostile", fromlist=["x"]).stacked_gzip_bomb(64)
    decoder = ContentDecoder(["gzip", "gzip"], max_bytes=1_000_000)
    with pytest.raises(TooLarge):
        decoder.feed(bomb)
    assert decoder.layers[-1].produced <= 1_000_001


# -- robots.txt -----------------------------------------------------------------------------


def test_robots_is_per_origin_a_dead_port_does_not_block_a_live_one(raw_server, database):
    live = raw_server(lambda r: html(article("Live")) if r.path != "/robots.txt" else response(404))
    dead_port = free_port()
    config = parse_config(
        "sources:\n  - name: two\n"
        f'    start_urls: ["http://127.0.0.1:{dead_port}/", "{live.url}/"]\n'
        "    allow_private_addresses: true\n    requests_per_second: 500\n    max_retries: 0\n    timeout_seconds: 3\n"
        "    max_depth: 0\n", "s.yaml")
    crawl(database, config)
    rows = {r["url"]: r for r in database["pages"].rows}
    assert rows[live.url + "/"]["outcome"] == "ok"
    dead = rows[f"http://127.0.0.1:{dead_port}/"]
    assert (dead["outcome"], dead["reason"]) == ("blocked", "robots.txt unavailable")
    assert "connection refused" in dead["detail"]


def test_robots_redirect_to_another_host_is_not_followed(raw_server, database):
    other = raw_server(lambda r: response(200, b"User-agent: *\nDisallow: /\n"), host="127.0.0.2")

    def handle(request):
        if request.path == "/robots.txt":
            return response(302, b"", [("Location", f"{other.url}/robots.txt")])
        return html(article("Allowed"))

    server = raw_server(handle)
    crawl(database, config_for(server.url, max_depth=0))
    assert other.log == []
    assert database["pages"].get(server.url + "/")["outcome"] == "ok"


def test_crawl_delay_over_the_cap_skips_the_host_for_the_run(raw_server, database):
    def handle(request):
        if request.path == "/robots.txt":
            return response(200, b"User-agent: *\nCrawl-delay: 3600\n")
        return html(article("Slow"))

    server = raw_server(handle)
    started = time.monotonic()
    summary = crawl(database, config_for(server.url, requests_per_second=1, max_crawl_delay=30))
    assert time.monotonic() - started < 10
    assert [r.path for r in server.log] == ["/robots.txt"]
    assert summary["deferred"] == 1 and summary["deferred_by_reason"] == {"Crawl-delay too long": 1}
    assert database["pages"].count == 0  # nothing recorded as failed: the next run tries again


def test_retry_after_over_the_cap_skips_the_host_for_the_run(raw_server, database):
    def handle(request):
        if request.path == "/":
            return html(b"".join(f'<a href="/p{i}">p</a>'.encode() for i in range(20)))
        if request.path == "/p0":
            return response(503, b"later", [("Retry-After", "86400")])
        return html(article(request.path))

    server = raw_server(handle)
    started = time.monotonic()
    summary = crawl(database, config_for(server.url, respect_robots="false", concurrency=1, max_retries=3),
                    options=CrawlOptions(global_concurrency=1))
    assert time.monotonic() - started < 15
    assert server.hits("/p0") == 1  # not retried for a day
    row = database["pages"].get(server.url + "/p0")
    assert (row["outcome"], row["reason"]) == ("failed", "server error") and "86400" in row["detail"]
    assert summary["deferred_by_reason"].get("Retry-After too long", 0) >= 1
    assert summary["deferred"] + summary["fetched"] == 21


# -- time budgets ---------------------------------------------------------------------------


def test_host_and_run_time_budgets_defer_what_is_left(raw_server, database, tmp_path):
    def handle(request):
        if request.path == "/":
            return html(b"".join(f'<a href="/p{i}">p</a>'.encode() for i in range(100)))
        return html(article(request.path))

    server = raw_server(handle)
    summary = crawl(database, config_for(server.url, respect_robots="false", requests_per_second=10, concurrency=1,
                                         max_host_seconds=1))
    assert 5 <= summary["fetched"] <= 20, summary
    assert summary["deferred_by_reason"] == {"host time budget spent": summary["deferred"]}
    # The next run takes the deferred pages first (never fetched go first).
    from pipeline.db import open_db

    second = open_db(tmp_path / "run-budget.db")
    started = time.monotonic()
    summary = crawl(second, config_for(server.url, respect_robots="false", requests_per_second=10, concurrency=1),
                    options=CrawlOptions(max_seconds=1.0))
    assert time.monotonic() - started < 5
    assert summary["deferred_by_reason"] == {"run time budget spent": summary["deferred"]} and summary["deferred"] > 50


# -- sitemaps -------------------------------------------------------------------------------


def sitemap_config(server, sitemap: str, **keys):
    keys.setdefault("use_robots_sitemaps", "false")
    keys.setdefault("max_depth", 0)
    text = ("sources:\n  - name: maps\n"
            f'    sitemaps: ["{server.url}{sitemap}"]\n    allow_private_addresses: true\n'
            "    requests_per_second: 1000\n    concurrency: 4\n    max_retries: 0\n"
            + "".join(f"    {k}: {v}\n" for k, v in keys.items()))
    return parse_config(text, "s.yaml")


@pytest.fixture
def sitemap_server(raw_server):
    holder = {}
    server = raw_server(sitemap_handler(lambda request: holder["base"]))
    holder["base"] = server.url
    return server


def test_a_redirecting_sitemap_is_followed_within_the_site(sitemap_server, database):
    summary = crawl(database, sitemap_config(sitemap_server, "/sitemap.xml"))
    assert summary["new"] == 5 and summary["sitemaps_failed"] == 0
    assert sitemap_server.hits("/sitemap_index.xml") == 1 and sitemap_server.hits("/sitemap-pages.xml") == 1


def test_a_sitemap_redirect_to_another_host_is_not_followed(sitemap_server, database):
    summary = crawl(database, sitemap_config(sitemap_server, "/offsite.xml"))
    assert summary["sitemaps_failed_by_reason"] == {"redirect to another host": 1}


def test_endless_and_wide_sitemap_indexes_end(sitemap_server, database, tmp_path):
    started = time.monotonic()
    crawl(database, sitemap_config(sitemap_server, "/chain/0.xml", max_pages=5))
    chain = sum(1 for r in sitemap_server.log if r.path.startswith("/chain/"))
    assert chain <= 1 + 2 + 4 + 8  # an index of indexes of indexes: three levels deep at most
    from pipeline.db import open_db

    wide_db = open_db(tmp_path / "wide.db")
    summary = crawl(wide_db, sitemap_config(sitemap_server, "/wide.xml", max_pages=5, max_sitemaps=20))
    wide = sum(1 for r in sitemap_server.log if r.path.startswith("/wide"))
    listed = wide_db.conn.execute("SELECT count(*) FROM frontier WHERE kind = 'sitemap'").fetchone()[0]
    assert wide == 20 and summary["deferred_by_reason"] == {"sitemap budget spent": listed - 20}
    assert listed > 900  # the index's first 1,000 entries were read (2 x max_pages, at least 1,000)
    assert time.monotonic() - started < 20


def test_unclosed_locs_parse_in_linear_time_on_every_run(sitemap_server, database):
    for _ in range(2):  # the first run and the next one
        started = time.monotonic()
        crawl(database, sitemap_config(sitemap_server, "/unclosed.xml"))
        assert time.monotonic() - started < 5


def test_sitemap_parsing_does_not_stall_other_fetches(sitemap_server):
    """While a large sitemap is parsed (in a thread), the event loop goes on."""
    from pipeline.discover import parse_sitemap

    big = b"<urlset>" + b"".join(b"<url><loc>http://127.0.0.1/p/%d</loc></url>" % i for i in range(400_000)) + b"</urlset>"

    async def go():
        ticks = []

        async def ticker():
            while True:
                await asyncio.sleep(0.005)
                ticks.append(time.monotonic())

        task = asyncio.create_task(ticker())
        started = time.monotonic()
        kind, urls, _ = await asyncio.to_thread(parse_sitemap, big, 1_000_000)
        took = time.monotonic() - started
        task.cancel()
        return len(urls), [b - a for a, b in zip(ticks, ticks[1:])], took

    count, gaps, took = asyncio.run(go())
    assert count == 400_000
    # On the loop itself the parse would be one gap as long as the parse.
    assert gaps and max(gaps) < took / 3, (max(gaps), took)


# -- max_pages and coverage over runs -------------------------------------------------------


def test_max_pages_does_not_starve_successive_runs_cover_the_site(raw_server, database):
    pages = {"n": 30}

    def handle(request):
        if request.path == "/":
            return html(b"".join(f'<a href="/p{i}">p</a>'.encode() for i in range(pages["n"])))
        return html(article(request.path))

    server = raw_server(handle)
    config = config_for(server.url, respect_robots="false", max_pages=11, concurrency=1)
    seen: set[str] = set()
    for _ in range(3):
        server.log.clear()
        crawl(database, config)
        seen |= {r.path for r in server.log}
    assert {f"/p{i}" for i in range(30)} <= seen  # three runs of 11 (home page included) cover the site
    pages["n"] = 31  # a new article: the next run reads the start page first, finds it and fetches it first
    server.log.clear()
    crawl(database, config)
    assert server.log[0].path == "/" and server.log[1].path == "/p30"


# -- addresses and connections --------------------------------------------------------------


@pytest.mark.parametrize("address, problem", [
    ("100.64.0.1", "shared (carrier-grade NAT) address 100.64.0.1"),
    ("100.127.255.254", "shared (carrier-grade NAT) address"),
    ("2002:7f00:1::1", "loopback address 127.0.0.1"),  # 6to4 wrapping 127.0.0.1
    ("2002:a00:1::1", "private address 10.0.0.1"),
    ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "private address 10.0.0.1"),  # Teredo client 10.0.0.1
    ("64:ff9b::a9fe:a9fe", "link-local address 169.254.169.254"),  # NAT64 of the metadata service
])
def test_ssrf_guard_sees_through_wrapped_and_shared_addresses(address, problem):
    found = address_problem(address, False)
    assert found and found.startswith(problem), found
    assert address_problem("100.128.0.1", False) is None  # just outside 100.64.0.0/10


def test_shared_address_hosts_are_never_contacted(database):
    config = parse_config('sources:\n  - name: cgnat\n    start_urls: ["http://100.64.0.1/"]\n', "s.yaml")
    summary = crawl(database, config)
    row = database["pages"].get("http://100.64.0.1/")
    assert (row["outcome"], row["reason"]) == ("skipped", "address refused") and summary["requests"] == 0


def test_connection_refused_is_recorded_as_refused(database):
    port = free_port()
    crawl(database, config_for(f"http://127.0.0.1:{port}", respect_robots="false", max_retries=0))
    row = database["pages"].get(f"http://127.0.0.1:{port}/")
    assert (row["outcome"], row["reason"]) == ("failed", "connection refused")


def test_httpx_transport_records_the_same_faults(raw_server):
    """The httpx transport maps its exceptions to the same typed reasons."""
    server = raw_server(hostile_handler({}))
    source = config_for(server.url, max_retries=0).sources[0]

    async def go(path):
        async with Fetcher(transport="httpx", backoff_base=0.01, private_hosts={"127.0.0.1"}) as fetcher:
            return await fetcher.fetch_page(server.url + path, source)

    for path in ("/huge-header", "/zstd-unasked", "/gzip-gzip-bomb", "/not-http"):
        result = asyncio.run(go(path))
        assert (str(result.outcome), str(result.reason)) == HOSTILE[path], (path, result)
    port = free_port()

    async def refused():
        async with Fetcher(transport="httpx", private_hosts={"127.0.0.1"}) as fetcher:
            return await fetcher.fetch_page(f"http://127.0.0.1:{port}/", config_for(f"http://127.0.0.1:{port}",
                                            respect_robots="false", max_retries=0).sources[0])

    assert str(asyncio.run(refused()).reason) == "connection refused"

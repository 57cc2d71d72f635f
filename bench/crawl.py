"""Crawl throughput on the demo site, against baselines measured in the same run.

    python bench/crawl.py [--sizes 2000,20000] [--concurrency 16]

For each size the demo site is served by its own process on 127.0.0.1 and
crawled from its sitemap with politeness off, storing everything (pages,
compressed HTML, frontier). In the same run, on the same server:

- ceiling: a bare aiohttp client GETting the same article URLs (no parsing,
  no storage): what the server and loopback allow at all;
- ours with ``--processes 2``: fetching and parsing in two worker processes,
  writing in the crawl's own (the server shares the same two cores);
- ours with httpx's own transport (httpcore), to show why we use aiohttp's;
- Scrapy's SitemapSpider with the same concurrency, if Scrapy is installed
  (``make bench`` installs it).

Each contender runs in a child process, so its peak memory (ru_maxrss) is
its own. Machines here are noisy: read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(articles: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.demo", "serve", "--articles", str(articles),
                             "--port", str(port), "--prerendered"], cwd=ROOT, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 900  # rendering 20,000 pages up front takes a couple of minutes
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, base
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("demo server did not start")


def run_child(mode: str, base: str, articles: int, concurrency: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, "--base", base, "--articles", str(articles),
                          "--concurrency", str(concurrency)], cwd=ROOT, capture_output=True, text=True, timeout=3600)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else f"exit {out.returncode}"}
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- children ---------------------------------------------------------------


def peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_ceiling(base: str, articles: int, concurrency: int) -> dict:
    import asyncio

    import aiohttp

    from pipeline.demo.site import DemoSite

    urls = [base + p for p in DemoSite(articles).article_paths()]

    async def go() -> int:
        queue: asyncio.Queue = asyncio.Queue()
        for u in urls:
            queue.put_nowait(u)
        done = 0
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
            async def worker():
                nonlocal done
                while not queue.empty():
                    url = queue.get_nowait()
                    async with session.get(url) as r:
                        await r.read()
                        done += r.status == 200

            await asyncio.gather(*(worker() for _ in range(concurrency)))
        return done

    started = time.perf_counter()
    pages = asyncio.run(go())
    return {"pages": pages, "seconds": time.perf_counter() - started, "peak_mb": peak_mb()}


def child_ours(base: str, articles: int, concurrency: int, transport: str, processes: int = 1) -> dict:
    from pipeline.crawl import CrawlOptions, crawl
    from pipeline.db import open_db
    from pipeline.sources import parse_config

    config = parse_config(
        "sources:\n  - name: demo\n"
        f'    sitemaps: ["{base}/sitemap.xml"]\n    allow_private_addresses: true\n'
        f"    max_pages: {articles + 10}\n    max_depth: 0\n    use_robots_sitemaps: false\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        database = open_db(Path(tmp) / "bench.db")
        started = time.perf_counter()
        summary = crawl(database, config, options=CrawlOptions(polite=False, global_concurrency=concurrency,
                                                               transport=transport, fetch_processes=processes))
        seconds = time.perf_counter() - started
        stored = database["page_html"].count
        size_mb = os.path.getsize(Path(tmp) / "bench.db") / 1e6
    peak = peak_mb()
    if processes > 1:
        import resource

        # ru_maxrss of the children is the largest one's: count it once per process (an upper bound).
        peak += processes * resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"pages": stored, "new": summary["new"], "seconds": seconds, "peak_mb": peak, "db_mb": size_mb}


SCRAPY_SPIDER = '''
import time, json, resource, sys
from scrapy.crawler import CrawlerProcess
from scrapy.spiders import SitemapSpider
count = {"n": 0}
class Bench(SitemapSpider):
    name = "bench"
    sitemap_urls = [sys.argv[1] + "/sitemap.xml"]
    def parse(self, response):
        count["n"] += 1
        yield {"url": response.url, "size": len(response.body)}
process = CrawlerProcess(settings={
    "CONCURRENT_REQUESTS": int(sys.argv[2]), "CONCURRENT_REQUESTS_PER_DOMAIN": int(sys.argv[2]),
    "ROBOTSTXT_OBEY": False, "LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "COOKIES_ENABLED": False,
})
process.crawl(Bench)
started = time.perf_counter()
process.start()
print(json.dumps({"pages": count["n"], "seconds": time.perf_counter() - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
'''


def child_scrapy(base: str, concurrency: int) -> dict:
    import importlib.util

    if importlib.util.find_spec("scrapy") is None:
        raise SystemExit("scrapy is not installed (make bench installs it)")
    # Scrapy inspects the spider's source, so it must live in a file.
    with tempfile.NamedTemporaryFile("w", suffix="_spider.py", delete=False) as handle:
        handle.write(SCRAPY_SPIDER)
    try:
        out = subprocess.run([sys.executable, handle.name, base, str(concurrency)], capture_output=True,
                             text=True, timeout=3600)
    finally:
        os.unlink(handle.name)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-500:])
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- main -------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--child")
    parser.add_argument("--base")
    parser.add_argument("--articles", type=int)
    args = parser.parse_args()
    if args.child:
        if args.child == "ceiling":
            result = child_ceiling(args.base, args.articles, args.concurrency)
        elif args.child == "ours-processes":
            result = child_ours(args.base, args.articles, args.concurrency, "aiohttp", processes=2)
        elif args.child.startswith("ours-"):
            result = child_ours(args.base, args.articles, args.concurrency, args.child[5:])
        else:
            result = child_scrapy(args.base, args.concurrency)
        print(json.dumps(result))
        return

    print(f"crawl benchmark: demo site from its sitemap, concurrency {args.concurrency}, politeness off, "
          f"{os.cpu_count()} cores\n")
    header = f"{'pages':>7}  {'contender':<28} {'pages/s':>8} {'vs ceiling':>10} {'vs scrapy':>10} {'peak MB':>8}"
    print(header)
    print("-" * len(header))
    results = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        server, base = start_server(size)
        try:
            contenders = ["ceiling", "ours-aiohttp", "ours-processes", "ours-httpx", "scrapy"]
            rows = {}
            for mode in contenders:
                rows[mode] = run_child(mode, base, size, args.concurrency)
        finally:
            server.kill()
            server.wait()
        ceiling = rows["ceiling"]["pages"] / rows["ceiling"]["seconds"]
        scrapy_rate = (rows["scrapy"]["pages"] / rows["scrapy"]["seconds"]) if "error" not in rows["scrapy"] else None
        for mode, row in rows.items():
            name = {"ceiling": "bare aiohttp GET (ceiling)", "ours-aiohttp": "pipeline crawl (aiohttp)",
                    "ours-processes": "pipeline crawl --processes 2",
                    "ours-httpx": "pipeline crawl (httpcore)", "scrapy": "scrapy SitemapSpider"}[mode]
            if "error" in row:
                print(f"{size:>7}  {name:<28} {'-':>8} {'':>10} {'':>10} {'':>8}   ({row['error'][:60]})")
                continue
            rate = row["pages"] / row["seconds"]
            vs_scrapy = f"{rate / scrapy_rate:.2f}x" if scrapy_rate else "-"
            print(f"{size:>7}  {name:<28} {rate:>8.0f} {rate / ceiling:>9.2f}x {vs_scrapy:>10} {row['peak_mb']:>8.0f}")
            if row.get("pages") is not None and mode.startswith("ours") and row["pages"] < size:
                print(f"         !! stored only {row['pages']} of {size} pages")
        results[size] = rows
    sizes = sorted(results)
    if len(sizes) > 1 and "error" not in results[sizes[0]]["ours-aiohttp"]:
        small, large = results[sizes[0]]["ours-aiohttp"], results[sizes[-1]]["ours-aiohttp"]
        print(f"\npeak memory of our crawl: {small['peak_mb']:.0f} MB at {sizes[0]} pages, "
              f"{large['peak_mb']:.0f} MB at {sizes[-1]} pages ({large['peak_mb'] / small['peak_mb']:.2f}x for "
              f"{sizes[-1] / sizes[0]:.0f}x the pages)")


if __name__ == "__main__":
    main()

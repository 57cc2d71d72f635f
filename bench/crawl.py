"""Crawl throughput against baselines measured in the same run.

    python bench/crawl.py [--sizes 2000,20000] [--concurrency 16] [--sites static,demo]

Two sites, each served on 127.0.0.1 by its own process:

- ``static``: a generated site of health-like articles of about 22 KB with
  100+ links each (so link extraction and frontier writes count), written
  to a folder of static files and served by nginx (Debian's package; ``make
  bench`` installs it when it is missing), with a robots.txt, a sitemap
  index and a gzipped sitemap;
- ``demo``: the bundled demo site, prerendered and served from memory.

Every contender crawls from the sitemap with robots.txt obeyed at the same
concurrency, pacing off, and runs as its own process whose wall time is
measured from outside (interpreter start-up included, as cron sees it):

- ceiling: a bare aiohttp client GETting the article URLs (no robots, no
  parsing, no storage): what the server and loopback allow at all;
- floor: the crawl's duties written as bare as they go (robots.txt and
  the sitemaps read, every page fetched, its links extracted with lexbor
  and checked against the include rule, hashed, compressed with zstd and
  written to SQLite with its frontier rows in batches), with none of the
  pipeline's rules (robots not applied, no pacing, outcomes, retries,
  conditional GET, size caps or resumable runs): what this stack does in
  one process, so a gap to it is ours and a gap below it is the stack's;
- ``pipeline crawl``, one process (the goal: at least 4x Scrapy), and with
  ``--processes 2``;
- Scrapy: a SitemapSpider that also extracts every page's links and follows
  them (its duplicate filter drops the known ones), as a crawl that finds
  new pages must.

Peak memory is each process's own ru_maxrss. Machines here are noisy: read
the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, seconds: float = 900) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("server did not start")


# -- the static site ------------------------------------------------------------

WORDS = ("pain back knee neck stretch hold seconds muscle rest ice heat gently slowly repeat times each side "
         "doctor physiotherapist posture spine shoulder hip relief exercise treatment swelling inflammation "
         "week daily walk strength flexibility joint tendon ligament sleep chair desk lift bend twist breathe "
         "warm cool reduce ease support pillow towel floor wall lying standing sitting position symptoms").split()
CATEGORIES = ("back-pain", "neck-shoulders", "knees-hips", "feet-ankles", "headaches", "running")


def static_paths(n: int) -> list[str]:
    return [f"/{CATEGORIES[i % len(CATEGORIES)]}/article-{i}-{WORDS[i % len(WORDS)]}-{WORDS[(i * 7) % len(WORDS)]}"
            for i in range(n)]


def static_article(i: int, paths: list[str], base: str) -> str:
    """One article: ~22 KB of HTML with 100+ links (navigation, related, more
    from the section, a footer), the way real health pages are built."""
    rng = random.Random(i)
    title = f"How to ease {WORDS[i % len(WORDS)]} {WORDS[(i * 3) % len(WORDS)]} pain ({i})"

    def sentence() -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize() + "."

    paragraphs = "".join(f"<p>{' '.join(sentence() for _ in range(5))}</p>\n" for _ in range(30))
    steps = "".join(f"<li><strong>{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}.</strong> {sentence()} "
                    f"Hold for {rng.choice((10, 20, 30))} seconds and repeat {rng.choice((5, 10))} times.</li>"
                    for _ in range(6))
    nav = "".join(f'<li><a href="/{c}/">{c.replace("-", " ")}</a></li>' for c in CATEGORIES)
    picks = rng.sample(range(len(paths)), min(len(paths), 104))
    related = "".join(f'<li><a href="{paths[j]}">Article {j}</a></li>' for j in picks[:6])
    more = "".join(f'<li><a href="{paths[j]}{"?utm_source=more" if k % 9 == 0 else ""}">More {j}</a></li>'
                   for k, j in enumerate(picks[6:]))
    footer = "".join(f'<li><a href="/{p}">{p}</a></li>' for p in ("about", "privacy", "terms", "contact", "private/x"))
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<link rel="canonical" href="{base}{paths[i]}"><meta name="description" content="{sentence()}">'
            f'</head><body><header><a href="/">Health Site</a><nav><ul>{nav}</ul></nav></header>'
            f'<article><h1>{title}</h1>{paragraphs}<h2>Exercises</h2><ol>{steps}</ol></article>'
            f'<section class="related"><h3>What Others Are Reading</h3><ul>{related}</ul></section>'
            f'<aside><h4>More from the section</h4><ul>{more}</ul></aside>'
            f'<footer><ul>{footer}</ul></footer></body></html>')


def write_static_site(folder: Path, n: int, base: str) -> dict:
    """Write the site's files; return its size figures."""
    paths = static_paths(n)
    total = links = 0
    for i, path in enumerate(paths):
        page = static_article(i, paths, base)
        target = folder / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        data = page.encode()
        target.write_bytes(data)
        total += len(data)
        links += page.count("<a ")
    (folder / "robots.txt").write_text(f"User-agent: *\nDisallow: /private/\n\nSitemap: {base}/sitemap.xml\n")
    chunks = [paths[k:k + 5000] for k in range(0, n, 5000)]
    index = "".join(f"<sitemap><loc>{base}/sitemap-{k + 1}.xml.gz</loc></sitemap>" for k in range(len(chunks)))
    (folder / "sitemap.xml").write_text('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex '
                                        f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>')
    for k, chunk in enumerate(chunks):
        urls = "".join(f"<url><loc>{base}{p}</loc></url>" for p in chunk)
        xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        (folder / f"sitemap-{k + 1}.xml.gz").write_bytes(gzip.compress(xml.encode(), mtime=0))
    return {"pages": n, "mean_kb": total / n / 1024, "mean_links": links / n}


NGINX_CONF = """
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log error;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    keepalive_timeout 60;
    types {{ text/plain txt; application/xml xml; application/gzip gz; }}
    default_type text/html;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location / {{ try_files $uri =404; }}
    }}
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)


def start_nginx(root: Path, prefix: Path, port: int) -> subprocess.Popen:
    binary = nginx_binary()
    if binary is None:
        raise SystemExit("nginx is not installed: run `make bench-crawl` (it installs Debian's nginx)")
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(prefix=prefix, port=port, root=root))
    proc = subprocess.Popen([binary, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port, proc, 30)
    return proc


def start_demo(articles: int, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([PYTHON, "-m", "pipeline.demo", "serve", "--articles", str(articles),
                             "--port", str(port), "--prerendered"], cwd=ROOT, stderr=subprocess.DEVNULL)
    wait_for_port(port, proc)  # rendering 20,000 demo pages up front takes a couple of minutes
    return proc


# -- the contenders (each a process, timed from outside) ----------------------------------


def timed(argv: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess, float]:
    """Run a process; return its wall time, result and peak memory (MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    out = subprocess.run(argv, capture_output=True, text=True, timeout=3600, **kwargs)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # RUSAGE_CHILDREN is the largest child so far: a smaller later child reads as the earlier peak,
    # so each contender also reports its own ru_maxrss where it can.
    return seconds, out, max(peak, before) / 1024


CEILING = """
import asyncio, json, resource, sys
import aiohttp
urls = [line.strip() for line in open(sys.argv[1]) if line.strip()]
concurrency = int(sys.argv[2])
async def go():
    queue = list(reversed(urls)); done = 0
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        async def worker():
            nonlocal done
            while queue:
                async with session.get(queue.pop()) as r:
                    await r.read(); done += r.status == 200
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done
pages = asyncio.run(go())
print(json.dumps({"pages": pages, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

FLOOR = """
import asyncio, gzip, hashlib, json, re, resource, sqlite3, sys, time
from urllib.parse import urljoin
import aiohttp, zstandard
from selectolax.lexbor import LexborHTMLParser
base, db_path, concurrency = sys.argv[1], sys.argv[2], int(sys.argv[3])
include = re.compile(sys.argv[4])
LOC = re.compile(rb"<loc>([^<]+)</loc>")
compressor = zstandard.ZstdCompressor(level=1)
conn = sqlite3.connect(db_path, isolation_level=None)
conn.execute("PRAGMA journal_mode=wal"); conn.execute("PRAGMA synchronous=normal")
conn.execute("CREATE TABLE pages (url TEXT PRIMARY KEY, status INT, hash TEXT, fetched REAL, html BLOB)")
conn.execute("CREATE TABLE frontier (url TEXT PRIMARY KEY, depth INT, state TEXT)")
async def go():
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        async def get(url):
            async with session.get(url) as r:
                return r.status, await r.read()
        await get(base + "/robots.txt")
        urls = []
        for sitemap in LOC.findall((await get(base + "/sitemap.xml"))[1]):
            data = (await get(sitemap.decode()))[1]
            urls += [u.decode() for u in LOC.findall(gzip.decompress(data) if data[:2] == b"\\x1f\\x8b" else data)]
        conn.executemany("INSERT OR IGNORE INTO frontier VALUES (?, 0, 'queued')", [(u,) for u in urls])
        known, queue, pending, resolved = set(urls), list(reversed(urls)), [], {}
        def flush():
            conn.execute("BEGIN")
            conn.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)", [p[:5] for p in pending])
            conn.executemany("UPDATE frontier SET state='done' WHERE url=?", [(p[0],) for p in pending])
            new = {link for p in pending for link in p[5] if link not in known}
            known.update(new)
            conn.executemany("INSERT OR IGNORE INTO frontier VALUES (?, 1, 'queued')", [(u,) for u in new])
            conn.execute("COMMIT"); pending.clear()
        async def worker():
            while queue:
                url = queue.pop()
                status, body = await get(url)
                text = body.decode("utf-8", "replace")
                links, seen = [], set()
                for node in LexborHTMLParser(text).css("a[href]"):
                    href = node.attributes.get("href") or ""
                    link = resolved.get(href) or resolved.setdefault(href, urljoin(url, href))
                    if link not in seen and include.match(link):
                        seen.add(link); links.append(link)
                pending.append((url, status, hashlib.sha1(body).hexdigest(), time.time(), compressor.compress(body), links))
                if len(pending) >= 64:
                    flush()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        flush()
asyncio.run(go())
pages = conn.execute("SELECT count(*) FROM pages WHERE status = 200").fetchone()[0]
print(json.dumps({"pages": pages, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

SCRAPY_SPIDER = """
import json, resource, sys
from scrapy.crawler import CrawlerProcess
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import SitemapSpider
count = {"n": 0}
FOLLOW = sys.argv[3] == "follow"
links = LinkExtractor(allow_domains=["127.0.0.1"])
class Bench(SitemapSpider):
    name = "bench"
    sitemap_urls = [sys.argv[1] + "/sitemap.xml"]
    def parse(self, response):
        count["n"] += 1
        yield {"url": response.url, "size": len(response.body)}
        if FOLLOW:
            for link in links.extract_links(response):
                yield response.follow(link.url, callback=self.parse_other)
    def parse_other(self, response):
        count["n"] += 1
process = CrawlerProcess(settings={
    "CONCURRENT_REQUESTS": int(sys.argv[2]), "CONCURRENT_REQUESTS_PER_DOMAIN": int(sys.argv[2]),
    "ROBOTSTXT_OBEY": True, "LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "COOKIES_ENABLED": False,
    "DEPTH_LIMIT": 3,  # sitemap index, sitemap, page, its links "ITEM_PIPELINES": {},
})
process.crawl(Bench)
process.start()
print(json.dumps({"pages": count["n"], "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_ceiling(base: str, paths: list[str], concurrency: int, tmp: Path) -> dict:
    url_file = tmp / "urls.txt"
    url_file.write_text("\n".join(base + p for p in paths))
    script = tmp / "ceiling.py"
    script.write_text(CEILING)
    seconds, out, _ = timed([PYTHON, str(script), str(url_file), str(concurrency)])
    if out.returncode != 0:
        return {"error": out.stderr.strip()[-300:]}
    return {**json.loads(out.stdout.strip().splitlines()[-1]), "seconds": seconds}


# Links followed are the articles only, as the sitemap lists them: every
# page's links are extracted and checked against the frontier, and the crawl
# fetches what Scrapy's SitemapSpider fetches.
ARTICLE_LINKS = {"static": "'^{base}/[a-z-]+/article-'",
                 "demo": "'^{base}/(?!category/|print/|partners/|private/|media/|old/|about|privacy|terms|contact|search)"
                         "[a-z-]+/[a-z0-9-]+$'"}


def run_floor(base: str, concurrency: int, tmp: Path, kind: str) -> dict:
    script = tmp / "floor.py"
    script.write_text(FLOOR)
    db = tmp / "floor.db"
    for stale in tmp.glob("floor.db*"):
        stale.unlink()
    include = ARTICLE_LINKS[kind].format(base=base).strip("'")
    seconds, out, _ = timed([PYTHON, str(script), base, str(db), str(concurrency), include])
    if out.returncode != 0:
        return {"error": out.stderr.strip()[-300:]}
    return {**json.loads(out.stdout.strip().splitlines()[-1]), "seconds": seconds}


def run_ours(base: str, articles: int, concurrency: int, tmp: Path, processes: int = 1, kind: str = "static") -> dict:
    config = tmp / "sources.yaml"
    # Robots obeyed, pacing off (a site you own), links followed one level.
    config.write_text(textwrap.dedent(f"""\
        sources:
          - name: bench
            sitemaps: ["{base}/sitemap.xml"]
            allow_private_addresses: true
            max_pages: {articles + 50}
            max_depth: 1
            requests_per_second: 1000000
            concurrency: {concurrency}
            include: [{ARTICLE_LINKS[kind].format(base=base)}]
        """))
    db = tmp / f"ours-{processes}.db"
    for stale in tmp.glob(f"ours-{processes}.db*"):
        stale.unlink()
    argv = [PYTHON, "-m", "pipeline", "--db", str(db), "--config", str(config), "crawl", "--json",
            "--concurrency", str(concurrency), "--processes", str(processes)]
    code = ("import atexit, json, resource, sys; atexit.register(lambda: print('PEAK', resource.getrusage("
            "resource.RUSAGE_SELF).ru_maxrss / 1024, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,"
            " file=sys.stderr)); sys.argv = ['pipeline'] + sys.argv[1:]; from pipeline.cli import main; main()")
    seconds, out, _ = timed([PYTHON, "-c", code, *argv[3:]], cwd=ROOT)
    if out.returncode != 0:
        return {"error": out.stderr.strip()[-300:]}
    summary = json.loads(out.stdout)
    peak_line = [line for line in out.stderr.splitlines() if line.startswith("PEAK")][-1].split()
    peak = float(peak_line[1]) + processes * float(peak_line[2]) * (processes > 1)
    import sqlite3

    conn = sqlite3.connect(db)
    stored = conn.execute("SELECT count(*) FROM page_html").fetchone()[0]
    frontier = conn.execute("SELECT count(*) FROM frontier").fetchone()[0]
    conn.close()
    return {"pages": stored, "new": summary["new"], "frontier": frontier, "seconds": seconds, "peak_mb": peak,
            "db_mb": os.path.getsize(db) / 1e6}


def run_scrapy(base: str, concurrency: int, tmp: Path, follow: bool) -> dict:
    import importlib.util

    if importlib.util.find_spec("scrapy") is None:
        return {"error": "scrapy is not installed (make bench installs it)"}
    script = tmp / "bench_spider.py"  # Scrapy inspects the spider's source, so it must live in a file
    script.write_text(SCRAPY_SPIDER)
    seconds, out, _ = timed([PYTHON, str(script), base, str(concurrency), "follow" if follow else "sitemap"])
    if out.returncode != 0:
        return {"error": out.stderr.strip()[-300:]}
    return {**json.loads(out.stdout.strip().splitlines()[-1]), "seconds": seconds}


# -- main ---------------------------------------------------------------------------------

NAMES = {"ceiling": "bare aiohttp GET (ceiling)", "floor": "same duties, bare (floor)", "ours": "pipeline crawl", "ours-2": "pipeline crawl --processes 2",
         "scrapy": "scrapy SitemapSpider", "scrapy-links": "scrapy, links followed"}


def bench_site(kind: str, size: int, concurrency: int, contenders: list[str]) -> dict:
    with tempfile.TemporaryDirectory(prefix="crawlbench-") as tmp_name:
        tmp = Path(tmp_name)
        tmp.chmod(0o755)  # nginx's workers run as another user when the bench runs as root
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        if kind == "static":
            started = time.perf_counter()
            site = write_static_site(tmp / "www", size, base)
            print(f"  static site: {size} pages of {site['mean_kb']:.1f} KB with {site['mean_links']:.0f} links "
                  f"on average, written in {time.perf_counter() - started:.1f}s", flush=True)
            server = start_nginx(tmp / "www", tmp, port)
            paths = static_paths(size)
        else:
            from pipeline.demo.site import DemoSite

            server = start_demo(size, port)
            paths = DemoSite(size).article_paths()
        rows = {}
        try:
            for mode in contenders:
                if mode == "ceiling":
                    rows[mode] = run_ceiling(base, paths, concurrency, tmp)
                elif mode == "floor":
                    rows[mode] = run_floor(base, concurrency, tmp, kind)
                elif mode == "ours":
                    rows[mode] = run_ours(base, size, concurrency, tmp, kind=kind)
                elif mode == "ours-2":
                    rows[mode] = run_ours(base, size, concurrency, tmp, processes=2, kind=kind)
                elif mode in ("scrapy", "scrapy-links"):
                    rows[mode] = run_scrapy(base, concurrency, tmp, follow=mode == "scrapy-links")
                row = rows[mode]
                print(f"    {NAMES[mode]:<30} " + (f"{row['pages'] / row['seconds']:>8.0f} pages/s"
                                                   if "error" not in row else row["error"][-120:]), flush=True)
        finally:
            server.terminate()
            server.wait()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--sites", default="static,demo")
    parser.add_argument("--contenders", default="ceiling,floor,ours,ours-2,scrapy,scrapy-links")
    args = parser.parse_args()
    contenders = args.contenders.split(",")
    print(f"crawl benchmark: from the sitemap, robots.txt obeyed, concurrency {args.concurrency}, pacing off, "
          f"{os.cpu_count()} cores; wall time of each whole process\n", flush=True)
    results: dict = {}
    for kind in args.sites.split(","):
        for size in [int(s) for s in args.sizes.split(",")]:
            print(f"{kind} site, {size} pages:", flush=True)
            results[(kind, size)] = bench_site(kind, size, args.concurrency, contenders)
    header = f"{'site':<7}{'pages':>7}  {'contender':<30} {'pages/s':>8} {'vs ceiling':>10} {'vs scrapy':>10} {'peak MB':>8}"
    print("\n" + header + "\n" + "-" * len(header))
    for (kind, size), rows in results.items():
        ceiling = rows.get("ceiling", {})
        ceiling_rate = ceiling["pages"] / ceiling["seconds"] if ceiling and "error" not in ceiling else None
        scrapy = rows.get("scrapy", {})
        scrapy_rate = scrapy["pages"] / scrapy["seconds"] if scrapy and "error" not in scrapy else None
        for mode, row in rows.items():
            if "error" in row:
                print(f"{kind:<7}{size:>7}  {NAMES[mode]:<30} {'-':>8}   ({row['error'][-60:]})")
                continue
            rate = row["pages"] / row["seconds"]
            print(f"{kind:<7}{size:>7}  {NAMES[mode]:<30} {rate:>8.0f} "
                  f"{f'{rate / ceiling_rate:.2f}x' if ceiling_rate else '-':>10} "
                  f"{f'{rate / scrapy_rate:.2f}x' if scrapy_rate else '-':>10} {row['peak_mb']:>8.0f}")
            if mode.startswith("ours") and row["pages"] < size:
                print(f"{'':>16}!! stored only {row['pages']} of {size} pages")
    for kind in args.sites.split(","):
        sizes = sorted(s for k, s in results if k == kind)
        ours = [results[(kind, s)].get("ours") for s in sizes]
        if len(sizes) > 1 and all(o and "error" not in o for o in ours):
            print(f"\npeak memory of `pipeline crawl` on the {kind} site: {ours[0]['peak_mb']:.0f} MB at {sizes[0]} "
                  f"pages, {ours[-1]['peak_mb']:.0f} MB at {sizes[-1]} ({ours[-1]['peak_mb'] / ours[0]['peak_mb']:.2f}x "
                  f"for {sizes[-1] / sizes[0]:.0f}x the pages)")


if __name__ == "__main__":
    main()

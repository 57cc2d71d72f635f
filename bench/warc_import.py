"""What keeping a crawl as WARC costs, and how fast an archive imports, in the same run.

    python bench/warc_import.py [--articles 2000]

The demo site is served by its own process on 127.0.0.1 and crawled from its
sitemap with politeness off, storing everything: once plainly (the
baseline), once with ``--warc`` (every response and request also written to
gzip WARC files). The WARC files are then imported into a fresh database
with ``pipeline import``, and the pages it stores are compared with the
crawl's (same URLs, same content hashes). Then the export is timed with
every format against JSON alone. Each step runs as its own CLI process;
wall time from outside. Machines here are noisy: read the ratios.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.crawl import start_server  # noqa: E402  (the same served demo site)


def cli(*args: str) -> tuple[float, dict]:
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "pipeline", *args, "--json"], cwd=ROOT, capture_output=True,
                            text=True, timeout=3600)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(f"pipeline {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return seconds, json.loads(result.stdout.splitlines()[-1])


def stored(db: Path) -> dict[str, str]:
    conn = sqlite3.connect(db)
    rows = dict(conn.execute("SELECT p.url, h.content_hash FROM pages p JOIN page_html h ON h.url = p.url "
                             "WHERE p.outcome IN ('ok', 'unchanged')"))
    conn.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    server, base = start_server(args.articles)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            config = tmp / "sources.yaml"
            config.write_text("sources:\n  - name: demo\n"
                              f'    sitemaps: ["{base}/sitemap.xml"]\n    allow_private_addresses: true\n'
                              "    requests_per_second: 100000\n    concurrency: 16\n    max_pages: 1000000\n"
                              "    max_depth: 0\n")
            plain_s, plain = cli("--db", str(tmp / "plain.db"), "--config", str(config), "crawl", "--no-progress")
            warc_s, warc = cli("--db", str(tmp / "warc.db"), "--config", str(config), "crawl", "--no-progress",
                               "--warc", str(tmp / "warcs"))
            warc_bytes = sum(p.stat().st_size for p in (tmp / "warcs").glob("*.warc.gz"))
            import_s, imported = cli("--db", str(tmp / "imported.db"), "--config", str(config), "import",
                                     str(tmp / "warcs"))
            same = stored(tmp / "imported.db") == stored(tmp / "warc.db")
            cli("--db", str(tmp / "warc.db"), "--config", str(config), "extract")
            cli("--db", str(tmp / "warc.db"), "--config", str(config), "dedupe")
            cli("--db", str(tmp / "warc.db"), "--config", str(config), "recommend")
            json_s, exported = cli("--db", str(tmp / "warc.db"), "export", "--out", str(tmp / "e1"), "--format", "json")
            all_s, _ = cli("--db", str(tmp / "warc.db"), "export", "--out", str(tmp / "e2"))
    finally:
        server.terminate()
        server.wait(10)
    pages = plain["fetched"]
    print(f"demo site, {args.articles} articles; whole CLI processes, wall time")
    print(f"  crawl                      {pages / plain_s:8.0f} pages/s   ({pages} pages in {plain_s:.1f}s)")
    print(f"  crawl --warc               {warc['fetched'] / warc_s:8.0f} pages/s   "
          f"({warc_s / plain_s:.2f}x the time; {warc_bytes / 1e6:.1f} MB of WARC, "
          f"{warc_bytes / max(warc['fetched'], 1) / 1024:.1f} KB a response)")
    print(f"  import of those WARCs      {imported['pages'] / import_s:8.0f} pages/s   "
          f"({imported['records']} records in {import_s:.1f}s; {import_s / warc_s:.2f}x the crawl's time)")
    print(f"  imported pages identical to the crawl's (URL and content hash): {same} ({imported['pages']} pages)")
    print(f"  export of {exported['articles']} articles: json only {json_s:.1f}s, "
          f"all formats (json, jsonl, csv, parquet, jsonld) {all_s:.1f}s ({all_s / json_s:.2f}x)")


if __name__ == "__main__":
    main()

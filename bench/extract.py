"""Extraction speed: ms per page, ours against trafilatura on the same pages, same run.

    python bench/extract.py [--demo-pages 300] [--repeat 3]

Pages: ../shared/corpus/real (real pages, median ~100 KB) and the demo site's
articles (~22 KB). For each page set it prints the median and mean ms per
page of: selectolax's bare parse (the floor), our full structured extraction
(metadata, boilerplate, body, sections, facts, related links), and
trafilatura's ``extract()`` (main text only), and the ratio ours/trafilatura.
Then the whole extract stage over a demo database with 1 and 2 worker
processes, in pages per second.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from selectolax.lexbor import LexborHTMLParser  # noqa: E402

from pipeline.demo.site import DemoSite  # noqa: E402
from pipeline.extract import extract_page  # noqa: E402
from pipeline.decoding import decode_html  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "real"


def timed(contenders: dict, pages, repeat: int) -> dict[str, list[float]]:
    """Best-of-``repeat`` milliseconds for each page and contender, the
    contenders interleaved page by page (and round by round), so a change in
    the machine's load falls on all of them alike."""
    result: dict[str, list[float]] = {name: [] for name in contenders}
    for url, html in pages:
        best = dict.fromkeys(contenders, float("inf"))
        for _ in range(repeat):
            for name, fn in contenders.items():
                started = time.perf_counter()
                fn(html, url)
                best[name] = min(best[name], time.perf_counter() - started)
        for name in contenders:
            result[name].append(best[name] * 1000)
    return result


def report(label: str, pages, repeat: int) -> None:
    try:
        import trafilatura
    except ImportError as exc:  # the comparison is the point of this bench: say why it cannot run
        raise SystemExit(f"trafilatura cannot be imported ({exc}); `make bench` installs it") from None
    sizes = sorted(len(h.encode()) for _, h in pages)
    print(f"\n{label}: {len(pages)} pages, median {sizes[len(sizes) // 2] / 1000:.0f} KB")
    rows = timed({"selectolax parse (floor)": lambda h, u: LexborHTMLParser(h),
                  "ours: extract_page": lambda h, u: extract_page(h, u),
                  "trafilatura.extract": lambda h, u: trafilatura.extract(h, url=u)}, pages, repeat)
    for name, values in rows.items():
        print(f"  {name:<26} median {statistics.median(values):7.2f} ms   mean {statistics.mean(values):7.2f} ms")
    ours, theirs = rows["ours: extract_page"], rows["trafilatura.extract"]
    print(f"  ours / trafilatura: median {statistics.median(ours) / statistics.median(theirs):.2f}x, "
          f"total {sum(ours) / sum(theirs):.2f}x (goal: at most 0.20x)")


def stage_throughput(articles: int) -> None:
    from pipeline.crawl import CrawlOptions, crawl
    from pipeline.db import open_db
    from pipeline.demo.server import ServerThread, site_handler
    from pipeline.extract.stage import run_extract
    from pipeline.sources import parse_config

    with ServerThread(site_handler(DemoSite(articles))) as server, tempfile.TemporaryDirectory() as tmp:
        config = parse_config(f'sources:\n  - name: demo\n    allow_private_addresses: true\n    sitemaps: ["{server.url}/sitemap.xml"]\n'
                              f"    max_depth: 0\n    max_pages: {articles + 10}\n    use_robots_sitemaps: false\n")
        database = open_db(Path(tmp) / "x.db")
        crawl(database, config, options=CrawlOptions(polite=False))
        print(f"\nextract stage over a demo database of {articles} pages:")
        rates = {}
        for workers in (1, 2):
            started = time.perf_counter()
            summary = run_extract(database, config, everything=True, workers=workers)
            seconds = time.perf_counter() - started
            rates[workers] = summary["extracted"] / seconds
            print(f"  {workers} worker{'s' if workers > 1 else ''}: {rates[workers]:7.0f} pages/s")
        print(f"  2 workers / 1 worker: {rates[2] / rates[1]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demo-pages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    site = DemoSite(args.demo_pages)
    demo = [("http://demo.test" + site.article(i).path, site.article_html(i, "http://demo.test"))
            for i in range(args.demo_pages)]
    report("demo site articles", demo, args.repeat)
    if CORPUS.exists():
        real = [(f"https://example.org/{p.name}", decode_html(p.read_bytes())[0]) for p in sorted(CORPUS.glob("*.html"))]
        report("../shared/corpus/real", real, args.repeat)
    stage_throughput(2000)


if __name__ == "__main__":
    main()

"""The batch stages on Ray against the single-process pipeline, in one run.

    python bench/scale.py [--pages 20000] [--texts 10000] [--skip-quality]

Throughput of extract + dedupe signatures over the same stored pages (a
SQLite database, as a crawl leaves it):

- the plain pipeline in one process: ``run_extract(workers=1)`` (extract,
  store into SQLite) then the dedupe stage's signatures of every article;
  and ``run_extract(workers=2)`` for reference;
- the Ray engine's extract step (``map_batches`` over partitions of 500
  pages: read, extract, flatten, sign, write Parquet) on a local cluster of
  2 CPUs, with 1 and then 2 tasks at a time.

Goals on 2 cores: 2 Ray workers >= 1.7x 1 Ray worker; Ray at 1 worker no
more than 15 % slower than the plain pipeline in one process.

Near-duplicate quality: generated texts with planted edits at known true
Jaccard (bench/dedupe.py's generator), pairs found by the single-machine
dedupe stage and by the engine's grouping of LSH band buckets, each scored
for precision and recall on the pairs whose true Jaccard is at least 0.8.

The pages: 1,000 demo articles rendered once, each stored 20 times under
other URLs with a sentence of its own, so that 20,000 pages cost seconds to
make rather than minutes (extraction reads each one whole all the same).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def make_pages_db(path: Path, pages: int, templates: int = 1000) -> None:
    from pipeline import db as dbmod
    from pipeline.demo.site import DemoSite
    from pipeline.fetch import content_hash

    base = "http://127.0.0.1:8765"
    site = DemoSite(templates)
    rendered = [site.article_html(i, base) for i in range(min(templates, pages))]
    database = dbmod.open_db(path)
    with dbmod.transaction(database) as conn:
        conn.execute("INSERT OR IGNORE INTO sources(name, priority) VALUES ('demo', 10)")
        for n in range(pages):
            html = rendered[n % len(rendered)].replace(
                "</h1>", f"</h1><p>Reader story number {n}: what helped me most, week {n % 52}.</p>", 1)
            url = f"{base}/scale/{n:06d}"
            digest = content_hash(html)
            conn.execute("INSERT INTO pages(url, source, status_code, outcome, content_hash, first_seen_at, fetched_at) "
                         "VALUES (?, 'demo', 200, 'ok', ?, '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')",
                         (url, digest))
            conn.execute("INSERT INTO page_html(url, content_hash, html) VALUES (?, ?, ?)",
                         (url, digest, dbmod.compress_html(html)))
    database.close()


def plain_pipeline(db_path: Path, config, workers: int) -> tuple[float, int]:
    """pipeline extract, then the dedupe stage's signatures: seconds, pages."""
    from pipeline import db as dbmod
    from pipeline import dedupe
    from pipeline.extract.stage import run_extract

    database = dbmod.open_db(db_path)
    started, cpu = time.perf_counter(), cpu_seconds()
    summary = run_extract(database, config, everything=True, workers=workers, on_progress=None)
    bodies = [b or "" for (b,) in database.conn.execute("SELECT body FROM articles ORDER BY url")]
    [dedupe.text_hash(b) for b in bodies]
    dedupe.signatures_for(bodies)
    seconds = time.perf_counter() - started
    database.close()
    return seconds, summary["extracted"], cpu_seconds() - cpu


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (a process pool's)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def ray_extract(db_path: Path, config, workers: int, folder: Path) -> tuple[float, int]:
    from pipeline.distributed import steps
    from pipeline.distributed.ray_engine import RayEngine
    from pipeline.distributed.storage import DatasetStore

    partitions = steps.plan_db_partitions(str(db_path), config, per_partition=500)
    store = DatasetStore(str(folder))
    started = time.perf_counter()
    summaries = RayEngine(workers).map_partitions(partitions, store, config)
    seconds = time.perf_counter() - started
    assert len(summaries) == len(partitions)
    markers = [store.marker("extract", p.id) or {} for p in partitions]
    return seconds, sum(m.get("pages", 0) for m in markers), sum(m.get("cpu_seconds", 0) for m in markers)


def quality(texts_count: int) -> None:
    import numpy as np
    import pyarrow as pa

    from dedupe import generate, true_pairs  # bench/dedupe.py
    from pipeline import db as dbmod
    from pipeline import dedupe
    from pipeline.distributed import steps
    from pipeline.distributed.ray_engine import RayEngine
    from pipeline.distributed.storage import DatasetStore

    texts, planted = generate(texts_count)
    members = {i for pair in planted for i in pair}
    shingle_sets = {i: dedupe.shingles(texts[i]) for i in members}
    truth = true_pairs(texts, planted, shingle_sets)
    urls = [f"https://texts.test/{i:06d}" for i in range(len(texts))]
    index = {u: i for i, u in enumerate(urls)}

    with tempfile.TemporaryDirectory() as tmp:
        database = dbmod.open_db(Path(tmp) / "single.db")
        database.conn.execute("PRAGMA foreign_keys=OFF")
        with dbmod.transaction(database) as conn:
            conn.executemany("INSERT INTO articles(url, source, body, word_count) VALUES (?, 'x', ?, ?)",
                             [(u, t, len(t.split())) for u, t in zip(urls, texts)])
        started = time.perf_counter()
        dedupe.run_dedupe_articles(database, rebuild=True)
        single_seconds = time.perf_counter() - started
        single = {(index[a], index[b]) for a, b in database.conn.execute("SELECT url_a, url_b FROM duplicate_pairs")}
        database.close()

        store = DatasetStore(str(Path(tmp) / "dataset"))
        partitions = []
        for start in range(0, len(texts), 1000):
            pid = f"texts-{start // 1000:04d}"
            articles = pa.table({"url": urls[start:start + 1000], "body": texts[start:start + 1000]})
            table = steps.sign_articles(articles, "2026-01-01T00:00:00+00:00")
            table = table.append_column("partition", pa.array([pid] * table.num_rows, pa.string()))
            store.write_table(f"extract/article_signatures/{pid}.parquet", table)
            partitions.append(pid)
        started = time.perf_counter()
        pairs, candidates = RayEngine(2).duplicate_pairs(store, partitions, set())
        engine_seconds = time.perf_counter() - started
        engine = {(index[a], index[b]) for a, b in zip(pairs.column("url_a").to_pylist(),
                                                       pairs.column("url_b").to_pylist())}

    def score(found):
        hits = len(found & truth)
        return hits / max(len(found), 1), hits / max(len(truth), 1)

    print(f"\nnear-duplicate quality on {len(texts)} generated texts, {len(planted)} planted edits, "
          f"{len(truth)} true pairs (J >= 0.8):")
    for label, found, seconds in (("single machine (dedupe stage)", single, single_seconds),
                                  ("Ray (band buckets grouped)", engine, engine_seconds)):
        precision, recall = score(found)
        print(f"  {label:<32} pairs {len(found):5d}  precision {precision:.3f}  recall {recall:.3f}  "
              f"in {seconds:6.1f}s")
    print(f"  the two find the same pairs: {single == engine} ({candidates} candidate pairs on Ray)")
    del np


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=20000)
    parser.add_argument("--texts", type=int, default=10000)
    parser.add_argument("--skip-quality", action="store_true")
    args = parser.parse_args()

    from pipeline.distributed.ray_engine import connect
    from pipeline.sources import parse_config

    config = parse_config('sources:\n  - name: demo\n    start_urls: ["http://127.0.0.1:8765/"]\n'
                          "    allow_private_addresses: true\n    priority: 10\n", "bench.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "pages.db"
        started = time.perf_counter()
        make_pages_db(db_path, args.pages)
        print(f"{args.pages} stored pages made in {time.perf_counter() - started:.0f}s; cores: {os.cpu_count()}; "
              f"load average before: {os.getloadavg()[0]:.1f} (other work on the machine shares the cores)")
        rows = [("plain pipeline, 1 process", *plain_pipeline(db_path, config, 1))]
        with connect(None, workers=2):
            for workers in (1, 2):
                label = f"Ray, {workers} worker{'s' if workers > 1 else ''}"
                rows.append((label, *ray_extract(db_path, config, workers, Path(tmp) / f"ray-{workers}")))
        rows.append(("plain pipeline, 2 processes", *plain_pipeline(db_path, config, 2)))
    rates = {label: pages / seconds for label, seconds, pages, _ in rows}
    print(f"\nextract + signatures over {args.pages} pages (CPU: of the pipeline's own processes, or of "
          "the Ray tasks; not the driver's or Ray's own):")
    print(f"  {'contender':<30} {'pages':>7} {'seconds':>8} {'pages/s':>8} {'ms/page':>8} {'CPU ms/page':>12}")
    for label, seconds, pages, cpu in rows:
        print(f"  {label:<30} {pages:7d} {seconds:8.1f} {pages / seconds:8.0f} {seconds / pages * 1000:8.2f} "
              f"{cpu / pages * 1000:12.2f}")
    one, two, plain = rates["Ray, 1 worker"], rates["Ray, 2 workers"], rates["plain pipeline, 1 process"]
    print(f"  Ray 2 workers / 1 worker: {two / one:.2f}x (goal >= 1.70x)")
    print(f"  Ray 1 worker against the plain pipeline: {(plain / one - 1) * 100:+.1f} % time (goal <= +15 %)")
    print(f"  Ray 2 workers / plain pipeline in 1 process: {two / plain:.2f}x")
    print(f"  plain pipeline 2 processes / 1 process: {rates['plain pipeline, 2 processes'] / plain:.2f}x "
          "(what the machine allowed two processes meanwhile)")
    print(f"  load average after: {os.getloadavg()[0]:.1f}")
    if not args.skip_quality:
        with connect(None, workers=2):
            quality(args.texts)


if __name__ == "__main__":
    main()

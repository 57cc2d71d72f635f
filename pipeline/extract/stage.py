"""Running extraction over the database: pages -> articles, treatments,
exercises, related_links.

Only pages that changed since their last extraction are read, or every page
when the extractor's version changed (or with ``everything=True``). Each
page's records are replaced in one transaction, so a re-run never duplicates
and a killed run leaves every page either fully old or fully new. Pages are
extracted in worker processes (both cores); the parent only reads and writes.
Pages are read from the database a bounded window at a time, so memory does
not grow with the amount of pending HTML; the workers die with the job.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections import Counter, deque
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Callable, Iterable, Iterator

import sqlite_utils

from pipeline import db as dbmod
from pipeline.db import now_iso
from pipeline.extract import EXTRACTOR_VERSION, extract_page
from pipeline.sources import Config

# Every page with stored HTML (its last good version, even when the last
# fetch failed) except those confirmed removed.
PENDING_WHERE = """
FROM pages p JOIN page_html h ON h.url = p.url
LEFT JOIN extractions e ON e.url = p.url
WHERE p.outcome != 'removed'
  AND (:everything OR e.url IS NULL OR e.content_hash IS NOT h.content_hash OR e.extractor_version != :version)
"""
PAGE_ROWS = 512  # pending rows read per query
WINDOW_PER_WORKER = 3  # chunks handed to the pool ahead of the results, per worker
CHUNK = 4  # pages a worker extracts per round trip at most
CHUNK_BYTES = 256_000  # ... and no more HTML than this, so big pages travel alone


def count_pending(db: sqlite_utils.Database, everything: bool = False) -> int:
    return db.conn.execute(f"SELECT count(*) {PENDING_WHERE}",
                           {"everything": int(everything), "version": EXTRACTOR_VERSION}).fetchone()[0]


def pending_pages(db: sqlite_utils.Database, everything: bool = False, after: str = "",
                  limit: int | None = None) -> list[tuple[str, str, str]]:
    """(url, source, content_hash) of the pages an extract run must read, in
    URL order, from after ``after``; at most ``limit`` of them."""
    return db.conn.execute(
        f"SELECT p.url, p.source, h.content_hash {PENDING_WHERE} AND p.url > :after ORDER BY p.url LIMIT :limit",
        {"everything": int(everything), "version": EXTRACTOR_VERSION, "after": after,
         "limit": -1 if limit is None else limit}).fetchall()


def iter_pending(db: sqlite_utils.Database, everything: bool = False) -> Iterator[tuple[str, str, str]]:
    """The pending pages, PAGE_ROWS at a time (results written meanwhile
    drop out of the query, which goes on after the last URL it gave)."""
    after = ""
    while True:
        rows = pending_pages(db, everything, after, PAGE_ROWS)
        yield from rows
        if len(rows) < PAGE_ROWS:
            return
        after = rows[-1][0]


def _extract_job(job: tuple[str, str, dict]) -> dict:
    url, html, rules = job
    return extract_page(html, url, rules)


def store_record(conn, record: dict, source: str, content_hash: str) -> None:
    """Replace one page's extraction results (call inside a transaction)."""
    url = record["url"]
    now = now_iso()
    conn.execute("DELETE FROM articles WHERE url = ?", (url,))  # cascades to its records
    conn.execute(
        "INSERT OR REPLACE INTO extractions(url, status, reason, extractor_version, content_hash, extracted_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (url, record["status"], record.get("reason"), record["extractor_version"], content_hash, now),
    )
    if record["status"] != "article":
        return
    conn.execute(
        """INSERT INTO articles(url, source, canonical_url, title, condition, author, published, modified,
           description, language, site_name, image, word_count, treatment_count, exercise_count, related_count,
           body_region, body, extractor_version, extracted_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
        (url, source, record["canonical_url"], record["title"], record["condition"], record["author"],
         record["published"], record["modified"], record["description"], record["language"], record["site_name"],
         record["image"], record["word_count"], len(record["treatments"]), len(record["exercises"]),
         len(record["related"]), record.get("body_region"), record["body"], record["extractor_version"], now),
    )
    conn.executemany(
        "INSERT INTO treatments(article_url, position, name, text, category, medicines, warnings, found_by, "
        "section, section_kind, confidence, unsure) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [(url, t["position"], t["name"], t["text"], t["category"], json.dumps(t["medicines"]),
          json.dumps(t["warnings"]), t["found_by"], t.get("section"), t.get("section_kind"), t.get("confidence"),
          int(bool(t.get("unsure")))) for t in record["treatments"]],
    )
    conn.executemany(
        "INSERT INTO exercises(article_url, position, name, text, hold_seconds, hold_seconds_max, reps, reps_max, "
        "sets, sets_max, per_side, rest_seconds, duration_seconds, frequency, facts, body_position, found_by, "
        "section, section_kind, confidence, unsure) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(url, e["position"], e["name"], e["text"], e["hold_seconds"], e["hold_seconds_max"], e["reps"],
          e.get("reps_max"), e["sets"], e.get("sets_max"), int(bool(e.get("per_side"))), e["rest_seconds"],
          e.get("duration_seconds"), e.get("frequency"), json.dumps(e.get("facts") or []), e["body_position"],
          e["found_by"], e.get("section"), e.get("section_kind"), e.get("confidence"), int(bool(e.get("unsure"))))
         for e in record["exercises"]],
    )
    conn.executemany(
        "INSERT INTO related_links(article_url, position, title, url, block) VALUES (?,?,?,?,?)",
        [(url, r["position"], r["title"], r["url"], r["block"]) for r in record["related"]],
    )


def _jobs(db, config: Config | None, pending: Iterable[tuple[str, str, str]],
          sources: dict[str, tuple[str, str]]) -> Iterator[tuple[str, str, dict]]:
    """Jobs for the pool, each page's HTML read just before it is handed over."""
    for url, source, digest in pending:
        sources[url] = (source, digest)
        html = dbmod.page_html(db, url) or ""
        rules = {}
        if config is not None:
            try:
                rules = config.source(source).extract
            except Exception:  # a source removed from sources.yaml keeps its pages; generic rules then
                rules = {}
        yield url, html, rules


def _extract_chunk(jobs: list[tuple[str, str, dict]]) -> list[dict]:
    return [_extract_job(job) for job in jobs]


def bounded_map(executor: Executor, fn: Callable, jobs: Iterable, window: int, chunk: int = 1,
                chunk_bytes: int | None = None, size: Callable[[object], int] = lambda job: 0) -> Iterator:
    """``executor.map`` that reads ``jobs`` only ``window`` chunks ahead of the
    results (Executor.map submits them all at once: every pending page's
    HTML would sit in memory). ``fn`` takes a list of up to ``chunk`` jobs
    (whose ``size`` adds up to less than ``chunk_bytes``, or a single job)
    and returns their results: one round trip to a worker per chunk, not per
    page, while the memory in flight stays bounded by ``window`` chunks."""
    running: deque = deque()
    pending: list = []
    pending_bytes = 0

    def submit() -> None:
        nonlocal pending_bytes
        running.append(executor.submit(fn, list(pending)))
        pending.clear()
        pending_bytes = 0

    for job in jobs:
        job_bytes = size(job)
        if pending and chunk_bytes is not None and pending_bytes + job_bytes > chunk_bytes:
            submit()
        pending.append(job)
        pending_bytes += job_bytes
        if len(pending) >= chunk:
            submit()
        while len(running) >= window:
            yield from running.popleft().result()
    if pending:
        submit()
    while running:
        yield from running.popleft().result()


def run_extract(db: sqlite_utils.Database, config: Config | None = None, everything: bool = False,
                workers: int = 2, batch_size: int = 64,
                on_progress: Callable[[dict], None] | None = None) -> dict:
    """Extract every pending page; return a summary of what came of it."""
    from pipeline.workers import worker_init

    started = time.monotonic()
    summary = Counter()
    failed_by_reason: Counter = Counter()
    total = count_pending(db, everything)
    sources: dict[str, tuple[str, str]] = {}
    jobs = _jobs(db, config, iter_pending(db, everything), sources)
    if workers > 1 and total >= 32:
        # fork: workers start at once; worker_init drops the inherited run
        # lock and has each worker die with this process.
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                       initializer=worker_init, initargs=(os.getpid(),))
        results = bounded_map(executor, _extract_chunk, jobs, workers * WINDOW_PER_WORKER, CHUNK,
                              chunk_bytes=CHUNK_BYTES, size=lambda job: len(job[1]))
    else:
        executor = None
        results = map(_extract_job, jobs)
    batch: list[dict] = []

    def flush() -> None:
        with dbmod.transaction(db) as conn:
            for record in batch:
                source, digest = sources.pop(record["url"])
                store_record(conn, record, source, digest)
        batch.clear()
        if on_progress:
            on_progress({"done": summary["pages"], "total": total})

    try:
        for record in results:
            summary["pages"] += 1
            summary[record["status"]] += 1
            if record["status"] == "article":  # only articles' records are stored
                summary["treatments"] += len(record["treatments"])
                summary["exercises"] += len(record["exercises"])
                summary["related_links"] += len(record["related"])
            if record["status"] == "failed":
                failed_by_reason[(record.get("reason") or "unknown").split(":")[0]] += 1
            batch.append(record)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
    finally:
        if executor is not None:
            executor.shutdown(cancel_futures=True)
    return {
        "extracted": summary["pages"],
        "articles": summary["article"],
        "not_articles": summary["not_article"],
        "failed": summary["failed"],
        "failed_by_reason": dict(failed_by_reason),
        "treatments": summary["treatments"],
        "exercises": summary["exercises"],
        "related_links": summary["related_links"],
        "extractor_version": EXTRACTOR_VERSION,
        "seconds": round(time.monotonic() - started, 2),
    }

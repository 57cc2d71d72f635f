"""The crawl stage: sources.yaml -> pages table.

A run walks each source's frontier (a table, so a killed run resumes where it
stopped), fetching with :class:`pipeline.fetch.Fetcher` and writing results
in small transactions. Each result commits together with its frontier row's
``done`` mark, so after a kill a URL is either fully recorded or still
queued, never half of each.

A new run re-queues every URL the source already knows (conditional GET
makes unchanged pages cost a 304) plus its start URLs and sitemaps; a run
that finds the previous one unfinished resumes it instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

import sqlite_utils

from pipeline import db as dbmod
from pipeline.discover import page_links, parse_sitemap
from pipeline.fetch import Fetcher, FetchResult, content_hash
from pipeline.pages import keep_version, upsert_page
from pipeline.sources import Config, Source
from pipeline.urls import BadURL, canonical_url, host_of, url_matches

SITEMAP_MAX_BYTES = 50 * 1024 * 1024


def now_iso(ts: float | None = None) -> str:
    return datetime.fromtimestamp(ts if ts is not None else time.time(), timezone.utc).isoformat(timespec="seconds")


@dataclass
class CrawlOptions:
    """How to run a crawl. ``polite=False`` drops pacing (benchmarks only)."""

    polite: bool = True
    transport: str = "aiohttp"
    global_concurrency: int = 32
    max_pages: int | None = None  # overrides every source's max_pages
    fresh: bool = False  # start a new run even if the last one was interrupted
    batch_size: int = 64
    flush_seconds: float = 0.25
    backoff_base: float = 0.5
    keep_versions: int = 3  # versions of a page's HTML kept, the current one included
    fetch_processes: int = 1  # >1: fetch and parse in that many worker processes, write here
    on_progress: Callable[[dict], None] | None = None
    warc: object | None = None  # a pipeline.warc.WarcWriter: every response also goes into WARC files


@dataclass
class RunState:
    """Counters of one run, mirrored into its crawl_runs row."""

    run_id: int
    resumed: bool
    counts: Counter = field(default_factory=Counter)
    failed_by_reason: Counter = field(default_factory=Counter)
    skipped_by_reason: Counter = field(default_factory=Counter)

    def summary(self) -> dict:
        c = self.counts
        return {
            "run_id": self.run_id,
            "resumed": self.resumed,
            "requests": c["requests"],
            "fetched": c["fetched"],
            "new": c["new"],
            "changed": c["changed"],
            "unchanged": c["unchanged"],
            "redirected": c["redirected"],
            "failed": c["failed"],
            "failed_by_reason": dict(self.failed_by_reason.most_common()),
            "blocked_by_robots": c["blocked_by_robots"],
            "skipped": c["skipped"],
            "skipped_by_reason": dict(self.skipped_by_reason.most_common()),
            "duplicates_skipped": c["duplicates_skipped"],
            "gone": c["gone"],
            "sitemaps": c["sitemaps"],
        }


# ---------------------------------------------------------------------------
# Runs and the frontier


def sync_sources(db: sqlite_utils.Database, config: Config) -> None:
    """Mirror sources.yaml into the sources table (for foreign keys and Datasette)."""
    for s in config.sources:
        db["sources"].upsert(
            {
                "name": s.name,
                "allowed_hosts": json.dumps(list(s.allowed_hosts)),
                "start_urls": json.dumps(list(s.start_urls)),
                "sitemaps": json.dumps(list(s.sitemaps)),
                "priority": s.priority,
            },
            pk="name",
        )


def start_run(db: sqlite_utils.Database, sources: list[Source], fresh: bool = False) -> RunState:
    """Resume the last run if it never finished, else open a new one and queue
    every known URL of the sources plus their start URLs and sitemaps."""
    conn = db.conn
    last = conn.execute("SELECT id, status FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
    names = [s.name for s in sources]
    if last and last[1] == "running" and not fresh:
        # We hold the lock, so a "running" run is one whose process died.
        state = RunState(run_id=last[0], resumed=True)
        row = conn.execute("SELECT * FROM crawl_runs WHERE id = ?", (last[0],)).fetchone()
        columns = [d[0] for d in conn.execute("SELECT * FROM crawl_runs LIMIT 0").description]
        saved = dict(zip(columns, row))
        for key in RunState(0, False).summary():
            if isinstance(saved.get(key), int) and key != "run_id":
                state.counts[key] = saved[key]
        state.failed_by_reason.update(json.loads(saved.get("failed_by_reason") or "{}"))
        state.skipped_by_reason.update(json.loads(saved.get("skipped_by_reason") or "{}"))
        state.counts["sitemaps"] = 0
        return state
    with dbmod.transaction(db):
        if last and last[1] == "running":
            conn.execute("UPDATE crawl_runs SET status = 'interrupted' WHERE id = ?", (last[0],))
        cursor = conn.execute(
            "INSERT INTO crawl_runs(started_at, status, sources) VALUES (?, 'running', ?)",
            (now_iso(), json.dumps(names)),
        )
        run_id = cursor.lastrowid
        for source in sources:
            conn.execute("UPDATE frontier SET run_id = ?, state = 'queued' WHERE source = ?", (run_id, source.name))
            seeds = [(u, "page") for u in source.start_urls] + [(u, "sitemap") for u in source.sitemaps]
            for url, kind in seeds:
                try:
                    url = canonical_url(url)
                except BadURL:
                    continue
                enqueue(conn, source.name, run_id, [url], depth=0, found_on=None, kind=kind)
    return RunState(run_id=run_id, resumed=False)


ENQUEUE_SQL = """
INSERT INTO frontier(url, source, depth, hops, found_on, run_id, state, kind)
VALUES (?, ?, ?, ?, ?, ?, 'queued', ?)
ON CONFLICT(url) DO UPDATE SET
    run_id = excluded.run_id, state = 'queued', depth = excluded.depth,
    hops = excluded.hops, found_on = excluded.found_on
WHERE frontier.run_id < excluded.run_id AND frontier.source = excluded.source
"""


def enqueue(conn, source: str, run_id: int, urls: list[str], depth: int, found_on: str | None,
            kind: str = "page", hops: int = 0) -> None:
    """Queue URLs for this run; a URL already queued or done in it is left alone."""
    conn.executemany(ENQUEUE_SQL, [(u, source, depth, hops, found_on, run_id, kind) for u in urls])


def finish_run(db: sqlite_utils.Database, state: RunState, status: str) -> None:
    save_counts(db.conn, state)
    db.conn.execute(
        "UPDATE crawl_runs SET finished_at = ?, status = ? WHERE id = ?", (now_iso(), status, state.run_id)
    )


def save_counts(conn, state: RunState) -> None:
    s = state.summary()
    conn.execute(
        """UPDATE crawl_runs SET requests=?, fetched=?, new=?, changed=?, unchanged=?, redirected=?,
           failed=?, blocked_by_robots=?, skipped=?, duplicates_skipped=?, gone=?, failed_by_reason=?,
           skipped_by_reason=? WHERE id=?""",
        (s["requests"], s["fetched"], s["new"], s["changed"], s["unchanged"], s["redirected"], s["failed"],
         s["blocked_by_robots"], s["skipped"], s["duplicates_skipped"], s["gone"], json.dumps(s["failed_by_reason"]),
         json.dumps(s["skipped_by_reason"]), state.run_id),
    )


# ---------------------------------------------------------------------------
# Crawling one source


@dataclass
class Job:
    url: str
    depth: int
    hops: int
    found_on: str | None
    kind: str


@dataclass
class Outcome:
    """A fetched job plus what was derived from it, waiting to be written."""

    job: Job
    result: FetchResult
    links: list[str] = field(default_factory=list)
    canonical_link: str | None = None
    variants: set[str] = field(default_factory=set)
    sitemap_kind: str | None = None
    sitemap_urls: list[str] = field(default_factory=list)
    content_hash: str | None = None  # of the decoded page, when it has one
    html_compressed: bytes | None = None  # the page as page_html stores it (compress_html)


def internal_error_outcome(job: Job, exc: Exception) -> Outcome:
    """A bug met while fetching a job, as a failed outcome recorded against its URL."""
    return Outcome(job, FetchResult(job.url, "failed", reason=f"internal error: {type(exc).__name__}: {exc}"[:300]))


async def fetch_job(fetcher: Fetcher, source: Source, job: Job, previous: dict | None,
                    sitemap_max_urls: int) -> Outcome:
    """Fetch one frontier job and derive what the writer needs from it: the
    sitemap's URLs, or the page's links, canonical link, content hash and
    compressed HTML.

    Touches no database, so it runs the same in the crawl's own event loop
    and in a fetch process (:mod:`pipeline.fetch_worker`). ``previous`` holds
    the stored page's etag and last_modified, for a conditional request.
    """
    if job.kind == "sitemap":
        result = await fetcher.fetch_bytes(job.url, source, SITEMAP_MAX_BYTES)
        outcome = Outcome(job, result)
        if result.outcome == "ok" and result.body is not None:
            outcome.sitemap_kind, outcome.sitemap_urls = parse_sitemap(result.body, max_urls=sitemap_max_urls)
            result.body = None
        return outcome
    result = await fetcher.fetch_page(job.url, source, previous)
    outcome = Outcome(job, result)
    if result.text is not None:
        outcome.links, outcome.canonical_link, outcome.variants = page_links(
            result.text, job.url, want_links=job.depth < source.max_depth)
        outcome.content_hash = content_hash(result.text)
        outcome.html_compressed = dbmod.compress_html(result.text)
    return outcome


class LocalFetchPool:
    """Runs fetch jobs in the crawl's own event loop: the default, and all a
    polite crawl needs (it waits on pacing, not on the CPU)."""

    def __init__(self, fetcher: Fetcher):
        self.fetcher = fetcher

    async def fetch(self, source: Source, job: Job, previous: dict | None, sitemap_max_urls: int) -> Outcome:
        return await fetch_job(self.fetcher, source, job, previous, sitemap_max_urls)


class SourceCrawler:
    """Walks one source's frontier for one run."""

    def __init__(self, db: sqlite_utils.Database, fetcher: Fetcher, source: Source, state: RunState,
                 options: CrawlOptions, pool: "LocalFetchPool | None" = None):
        self.db = db
        self.conn = db.conn
        self.fetcher = fetcher  # robots.txt for its Sitemap lines; pages go through the pool
        self.pool = pool or LocalFetchPool(fetcher)
        self.source = source
        self.state = state
        self.options = options
        self.include = source.include_patterns
        self.exclude = source.exclude_patterns
        self.hosts = set(source.allowed_hosts)
        self.max_pages = options.max_pages or source.max_pages
        self.pending: list[Outcome] = []
        self.in_flight: set[str] = set()
        self.last_flush = time.monotonic()
        self.recent: set[str] = set()  # URLs enqueued lately: skips repeat DB writes for nav links
        self.variants: set[str] = set()
        (self.pages_done,) = self.conn.execute(
            "SELECT count(*) FROM frontier WHERE source=? AND run_id=? AND state='done' AND kind='page'",
            (source.name, state.run_id),
        ).fetchone()
        self.wake = asyncio.Event()

    def wanted(self, url: str) -> bool:
        return host_of(url) in self.hosts and url_matches(url, self.include, self.exclude)

    async def run(self) -> None:
        await self.queue_robots_sitemaps()
        workers = self.options.global_concurrency
        if self.fetcher.polite:
            workers = min(workers, self.source.concurrency * max(1, len(self.hosts)))
        queue: asyncio.Queue[Job | None] = asyncio.Queue(maxsize=workers * 2)
        tasks = [asyncio.create_task(self.worker(queue)) for _ in range(workers)]
        try:
            await self.produce(queue, workers)
        finally:
            for _ in tasks:
                await queue.put(None)
            await asyncio.gather(*tasks, return_exceptions=True)
            self.flush()

    async def queue_robots_sitemaps(self) -> None:
        if not self.source.use_robots_sitemaps:
            return
        seeds = list(self.source.start_urls) + list(self.source.sitemaps)
        hosts_done: set[str] = set()
        for seed in seeds:
            host = host_of(seed)
            if host in hosts_done:
                continue
            hosts_done.add(host)
            robots = await self.fetcher.robots_for(seed, self.source)
            urls = []
            for url in robots.sitemaps():
                try:
                    url = canonical_url(url)
                except BadURL:
                    continue
                if host_of(url) in self.hosts:
                    urls.append(url)
            if urls:
                with dbmod.transaction(self.db):
                    enqueue(self.conn, self.source.name, self.state.run_id, urls, 0, None, kind="sitemap")

    async def produce(self, queue: asyncio.Queue, workers: int) -> None:
        while True:
            self.flush()
            budget = self.max_pages - self.pages_done - sum(1 for _ in self.in_flight)
            rows = self.conn.execute(
                """SELECT url, depth, hops, found_on, kind FROM frontier
                   WHERE source=? AND run_id=? AND state='queued'
                   ORDER BY kind = 'page', depth, rowid LIMIT ?""",
                (self.source.name, self.state.run_id, workers * 4 + len(self.in_flight)),
            ).fetchall()
            jobs = [Job(*row) for row in rows if row[0] not in self.in_flight]
            jobs = [j for j in jobs if j.kind == "sitemap" or budget > 0]
            page_jobs = 0
            for job in jobs:
                if job.kind == "page":
                    if page_jobs >= budget:
                        continue
                    page_jobs += 1
                self.in_flight.add(job.url)
                await queue.put(job)
            if not jobs:
                if not self.in_flight:
                    self.flush()
                    if not self.pending:
                        return
                self.wake.clear()
                try:
                    await asyncio.wait_for(self.wake.wait(), timeout=self.options.flush_seconds)
                except TimeoutError:
                    pass

    async def worker(self, queue: asyncio.Queue) -> None:
        while True:
            job = await queue.get()
            if job is None:
                return
            try:
                outcome = await self.process(job)
            except Exception as exc:  # a bug must not stop the run: record it against the page
                outcome = internal_error_outcome(job, exc)
            self.pending.append(outcome)
            if len(self.pending) >= self.options.batch_size or time.monotonic() - self.last_flush > self.options.flush_seconds:
                self.flush()
            self.wake.set()

    async def process(self, job: Job) -> Outcome:
        previous = None
        if job.kind == "page":
            row = self.conn.execute(
                "SELECT etag, last_modified FROM pages WHERE url = ? AND outcome IN ('ok', 'unchanged')", (job.url,)
            ).fetchone()
            previous = {"etag": row[0], "last_modified": row[1]} if row else None
        outcome = await self.pool.fetch(self.source, job, previous, max(self.max_pages * 2, 1000))
        if outcome.result.outcome == "unchanged":
            # A 304 has no body: the links come from the copy we stored.
            text = dbmod.page_html(self.db, job.url)
            if text is not None:
                outcome.links, outcome.canonical_link, outcome.variants = page_links(
                    text, job.url, want_links=job.depth < self.source.max_depth)
        return outcome

    # -- writing ----------------------------------------------------------

    def flush(self) -> None:
        """Write pending outcomes in one transaction."""
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        with dbmod.transaction(self.db):
            for outcome in batch:
                self.record(outcome)
            save_counts(self.conn, self.state)
        for outcome in batch:
            self.in_flight.discard(outcome.job.url)
        self.last_flush = time.monotonic()
        if self.options.on_progress:
            self.options.on_progress(self.state.summary())

    def record(self, outcome: Outcome) -> None:
        job, result = outcome.job, outcome.result
        if self.options.warc is not None:  # crawl --warc DIR: the response and its request, as fetched
            self.options.warc.write_outcome(outcome, self.source.user_agent)
        counts = self.state.counts
        counts["requests"] += max(result.attempts, 1 if result.outcome != "blocked" else 0)
        self.conn.execute(
            "UPDATE frontier SET state='done' WHERE url=? AND run_id=?", (job.url, self.state.run_id)
        )
        if job.kind == "sitemap":
            self.record_sitemap(outcome)
            return
        self.pages_done += 1
        if result.outcome not in ("blocked",):
            counts["fetched"] += 1
        row = {
            "url": job.url,
            "source": self.source.name,
            "status_code": result.status_code,
            "outcome": result.outcome,
            "reason": result.reason,
            "fetched_at": now_iso(result.fetched_at),
            "depth": job.depth,
            "found_on": job.found_on,
            "crawl_run_id": self.state.run_id,
            "final_url": result.final_url,
        }
        existing = self.conn.execute(
            "SELECT content_hash, first_seen_at, changed_at, outcome FROM pages WHERE url=?", (job.url,)
        ).fetchone()
        row["first_seen_at"] = existing[1] if existing else row["fetched_at"]
        if result.outcome == "ok" and outcome.content_hash is not None:
            digest = outcome.content_hash
            row.update(
                content_type=result.content_type, encoding=result.encoding, size=result.size,
                content_hash=digest, etag=result.etag, last_modified=result.last_modified,
                canonical_link=outcome.canonical_link,
            )
            if existing is None or existing[0] is None:
                counts["new"] += 1
                row["changed_at"] = row["fetched_at"]
            elif existing[0] != digest:
                counts["changed"] += 1
                row["changed_at"] = row["fetched_at"]
            else:
                counts["unchanged"] += 1
                row["outcome"] = "unchanged"
                row["reason"] = "same content"
        elif result.outcome == "unchanged":
            counts["unchanged"] += 1
            row["reason"] = "304 not modified"
            # Keep what a 304 does not resend.
            if result.etag:
                row["etag"] = result.etag
            if result.last_modified:
                row["last_modified"] = result.last_modified
        elif result.outcome == "redirect":
            self.record_redirect(outcome, row)
        elif result.outcome == "blocked":
            counts["blocked_by_robots"] += 1
        elif result.outcome == "skipped":
            counts["skipped"] += 1
            self.state.skipped_by_reason[_reason_key(result.reason)] += 1
        elif result.status_code in (404, 410) and existing is not None and existing[0] is not None:
            # A page we had is no longer served: marked gone, its content kept.
            row["outcome"] = "gone"
            row["reason"] = f"{result.reason}: removed from the site"
            counts["gone"] += 1
        else:
            counts["failed"] += 1
            self.state.failed_by_reason[_reason_key(result.reason)] += 1
        changed = row.get("changed_at") is not None and outcome.html_compressed is not None
        if changed and existing is not None and existing[0] is not None:
            self.keep_version(job.url)  # before the row and the HTML are replaced
        self.upsert_page(row)
        if changed:
            self.conn.execute(
                "INSERT OR REPLACE INTO page_html(url, content_hash, html) VALUES (?, ?, ?)",
                (job.url, row["content_hash"], outcome.html_compressed),
            )
        if outcome.links:
            self.enqueue_links(outcome.links, job.depth + 1, job.url)
        self.count_variants(outcome.variants)

    def keep_version(self, url: str) -> None:
        keep_version(self.conn, url, self.options.keep_versions)

    def record_redirect(self, outcome: Outcome, row: dict) -> None:
        job, result = outcome.job, outcome.result
        counts = self.state.counts
        target = result.final_url
        if target is None:
            return
        if not self.wanted(target):
            row["outcome"] = "skipped"
            why = "another host" if host_of(target) not in self.hosts else "a URL the source excludes"
            row["reason"] = f"redirect to {why}: {target[:200]}"
            counts["skipped"] += 1
            self.state.skipped_by_reason[f"redirect to {why}"] += 1
            return
        if job.hops + 1 > self.source.max_redirects:
            row["outcome"] = "failed"
            row["reason"] = f"too many redirects (more than {self.source.max_redirects})"
            counts["failed"] += 1
            self.state.failed_by_reason["too many redirects"] += 1
            return
        counts["redirected"] += 1
        before = self.conn.total_changes
        enqueue(self.conn, self.source.name, self.state.run_id, [target], job.depth, job.url, hops=job.hops + 1)
        if self.conn.total_changes == before:
            counts["duplicates_skipped"] += 1  # the target is already known: fetched once only

    def record_sitemap(self, outcome: Outcome) -> None:
        result = outcome.result
        counts = self.state.counts
        counts["sitemaps"] += 1
        if result.outcome != "ok":
            key = f"sitemap: {_reason_key(result.reason or result.outcome)}"
            if result.outcome == "blocked":
                counts["blocked_by_robots"] += 1
            else:
                counts["failed"] += 1
                self.state.failed_by_reason[key] += 1
            return
        urls = []
        for raw in outcome.sitemap_urls:
            try:
                url = canonical_url(raw)
            except BadURL:
                continue
            if host_of(url) in self.hosts:
                urls.append(url)
        if outcome.sitemap_kind == "index":
            enqueue(self.conn, self.source.name, self.state.run_id, urls, 0, outcome.job.url, kind="sitemap")
        else:
            self.enqueue_links([u for u in urls if self.wanted(u)], 0, outcome.job.url, from_sitemap=True)

    def count_variants(self, variants: set[str]) -> None:
        """Count each other spelling of a known URL once: these are the
        duplicate URLs canonicalisation saved a fetch for."""
        new = variants - self.variants
        if new:
            self.state.counts["duplicates_skipped"] += len(new)
            self.variants |= new
            if len(self.variants) > 200_000:  # bounded; a rare recount is harmless
                self.variants.clear()

    def enqueue_links(self, links: list[str], depth: int, found_on: str, from_sitemap: bool = False) -> None:
        fresh = []
        for url in links:
            if url in self.recent or not (from_sitemap or self.wanted(url)):
                continue
            fresh.append(url)
            self.recent.add(url)
        if len(self.recent) > 200_000:  # bounded: memory stays flat however large the site
            self.recent.clear()
        if fresh:
            enqueue(self.conn, self.source.name, self.state.run_id, fresh, depth, found_on)

    def upsert_page(self, row: dict) -> None:
        upsert_page(self.conn, row)


def _reason_key(reason: str | None) -> str:
    """Group reasons for the summary: 'too large (over 5 bytes)' -> 'too large'."""
    if not reason:
        return "unknown"
    return reason.split(" (")[0].split(":")[0].split(";")[0].strip()


# ---------------------------------------------------------------------------
# Entry point


def crawl(db: sqlite_utils.Database, config: Config, source_names: list[str] | None = None,
          options: CrawlOptions | None = None) -> dict:
    """Crawl the named sources (all by default) and return the run's summary.

    The caller holds the run lock (see :func:`pipeline.db.run_lock`).
    """
    options = options or CrawlOptions()
    sources = [config.source(n) for n in source_names] if source_names else config.enabled_sources
    sync_sources(db, config)
    state = start_run(db, sources, fresh=options.fresh)
    try:
        asyncio.run(_crawl_sources(db, sources, state, options))
    except BaseException:
        save_counts(db.conn, state)  # status stays 'running', so the next run resumes
        raise
    finish_run(db, state, "completed")
    summary = state.summary()
    summary["sources"] = [s.name for s in sources]
    return summary


def fetcher_options(sources: list[Source], options: CrawlOptions) -> dict:
    """The keyword arguments of the crawl's Fetcher (and of each fetch process's)."""
    return dict(
        global_concurrency=options.global_concurrency,
        polite=options.polite,
        transport=options.transport,
        backoff_base=options.backoff_base,
        private_hosts={h for s in sources if s.allow_private_addresses for h in s.allowed_hosts},
    )


async def _crawl_sources(db, sources: list[Source], state: RunState, options: CrawlOptions) -> None:
    fetching = fetcher_options(sources, options)
    async with Fetcher(**fetching) as fetcher, contextlib.AsyncExitStack() as stack:
        pool = LocalFetchPool(fetcher)
        if options.fetch_processes > 1:
            from pipeline.fetch_worker import ProcessFetchPool

            pool = await stack.enter_async_context(ProcessFetchPool(options.fetch_processes, sources, fetching))
        await asyncio.gather(*(SourceCrawler(db, fetcher, s, state, options, pool).run() for s in sources))

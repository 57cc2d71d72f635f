"""The crawl stage: sources.yaml -> pages table.

A run walks each source's frontier (a table, so a killed run resumes where it
stopped), fetching with :class:`pipeline.fetch.Fetcher` and writing results
in small transactions. Each result commits together with its frontier row's
``done`` mark, so after a kill a URL is either fully recorded or still
queued, never half of each.

A new run re-queues every URL the source already knows (conditional GET
makes unchanged pages cost a 304) plus its start URLs and sitemaps; a run
that finds the previous one unfinished resumes it instead. URLs never
fetched go first, then the least recently fetched, so a ``max_pages``
smaller than the site still covers all of it over successive runs.

A failure never takes away what an earlier run stored: a page that times
out, is refused, answers 5xx or 429, or is blocked because robots.txt is
unavailable keeps its last good version (its HTML, extraction and place in
the curated dataset). Only a confirmed removal takes it out: 404/410 on two
runs in a row, or gone from a sitemap that was read whole and unreachable.
Such a page's outcome is ``removed``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

import sqlite_utils

from pipeline import db as dbmod
from pipeline.db import now_iso  # noqa: F401 (reachable here, as before)
from pipeline.discover import page_links
from pipeline.fetch import Fetcher
from pipeline.fetch_job import Fetched, Job, LocalFetchPool, internal_error
from pipeline.outcomes import Outcome, Reason, count_key, is_removal
from pipeline.pages import keep_version
from pipeline.sources import Config, Source
from pipeline.urls import BadURL, canonical_url, host_of, url_matches

PAGE_COLUMNS = ("f.url, f.depth, f.hops, f.found_on, f.kind, p.etag, p.last_modified, p.url, p.content_hash, "
                "p.first_seen_at, p.missing_runs, p.crawl_run_id, p.outcome")
MAX_SITEMAP_DEPTH = 3  # an index of indexes of sitemaps; deeper chains end here
REMOVAL_RUNS = 2  # 404/410 on this many runs in a row confirms a removal


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
    max_seconds: float | None = None  # the run's time budget; what is left is deferred to the next run
    on_progress: Callable[[dict], None] | None = None
    warc: object | None = None  # a pipeline.warc.WarcWriter: every response also goes into WARC files


SOURCE_KEYS = ("fetched", "new", "changed", "unchanged", "redirected", "failed", "removed", "blocked_by_robots",
               "skipped", "deferred")


@dataclass
class RunState:
    """Counters of one run, mirrored into its crawl_runs row."""

    run_id: int
    resumed: bool
    counts: Counter = field(default_factory=Counter)
    failed_by_reason: Counter = field(default_factory=Counter)
    skipped_by_reason: Counter = field(default_factory=Counter)
    deferred_by_reason: Counter = field(default_factory=Counter)
    sitemaps_failed_by_reason: Counter = field(default_factory=Counter)
    by_source: dict[str, Counter] = field(default_factory=dict)

    COUNTERS = ("counts", "failed_by_reason", "skipped_by_reason", "deferred_by_reason", "sitemaps_failed_by_reason")

    def snapshot(self) -> dict:
        return {**{name: Counter(getattr(self, name)) for name in self.COUNTERS},
                "by_source": {k: Counter(v) for k, v in self.by_source.items()}}

    def restore(self, saved: dict) -> None:
        for name, value in saved.items():
            setattr(self, name, value)

    def add(self, source: str, key: str, n: int = 1) -> None:
        """Count for the run and for the source."""
        self.counts[key] += n
        if key in SOURCE_KEYS:
            self.by_source.setdefault(source, Counter())[key] += n

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
            "removed": c["removed"],
            "blocked_by_robots": c["blocked_by_robots"],
            "skipped": c["skipped"],
            "skipped_by_reason": dict(self.skipped_by_reason.most_common()),
            "deferred": c["deferred"],
            "deferred_by_reason": dict(self.deferred_by_reason.most_common()),
            "duplicates_skipped": c["duplicates_skipped"],
            "sitemaps": c["sitemaps"],
            "sitemaps_failed": c["sitemaps_failed"],
            "sitemaps_failed_by_reason": dict(self.sitemaps_failed_by_reason.most_common()),
            "by_source": {name: {k: counter[k] for k in SOURCE_KEYS} for name, counter in sorted(self.by_source.items())},
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


COUNT_COLUMNS = ("requests", "fetched", "new", "changed", "unchanged", "redirected", "failed", "blocked_by_robots",
                 "skipped", "duplicates_skipped", "deferred")


def start_run(db: sqlite_utils.Database, sources: list[Source], fresh: bool = False) -> RunState:
    """Resume the last run if it never finished, else open a new one and queue
    every known URL of the sources plus their start URLs and sitemaps."""
    conn = db.conn
    last = conn.execute("SELECT id, status FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
    names = [s.name for s in sources]
    if last and last[1] == "running" and not fresh:
        # We hold the lock, so a "running" run is one whose process died.
        state = RunState(run_id=last[0], resumed=True)
        cursor = conn.execute("SELECT * FROM crawl_runs WHERE id = ?", (last[0],))
        saved = dict(zip([d[0] for d in cursor.description], cursor.fetchone()))
        for key in COUNT_COLUMNS:
            state.counts[key] = saved.get(key) or 0
        state.counts["removed"] = saved.get("gone") or 0
        state.failed_by_reason.update(json.loads(saved.get("failed_by_reason") or "{}"))
        state.skipped_by_reason.update(json.loads(saved.get("skipped_by_reason") or "{}"))
        state.deferred_by_reason.update(json.loads(saved.get("deferred_by_reason") or "{}"))
        for name, counts in json.loads(saved.get("by_source") or "{}").items():
            state.by_source[name] = Counter(counts)
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
            conn.execute("UPDATE frontier SET run_id = ?, state = 'queued', result = NULL WHERE source = ?",
                         (run_id, source.name))
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

# A page a sitemap lists: queued like a link, and marked as listed in this
# run whatever its state (a page that drops out of the sitemaps and stops
# answering is removed: see SourceCrawler.confirm_sitemap_removals).
ENQUEUE_LISTED_SQL = """
INSERT INTO frontier(url, source, depth, hops, found_on, run_id, state, kind, listed_run)
VALUES (?, ?, 0, 0, ?, ?, 'queued', 'page', ?)
ON CONFLICT(url) DO UPDATE SET
    listed_run = excluded.listed_run,
    state = CASE WHEN frontier.run_id < excluded.run_id THEN 'queued' ELSE frontier.state END,
    depth = CASE WHEN frontier.run_id < excluded.run_id THEN 0 ELSE frontier.depth END,
    hops = CASE WHEN frontier.run_id < excluded.run_id THEN 0 ELSE frontier.hops END,
    found_on = CASE WHEN frontier.run_id < excluded.run_id THEN excluded.found_on ELSE frontier.found_on END,
    run_id = max(frontier.run_id, excluded.run_id)
WHERE frontier.source = excluded.source AND frontier.kind = 'page'
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
           skipped_by_reason=?, deferred=?, deferred_by_reason=?, by_source=? WHERE id=?""",
        (s["requests"], s["fetched"], s["new"], s["changed"], s["unchanged"], s["redirected"], s["failed"],
         s["blocked_by_robots"], s["skipped"], s["duplicates_skipped"], s["removed"],
         json.dumps(s["failed_by_reason"]), json.dumps(s["skipped_by_reason"]), s["deferred"],
         json.dumps(s["deferred_by_reason"]), json.dumps(s["by_source"]), state.run_id),
    )


# ---------------------------------------------------------------------------
# Crawling one source


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
        self.pending: list[Fetched] = []
        self.in_flight: set[str] = set()
        self.sitemaps_in_flight: set[str] = set()
        self.last_flush = time.monotonic()
        self.recent: set[str] = set()  # URLs enqueued lately: skips repeat DB writes for nav links
        self.unwanted: dict[str, bool] = {}
        # Rows of the batch being recorded, written together by write_rows().
        self.done_rows: list[tuple] = []
        self.page_rows: dict[tuple[str, ...], list[tuple]] = {}
        self.html_rows: list[tuple] = []
        self.variants: set[str] = set()
        self.pages_done, self.sitemaps_started = self.conn.execute(
            "SELECT count(*) FILTER (WHERE kind = 'page'), count(*) FILTER (WHERE kind = 'sitemap') FROM frontier "
            "WHERE source=? AND run_id=? AND state IN ('done', 'deferred')",
            (source.name, state.run_id),
        ).fetchone()
        self.out_of_time = False
        self.discovering = True  # sitemaps and start pages first, alone
        self.wake = asyncio.Event()

    def wanted(self, url: str) -> bool:
        return host_of(url) in self.hosts and url_matches(url, self.include, self.exclude)

    def unwanted_link(self, url: str) -> bool:
        """A link the source does not want (cached: navigation and footer
        links recur on every page)."""
        cached = self.unwanted.get(url)
        if cached is None:
            if len(self.unwanted) > 200_000:  # bounded, like ``recent``
                self.unwanted.clear()
            cached = self.unwanted[url] = not self.wanted(url)
        return cached

    async def run(self) -> None:
        await self.queue_robots_sitemaps()
        workers = self.options.global_concurrency
        if self.fetcher.polite:
            workers = min(workers, self.source.concurrency * max(1, len(self.hosts)))
        queue: asyncio.Queue[Job | None] = asyncio.Queue(maxsize=workers * 2)
        tasks = [asyncio.create_task(self.worker(queue)) for _ in range(workers)]
        try:
            await self.produce(queue, workers)
        except BaseException:
            # Cancelled (Ctrl-C, SIGTERM) or failed: stop the workers rather
            # than queue their stop marks (the queue may be full, and nobody
            # would take them), keep what was fetched, and go.
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self.flush()
            raise
        for _ in tasks:
            await queue.put(None)
        await asyncio.gather(*tasks, return_exceptions=True)
        self.flush()
        self.defer_the_rest()
        self.confirm_sitemap_removals()

    async def queue_robots_sitemaps(self) -> None:
        if not self.source.use_robots_sitemaps:
            return
        seeds = list(self.source.start_urls) + list(self.source.sitemaps)
        hosts_done: set[str] = set()
        for seed in seeds:
            host = host_of(seed)
            if host in hosts_done or self.fetcher.deferral(seed, self.source):
                continue
            hosts_done.add(host)
            if await self.fetcher.refusal(seed, self.source):
                continue
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

    def next_jobs(self, workers: int) -> list[Job]:
        """Queued jobs to start now: first what finds URLs (sitemaps, within
        the sitemap budget, and the start pages), alone; then pages never
        fetched, then the least recently fetched. So a run whose max_pages is
        smaller than the site reads the start pages and sitemaps anew, and
        fetches the articles they newly list before refreshing old ones."""
        jobs: list[Job] = []
        sitemap_rows = self.conn.execute(
            "SELECT url, depth, hops, found_on, kind FROM frontier WHERE source=? AND run_id=? AND state='queued' "
            "AND kind='sitemap' ORDER BY depth, rowid LIMIT ?",
            (self.source.name, self.state.run_id, workers + len(self.in_flight))).fetchall()
        for row in sitemap_rows:
            if row[0] in self.in_flight:
                continue
            if self.sitemaps_started >= self.source.max_sitemaps:
                # The budget is spent: every sitemap still queued waits for the next run.
                flying = [*self.sitemaps_in_flight, *(j.url for j in jobs)]
                deferred = self.conn.execute(
                    "UPDATE frontier SET state='deferred' WHERE source=? AND run_id=? AND state='queued' "
                    f"AND kind='sitemap' AND url NOT IN ({','.join('?' for _ in flying)})",
                    (self.source.name, self.state.run_id, *flying)).rowcount
                self.state.add(self.source.name, "deferred", deferred)
                self.state.deferred_by_reason[count_key(Reason.SITEMAP_BUDGET)] += deferred
                break
            self.sitemaps_started += 1
            jobs.append(Job(*row))
        if self.discovering:
            seeds = self.conn.execute(
                "SELECT url FROM frontier INDEXED BY frontier_seeds WHERE source=? AND run_id=? AND state='queued' "
                "AND kind='page' AND found_on IS NULL", (self.source.name, self.state.run_id)).fetchall()
            seeds = [s for (s,) in seeds if s not in self.in_flight]
            rows = self.rows_for_urls(seeds) if seeds else []
            if rows or jobs or self.in_flight:
                return jobs + self.page_jobs(rows)
            self.discovering = False  # the start pages and sitemaps are done: on to the rest
        budget = self.max_pages - self.pages_done - (len(self.in_flight) - len(self.sitemaps_in_flight))
        if budget > 0:
            rows = self.conn.execute(
                f"""SELECT {PAGE_COLUMNS} FROM frontier f LEFT JOIN pages p ON p.url = f.url
                   WHERE f.source=? AND f.run_id=? AND f.state='queued' AND f.kind='page'
                   ORDER BY f.fetched_at, f.depth, f.rowid LIMIT ?""",
                (self.source.name, self.state.run_id, workers * 4 + len(self.in_flight)),
            ).fetchall()
            jobs += self.page_jobs([r for r in rows if r[0] not in self.in_flight][:budget])
        return jobs

    def rows_for_urls(self, urls: list[str]) -> list[tuple]:
        marks = ",".join("?" for _ in urls)
        return self.conn.execute(f"SELECT {PAGE_COLUMNS} FROM frontier f LEFT JOIN pages p ON p.url = f.url "
                                 f"WHERE f.url IN ({marks})", urls).fetchall()

    @staticmethod
    def page_jobs(rows: list[tuple]) -> list[Job]:
        jobs = []
        for url, depth, hops, found_on, kind, etag, modified, known, *stored in rows:
            # The stored version's validators, even when the last fetch failed:
            # that version is the one kept.
            previous = {"etag": etag, "last_modified": modified} if stored[0] and (etag or modified) else None
            jobs.append(Job(url, depth, hops, found_on, kind, previous, tuple(stored) if known else None))
        return jobs

    async def produce(self, queue: asyncio.Queue, workers: int) -> None:
        while True:
            self.flush()
            if self.fetcher.deadline is not None and time.time() >= self.fetcher.deadline:
                self.out_of_time = True  # nothing new starts; what is in flight finishes
                jobs = []
            else:
                jobs = self.next_jobs(workers)
            for job in jobs:
                if job.kind == "sitemap":
                    self.sitemaps_in_flight.add(job.url)
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
                fetched = await self.process(job)
            except Exception as exc:  # a bug must not stop the run: record it against the page
                fetched = internal_error(job, exc)
            self.pending.append(fetched)
            if len(self.pending) >= self.options.batch_size or time.monotonic() - self.last_flush > self.options.flush_seconds:
                self.flush()
            self.wake.set()

    async def process(self, job: Job) -> Fetched:
        fetched = await self.pool.fetch(self.source, job, max(self.max_pages * 2, 1000))
        if fetched.result.outcome == Outcome.UNCHANGED and job.depth < self.source.max_depth:
            # A 304 has no body: the links come from the copy we stored.
            text = dbmod.page_html(self.db, job.url)
            if text is not None:
                fetched.links, fetched.canonical_link, fetched.variants = page_links(
                    text, job.url, hosts=self.source.allowed_hosts)
        return fetched

    # -- writing ----------------------------------------------------------

    def flush(self) -> None:
        """Write pending results in one transaction."""
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        saved = self.state.snapshot()
        try:
            with dbmod.transaction(self.db):
                for fetched in batch:
                    self.record(fetched)
                self.write_rows()
                save_counts(self.conn, self.state)
        except BaseException:
            self.state.restore(saved)  # the batch was rolled back: so are its counts
            self.done_rows, self.page_rows, self.html_rows = [], {}, []
            raise
        for fetched in batch:
            self.in_flight.discard(fetched.job.url)
            self.sitemaps_in_flight.discard(fetched.job.url)
        self.last_flush = time.monotonic()
        if self.options.on_progress:
            self.options.on_progress(self.state.summary())

    def defer(self, job: Job, reason: Reason, detail: str) -> None:
        """Leave a job for the next run (which takes it before the others)."""
        self.conn.execute("UPDATE frontier SET state='deferred' WHERE url=? AND run_id=?", (job.url, self.state.run_id))
        self.state.add(self.source.name, "deferred")
        self.state.deferred_by_reason[count_key(reason)] += 1

    def defer_the_rest(self) -> None:
        """After the run's time budget: count what is left queued as deferred."""
        if not self.out_of_time:
            return
        with dbmod.transaction(self.db):
            cursor = self.conn.execute("UPDATE frontier SET state='deferred' WHERE source=? AND run_id=? AND state='queued'",
                                       (self.source.name, self.state.run_id))
            if cursor.rowcount:
                self.state.add(self.source.name, "deferred", cursor.rowcount)
                self.state.deferred_by_reason[count_key(Reason.RUN_TIME_BUDGET)] += cursor.rowcount
            save_counts(self.conn, self.state)

    def record(self, fetched: Fetched) -> None:
        job, result = fetched.job, fetched.result
        name = self.source.name
        if result.outcome == Outcome.DEFERRED:
            self.defer(job, result.reason, result.detail or "")
            return
        if self.options.warc is not None:  # crawl --warc DIR: the response and its request, as fetched
            self.options.warc.write_outcome(fetched, self.source.user_agent)
        self.state.counts["requests"] += fetched.requests
        now = now_iso(result.fetched_at)
        mark = None
        if job.kind == "sitemap":  # a sitemap read only in part cannot say which pages it no longer lists
            mark = "truncated" if fetched.sitemap_truncated and result.outcome == Outcome.OK else str(result.outcome)
        self.done_rows.append((now, mark, job.url, self.state.run_id))
        if job.kind == "sitemap":
            self.record_sitemap(fetched)
            return
        self.pages_done += 1
        if result.outcome != Outcome.BLOCKED:
            self.state.add(name, "fetched")
        row = {
            "url": job.url,
            "source": name,
            "status_code": result.status_code,
            "outcome": str(result.outcome),
            "reason": str(result.reason) if result.reason else None,
            "detail": result.detail,
            "fetched_at": now,
            "depth": job.depth,
            "found_on": job.found_on,
            "crawl_run_id": self.state.run_id,
            "final_url": result.final_url,
        }
        existing = job.stored  # read with the job: only this crawl writes the row meanwhile
        had_content = existing is not None and existing[0] is not None
        row["first_seen_at"] = existing[1] if existing else now
        if result.outcome in (Outcome.OK, Outcome.UNCHANGED):
            row.update(good_at=now, missing_runs=0, removed_at=None)
        if result.outcome == Outcome.OK and fetched.content_hash is not None:
            digest = fetched.content_hash
            row.update(
                content_type=result.content_type, encoding=result.encoding, size=result.size,
                content_hash=digest, etag=result.etag, last_modified=result.last_modified,
                canonical_link=fetched.canonical_link,
            )
            if not had_content:
                self.state.add(name, "new")
                row["changed_at"] = now
            elif existing[0] != digest:
                self.state.add(name, "changed")
                row["changed_at"] = now
            else:
                self.state.add(name, "unchanged")
                row["outcome"], row["reason"] = str(Outcome.UNCHANGED), str(Reason.SAME_CONTENT)
        elif result.outcome in (Outcome.OK, Outcome.UNCHANGED):
            self.state.add(name, "unchanged")
            # Keep what a 304 does not resend.
            if result.etag:
                row["etag"] = result.etag
            if result.last_modified:
                row["last_modified"] = result.last_modified
        elif result.outcome == Outcome.REDIRECT:
            self.record_redirect(fetched, row)
        elif result.outcome == Outcome.BLOCKED:
            self.state.add(name, "blocked_by_robots")
        elif result.outcome == Outcome.SKIPPED:
            self.state.add(name, "skipped")
            self.state.skipped_by_reason[count_key(result.reason)] += 1
        elif had_content and is_removal(result.status_code):
            # A page we had answers 404/410: once may be a mistake of the site's
            # (a deploy, a bad cache); on the next run too, it is removed.
            missing = (existing[2] or 0) + (existing[3] != self.state.run_id)
            row["missing_runs"] = missing
            if missing >= REMOVAL_RUNS or existing[4] == Outcome.REMOVED:
                row.update(outcome=str(Outcome.REMOVED), reason=str(Reason.REMOVED),
                           detail=f"{result.detail} on {missing} runs in a row")
                if existing[4] != Outcome.REMOVED:
                    row["removed_at"] = now  # when it was confirmed, kept while it stays away
                    self.state.add(name, "removed")
            else:
                row["detail"] = f"{result.detail} (the stored version is kept: removed if it is still missing next run)"
                self.state.add(name, "failed")
                self.state.failed_by_reason[count_key(result.reason)] += 1
        else:
            self.state.add(name, "failed")
            self.state.failed_by_reason[count_key(result.reason)] += 1
        changed = row.get("changed_at") is not None and fetched.html_compressed is not None
        if changed and had_content:
            self.keep_version(job.url)  # before the row and the HTML are replaced
        self.page_rows.setdefault(tuple(row), []).append(tuple(row.values()))
        if changed:
            self.html_rows.append((job.url, row["content_hash"], fetched.html_compressed))
        if fetched.links:
            self.enqueue_links(fetched.links, job.depth + 1, job.url)
        self.count_variants(fetched.variants)

    def keep_version(self, url: str) -> None:
        keep_version(self.conn, url, self.options.keep_versions)

    def record_redirect(self, fetched: Fetched, row: dict) -> None:
        job, result = fetched.job, fetched.result
        name = self.source.name
        target = result.final_url
        if target is None:
            return
        if not self.wanted(target):
            off_site = host_of(target) not in self.hosts
            reason = Reason.REDIRECT_OFF_SITE if off_site else Reason.REDIRECT_EXCLUDED
            row.update(outcome=str(Outcome.SKIPPED), reason=str(reason), detail=f"HTTP {result.status_code} to {target[:200]}")
            self.state.add(name, "skipped")
            self.state.skipped_by_reason[count_key(reason)] += 1
            return
        if job.hops + 1 > self.source.max_redirects:
            row.update(outcome=str(Outcome.FAILED), reason=str(Reason.TOO_MANY_REDIRECTS),
                       detail=f"more than {self.source.max_redirects} redirects")
            self.state.add(name, "failed")
            self.state.failed_by_reason[count_key(Reason.TOO_MANY_REDIRECTS)] += 1
            return
        self.state.add(name, "redirected")
        before = self.conn.total_changes
        enqueue(self.conn, self.source.name, self.state.run_id, [target], job.depth, job.url, hops=job.hops + 1)
        if self.conn.total_changes == before:
            self.state.counts["duplicates_skipped"] += 1  # the target is already known: fetched once only

    def record_sitemap(self, fetched: Fetched) -> None:
        result = fetched.result
        self.state.counts["sitemaps"] += 1
        if result.outcome != Outcome.OK:
            self.state.counts["sitemaps_failed"] += 1
            self.state.sitemaps_failed_by_reason[count_key(result.reason)] += 1
            return
        urls = []
        for raw in fetched.sitemap_urls:
            try:
                url = canonical_url(raw)
            except BadURL:
                continue
            if host_of(url) in self.hosts:
                urls.append(url)
        if fetched.sitemap_kind == "index":
            if fetched.job.depth + 1 > MAX_SITEMAP_DEPTH:
                self.state.counts["sitemaps_failed"] += 1
                self.state.sitemaps_failed_by_reason["sitemap index nested too deep"] += 1
                return
            self.conn.executemany(ENQUEUE_SQL, [(u, self.source.name, fetched.job.depth + 1, 0, fetched.job.url,
                                                 self.state.run_id, "sitemap") for u in urls])
        else:
            wanted = [u for u in urls if self.wanted(u)]
            self.conn.executemany(ENQUEUE_LISTED_SQL, [(u, self.source.name, fetched.job.url, self.state.run_id,
                                                        self.state.run_id) for u in wanted])
            self.recent.update(wanted)

    def confirm_sitemap_removals(self) -> None:
        """Pages a sitemap listed on an earlier run, missing from this run's
        sitemaps (all read, none cut short) and unreachable now: removed."""
        run_id = self.state.run_id
        complete = self.conn.execute(
            "SELECT count(*) FILTER (WHERE result = 'ok'), count(*) FILTER (WHERE result IS NOT 'ok') "
            "FROM frontier WHERE source=? AND run_id=? AND kind='sitemap'", (self.source.name, run_id)).fetchone()
        if not complete[0] or complete[1]:
            return
        gone = self.conn.execute(
            """SELECT p.url, p.reason FROM pages p JOIN frontier f ON f.url = p.url
               WHERE p.source=? AND p.crawl_run_id=? AND p.outcome='failed' AND p.content_hash IS NOT NULL
               AND f.listed_run IS NOT NULL AND f.listed_run < ?""", (self.source.name, run_id, run_id)).fetchall()
        if not gone:
            return
        now = now_iso()
        with dbmod.transaction(self.db):
            for url, reason in gone:
                self.conn.execute(
                    "UPDATE pages SET outcome=?, reason=?, removed_at=?, detail=? WHERE url=?",
                    (str(Outcome.REMOVED), str(Reason.REMOVED), now,
                     f"gone from the sitemaps and unreachable ({reason})", url))
                self.state.failed_by_reason[count_key(reason)] -= 1
                self.state.add(self.source.name, "failed", -1)
                self.state.add(self.source.name, "removed")
            self.state.failed_by_reason += Counter()  # drop the zero counts
            save_counts(self.conn, self.state)

    def count_variants(self, variants: set[str]) -> None:
        """Count each other spelling of a known URL once: these are the
        duplicate URLs canonicalisation saved a fetch for."""
        new = variants - self.variants
        if new:
            self.state.counts["duplicates_skipped"] += len(new)
            self.variants |= new
            if len(self.variants) > 200_000:  # bounded; a rare recount is harmless
                self.variants.clear()

    def enqueue_links(self, links: list[str], depth: int, found_on: str) -> None:
        recent = self.recent
        fresh = [url for url in links if url not in recent and not self.unwanted_link(url)]
        if len(recent) > 200_000:  # bounded: memory stays flat however large the site
            recent.clear()
        if fresh:
            recent.update(fresh)
            enqueue(self.conn, self.source.name, self.state.run_id, fresh, depth, found_on)

    def write_rows(self) -> None:
        """Write the batch's frontier marks, pages rows and HTML, a statement
        per kind (record() gathers them; keep_version ran before, reading the
        versions these replace)."""
        conn = self.conn
        conn.executemany("UPDATE frontier SET state='done', fetched_at=?, result=? WHERE url=? AND run_id=?",
                         self.done_rows)
        for columns, rows in self.page_rows.items():
            sql = UPSERT_SQL.get(columns)
            if sql is None:
                updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in ("url", "first_seen_at"))
                sql = UPSERT_SQL[columns] = (f"INSERT INTO pages({', '.join(columns)}) VALUES "
                                             f"({', '.join('?' for _ in columns)}) ON CONFLICT(url) DO UPDATE SET "
                                             f"{updates}")
            conn.executemany(sql, rows)
        conn.executemany("INSERT OR REPLACE INTO page_html(url, content_hash, html) VALUES (?, ?, ?)", self.html_rows)
        self.done_rows, self.page_rows, self.html_rows = [], {}, []


UPSERT_SQL: dict[tuple[str, ...], str] = {}  # pages upserts by the columns they set (a handful of shapes)


def remove_source_data(db: sqlite_utils.Database, name: str) -> dict[str, int]:
    """Delete everything stored for one source, in one transaction; return
    how many rows went from each table. The caller holds the run lock.

    Articles go with their records (treatments, exercises, related links,
    signatures, pairs, clusters, curation, recommendations: foreign keys
    cascade); pages with their HTML, versions and extractions; then the
    frontier and the source itself. Crawl runs stay, as history.
    """
    conn = db.conn
    pages = "SELECT url FROM pages WHERE source = :name"
    steps = [
        ("articles", "DELETE FROM articles WHERE source = :name OR url IN (" + pages + ")"),
        ("extractions", "DELETE FROM extractions WHERE url IN (" + pages + ")"),
        ("page versions", "DELETE FROM page_versions WHERE url IN (" + pages + ")"),
        ("page HTML", "DELETE FROM page_html WHERE url IN (" + pages + ")"),
        ("pages", "DELETE FROM pages WHERE source = :name"),
        ("frontier URLs", "DELETE FROM frontier WHERE source = :name"),
        ("sources", "DELETE FROM sources WHERE name = :name"),
    ]
    removed: dict[str, int] = {}
    with dbmod.transaction(db):
        for label, sql in steps:
            removed[label] = conn.execute(sql, {"name": name}).rowcount
    return removed


# ---------------------------------------------------------------------------
# Entry point


def crawl(db: sqlite_utils.Database, config: Config, source_names: list[str] | None = None,
          options: CrawlOptions | None = None) -> dict:
    """Crawl the named sources (all enabled ones by default) and return the
    run's summary. The caller holds the run lock (see
    :func:`pipeline.db.run_lock`)."""
    options = options or CrawlOptions()
    sources = [config.source(n) for n in source_names] if source_names else config.enabled_sources
    sync_sources(db, config)
    state = start_run(db, sources, fresh=options.fresh)
    freeze_startup_objects()
    try:
        asyncio.run(_crawl_sources(db, sources, state, options))
    except BaseException:
        save_counts(db.conn, state)  # status stays 'running', so the next run resumes
        raise
    finish_run(db, state, "completed")
    summary = state.summary()
    summary["sources"] = [s.name for s in sources]
    return summary


_FROZEN = False


def freeze_startup_objects() -> None:
    """Once per process: what is alive at the first crawl (modules, the
    config) stays alive, so let the cyclic garbage collector skip it. Its
    full passes over numpy's and aiohttp's objects cost a quarter of a fast
    crawl's time. Once only: a process that crawls again (the tests) must
    not freeze each run's garbage with it."""
    global _FROZEN
    if not _FROZEN:
        _FROZEN = True
        gc.freeze()


def fetcher_options(sources: list[Source], options: CrawlOptions) -> dict:
    """The keyword arguments of the crawl's Fetcher (and of each fetch process's)."""
    return dict(
        global_concurrency=options.global_concurrency,
        polite=options.polite,
        transport=options.transport,
        backoff_base=options.backoff_base,
        private_hosts={h for s in sources if s.allow_private_addresses for h in s.allowed_hosts},
        deadline=time.time() + options.max_seconds if options.max_seconds else None,
    )


async def _crawl_sources(db, sources: list[Source], state: RunState, options: CrawlOptions) -> None:
    fetching = fetcher_options(sources, options)
    async with Fetcher(**fetching) as fetcher, contextlib.AsyncExitStack() as stack:
        pool = LocalFetchPool(fetcher)
        if options.fetch_processes > 1:
            from pipeline.fetch_worker import ProcessFetchPool

            pool = await stack.enter_async_context(ProcessFetchPool(options.fetch_processes, sources, fetching))
        await asyncio.gather(*(SourceCrawler(db, fetcher, s, state, options, pool).run() for s in sources))

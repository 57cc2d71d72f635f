"""One frontier job and what fetching it yields: the unit of work shared by
the crawl's own event loop (:mod:`pipeline.crawl`) and the fetch processes
(:mod:`pipeline.fetch_worker`), so neither imports the other.

:func:`fetch_job` touches no database: it fetches, follows a sitemap's
redirects within the source's hosts, parses (sitemaps in a thread, so a
large or hostile one never stalls the event loop), and returns plain data
for the writer.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from pipeline.db import compress_html
from pipeline.decoding import content_hash
from pipeline.discover import page_links, parse_sitemap
from pipeline.fetch import Fetcher, FetchResult
from pipeline.outcomes import Outcome, Reason
from pipeline.sources import Source
from pipeline.urls import host_of

SITEMAP_MAX_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit for one file, uncompressed


@dataclass
class Job:
    url: str
    depth: int
    hops: int
    found_on: str | None
    kind: str  # page, sitemap
    previous: dict | None = None  # the stored version's etag and last_modified, for a conditional GET
    stored: tuple | None = None  # the pages row as the job was taken: (content_hash, first_seen_at, missing_runs,
    #                              crawl_run_id, outcome), None for a URL never recorded


@dataclass
class Fetched:
    """A fetched job plus what was derived from it, waiting to be written."""

    job: Job
    result: FetchResult
    links: list[str] = field(default_factory=list)
    canonical_link: str | None = None
    variants: set[str] = field(default_factory=set)
    sitemap_kind: str | None = None
    sitemap_urls: list[str] = field(default_factory=list)
    sitemap_truncated: bool = False  # more entries than were read
    requests: int = 0  # requests made, redirects of a sitemap included
    content_hash: str | None = None  # of the decoded page, when it has one
    html_compressed: bytes | None = None  # the page as page_html stores it (compress_html)


def internal_error(job: Job, exc: BaseException) -> Fetched:
    """A bug met while fetching a job, as a failed result recorded against its URL."""
    return Fetched(job, FetchResult(job.url, Outcome.FAILED, Reason.INTERNAL_ERROR,
                                    f"{type(exc).__name__}: {exc}"[:300]))


async def fetch_job(fetcher: Fetcher, source: Source, job: Job, sitemap_max_urls: int) -> Fetched:
    """Fetch one frontier job and derive what the writer needs from it: the
    sitemap's URLs, or the page's links, canonical link, content hash and
    compressed HTML."""
    if job.kind == "sitemap":
        return await _fetch_sitemap(fetcher, source, job, sitemap_max_urls)
    result = await fetcher.fetch_page(job.url, source, job.previous)
    fetched = Fetched(job, result, requests=result.attempts)
    if result.text is not None:
        fetched.links, fetched.canonical_link, fetched.variants = page_links(
            result.text, job.url, want_links=job.depth < source.max_depth, hosts=source.allowed_hosts)
        fetched.content_hash = content_hash(result.text)
        fetched.html_compressed = compress_html(result.text)
    return fetched


async def _fetch_sitemap(fetcher: Fetcher, source: Source, job: Job, max_urls: int) -> Fetched:
    url, hops, requests = job.url, 0, 0
    while True:
        result = await fetcher.fetch_bytes(url, source, SITEMAP_MAX_BYTES)
        requests += result.attempts
        if result.outcome != Outcome.REDIRECT or not result.final_url:
            break
        # http -> https and /sitemap.xml -> /sitemap_index.xml are common;
        # another host is not followed, and a chain ends.
        if host_of(result.final_url) not in source.allowed_hosts:
            result.outcome, result.reason, result.detail = Outcome.SKIPPED, Reason.REDIRECT_OFF_SITE, result.final_url[:200]
            break
        hops += 1
        if hops > source.max_redirects:
            result.outcome, result.reason = Outcome.FAILED, Reason.TOO_MANY_REDIRECTS
            result.detail = f"more than {source.max_redirects}"
            break
        url = result.final_url
    result.url = job.url
    fetched = Fetched(job, result, requests=requests)
    if result.outcome == Outcome.OK and result.body is not None:
        body, result.body = result.body, None
        fetched.sitemap_kind, fetched.sitemap_urls, fetched.sitemap_truncated = await asyncio.to_thread(
            parse_sitemap, body, max_urls)
    return fetched


class LocalFetchPool:
    """Runs fetch jobs in the crawl's own event loop: the default, and all a
    polite crawl needs (it waits on pacing, not on the CPU)."""

    def __init__(self, fetcher: Fetcher):
        self.fetcher = fetcher

    async def fetch(self, source: Source, job: Job, sitemap_max_urls: int) -> Fetched:
        return await fetch_job(self.fetcher, source, job, sitemap_max_urls)

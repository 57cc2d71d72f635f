"""Crawling many hosts on many machines: hosts partitioned by a stable hash,
each partition crawled by the ordinary crawler.

Politeness (robots.txt, Crawl-delay, pacing, concurrency) is kept per host by
one :class:`pipeline.fetch.Fetcher`; it holds across a cluster when every
host is fetched by one process only. So the hosts of every enabled source
are split into a fixed number of partitions by a hash of the host name that
is the same on every machine (scheme and port are left out: ``http://`` and
``https://`` of one host, or two ports of it, share its politeness), and a
partition is crawled by one crawler actor at a time, holding its lock.

A partition is a folder on storage every node sees (a POSIX shared
filesystem: the frontier is a SQLite file)::

    <crawl dir>/<partition>/crawl.db      its frontier, pages and runs (pipeline.crawl's own tables)
    <crawl dir>/<partition>/warc/*.warc.gz  every response, with its request (pipeline.warc)

An actor crawls a partition with :func:`pipeline.crawl.crawl` over a config
cut down to the partition's hosts. If the actor dies, the engine starts
another (anywhere in the cluster) and it resumes that partition from its
frontier: what was recorded is not fetched again (only the last
uncommitted batch, at most ``batch_size`` responses, may be), and the WARC
file left open is cut back to its last whole record. The batch stages then
read the partitions' WARC files.

A link from one host to another host of the same source is followed only
when both hosts fall in the same partition (each actor knows only its own
hosts); list each host's sitemap or start page in sources.yaml.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field

from pipeline.distributed.steps import stable_hash
from pipeline.urls import host_of

DEFAULT_PARTITIONS = 64


def partition_of(host: str, count: int) -> int:
    """The partition of a host: the same for every process and machine."""
    return stable_hash(host.lower()) % count


@dataclass
class CrawlPartition:
    """The hosts of one partition, as slices of the sources that list them."""

    id: str
    index: int
    count: int
    sources: list = field(default_factory=list)  # pipeline.sources.Source, cut to this partition's hosts

    @property
    def hosts(self) -> list[str]:
        return sorted({h for s in self.sources for h in s.allowed_hosts})


def plan_crawl(config, count: int = DEFAULT_PARTITIONS, source_names: list[str] | None = None) -> list[CrawlPartition]:
    """Cut every enabled source (or the named ones) by host into ``count``
    partitions; partitions with nothing to start from are left out."""
    sources = [config.source(n) for n in source_names] if source_names else config.enabled_sources
    partitions: dict[int, CrawlPartition] = {}
    for source in sources:
        by_partition: dict[int, list[str]] = {}
        for host in source.allowed_hosts:
            by_partition.setdefault(partition_of(host, count), []).append(host)
        for index, hosts in sorted(by_partition.items()):
            wanted = set(hosts)
            piece = dataclasses.replace(
                source, allowed_hosts=tuple(hosts),
                start_urls=tuple(u for u in source.start_urls if host_of(u) in wanted),
                sitemaps=tuple(u for u in source.sitemaps if host_of(u) in wanted))
            if not piece.start_urls and not piece.sitemaps:
                continue  # nothing to start from here: its pages are reached from another host, or not at all
            partition = partitions.setdefault(index, CrawlPartition(f"crawl-{index:05d}-of-{count:05d}", index, count))
            partition.sources.append(piece)
    return [partitions[i] for i in sorted(partitions)]


@dataclass
class CrawlSettings:
    """What every partition's crawl shares: plain data, sent to the actors."""

    folder: str  # the crawl dir (shared by every node)
    config_path: str
    settings: dict
    global_concurrency: int = 32
    max_pages: int | None = None
    fresh: bool = False
    warc_max_bytes: int = 1_000_000_000


def partition_folder(settings: CrawlSettings, partition: CrawlPartition) -> str:
    return os.path.join(settings.folder, partition.id)


def crawl_partition(partition: CrawlPartition, settings: CrawlSettings) -> dict:
    """Crawl one partition with the ordinary crawler, every response into the
    partition's WARC files; resume it if an earlier crawl of it was cut short."""
    from pipeline import db as dbmod
    from pipeline.crawl import CrawlOptions, crawl
    from pipeline.sources import Config
    from pipeline.warc import WarcWriter

    folder = partition_folder(settings, partition)
    os.makedirs(folder, exist_ok=True)
    db_path = os.path.join(folder, "crawl.db")
    with dbmod.run_lock(db_path):  # one crawler per partition, whatever the engine does
        database = dbmod.open_db(db_path)
        writer = WarcWriter(os.path.join(folder, "warc"), prefix=partition.id, max_bytes=settings.warc_max_bytes)
        try:
            config = Config(settings.config_path, tuple(partition.sources), settings.settings)
            summary = crawl(database, config, None, CrawlOptions(
                global_concurrency=settings.global_concurrency, max_pages=settings.max_pages, fresh=settings.fresh,
                keep_versions=settings.settings.get("keep_versions", 3), warc=writer))
        finally:
            writer.close()
            database.close()
    summary.update(partition=partition.id, hosts=partition.hosts, warc_files=writer.files,
                   recovered_warc=writer.recovered, worker_pid=os.getpid())
    return summary


class CrawlerWorker:
    """What a crawler actor does; the engine makes it an actor."""

    def pid(self) -> int:
        return os.getpid()

    def crawl(self, partition: CrawlPartition, settings: CrawlSettings) -> dict:
        return crawl_partition(partition, settings)

"""`pipeline run --engine ray`: the job past one machine.

1. input: WARC files (``--warc``), the stored pages of the database
   (``--from-db``), or, by default, a crawl of the enabled sources on crawler
   actors (hosts partitioned by hash; see :mod:`pipeline.distributed.crawling`);
2. the batch stages on the engine (:mod:`pipeline.distributed.batch`), into a
   partitioned Parquet dataset at ``--dataset`` (a folder or a URL);
3. unless ``--no-load``: the dataset into the SQLite database, then the
   export and Datasette's indexes, as the single-machine job ends.

The whole job holds the database's run lock, like ``pipeline run``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from dataclasses import dataclass, field
from typing import Callable

from pipeline import db as dbmod
from pipeline.distributed import batch as batchmod
from pipeline.distributed import steps
from pipeline.distributed.storage import DatasetStore, is_local, local_path
from pipeline.errors import ConfigError


@dataclass
class DistributedOptions:
    engine: str = "ray"  # "ray", or "inprocess" (the same job in this process: tests, tiny inputs)
    address: str | None = None  # a Ray cluster; None: a local one on 127.0.0.1
    workers: int | None = None  # CPUs of a local cluster, and tasks at once
    dataset: str | None = None  # where the Parquet dataset goes; default beside the database
    crawl_dir: str | None = None  # where crawl partitions live; default beside the database
    warc: tuple[str, ...] = ()
    from_db: bool = False
    crawl_partitions: int = 64
    max_pages: int | None = None
    load: bool = True
    out: str = "exports"
    formats: tuple[str, ...] = ("json", "jsonl", "csv", "parquet", "jsonld")
    k: int = 5
    pageviews: str | None = None
    fresh: bool = False
    crawl_actors: int | None = None


def default_location(db_path: str, suffix: str) -> str:
    stem = os.path.splitext(os.path.abspath(db_path))[0]
    return f"{stem}.{suffix}"


@dataclass
class DistributedSummary:
    crawl: dict = field(default_factory=dict)
    batch: dict = field(default_factory=dict)
    load: dict = field(default_factory=dict)
    export: dict = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {"crawl": self.crawl, "batch": self.batch, "load": self.load, "export": self.export,
                "seconds": self.seconds}


def crawl_line(partitions: list[dict]) -> str:
    total = {k: sum(p.get(k, 0) for p in partitions) for k in ("fetched", "new", "changed", "unchanged", "failed",
                                                               "requests")}
    hosts = sum(len(p.get("hosts", [])) for p in partitions)
    return (f"crawl on {len(partitions)} partitions ({hosts} hosts): {total['fetched']} fetched ({total['new']} new, "
            f"{total['changed']} changed, {total['unchanged']} unchanged), {total['failed']} failed, "
            f"{total['requests']} requests")


def make_engine(options: DistributedOptions):
    if options.engine == "ray":
        from pipeline.distributed.ray_engine import RayEngine

        return RayEngine(options.workers)
    if options.engine == "inprocess":
        return batchmod.LocalEngine()
    raise ConfigError(f"unknown engine {options.engine!r}: ray or inprocess")


def run_distributed(db_path: str, config_path: str, options: DistributedOptions,
                    echo: Callable[[str], None] = lambda _: None) -> DistributedSummary:
    """The job on an engine (see the module doc); ``echo`` gets one line per step."""
    from pipeline.curate import CurationRules
    from pipeline.recommend import load_pageviews
    from pipeline.sources import load_config

    started = time.monotonic()
    config = load_config(config_path)
    CurationRules.from_settings(config.settings, config.path)  # a bad rule fails before anything runs
    views = load_pageviews(options.pageviews) if options.pageviews else {}
    if options.warc and options.from_db:
        raise ConfigError("--warc and --from-db name two inputs: give one")
    if options.from_db and not os.path.exists(db_path):
        raise ConfigError(f"--from-db: no database at {db_path}")
    dataset = options.dataset or default_location(db_path, "dataset")
    crawl_dir = options.crawl_dir or default_location(db_path, "crawl")
    if not is_local(crawl_dir):
        raise ConfigError(f"{crawl_dir}: the crawl's partitions need a folder every node sees (a shared "
                          "filesystem), not an object store URL")
    store = DatasetStore(dataset)
    settings = steps.FinishSettings({s.name: s.priority for s in config.sources}, dict(config.settings.get("curate") or {}),
                                    config.path, options.k, views)
    summary = DistributedSummary()
    engine = make_engine(options)
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    with dbmod.run_lock(db_path):
        with _engine_session(options):
            if options.warc:
                partitions = steps.plan_warc_partitions(list(options.warc), config)
            elif options.from_db:
                partitions = steps.plan_db_partitions(db_path, config)
            else:
                from pipeline.distributed.crawling import CrawlSettings, plan_crawl

                plan = plan_crawl(config, options.crawl_partitions)
                crawl_settings = CrawlSettings(local_path(crawl_dir), config.path, dict(config.settings),
                                               max_pages=options.max_pages, fresh=options.fresh)
                echo(f"crawling {len(plan)} partitions of hosts on {engine.name}")
                results = engine.crawl(plan, crawl_settings, options.crawl_actors)
                summary.crawl = {"partitions": sorted(results, key=lambda r: r["partition"]), "folder": crawl_dir}
                echo(crawl_line(results))
                partitions = steps.plan_warc_partitions([local_path(crawl_dir)], config) if plan else []
            if not partitions:
                raise ConfigError("nothing to read: no WARC file, no stored page, or no source to crawl")
            result = batchmod.run_batch(engine, store, partitions, config, settings, log=echo)
            summary.batch = result.as_dict()
            echo(result.line())
        if options.load:
            from pipeline.distributed.load import load_dataset

            database = dbmod.open_db(db_path)
            try:
                summary.load = load_dataset(database, store, config)
                echo(load_line(summary.load))
                summary.export = export_and_prepare(database, options.out, options.formats)
                echo(f"export: {summary.export['articles']} articles, {summary.export['entities']} entities, "
                     f"{summary.export['recommendation_lists']} recommendation lists -> {summary.export['out']}/")
            finally:
                database.close()
    summary.seconds = round(time.monotonic() - started, 2)
    return summary


def load_line(result: dict) -> str:
    t = result["tables"]
    return (f"load: {result['partitions']} partitions of {result['dataset']}: {t.get('pages', 0)} pages, "
            f"{t.get('articles', 0)} articles, {t.get('treatments', 0)} treatments, {t.get('exercises', 0)} exercises, "
            f"{t.get('duplicate_pairs', 0)} duplicate pairs, {t.get('entities', 0)} entities, "
            f"{t.get('recommendations', 0)} recommendations in {result['seconds']:.1f}s")


def export_and_prepare(database, out: str, formats: tuple[str, ...]) -> dict:
    """The end of every job: the export set, and Datasette's indexes."""
    from pipeline.datasette import prepare
    from pipeline.export import export

    summary = export(database, out, formats)
    prepare(database)
    return summary


def _engine_session(options: DistributedOptions):
    if options.engine == "ray":
        from pipeline.distributed.ray_engine import connect

        return connect(options.address, options.workers)
    from contextlib import nullcontext

    return nullcontext()

"""The batch job over an engine: input partitions -> extracted records and
signatures -> near-duplicate pairs -> clusters, entities, curation and
recommendations -> a Parquet dataset with a manifest.

The order of the steps and what is skipped on a re-run live here; how each
step is spread over machines is the engine's business (:class:`Engine`,
implemented for Ray in :mod:`pipeline.distributed.ray_engine` and, in one
process, by :class:`LocalEngine`). Every piece is written with a completion
marker that keeps a fingerprint of its inputs, so a run started again after
a crash, or on the same input, skips what is done.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Protocol

import pyarrow as pa

from pipeline.distributed import steps
from pipeline.distributed.steps import FinishSettings, InputPartition
from pipeline.distributed.storage import DatasetStore

MANIFEST = "manifest.json"
DATASET_VERSION = 1


class Engine(Protocol):
    """What the batch job asks of an engine. Each method gets plain data
    and engine-free functions from :mod:`pipeline.distributed.steps`."""

    name: str

    def map_partitions(self, partitions: list[InputPartition], store: DatasetStore, config) -> list[dict]:
        """steps.process_partition for each partition, spread over workers; their summaries."""

    def repeated_captures(self, store: DatasetStore, partitions: list[str]) -> list[tuple[str, str, str]]:
        """(url, fetched_at, partition) of every URL that more than one partition holds."""

    def duplicate_pairs(self, store: DatasetStore, partitions: list[str],
                        superseded: set[tuple[str, str]]) -> tuple[pa.Table, int]:
        """Verified duplicate pairs of the whole corpus (LSH bands grouped in
        the engine), and the number of candidate pairs."""

    def crawl(self, partitions: list, settings, actors: int | None = None) -> list[dict]:
        """pipeline.distributed.crawling.crawl_partition for each partition,
        each by one crawler at a time; a crawler lost midway is replaced and
        the partition resumed."""

    def run(self, function: Callable, *args):
        """One task on a worker (the finishing stages)."""


@dataclass
class BatchSummary:
    engine: str
    dataset: str
    partitions: int = 0
    partitions_done: int = 0  # extracted by this run
    partitions_skipped: int = 0  # already written by an earlier run
    pages: int = 0
    articles: int = 0
    treatments: int = 0
    exercises: int = 0
    related_links: int = 0
    candidates: int = 0
    duplicate_pairs: int = 0
    dedupe_skipped: bool = False
    finish_skipped: bool = False
    tables: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    skipped_by_reason: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)

    def line(self) -> str:
        s = self.seconds
        return (f"batch on {self.engine}: {self.partitions} partitions ({self.partitions_done} extracted, "
                f"{self.partitions_skipped} already done), {self.pages} pages, {self.articles} articles, "
                f"{self.treatments} treatments, {self.exercises} exercises; {self.candidates} candidate pairs, "
                f"{self.duplicate_pairs} duplicate pairs; "
                + ", ".join(f"{k}: {self.tables.get(k, 0)}" for k in ("entities", "curation", "recommendations"))
                + f" -> {self.dataset} in {sum(s.values()):.1f}s")


def finish_task(store: DatasetStore, partitions: list[str], superseded: set[tuple[str, str]],
                settings: FinishSettings) -> dict[str, int]:
    """The finishing stages as one task: read their inputs from the dataset,
    run them, write their tables. Returns row counts."""
    outputs = steps.finish(steps.finish_inputs_from(store, partitions, superseded), settings)
    for table, data in outputs.items():
        store.write_table(f"finish/{table}.parquet", data)
    return {table: data.num_rows for table, data in outputs.items()}


def run_batch(engine: Engine, store: DatasetStore, partitions: list[InputPartition], config,
              settings: FinishSettings, log: Callable[[str], None] = lambda _: None) -> BatchSummary:
    """Run every step that is not already done; write the manifest last."""
    summary = BatchSummary(engine=engine.name, dataset=store.url, partitions=len(partitions))
    ids = [p.id for p in partitions]
    if len(set(ids)) != len(ids):
        raise ValueError("two input partitions share an id")

    # 1. Extract and sign, one task per partition not done yet.
    started = time.monotonic()
    todo = [p for p in partitions if not store.done("extract", p.id, p.fingerprint)]
    summary.partitions_skipped = len(partitions) - len(todo)
    if todo:
        log(f"extracting {len(todo)} of {len(partitions)} partitions on {engine.name}")
        engine.map_partitions(todo, store, config)
    summary.partitions_done = len(todo)
    skipped: dict[str, int] = defaultdict(int)
    for p in partitions:
        marker = store.marker("extract", p.id) or {}
        if marker.get("fingerprint") != p.fingerprint:
            raise RuntimeError(f"partition {p.id} has no completion marker after its task finished")
        for key in ("pages", "articles", "treatments", "exercises", "related_links"):
            setattr(summary, key, getattr(summary, key) + marker.get(key, 0))
        for reason, count in (marker.get("skipped") or {}).items():
            skipped[reason] += count
    summary.skipped_by_reason = dict(skipped)
    summary.seconds["extract"] = round(time.monotonic() - started, 2)

    # 2. Which capture of a URL wins when several partitions hold it (archives only).
    started = time.monotonic()
    superseded: set[tuple[str, str]] = set()
    if any(p.kind == "warc" for p in partitions) and len(partitions) > 1:
        superseded = steps.superseded_captures(engine.repeated_captures(store, ids))
    summary.seconds["captures"] = round(time.monotonic() - started, 2)

    # 3. Near-duplicate pairs: LSH band buckets grouped in the engine, then verified.
    started = time.monotonic()
    dedupe_print = steps.fingerprint("dedupe", sorted((p.id, p.fingerprint) for p in partitions))
    if store.done("dedupe", "pairs", dedupe_print):
        summary.dedupe_skipped = True
        marker = store.marker("dedupe", "pairs") or {}
        summary.candidates, summary.duplicate_pairs = marker.get("candidates", 0), marker.get("pairs", 0)
    else:
        log("finding near-duplicate pairs (LSH band buckets grouped in the engine)")
        pairs, candidates = engine.duplicate_pairs(store, ids, superseded)
        pairs = pairs.sort_by([("url_a", "ascending"), ("url_b", "ascending")])
        store.write_table("dedupe/duplicate_pairs.parquet", pairs)
        store.mark("dedupe", "pairs", dedupe_print, candidates=candidates, pairs=pairs.num_rows)
        summary.candidates, summary.duplicate_pairs = candidates, pairs.num_rows
    summary.seconds["dedupe"] = round(time.monotonic() - started, 2)

    # 4. Clusters, entities, curation, recommendations.
    started = time.monotonic()
    finish_print = steps.fingerprint("finish", dedupe_print, settings.priorities, settings.curation, settings.k,
                                     sorted(settings.pageviews.items()))
    if store.done("finish", "tables", finish_print):
        summary.finish_skipped = True
        summary.tables = (store.marker("finish", "tables") or {}).get("tables", {})
    else:
        log("clusters, entities, curation and recommendations")
        summary.tables = engine.run(finish_task, store, ids, superseded, settings)
        store.mark("finish", "tables", finish_print, tables=summary.tables)
    summary.seconds["finish"] = round(time.monotonic() - started, 2)

    store.write_json(MANIFEST, {
        "version": DATASET_VERSION,
        "engine": engine.name,
        "partitions": ids,
        "superseded": sorted([list(x) for x in superseded]),
        "extract_tables": ["pages", *steps.RECORD_TABLES, "article_signatures"],
        "finish_tables": sorted(summary.tables),
        "fingerprint": finish_print,
        "summary": {k: v for k, v in summary.as_dict().items() if k != "tables"},
    })
    return summary


class LocalEngine:
    """The batch job in this one process: for small inputs, tests, and as
    the reference an engine's results are compared with."""

    name = "local"

    def map_partitions(self, partitions, store, config):
        return [steps.process_partition(p, store, config) for p in partitions]

    def repeated_captures(self, store, partitions):
        seen: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for pid in partitions:
            data = store.read_table(f"extract/pages/{pid}.parquet", columns=["url", "fetched_at", "partition"])
            for url, fetched_at, partition in zip(*(data.column(c).to_pylist() for c in data.column_names)):
                seen[url].append((url, fetched_at, partition))
        return [row for rows in seen.values() if len(rows) > 1 for row in rows]

    def duplicate_pairs(self, store, partitions, superseded):
        sigs = pa.concat_tables([steps.drop_superseded(
            store.read_table(f"extract/article_signatures/{pid}.parquet"), superseded, "url") for pid in partitions])
        buckets: dict[tuple[int, int], list[str]] = defaultdict(list)
        bands = steps.band_rows(sigs)
        for band, key, url in zip(*(bands.column(c).to_pylist() for c in ("band", "key", "url"))):
            buckets[(band, key)].append(url)
        candidates = sorted({pair for urls in buckets.values() if len(urls) > 1 for pair in steps.bucket_pairs(urls)})
        side = {url: (digest, sig, body) for url, digest, sig, body in
                zip(*(sigs.column(c).to_pylist() for c in ("url", "text_hash", "signature", "body")))}
        rows = {name: [] for name in ("url_a", "url_b", "hash_a", "hash_b", "sig_a", "sig_b", "body_a", "body_b")}
        for a, b in candidates:
            for suffix, url in (("a", a), ("b", b)):
                digest, sig, body = side[url]
                rows[f"hash_{suffix}"].append(digest)
                rows[f"sig_{suffix}"].append(sig)
                rows[f"body_{suffix}"].append(body)
            rows["url_a"].append(a)
            rows["url_b"].append(b)
        return steps.verify_pairs(pa.table(rows) if candidates else empty_pair_table()), len(candidates)

    def crawl(self, partitions, settings, actors: int | None = None) -> list[dict]:
        from pipeline.distributed.crawling import crawl_partition

        return [crawl_partition(p, settings) for p in partitions]

    def run(self, function, *args):
        return function(*args)


def empty_pair_table() -> pa.Table:
    return pa.table({"url_a": pa.array([], pa.string()), "url_b": pa.array([], pa.string()),
                     "hash_a": pa.array([], pa.string()), "hash_b": pa.array([], pa.string()),
                     "sig_a": pa.array([], pa.binary()), "sig_b": pa.array([], pa.binary()),
                     "body_a": pa.array([], pa.string()), "body_b": pa.array([], pa.string())})

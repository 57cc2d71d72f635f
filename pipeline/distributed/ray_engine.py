"""The Ray adapter: the one module that imports Ray.

It runs the engine-free steps of :mod:`pipeline.distributed.steps` on Ray:

- extraction and signatures: a Ray Data ``map_batches`` over the input
  partitions, one partition a batch, in worker processes; a task whose
  worker dies is retried by Ray Data (system failures are retried without
  limit by default), and since a partition's files are written under fixed
  names and marked complete last, a retry leaves neither a duplicate nor a
  gap;
- near-duplicate candidates: every article's 32 LSH band keys become rows
  that Ray Data groups on (band, key), a hash shuffle across the cluster:
  no process ever holds all signatures. Each bucket's pairs become two
  requests, one per URL; a grouping on the URL brings each named article
  (hash, signature, body) to its requests, once per distinct pair, and a
  grouping on the pair brings its two sides together to be verified. Only
  articles that some pair names travel past the first shuffle;
- the finishing stages: one Ray task on a worker;
- crawling: :mod:`pipeline.distributed.crawling` partitions hosts; crawler
  actors each crawl whole partitions, restarted by Ray when they die.

``connect`` starts a local cluster bound to 127.0.0.1 only, or joins the
cluster at ``address`` (``auto``, ``HOST:PORT``, ``ray://HOST:10001``).
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from typing import Iterator

import pyarrow as pa

from pipeline.distributed import steps
from pipeline.distributed.storage import DatasetStore

TASK_RETRIES = 4  # an actor (or task) whose process died is restarted this many times at most
CRAWLERS_PER_CPU = 4


def ray_available() -> bool:
    """Is the extra installed? (Looked up, not imported: importing Ray
    fixes how it binds, which :func:`connect` must choose first.)"""
    from importlib.util import find_spec

    return find_spec("ray") is not None and find_spec("ray.data") is not None


def require_ray():
    from pipeline.errors import ConfigError

    if not ray_available():
        raise ConfigError("--engine ray needs Ray: pip install 'health-pipeline[ray]' (or .venv/bin/pip install -e '.[ray]')")


@contextmanager
def connect(address: str | None = None, workers: int | None = None) -> Iterator[None]:
    """Ray, for the length of the block.

    Without an address (and no RAY_ADDRESS), a local cluster of ``workers``
    CPUs starts here, every one of its servers bound to 127.0.0.1 (Ray's
    single-machine mode), and stops at the end. With one, the cluster
    there is joined and left running.
    """
    address = address or os.environ.get("RAY_ADDRESS") or None
    if address in (None, "local"):
        # Ray binds to the loopback address only when it believes it is not
        # part of a cluster; this is its switch for that (set before import).
        os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # nothing leaves the machine
        # Ray starts its workers at nice 15, below everything else on the
        # machine; on a machine it shares, the pipeline's own work then waits
        # for any other process. A local cluster's workers run at the
        # priority `pipeline extract` runs at.
        os.environ.setdefault("RAY_worker_niceness", "0")
    require_ray()
    import ray

    if address in (None, "local"):
        from ray._private import ray_constants

        # The switch is read once, at import; Ray may have been imported
        # before (by a notebook, a test): then it is set where it is read.
        ray_constants.ENABLE_RAY_CLUSTER = False

    if ray.is_initialized():  # a caller (a test, a notebook) has connected already
        yield
        return
    # Ray's own notices (token authentication on, progress bars off) are not
    # the job's output: only its errors reach the terminal and cron's mail.
    logging.getLogger("ray").setLevel(logging.ERROR)
    kwargs = dict(include_dashboard=False, log_to_driver=False, configure_logging=True,
                  logging_level=logging.ERROR)
    if address in (None, "local"):
        ray.init(address="local", num_cpus=workers or os.cpu_count() or 1, **kwargs)
    else:
        ray.init(address=address, **kwargs)
    try:
        _quiet_data()
        yield
    finally:
        ray.shutdown()


def _quiet_data() -> None:
    import ray.data

    logging.getLogger("ray.data").setLevel(logging.ERROR)
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    context.verbose_stats_logs = False


def _shuffle_partitions(rows_hint: int) -> int:
    import ray

    cpus = int(ray.cluster_resources().get("CPU", 1))
    return max(2, min(8 * cpus, rows_hint // 20000 + cpus))


def pair_requests(pairs: list[tuple[str, str]]) -> pa.Table:
    """Each candidate pair as two requests, one keyed by each of its URLs."""
    urls, a, b = [], [], []
    for x, y in pairs:
        urls += [x, y]
        a += [x, x]
        b += [y, y]
    return pa.table({"url": pa.array(urls, pa.string()), "a": pa.array(a, pa.string()), "b": pa.array(b, pa.string()),
                     "text_hash": pa.nulls(len(urls), pa.string()), "signature": pa.nulls(len(urls), pa.binary()),
                     "body": pa.nulls(len(urls), pa.string())})


class RayEngine:
    """The batch job's steps on Ray (see the module doc)."""

    name = "ray"

    def __init__(self, workers: int | None = None):
        self.workers = workers
        self.crawler_pids: list[int] = []  # of the crawler actors, once they run

    def _concurrency(self, count: int) -> int:
        import ray

        cpus = int(ray.cluster_resources().get("CPU", 1))
        return max(1, min(count, self.workers or cpus, cpus))

    def map_partitions(self, partitions, store, config):
        import ray.data

        _quiet_data()
        items = [{"partition": p.as_dict()} for p in partitions]

        def process(batch: dict) -> dict:
            summaries = []
            for item in batch["partition"]:
                partition = steps.InputPartition(**dict(item))
                summaries.append(steps.process_partition(partition, store, config)["partition"])
            return {"partition": summaries}

        dataset = ray.data.from_items(items, override_num_blocks=len(items))
        # Ray Data retries a task whose worker died (system failures, without
        # limit by default); a partition's fixed file names make that safe.
        result = dataset.map_batches(process, batch_size=1, batch_format="default", num_cpus=1,
                                     compute=ray.data.TaskPoolStrategy(size=self._concurrency(len(items))))
        return result.take_all()

    def _files(self, store: DatasetStore, table: str, partitions: list[str]) -> list[str]:
        return [store.path(f"extract/{table}/{pid}.parquet") for pid in partitions]

    def repeated_captures(self, store, partitions):
        import ray.data

        pages = (ray.data.read_parquet(self._files(store, "pages", partitions), filesystem=store.fs)
                 .select_columns(["url", "fetched_at", "partition"]))

        def repeated(group: pa.Table) -> pa.Table:
            if len(set(group.column("partition").to_pylist())) < 2:
                return group.slice(0, 0)
            return group

        grouped = pages.groupby("url", num_partitions=_shuffle_partitions(pages.count())).map_groups(
            repeated, batch_format="pyarrow")
        return [(r["url"], r["fetched_at"], r["partition"]) for r in grouped.take_all()]

    def duplicate_pairs(self, store, partitions, superseded):
        import ray
        import ray.data

        from pipeline.distributed.batch import empty_pair_table

        _quiet_data()
        signatures = (ray.data.read_parquet(self._files(store, "article_signatures", partitions), filesystem=store.fs)
                      .select_columns(["url", "text_hash", "signature", "partition"]))
        if superseded:
            signatures = signatures.map_batches(
                lambda t: steps.drop_superseded(t, superseded, "url"), batch_format="pyarrow")
        count = signatures.count()
        if count < 2:
            return steps.verify_pairs(empty_pair_table()), 0
        shuffle = _shuffle_partitions(count * 4)
        bands = signatures.select_columns(["url", "signature"]).map_batches(steps.band_rows, batch_format="pyarrow")

        # Shuffle 1: every band bucket in one place; its pairs out.
        def pairs_of_bucket(group: pa.Table) -> pa.Table:
            return pair_requests(steps.bucket_pairs(group.column("url").to_pylist()))

        requests = (bands.groupby(["band", "key"], num_partitions=shuffle)
                    .map_groups(pairs_of_bucket, batch_format="pyarrow").materialize())
        if not requests.count():
            return steps.verify_pairs(empty_pair_table()), 0
        # Only the articles some pair names travel further (a semi-join by a broadcast set).
        named = ray.put(set(requests.unique("url")))

        def sides(table: pa.Table, named) -> pa.Table:
            if isinstance(named, ray.ObjectRef):
                named = ray.get(named)
            keep = pa.array([u in named for u in table.column("url").to_pylist()], pa.bool_())
            table = table.filter(keep)
            return pa.table({"url": table.column("url"), "a": pa.nulls(table.num_rows, pa.string()),
                             "b": pa.nulls(table.num_rows, pa.string()), "text_hash": table.column("text_hash"),
                             "signature": table.column("signature"), "body": table.column("body")})

        articles = (ray.data.read_parquet(self._files(store, "article_signatures", partitions), filesystem=store.fs)
                    .select_columns(["url", "text_hash", "signature", "body", "partition"]))
        if superseded:
            articles = articles.map_batches(lambda t: steps.drop_superseded(t, superseded, "url"),
                                            batch_format="pyarrow")
        articles = articles.map_batches(sides, fn_kwargs={"named": named}, batch_format="pyarrow")
        # Shuffle 2: each article meets the pairs that name it (pairs found in several bands once).
        # Shuffle 3: the two sides of each pair meet and are verified.
        verified = (requests.union(articles).groupby("url", num_partitions=shuffle)
                    .map_groups(steps.sides_of_pairs, batch_format="pyarrow")
                    .groupby(["a", "b"], num_partitions=shuffle)
                    .map_groups(steps.verify_pair_sides, batch_format="pyarrow"))
        rows = verified.take_all()
        candidates = sum(r["candidate"] for r in rows)
        duplicates = [r for r in rows if r["kind"]]
        table = pa.Table.from_pylist([{k: r[k] for k in ("url_a", "url_b", "similarity", "kind")} for r in duplicates],
                                     schema=steps.PAIR_SCHEMA)
        return table, candidates

    def crawl(self, partitions, settings, actors: int | None = None) -> list[dict]:
        """Crawl partitions on crawler actors, each partition by one actor at
        a time. An actor that dies is restarted by Ray (anywhere in the
        cluster) and its call retried: the partition resumes from its
        frontier."""
        import ray
        from ray.util import ActorPool

        from pipeline.distributed.crawling import CrawlerWorker

        if not partitions:
            return []
        # A polite crawl waits on pacing, not on the CPU (about 0.4 ms of CPU a
        # page): four crawler actors share a core, so every partition can
        # crawl at once on a small cluster.
        cpus = int(ray.cluster_resources().get("CPU", 1))
        count = max(1, min(len(partitions), actors or CRAWLERS_PER_CPU * cpus))
        actor_class = ray.remote(CrawlerWorker).options(num_cpus=1 / CRAWLERS_PER_CPU, max_restarts=TASK_RETRIES,
                                                         max_task_retries=TASK_RETRIES)
        crawlers = [actor_class.remote() for _ in range(count)]
        try:
            self.crawler_pids = ray.get([c.pid.remote() for c in crawlers])
            pool = ActorPool(crawlers)
            return list(pool.map_unordered(lambda actor, p: actor.crawl.remote(p, settings), partitions))
        finally:
            for crawler in crawlers:
                ray.kill(crawler)  # frees their CPUs for the batch stages

    def run(self, function, *args):
        import ray

        task = ray.remote(num_cpus=1, max_retries=TASK_RETRIES)(function)
        return ray.get(task.remote(*args))

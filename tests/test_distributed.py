"""The pipeline on an engine (issue 14): the same answer as one machine, on
Ray (a local cluster started by each test, bound to 127.0.0.1, shut down at
its end), through worker deaths and re-runs; and the engine-free steps."""

from __future__ import annotations

import ipaddress
import os
import signal
import sqlite3
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from pipeline import db as dbmod
from pipeline import dedupe
from pipeline.demo.server import ServerThread, site_handler
from pipeline.demo.site import DemoSite
from pipeline.distributed import batch, steps
from pipeline.distributed.crawling import partition_of, plan_crawl
from pipeline.distributed.load import load_dataset
from pipeline.distributed.ray_engine import ray_available
from pipeline.distributed.storage import DatasetStore
from pipeline.sources import load_config

from conftest import run_cli

needs_ray = pytest.mark.skipif(not ray_available(), reason="Ray is not installed: the optional extra "
                               "`pip install -e '.[ray]'` (make test installs it)")

# What a run's answer is: compared between a single-machine run and an engine's.
ANSWER = {
    "curated articles": "SELECT a.url, a.title, a.condition, a.language, a.word_count, a.treatment_count, "
                        "a.exercise_count, a.related_count, a.body FROM articles a JOIN curation c ON c.url = a.url "
                        "WHERE c.included = 1 ORDER BY a.url",
    "curation": "SELECT url, included, excluded_by FROM curation ORDER BY url",
    "duplicate pairs": "SELECT url_a, url_b, similarity, kind FROM duplicate_pairs ORDER BY url_a, url_b",
    "duplicate clusters": "SELECT url, cluster_id, representative, duplicate_of, similarity, kind, size "
                          "FROM article_clusters ORDER BY url",
    "entities": "SELECT id, kind, canonical_name, key, category, aliases, article_count, source_count "
                "FROM entities ORDER BY id",
    "records and their entities": "SELECT 't', id, article_url, position, name, text, entity_id FROM treatments "
                                  "UNION ALL SELECT 'e', id, article_url, position, name, text, entity_id "
                                  "FROM exercises ORDER BY 1, 2",
    "recommendations": "SELECT article_url, rank, recommended_url, score, reason, signals FROM recommendations "
                       "ORDER BY article_url, rank",
    "most read": "SELECT rank, url, score, reason FROM most_read ORDER BY rank",
    "signatures": "SELECT url, text_hash, word_count, signature FROM article_signatures ORDER BY url",
    "related links": "SELECT id, article_url, position, title, url, block FROM related_links ORDER BY id",
}


def answer(db_path) -> dict[str, list]:
    conn = sqlite3.connect(db_path)
    try:
        return {name: conn.execute(sql).fetchall() for name, sql in ANSWER.items()}
    finally:
        conn.close()


def assert_same_answer(expected_db, actual_db) -> dict[str, int]:
    expected, actual = answer(expected_db), answer(actual_db)
    for name in ANSWER:
        missing = [r for r in expected[name] if r not in actual[name]][:2]
        extra = [r for r in actual[name] if r not in expected[name]][:2]
        assert expected[name] == actual[name], f"{name}: {len(expected[name])} rows vs {len(actual[name])}; " \
                                               f"missing {missing!r:.600}; extra {extra!r:.600}"
    sizes = {name: len(rows) for name, rows in expected.items()}
    assert sizes["curated articles"] and sizes["duplicate clusters"] and sizes["entities"] and sizes["recommendations"]
    return sizes


def demo_yaml(url: str, name: str = "demo", rate: int = 500) -> str:
    host = url.split("//")[1].split(":")[0]
    return (f"  - name: {name}\n    start_urls: [\"{url}/\"]\n    sitemaps: [\"{url}/sitemap.xml\"]\n"
            f"    allowed_hosts: [{host}]\n    allow_private_addresses: true\n"
            f"    exclude: ['/search\\b', '\\?q=']\n    max_depth: 4\n    requests_per_second: {rate}\n"
            f"    concurrency: 4\n    priority: 10\n")


@pytest.fixture
def demo_run(tmp_path):
    """A demo site on loopback, its sources.yaml, and a finished single-machine run of it."""
    with ServerThread(site_handler(DemoSite(40)), port=0) as server:
        config = tmp_path / "sources.yaml"
        config.write_text("sources:\n" + demo_yaml(server.url))
        single = tmp_path / "single.db"
        result = run_cli("--db", single, "--config", config, "run", "--out", tmp_path / "single-exports",
                         "--no-progress")
        assert result.returncode == 0, result.stderr[-2000:]
        yield {"config": config, "single": single, "url": server.url, "tmp": tmp_path}


def copy_db(source: Path, target: Path) -> Path:
    conn = sqlite3.connect(source)
    conn.execute("VACUUM INTO ?", (str(target),))
    conn.close()
    return target


def finish_settings(config) -> steps.FinishSettings:
    return steps.FinishSettings({s.name: s.priority for s in config.sources}, dict(config.settings.get("curate") or {}),
                                config.path)


# -- the steps, without an engine --------------------------------------------------


def test_lsh_buckets_as_groups_give_the_pairs_of_candidate_pairs():
    """Grouping band rows by (band, key), then pairing each bucket, finds the
    very pairs dedupe.candidate_pairs finds on the whole array, bucket cap included."""
    rng = np.random.default_rng(3)
    base = rng.integers(0, 2**32, size=(60, dedupe.NUM_PERM), dtype=np.uint64).astype(np.uint32)
    copies = base[rng.integers(0, 60, 140)].copy()
    mask = rng.random(copies.shape) < 0.15
    copies[mask] = rng.integers(0, 2**32, size=mask.sum(), dtype=np.uint64).astype(np.uint32)
    same = np.repeat(base[:1], dedupe.MAX_BUCKET + 30, axis=0)  # one bucket past the cap
    signatures = np.concatenate([base, copies, same])
    urls = [f"https://x.test/{i:04d}" for i in range(len(signatures))]
    import pyarrow as pa

    rows = steps.band_rows(pa.table({"url": urls, "signature": pa.array([s.tobytes() for s in signatures])}))
    buckets: dict = {}
    for band, key, url in zip(*(rows.column(c).to_pylist() for c in ("band", "key", "url"))):
        buckets.setdefault((band, key), []).append(url)
    grouped = {pair for members in buckets.values() for pair in steps.bucket_pairs(members)}
    expected = {(urls[i], urls[j]) for i, j in dedupe.candidate_pairs(dedupe.band_keys(signatures))}
    assert grouped == expected
    assert len(expected) > 1000


def test_hosts_are_partitioned_by_a_stable_hash(make_config, tmp_path):
    text = "sources:\n" + "".join(
        f"  - name: s{i}\n    start_urls: [\"https://h{i}.example.org/\"]\n"
        f"    allowed_hosts: [h{i}.example.org, www.h{i}.example.org]\n" for i in range(40))
    (tmp_path / "many.yaml").write_text(text)
    config = load_config(str(tmp_path / "many.yaml"))
    plan = plan_crawl(config, 8)
    hosts = [h for p in plan for h in p.hosts]
    assert len(hosts) == len(set(hosts))  # no host in two partitions
    assert {f"h{i}.example.org" for i in range(40)} <= set(hosts)  # every seeded host in one
    for partition in plan:
        for source in partition.sources:
            assert all(partition_of(h, 8) == partition.index for h in source.allowed_hosts)
            assert source.start_urls  # only slices with somewhere to start
    assert [p.id for p in plan] == [p.id for p in plan_crawl(config, 8)]  # the same plan every time
    assert len(plan) > 4


def test_inprocess_engine_gives_the_single_machine_answer_and_skips_what_is_done(demo_run):
    """The engine-free job (steps and markers) run in this process: the same
    answer as `pipeline run`, and a second run redoes nothing."""
    config = load_config(str(demo_run["config"]))
    partitions = steps.plan_db_partitions(str(demo_run["single"]), config, per_partition=10)
    assert len(partitions) >= 4
    store = DatasetStore((demo_run["tmp"] / "dataset").as_uri())  # a URL: file:///..., as s3://... would be
    first = batch.run_batch(batch.LocalEngine(), store, partitions, config, finish_settings(config))
    assert (demo_run["tmp"] / "dataset" / "manifest.json").exists()
    assert first.partitions_done == len(partitions) and first.duplicate_pairs
    loaded = copy_db(demo_run["single"], demo_run["tmp"] / "loaded.db")
    database = dbmod.open_db(loaded)
    load_dataset(database, store, config)
    database.close()
    assert_same_answer(demo_run["single"], loaded)

    again = batch.run_batch(batch.LocalEngine(), store, partitions, config, finish_settings(config))
    assert (again.partitions_done, again.partitions_skipped) == (0, len(partitions))
    assert again.dedupe_skipped and again.finish_skipped
    # A lost marker: that partition alone is done again, and what follows it.
    store.unmark("extract", partitions[1].id)
    third = batch.run_batch(batch.LocalEngine(), store, partitions, config, finish_settings(config))
    assert (third.partitions_done, third.partitions_skipped) == (1, len(partitions) - 1)
    assert third.dedupe_skipped  # its inputs are the same again


def test_engine_options_need_the_engine_and_load_needs_a_finished_dataset(tmp_path):
    used = run_cli("--db", tmp_path / "x.db", "run", "--from-db")
    assert used.returncode == 2 and "--from-db needs --engine ray" in used.stderr
    (tmp_path / "half").mkdir()
    loaded = run_cli("--db", tmp_path / "x.db", "load", tmp_path / "half")
    assert loaded.returncode == 2
    assert "no manifest.json: not a finished dataset" in loaded.stderr


# -- on Ray ------------------------------------------------------------------------

NO_CLUSTER_FROM_ENV = {"RAY_ADDRESS": ""}  # the tests start their own, on loopback, never join one


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def listening_addresses(pids: list[int]) -> set[str]:
    """The addresses the given processes listen on (TCP, IPv4 and IPv6)."""
    inodes = set()
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:
            continue
    addresses = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        with open(table) as handle:
            for line in handle.readlines()[1:]:
                fields = line.split()
                if fields[3] != "0A" or fields[9] not in inodes:  # 0A: LISTEN
                    continue
                raw = fields[1].split(":")[0]
                # The kernel writes the address as 32-bit words in host (little-endian) order.
                packed = b"".join(bytes.fromhex(raw[i:i + 8])[::-1] for i in range(0, width, 8))
                address = ipaddress.ip_address(packed)
                mapped = getattr(address, "ipv4_mapped", None)
                addresses.add(str(mapped or address))
    return addresses


def process_title(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


@pytest.fixture
def ray_cluster():
    """A local Ray cluster of 2 workers in this process, loopback only; shut down after the test."""
    from pipeline.distributed.ray_engine import connect

    with connect("local", workers=2):
        import ray

        yield ray
    assert not __import__("ray").is_initialized()


@needs_ray
def test_local_cluster_listens_on_loopback_only(ray_cluster):
    own = descendants(os.getpid())
    assert any("raylet" in process_title(p) for p in own)
    addresses = listening_addresses(own)
    assert addresses, "the cluster's processes listen somewhere"
    assert addresses <= {"127.0.0.1", "::1"}, addresses
    assert ray_cluster.get_runtime_context().gcs_address.startswith("127.0.0.1:")


@needs_ray
def test_ray_run_gives_the_same_answer_as_one_machine(demo_run):
    """`pipeline run --engine ray` on a local cluster of 2 workers: the crawl
    on crawler actors into WARC files, the batch stages on Ray Data into
    Parquet, `pipeline load` into SQLite: the same curated articles,
    duplicate clusters, entities and recommendations as `pipeline run`."""
    tmp = demo_run["tmp"]
    ray_db, dataset = tmp / "ray.db", tmp / "ray-dataset"
    result = run_cli("--db", ray_db, "--config", demo_run["config"], "run", "--engine", "ray", "--workers", "2",
                     "--dataset", dataset, "--no-load", timeout=900, env=NO_CLUSTER_FROM_ENV)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "crawl on 1 partitions (1 hosts)" in result.stdout and "batch on ray" in result.stdout
    assert list((tmp / "ray.crawl").glob("crawl-*/warc/*.warc.gz")), "the crawl kept its responses in WARC files"
    import pyarrow.dataset as pads

    articles = pads.dataset(str(dataset / "extract" / "articles"), format="parquet").to_table()
    # --no-load: Parquet only (the run lock is an flock on the database file, which may leave it empty)
    assert articles.num_rows == 47 and (not ray_db.exists() or ray_db.stat().st_size == 0)
    loaded = run_cli("--db", ray_db, "--config", demo_run["config"], "load", dataset, env=NO_CLUSTER_FROM_ENV)
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    assert loaded.stdout.startswith("load: 1 partitions")
    sizes = assert_same_answer(demo_run["single"], ray_db)
    assert sizes["curated articles"] == 40 and sizes["duplicate clusters"] == 14
    exported = run_cli("--db", ray_db, "export", "--out", tmp / "ray-exports", "--format", "jsonl")
    assert exported.returncode == 0, exported.stderr[-2000:]
    single_lines = (tmp / "single-exports" / "articles.jsonl").read_text().count("\n")
    assert (tmp / "ray-exports" / "articles.jsonl").read_text().count("\n") == single_lines == 40


@needs_ray
def test_a_worker_killed_mid_run_is_retried_with_no_duplicate_and_no_loss(demo_run, ray_cluster):
    """SIGKILL a Ray worker while it extracts a partition: Ray runs the task
    again, and the loaded result equals the single-machine run (a duplicate
    row would break a primary key on load; a lost one, the comparison). A
    run started again then skips every partition already written."""
    from pipeline.distributed.ray_engine import RayEngine

    config = load_config(str(demo_run["config"]))
    partitions = steps.plan_db_partitions(str(demo_run["single"]), config, per_partition=4)
    assert len(partitions) >= 8
    store = DatasetStore(str(demo_run["tmp"] / "dataset"))
    killed: list[int] = []
    done = threading.Event()

    def kill_one_worker():
        deadline = time.monotonic() + 120
        while not done.is_set() and time.monotonic() < deadline:
            busy = [p for p in descendants(os.getpid()) if "MapBatches(process)" in process_title(p)]
            if busy:
                os.kill(busy[0], signal.SIGKILL)
                killed.append(busy[0])
                return
            time.sleep(0.005)

    killer = threading.Thread(target=kill_one_worker)
    killer.start()
    try:
        summary = batch.run_batch(RayEngine(2), store, partitions, config, finish_settings(config))
    finally:
        done.set()
        killer.join()
    assert killed, "no worker was seen extracting"
    assert summary.partitions_done == len(partitions)
    pids = {store.marker("extract", p.id)["worker_pid"] for p in partitions}
    assert killed[0] not in pids  # the killed worker finished nothing: its partition was done again elsewhere
    loaded = copy_db(demo_run["single"], demo_run["tmp"] / "loaded.db")
    database = dbmod.open_db(loaded)
    load_dataset(database, store, config)
    database.close()
    assert_same_answer(demo_run["single"], loaded)

    again = batch.run_batch(RayEngine(2), store, partitions, config, finish_settings(config))
    assert (again.partitions_done, again.partitions_skipped) == (0, len(partitions))
    assert again.dedupe_skipped and again.finish_skipped


@needs_ray
def test_crawler_actors_split_hosts_and_a_lost_actor_resumes_elsewhere(tmp_path, serve, ray_cluster):
    """Three hosts (127.0.0.1-3) on two crawler actors: each host is fetched
    by one actor only; one actor is SIGKILLed mid-crawl, Ray restarts it,
    and its partition resumes from its frontier: every page is stored once,
    and nothing recorded is fetched again."""
    from pipeline.distributed.crawling import CrawlSettings
    from pipeline.distributed.ray_engine import RayEngine

    servers = [serve(site_handler(DemoSite(12, seed=i)), host=f"127.0.0.{i + 1}") for i in range(3)]
    config_path = tmp_path / "sources.yaml"
    config_path.write_text("sources:\n" + "".join(demo_yaml(s.url, f"site{i}", rate=25) for i, s in enumerate(servers)))
    config = load_config(str(config_path))
    plan = plan_crawl(config, 16)
    assert sorted(h for p in plan for h in p.hosts) == ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
    engine = RayEngine(2)
    settings = CrawlSettings(str(tmp_path / "crawl"), str(config_path), {})
    killed: list[int] = []

    def kill_a_crawler():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            logs = sum(len(s.log) for s in servers)
            if engine.crawler_pids and logs >= 20:
                os.kill(engine.crawler_pids[0], signal.SIGKILL)
                killed.append(engine.crawler_pids[0])
                return
            time.sleep(0.01)

    killer = threading.Thread(target=kill_a_crawler)
    killer.start()
    results = engine.crawl(plan, settings, actors=2)
    killer.join()
    assert killed, "no crawler was killed"
    assert sorted(r["partition"] for r in results) == sorted(p.id for p in plan)
    assert killed[0] not in {r["worker_pid"] for r in results}  # the killed actor's work was finished by another

    stored: dict[str, list[str]] = {}
    for partition in plan:
        conn = sqlite3.connect(tmp_path / "crawl" / partition.id / "crawl.db")
        for (url,) in conn.execute("SELECT url FROM pages WHERE outcome = 'ok'"):
            stored.setdefault(url, []).append(partition.id)
        conn.close()
    assert all(len(where) == 1 for where in stored.values())
    for server in servers:
        pages = {u for u in stored if u.startswith(server.url)}
        assert len(pages) >= 12  # every article of every host
        host_partitions = {stored[u][0] for u in pages}
        assert len(host_partitions) == 1  # one host, one actor's partition
        fetched = [r["path"] for r in server.log if r["path"] not in ("/robots.txt",)]
        twice = len(fetched) - len(set(fetched))
        print(f"{server.url}: {len(set(fetched))} paths requested, {twice} requested again after the kill")
        # A page is fetched again only if its response was in flight, not yet
        # committed, when its crawler died: at most a batch of them.
        assert twice <= 16, (server.url, twice)
    warcs = list((tmp_path / "crawl").glob("crawl-*/warc/*.warc.gz"))
    assert warcs and not list((tmp_path / "crawl").glob("crawl-*/warc/*.open"))


def write_archives(folder: Path) -> tuple[str, str]:
    """Two WARC files; the second, later, holds a new capture of one page of the first."""
    from pipeline.warc import WarcWriter

    site, base = DemoSite(8), "https://health.example"
    paths = [site.article_paths()[i] for i in range(6)]
    changed_url = base + paths[2]
    for name, pages, when in (("older", range(5), 1_700_000_000), ("newer", (2, 5), 1_800_000_000)):
        with WarcWriter(folder / name, prefix=name) as writer:
            for i in pages:
                html = site.article_html(i, base)
                if name == "newer" and i == 2:
                    assert "Give each change a fair trial" in html
                    html = html.replace("Give each change a fair trial", "In A revised capture, give each change a fair trial")
                writer.write_exchange(base + paths[i], status=200, headers=[("Content-Type", "text/html")],
                                      body=html.encode("utf-8"), request_headers=[], fetched_at=when)
    return changed_url, base


def run_archive_batch(engine, tmp_path: Path) -> tuple[Path, str]:
    changed_url, _ = write_archives(tmp_path / "warcs")
    config_path = tmp_path / "sources.yaml"
    config_path.write_text("sources:\n  - name: health\n    start_urls: [\"https://health.example/\"]\n")
    config = load_config(str(config_path))
    partitions = steps.plan_warc_partitions([str(tmp_path / "warcs")], config)
    assert len(partitions) == 2 and {p.kind for p in partitions} == {"warc"}
    store = DatasetStore(str(tmp_path / "dataset"))
    summary = batch.run_batch(engine, store, partitions, config, finish_settings(config))
    assert summary.pages == 7  # 5 + 2 captures read
    database = dbmod.open_db(tmp_path / "loaded.db")
    loaded = load_dataset(database, store, config)
    database.close()
    assert loaded["tables"]["pages"] == 6  # one page per URL
    return tmp_path / "loaded.db", changed_url


def test_a_page_in_two_archives_counts_once_with_its_latest_capture(tmp_path):
    loaded, changed_url = run_archive_batch(batch.LocalEngine(), tmp_path)
    conn = sqlite3.connect(loaded)
    bodies = dict(conn.execute("SELECT url, body FROM articles"))
    sources = {s for (s,) in conn.execute("SELECT DISTINCT source FROM pages")}
    conn.close()
    assert len(bodies) == 6 and "A revised capture" in bodies[changed_url]
    assert sources == {"health"}  # the source whose hosts cover the URL, as `pipeline import` decides


@needs_ray
def test_on_ray_a_page_in_two_archives_counts_once_with_its_latest_capture(tmp_path, ray_cluster):
    from pipeline.distributed.ray_engine import RayEngine

    expected, _ = run_archive_batch(batch.LocalEngine(), tmp_path / "local")
    actual, changed_url = run_archive_batch(RayEngine(2), tmp_path / "ray")
    assert answer(expected) == answer(actual)
    conn = sqlite3.connect(actual)
    assert "A revised capture" in conn.execute("SELECT body FROM articles WHERE url = ?", (changed_url,)).fetchone()[0]
    conn.close()

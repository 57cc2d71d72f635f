"""The batch stages as plain steps over plain data: no engine in here.

Each step is a function of a batch (lists, dicts, Arrow tables) that an
engine runs wherever it likes; :mod:`pipeline.distributed.ray_engine` is the
one module that adapts them to Ray, and another engine (Dask, Spark,
datatrove's executors) would need only its own adapter. The steps call the
stages' public functions, so a distributed run computes what a
single-machine run computes:

- read an input partition: stored pages of a database, or one WARC file
  (:func:`pipeline.importer.read_capture`, the import's own rules);
- extract: :func:`pipeline.extract.extract_page` per page, flattened into
  rows by :func:`pipeline.extract.stage.store_record` itself (into an
  in-memory SQLite with the project's schema), so the rows are the ones the
  database would hold;
- sign: the dedupe stage's MinHash signatures and LSH band keys;
- bucket: the candidate pairs of one LSH band bucket (the same pairs as
  :func:`pipeline.dedupe.candidate_pairs`, bucket cap included);
- verify: exact and near copies by the stage's own rules;
- finish: clusters, entities, curation and recommendations by the stages'
  own functions, over the compact rows (no HTML, no bodies) in a scratch
  SQLite database.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import time
from dataclasses import asdict, dataclass, field
from typing import Iterator

import numpy as np
import pyarrow as pa

from pipeline import db as dbmod
from pipeline.db import now_iso
from pipeline import dedupe
from pipeline.distributed.storage import DatasetStore

PAGES_PER_PARTITION = 2000
EXTRACT_BATCH = 64  # pages extracted and flattened together
ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
# Tables a page's extraction fills, in the order a database needs them.
RECORD_TABLES = ("extractions", "articles", "treatments", "exercises", "related_links")
# What the stages after extraction read, besides the records: the rest of a
# scratch database after them is their output.
FINISH_INPUTS = ("sources", "pages", "articles", "related_links", "duplicate_pairs", "pageviews", "meta",
                 "extractions", "article_signatures")
PAGE_COLUMNS = ("url", "source", "final_url", "canonical_link", "status_code", "outcome", "reason", "content_type",
                "encoding", "size", "content_hash", "etag", "last_modified", "depth", "found_on", "first_seen_at",
                "fetched_at", "changed_at")


def stable_hash(text: str) -> int:
    """A hash that is the same in every process and on every machine (unlike hash())."""
    return int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest()[:8], "big")


def fingerprint(*parts) -> str:
    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:16]


# -- input partitions ------------------------------------------------------------


@dataclass
class InputPartition:
    """One piece of input: a bucket of a database's stored pages, or one WARC file."""

    id: str
    kind: str  # "db" or "warc"
    location: str  # the database's path, or the archive's path or URL
    fingerprint: str
    urls: list[str] = field(default_factory=list)  # db: the pages of this bucket

    def as_dict(self) -> dict:
        return asdict(self)


def extraction_fingerprint(config) -> str:
    """What extraction depends on besides the pages: the extractor and the sites' rules."""
    from pipeline.extract import EXTRACTOR_VERSION

    rules = {s.name: s.extract for s in config.sources} if config is not None else {}
    return fingerprint(EXTRACTOR_VERSION, rules)


def plan_db_partitions(db_path: str, config, per_partition: int = PAGES_PER_PARTITION) -> list[InputPartition]:
    """The stored pages of a database (those extraction reads), in buckets by
    a stable hash of the URL. The bucket count is a power of two, so it
    changes seldom as the corpus grows; a bucket's fingerprint covers its
    pages' content hashes, so a re-run redoes only buckets that changed."""
    conn = sqlite3.connect(f"file:{os.path.abspath(db_path)}?mode=ro", uri=True, timeout=30)
    try:
        rows = conn.execute(
            "SELECT p.url, h.content_hash FROM pages p JOIN page_html h ON h.url = p.url "
            "WHERE p.outcome IN ('ok', 'unchanged') ORDER BY p.url").fetchall()
    finally:
        conn.close()
    count = 1
    while count * per_partition < len(rows):
        count *= 2
    buckets: list[list[tuple[str, str]]] = [[] for _ in range(count)]
    for url, digest in rows:
        buckets[stable_hash(url) % count].append((url, digest))
    common = extraction_fingerprint(config)
    return [InputPartition(f"db-{i:05d}-of-{count:05d}", "db", os.path.abspath(db_path),
                           fingerprint(common, bucket), [u for u, _ in bucket])
            for i, bucket in enumerate(buckets) if bucket]


def plan_warc_partitions(paths: list[str], config) -> list[InputPartition]:
    """One partition per archive file (a Common Crawl segment is ~90,000 of
    them); folders are searched recursively. A file's fingerprint is its
    size and modification time."""
    from pipeline.distributed.storage import resolve
    import pyarrow.fs as pafs

    common = extraction_fingerprint(config)
    found: dict[str, InputPartition] = {}
    for raw in paths:
        fs, path = resolve(raw)
        prefix = raw.split("://", 1)[0] + "://" if "://" in raw else ""
        info = fs.get_file_info(path)
        if info.type == pafs.FileType.NotFound:
            from pipeline.errors import ConfigError

            raise ConfigError(f"{raw}: no such file or folder")
        infos = [info] if info.type == pafs.FileType.File else fs.get_file_info(pafs.FileSelector(path, recursive=True))
        for item in infos:
            name = item.base_name.lower()
            if item.type != pafs.FileType.File or not name.endswith(ARCHIVE_SUFFIXES):
                continue
            location = prefix + item.path if prefix else item.path
            pid = "warc-" + hashlib.sha1(location.encode("utf-8")).hexdigest()[:16]
            found[pid] = InputPartition(pid, "warc", location,
                                        fingerprint(common, item.size, item.mtime_ns))
    return [found[k] for k in sorted(found)]


@dataclass
class Page:
    """A page to extract, with the pages row it comes with."""

    url: str
    source: str
    content_hash: str
    html: str
    row: dict


def read_db_pages(partition: InputPartition) -> Iterator[list[Page]]:
    """The partition's stored pages, in batches, in URL order (as `pipeline extract` reads them)."""
    conn = sqlite3.connect(f"file:{partition.location}?mode=ro", uri=True, timeout=60)
    try:
        columns = ", ".join(f"p.{c}" for c in PAGE_COLUMNS)
        urls = sorted(partition.urls)
        for start in range(0, len(urls), EXTRACT_BATCH):
            chunk = urls[start:start + EXTRACT_BATCH]
            marks = ",".join("?" for _ in chunk)
            rows = conn.execute(
                f"SELECT {columns}, h.content_hash, h.html FROM pages p JOIN page_html h ON h.url = p.url "
                f"WHERE p.url IN ({marks}) ORDER BY p.url", chunk).fetchall()
            batch = []
            for row in rows:
                record = dict(zip(PAGE_COLUMNS, row[:len(PAGE_COLUMNS)]))
                batch.append(Page(record["url"], record["source"], row[-2], dbmod.decompress_html(row[-1]), record))
            yield batch
    finally:
        conn.close()


def read_warc_pages(partition: InputPartition, config, skipped: dict | None = None) -> Iterator[list[Page]]:
    """The 200 HTML pages of one archive, in batches; the latest capture of a
    URL the file holds twice. Pages become the rows `pipeline import` would write."""
    from warcio.archiveiterator import ArchiveIterator

    from pipeline.discover import page_links
    from pipeline.distributed.storage import resolve
    from pipeline.decoding import content_hash, decode_html
    from pipeline.importer import DEFAULT_SOURCE, read_capture

    skipped = skipped if skipped is not None else {}
    fs, path = resolve(partition.location)
    latest: dict[str, Page] = {}
    with fs.open_input_stream(path) as stream:
        try:
            for record in ArchiveIterator(stream, arc2warc=True):
                capture, reason = read_capture(record)
                if reason:
                    skipped[reason] = skipped.get(reason, 0) + 1
                if capture is None or capture.status != 200 or capture.body is None:
                    if capture is not None:
                        skipped[f"HTTP {capture.status}"] = skipped.get(f"HTTP {capture.status}", 0) + 1
                    continue
                text, encoding = decode_html(capture.body, capture.content_type)
                fetched_at = now_iso(capture.fetched_at)
                known = latest.get(capture.url)
                if known is not None and known.row["fetched_at"] > fetched_at:
                    continue
                match = config.source_for_url(capture.url) if config is not None else None
                source = match.name if match else DEFAULT_SOURCE
                digest = content_hash(text)
                try:
                    _, canonical, _ = page_links(text, capture.url, want_links=False)
                except Exception:  # an unparseable head has no canonical link
                    canonical = None
                row = {c: None for c in PAGE_COLUMNS}
                row.update(url=capture.url, source=source, status_code=200, outcome="ok", reason="imported",
                           content_type=capture.content_type, encoding=encoding, size=len(capture.body),
                           content_hash=digest, etag=capture.etag, last_modified=capture.last_modified,
                           canonical_link=canonical, first_seen_at=fetched_at, fetched_at=fetched_at,
                           changed_at=fetched_at)
                latest[capture.url] = Page(capture.url, source, digest, text, row)
        except Exception as exc:  # a cut or corrupt archive: keep what was read before it
            key = f"archive ends in a broken record ({type(exc).__name__})"
            skipped[key] = skipped.get(key, 0) + 1
    pages = [latest[u] for u in sorted(latest)]
    for start in range(0, len(pages), EXTRACT_BATCH):
        yield pages[start:start + EXTRACT_BATCH]


def read_pages(partition: InputPartition, config, skipped: dict | None = None) -> Iterator[list[Page]]:
    if partition.kind == "db":
        return read_db_pages(partition)
    return read_warc_pages(partition, config, skipped)


# -- extract and sign --------------------------------------------------------------


def rules_for(config, source: str) -> dict:
    """A source's extract rules; generic rules for a source sources.yaml does not name."""
    if config is None:
        return {}
    for candidate in config.sources:
        if candidate.name == source:
            return candidate.extract
    return {}


def scratch_connection(path: str = ":memory:") -> sqlite3.Connection:
    """A SQLite database with the project's schema, for flattening records
    and for the finishing stages; no foreign keys (rows arrive table by table)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(dbmod.SCHEMA)
    dbmod.ensure_columns(conn)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    return conn


def table_schema(conn: sqlite3.Connection, table: str, drop: tuple[str, ...] = ()) -> pa.Schema:
    """The Arrow schema of a table, from its declared SQLite types, so every
    partition's file has the same schema whatever its values."""
    kinds = {"INTEGER": pa.int64(), "REAL": pa.float64(), "BLOB": pa.binary()}
    fields = []
    for _, name, declared, *_ in conn.execute(f"PRAGMA table_info({table})"):
        if name in drop:
            continue
        base = (declared or "TEXT").split()[0].upper()
        fields.append(pa.field(name, kinds.get(base, pa.string())))
    return pa.schema(fields)


def rows_of(conn: sqlite3.Connection, table: str, drop: tuple[str, ...] = (), order: str | None = None) -> pa.Table:
    schema = table_schema(conn, table, drop)
    names = schema.names
    sql = f"SELECT {', '.join(names)} FROM {table}" + (f" ORDER BY {order}" if order else "")
    rows = conn.execute(sql).fetchall()
    return pa.Table.from_pylist([dict(zip(names, r)) for r in rows], schema=schema)


def page_schema() -> pa.Schema:
    conn = scratch_connection()
    try:
        return pa.schema([f for f in table_schema(conn, "pages") if f.name in PAGE_COLUMNS])
    finally:
        conn.close()


def extract_and_flatten(pages: list[Page], config, conn: sqlite3.Connection) -> dict[str, pa.Table]:
    """Extract a batch of pages and flatten the records into the rows of
    their tables, through store_record itself."""
    from pipeline.extract import extract_page
    from pipeline.extract.stage import store_record

    conn.execute("BEGIN")
    for page in pages:
        record = extract_page(page.html, page.url, rules_for(config, page.source))
        store_record(conn, record, page.source, page.content_hash)
    conn.execute("COMMIT")
    tables = {
        "extractions": rows_of(conn, "extractions", order="url"),
        "articles": rows_of(conn, "articles", order="url"),
        "treatments": rows_of(conn, "treatments", drop=("id", "entity_id"), order="article_url, position"),
        "exercises": rows_of(conn, "exercises", drop=("id", "entity_id"), order="article_url, position"),
        "related_links": rows_of(conn, "related_links", drop=("id",), order="article_url, position"),
    }
    for table in RECORD_TABLES:
        conn.execute(f"DELETE FROM {table}")
    return tables


def sign_articles(articles: pa.Table, computed_at: str) -> pa.Table:
    """article_signatures rows for extracted articles: the dedupe stage's
    text hash and MinHash signature of each body."""
    bodies = [b or "" for b in articles.column("body").to_pylist()] if articles.num_rows else []
    signatures = dedupe.signatures_for(bodies)
    return pa.table({
        "url": articles.column("url") if articles.num_rows else pa.array([], pa.string()),
        "text_hash": pa.array([dedupe.text_hash(b) for b in bodies], pa.string()),
        "word_count": pa.array([len(b.split()) for b in bodies], pa.int64()),
        "signature": pa.array([s.tobytes() for s in signatures], pa.binary()),
        "computed_at": pa.array([computed_at] * len(bodies), pa.string()),
        # The body once more, beside its signature: verification reads both
        # without a join on the articles (the load leaves it out).
        "body": pa.array(bodies, pa.string()),
    })


def process_partition(partition: InputPartition, store: DatasetStore, config) -> dict:
    """Read, extract and sign one input partition, write its tables, then its
    marker. Returns counts. Safe to run twice (a retry writes the same files)."""
    cpu_started, started = time.process_time(), time.time()
    conn = scratch_connection()
    skipped: dict[str, int] = {}
    parts: dict[str, list[pa.Table]] = {name: [] for name in (*RECORD_TABLES, "pages", "article_signatures")}
    schema_pages = pa.schema([f for f in table_schema(conn, "pages") if f.name in PAGE_COLUMNS])
    now = now_iso()
    for batch in read_pages(partition, config, skipped):
        tables = extract_and_flatten(batch, config, conn)
        for name, table in tables.items():
            parts[name].append(table)
        parts["pages"].append(pa.Table.from_pylist([p.row for p in batch], schema=schema_pages))
        parts["article_signatures"].append(sign_articles(tables["articles"], now))
    empty = {"pages": schema_pages,
             "article_signatures": sign_articles(rows_of(conn, "articles"), now).schema,
             "treatments": table_schema(conn, "treatments", ("id", "entity_id")),
             "exercises": table_schema(conn, "exercises", ("id", "entity_id")),
             "related_links": table_schema(conn, "related_links", ("id",))}
    counts = {}
    for name, pieces in parts.items():
        table = pa.concat_tables(pieces) if pieces else (empty.get(name) or table_schema(conn, name)).empty_table()
        table = table.append_column("partition", pa.array([partition.id] * table.num_rows, pa.string()))
        store.write_table(f"extract/{name}/{partition.id}.parquet", table)
        counts[name] = table.num_rows
    conn.close()
    statuses = {}
    for table in parts["extractions"]:
        for status in table.column("status").to_pylist():
            statuses[status] = statuses.get(status, 0) + 1
    summary = {"partition": partition.id, "pages": counts["pages"], "articles": counts["articles"],
               "treatments": counts["treatments"], "exercises": counts["exercises"],
               "related_links": counts["related_links"], "statuses": statuses, "skipped": skipped,
               "worker_pid": os.getpid(), "cpu_seconds": round(time.process_time() - cpu_started, 3),
               "started": round(started, 3), "finished": round(time.time(), 3)}
    store.mark("extract", partition.id, partition.fingerprint, **summary)
    return summary


# -- near-duplicate candidates: LSH bands as a shuffle ------------------------------


def band_rows(signatures: pa.Table) -> pa.Table:
    """One row per article and band: (band, key, url), to be grouped on (band, key)."""
    n = signatures.num_rows
    if not n:
        return pa.table({"band": pa.array([], pa.int32()), "key": pa.array([], pa.uint64()),
                         "url": pa.array([], pa.string())})
    raw = b"".join(signatures.column("signature").to_pylist())
    sigs = np.frombuffer(raw, dtype=np.uint32).reshape(n, dedupe.NUM_PERM)
    keys = dedupe.band_keys(sigs)  # (n, BANDS)
    urls = np.array(signatures.column("url").to_pylist(), dtype=object)
    return pa.table({
        "band": pa.array(np.tile(np.arange(dedupe.BANDS, dtype=np.int32), n)),
        "key": pa.array(keys.reshape(-1)),
        "url": pa.array(np.repeat(urls, dedupe.BANDS), pa.string()),
    })


def bucket_pairs(urls: list[str]) -> list[tuple[str, str]]:
    """Candidate pairs of one band bucket, as dedupe.candidate_pairs forms
    them: members in URL order, at most MAX_BUCKET of them, every pair once."""
    members = sorted(set(urls))[:dedupe.MAX_BUCKET]
    return [(members[a], members[b]) for a in range(len(members)) for b in range(a + 1, len(members))]


def verify_pairs(pairs: pa.Table) -> pa.Table:
    """duplicate_pairs rows from candidate pairs joined with both articles'
    text hash, signature and body, by the dedupe stage's rules: equal text
    hashes are exact copies; otherwise an estimated Jaccard far below the
    target is dropped, and the exact Jaccard of the 5-word shingles decides."""
    out = {"url_a": [], "url_b": [], "similarity": [], "kind": []}
    columns = {name: pairs.column(name).to_pylist() for name in
               ("url_a", "url_b", "hash_a", "hash_b", "sig_a", "sig_b", "body_a", "body_b")}
    for i in range(pairs.num_rows):
        a, b = columns["url_a"][i], columns["url_b"][i]
        if columns["hash_a"][i] == columns["hash_b"][i]:
            found = (1.0, "exact")
        else:
            sig_a = np.frombuffer(columns["sig_a"][i], dtype=np.uint32)
            sig_b = np.frombuffer(columns["sig_b"][i], dtype=np.uint32)
            if dedupe.estimated_jaccard(sig_a, sig_b) < 0.5:
                continue
            similarity = dedupe.jaccard(dedupe.shingles(columns["body_a"][i] or ""),
                                        dedupe.shingles(columns["body_b"][i] or ""))
            if similarity < dedupe.NEAR_DUPLICATE_JACCARD:
                continue
            found = (round(similarity, 4), "near")
        out["url_a"].append(a)
        out["url_b"].append(b)
        out["similarity"].append(found[0])
        out["kind"].append(found[1])
    return pa.table({"url_a": pa.array(out["url_a"], pa.string()), "url_b": pa.array(out["url_b"], pa.string()),
                     "similarity": pa.array(out["similarity"], pa.float64()),
                     "kind": pa.array(out["kind"], pa.string())})


PAIR_SCHEMA = pa.schema([("url_a", pa.string()), ("url_b", pa.string()), ("similarity", pa.float64()),
                         ("kind", pa.string())])


def sides_of_pairs(group: pa.Table) -> pa.Table:
    """One URL's rows: its article (text hash, signature, body) and the
    candidate pairs that name it; out: the article once per distinct pair."""
    article = None
    pairs = set()
    for row in group.to_pylist():
        if row["a"] is None:
            article = row
        else:
            pairs.add((row["a"], row["b"]))
    rows = [{"url": url, "a": a, "b": b, "text_hash": article["text_hash"], "signature": article["signature"],
             "body": article["body"]} for a, b in sorted(pairs) for url in [group.column("url")[0].as_py()]
            ] if article is not None else []
    return pa.Table.from_pylist(rows, schema=group.schema)


def verify_pair_sides(group: pa.Table) -> pa.Table:
    """The two sides of one candidate pair, verified: a duplicate_pairs row
    (kind empty when it is no duplicate), and a count of 1 candidate."""
    rows = {row["url"]: row for row in group.to_pylist()}
    a, b = group.column("a")[0].as_py(), group.column("b")[0].as_py()
    result = {"url_a": a, "url_b": b, "similarity": None, "kind": None, "candidate": 1}
    if a in rows and b in rows:
        pair = pa.table({"url_a": [a], "url_b": [b], "hash_a": [rows[a]["text_hash"]],
                         "hash_b": [rows[b]["text_hash"]], "sig_a": pa.array([rows[a]["signature"]], pa.binary()),
                         "sig_b": pa.array([rows[b]["signature"]], pa.binary()), "body_a": [rows[a]["body"]],
                         "body_b": [rows[b]["body"]]})
        verified = verify_pairs(pair)
        if verified.num_rows:
            result.update(similarity=verified.column("similarity")[0].as_py(), kind=verified.column("kind")[0].as_py())
    return pa.Table.from_pylist([result], schema=PAIR_SCHEMA.append(pa.field("candidate", pa.int64())))


# -- the stages after dedupe ------------------------------------------------------------


@dataclass
class FinishSettings:
    """What the finishing stages need from sources.yaml and the command line."""

    priorities: dict[str, int]
    curation: dict  # settings.curate
    config_path: str
    k: int = 5
    pageviews: dict[str, int] = field(default_factory=dict)


def _insert(conn: sqlite3.Connection, table: str, data: pa.Table) -> None:
    existing = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
    names = [n for n in data.column_names if n in existing]
    if not names or not data.num_rows:
        return
    columns = [data.column(n).to_pylist() for n in names]
    conn.executemany(f"INSERT INTO {table}({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                     zip(*columns))


def finish(inputs: dict[str, pa.Table], settings: FinishSettings, workdir: str | None = None) -> dict[str, pa.Table]:
    """Clusters, entities, curation and recommendations, computed by the
    stages' own functions (write_clusters, run_entities, run_curate,
    run_recommend) over the extracted rows in a scratch database; returns
    every table those stages filled (the records come back with their
    entity ids), keyed by table name.

    ``inputs`` holds pages, articles (bodies may be left out: no later stage
    reads them), treatments, exercises, related_links and duplicate_pairs.
    Records are inserted in (article, position) order, as extraction inserts
    them, so ids and every order that depends on them match a
    single-machine run.
    """
    from pipeline.curate import CurationRules, run_curate
    from pipeline.dedupe import run_entities, write_clusters
    from pipeline.recommend import run_recommend

    with tempfile.TemporaryDirectory(dir=workdir) as folder:
        path = os.path.join(folder, "finish.db")
        conn = scratch_connection(path)
        conn.execute("BEGIN")
        names = sorted(set(settings.priorities) | set(inputs["pages"].column("source").to_pylist()))
        conn.executemany("INSERT INTO sources(name, priority) VALUES (?, ?)",
                         [(n, settings.priorities.get(n, 0)) for n in names])
        for table in ("pages", "articles", "treatments", "exercises", "related_links", "duplicate_pairs"):
            _insert(conn, table, inputs[table])
        conn.executemany("INSERT INTO pageviews(url, views) VALUES (?, ?)", sorted(settings.pageviews.items()))
        conn.execute("COMMIT")
        database = dbmod.open_db(path)  # the stages' own connection: WAL, busy timeout, schema checks
        database.conn.execute("PRAGMA foreign_keys=OFF")
        try:
            with dbmod.transaction(database):
                write_clusters(database, settings.priorities)
            run_entities(database)
            run_curate(database, CurationRules.from_settings({"curate": settings.curation}, settings.config_path))
            run_recommend(database, k=settings.k)
            outputs = {}
            tables = [r[0] for r in database.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE '%_fts%' ORDER BY name")]
            for table in tables:
                if table in FINISH_INPUTS:
                    continue
                (count,) = database.conn.execute(f"SELECT count(*) FROM {table}").fetchone()
                if count or table in ("treatments", "exercises", "entities", "article_clusters", "curation",
                                      "recommendations", "most_read"):
                    outputs[table] = rows_of(database.conn, table, order="rowid")
            return outputs
        finally:
            database.close()
            conn.close()


def finish_inputs_from(store: DatasetStore, partitions: list[str], superseded: set[tuple[str, str]]) -> dict[str, pa.Table]:
    """The rows the finishing stages read, from the extract stage's files
    (bodies left out), and the verified duplicate pairs."""
    wanted = {"pages": None, "articles": None, "treatments": None, "exercises": None, "related_links": None}
    inputs: dict[str, pa.Table] = {}
    for table in wanted:
        pieces = []
        for pid in partitions:
            data = store.read_table(f"extract/{table}/{pid}.parquet")
            if table == "articles":
                data = data.set_column(data.schema.get_field_index("body"), "body",
                                       pa.nulls(data.num_rows, pa.string()))
            pieces.append(drop_superseded(data, superseded, "url" if table in ("pages", "articles") else "article_url"))
        inputs[table] = sort_rows(pa.concat_tables(pieces) if pieces else pa.table({}), table)
    inputs["duplicate_pairs"] = store.read_table("dedupe/duplicate_pairs.parquet")
    return inputs


def drop_superseded(data: pa.Table, superseded: set[tuple[str, str]], url_column: str) -> pa.Table:
    """Leave out the rows of a URL's older captures (a URL in two archives:
    the latest capture wins, as in `pipeline import`)."""
    if not superseded or not data.num_rows:
        return data
    urls = data.column(url_column).to_pylist()
    parts = data.column("partition").to_pylist()
    keep = [(u, p) not in superseded for u, p in zip(urls, parts)]
    return data.filter(pa.array(keep))


def sort_rows(data: pa.Table, table: str) -> pa.Table:
    if not data.num_rows:
        return data
    keys = {"treatments": ["article_url", "position"], "exercises": ["article_url", "position"],
            "related_links": ["article_url", "position"]}.get(table, ["url"])
    return data.sort_by([(k, "ascending") for k in keys])


def superseded_captures(rows: list[tuple[str, str, str]]) -> set[tuple[str, str]]:
    """(url, partition) of captures that a later capture of the same URL in
    another partition replaces. ``rows`` are (url, fetched_at, partition) of
    URLs seen in more than one partition."""
    by_url: dict[str, list[tuple[str, str]]] = {}
    for url, fetched_at, partition in rows:
        by_url.setdefault(url, []).append((fetched_at or "", partition))
    superseded = set()
    for url, captures in by_url.items():
        captures.sort()
        for _, partition in captures[:-1]:
            superseded.add((url, partition))
    return superseded

"""The database: its schema (all of it, in this one place), opening and locking.

The database is plain SQLite, written through sqlite-utils and shaped for
Datasette: readable column names, foreign keys, bulky HTML kept in a side
table so ``pages`` stays pleasant to browse.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
import zlib
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import sqlite_utils
import zstandard

from pipeline.errors import ConfigError, LockHeldError

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    name TEXT PRIMARY KEY,
    allowed_hosts TEXT,          -- JSON list
    start_urls TEXT,             -- JSON list
    sitemaps TEXT,               -- JSON list
    priority INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS crawl_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,        -- running, completed, failed, interrupted
    sources TEXT,                -- JSON list of source names crawled
    requests INTEGER NOT NULL DEFAULT 0,
    fetched INTEGER NOT NULL DEFAULT 0,
    new INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    redirected INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    blocked_by_robots INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    duplicates_skipped INTEGER NOT NULL DEFAULT 0,
    gone INTEGER NOT NULL DEFAULT 0,   -- pages confirmed removed from the site in this run
    failed_by_reason TEXT,       -- JSON object reason -> count
    skipped_by_reason TEXT,      -- JSON object reason -> count
    deferred INTEGER NOT NULL DEFAULT 0,   -- URLs left for the next run (a time budget, a host skipped)
    deferred_by_reason TEXT,     -- JSON object reason -> count
    by_source TEXT               -- JSON object source -> its counts
);

-- The crawl frontier: every URL a source wants, with its state in the
-- current run. Living here rather than in memory is what lets a killed
-- crawl resume without fetching anything twice.
CREATE TABLE IF NOT EXISTS frontier (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL REFERENCES sources(name),
    depth INTEGER NOT NULL,
    hops INTEGER NOT NULL DEFAULT 0,   -- redirects followed to reach it
    found_on TEXT,
    run_id INTEGER NOT NULL REFERENCES crawl_runs(id),
    state TEXT NOT NULL,               -- queued, done, deferred (left for the next run)
    kind TEXT NOT NULL DEFAULT 'page', -- page, sitemap
    fetched_at TEXT,                   -- last fetched (NULL: never): the least recent go first
    listed_run INTEGER,                -- the last run in which a sitemap listed it
    result TEXT                        -- a sitemap's outcome in this run
);

CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,              -- canonical URL
    source TEXT NOT NULL REFERENCES sources(name),
    final_url TEXT,                    -- where a redirect points
    canonical_link TEXT,               -- the page's own rel=canonical
    status_code INTEGER,
    outcome TEXT NOT NULL,             -- the last fetch: ok, unchanged, redirect, failed, blocked, skipped, removed
    reason TEXT,                       -- why (pipeline.outcomes.Reason): "timeout", "not found", ...
    detail TEXT,                       -- for people: "HTTP 503", the sizes, the error text
    content_type TEXT,
    encoding TEXT,
    size INTEGER,                      -- bytes of the body as received
    content_hash TEXT,                 -- sha1 of the decoded HTML
    etag TEXT,
    last_modified TEXT,
    depth INTEGER,
    found_on TEXT,
    first_seen_at TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    changed_at TEXT,                   -- when content_hash last changed
    crawl_run_id INTEGER REFERENCES crawl_runs(id),
    good_at TEXT,                      -- when it last answered with its content (ok or unchanged)
    missing_runs INTEGER NOT NULL DEFAULT 0,  -- runs in a row it answered 404/410 after having content
    removed_at TEXT                    -- when its removal was confirmed (outcome 'removed')
);
CREATE INDEX IF NOT EXISTS pages_source ON pages(source, outcome);
CREATE INDEX IF NOT EXISTS pages_changed ON pages(changed_at);

-- The HTML itself, decoded to text, UTF-8, zstd-compressed (older rows: zlib), away from pages.
CREATE TABLE IF NOT EXISTS page_html (
    url TEXT PRIMARY KEY REFERENCES pages(url),
    content_hash TEXT NOT NULL,
    html BLOB NOT NULL
);

-- Extraction: one row per page tried, whatever came of it.
CREATE TABLE IF NOT EXISTS extractions (
    url TEXT PRIMARY KEY REFERENCES pages(url),
    status TEXT NOT NULL,              -- article, not_article, failed
    reason TEXT,
    extractor_version TEXT NOT NULL,
    content_hash TEXT,                 -- of the page_html it read
    extracted_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS extractions_status ON extractions(status);

CREATE TABLE IF NOT EXISTS articles (
    url TEXT PRIMARY KEY REFERENCES pages(url),
    source TEXT REFERENCES sources(name),
    canonical_url TEXT,
    title TEXT,
    condition TEXT,
    author TEXT,
    published TEXT,                    -- ISO 8601 date
    modified TEXT,
    description TEXT,
    language TEXT,
    site_name TEXT,
    image TEXT,
    word_count INTEGER,
    treatment_count INTEGER,
    exercise_count INTEGER,
    related_count INTEGER,
    body_region TEXT,                  -- "lower back", "knee", ... from the title, condition and JSON-LD
    body TEXT,
    extractor_version TEXT,
    extracted_at TEXT
);
CREATE INDEX IF NOT EXISTS articles_condition ON articles(condition);

CREATE TABLE IF NOT EXISTS treatments (
    id INTEGER PRIMARY KEY,
    article_url TEXT NOT NULL REFERENCES articles(url) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    text TEXT,
    category TEXT,                     -- medication, heat, cold, rest, professional care, prevention, exercise, massage, diet, other
    medicines TEXT,                    -- JSON list
    warnings TEXT,                     -- JSON list of conditions it warns of
    found_by TEXT,
    section TEXT,                      -- the heading of the page section it sits in, as the page words it
    section_kind TEXT,                 -- treatments, exercises
    confidence REAL,                   -- 0..1: how sure extraction is that this is a real item
    unsure INTEGER NOT NULL DEFAULT 0, -- 1: kept, but not to be trusted for entities
    entity_id INTEGER REFERENCES entities(id),
    UNIQUE(article_url, position)
);

CREATE TABLE IF NOT EXISTS exercises (
    id INTEGER PRIMARY KEY,
    article_url TEXT NOT NULL REFERENCES articles(url) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    text TEXT,
    hold_seconds INTEGER,
    hold_seconds_max INTEGER,          -- when a range is given ("20 to 30 seconds")
    reps INTEGER,
    sets INTEGER,
    rest_seconds INTEGER,
    body_position TEXT,                -- "lying on your back", "on all fours", ...
    reps_max INTEGER,                  -- upper bound when a range is given ("8-12 reps")
    sets_max INTEGER,
    per_side INTEGER NOT NULL DEFAULT 0,  -- 1: reps or hold are per side / per leg / per arm
    duration_seconds INTEGER,          -- how long the exercise lasts ("walk for 10 minutes")
    frequency TEXT,                    -- "daily", "3 times a week", ...
    facts TEXT,                        -- JSON list: {fact, value, max, phrase} with the phrase each came from
    found_by TEXT,
    section TEXT,
    section_kind TEXT,
    confidence REAL,
    unsure INTEGER NOT NULL DEFAULT 0,
    entity_id INTEGER REFERENCES entities(id),
    UNIQUE(article_url, position)
);

CREATE TABLE IF NOT EXISTS related_links (
    id INTEGER PRIMARY KEY,
    article_url TEXT NOT NULL REFERENCES articles(url) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT,
    url TEXT NOT NULL,                 -- canonical, tracking parameters stripped
    block TEXT,                        -- the block's label: "What Others Are Reading"
    UNIQUE(article_url, position)
);
CREATE INDEX IF NOT EXISTS related_links_url ON related_links(url);

-- Dedupe: article copies and near-copies, and treatment/exercise entities.
CREATE TABLE IF NOT EXISTS article_signatures (
    url TEXT PRIMARY KEY REFERENCES articles(url) ON DELETE CASCADE,
    text_hash TEXT NOT NULL,           -- of the normalised body: equal means an exact copy
    word_count INTEGER,
    signature BLOB NOT NULL,           -- 128 one-permutation MinHash values, uint32
    computed_at TEXT
);

CREATE TABLE IF NOT EXISTS duplicate_pairs (
    url_a TEXT NOT NULL REFERENCES articles(url) ON DELETE CASCADE,
    url_b TEXT NOT NULL REFERENCES articles(url) ON DELETE CASCADE,
    similarity REAL,                   -- exact Jaccard of 5-word shingles of the body
    kind TEXT,                         -- exact, near
    PRIMARY KEY (url_a, url_b)
);

CREATE TABLE IF NOT EXISTS article_clusters (
    url TEXT PRIMARY KEY REFERENCES articles(url) ON DELETE CASCADE,
    cluster_id TEXT NOT NULL,
    representative TEXT REFERENCES articles(url) ON DELETE CASCADE,
    duplicate_of TEXT REFERENCES articles(url) ON DELETE CASCADE,   -- NULL for the representative
    similarity REAL,                   -- to the representative
    kind TEXT,
    size INTEGER
);
CREATE INDEX IF NOT EXISTS article_clusters_cluster ON article_clusters(cluster_id);

CREATE TABLE IF NOT EXISTS entities (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                -- treatment, exercise
    canonical_name TEXT NOT NULL,      -- the name most articles use
    key TEXT NOT NULL,                 -- the normalised name it was matched on
    category TEXT,
    aliases TEXT,                      -- JSON: name -> times used
    text_key TEXT,
    article_count INTEGER NOT NULL DEFAULT 0,
    source_count INTEGER NOT NULL DEFAULT 0,
    concept TEXT                       -- the alias-table concept (pipeline/vocab/aliases.json), or NULL
);
CREATE INDEX IF NOT EXISTS entities_kind ON entities(kind, article_count);

-- An entity's place in curated vocabularies (pipeline/vocab/): the alias-table
-- concept it is (same_as), the wider concepts it belongs to (broader: ibuprofen
-- is an NSAID, not merged with it), and exercise vocabularies (free-exercise-db).
CREATE TABLE IF NOT EXISTS entity_links (
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    relation TEXT NOT NULL,            -- same_as, broader
    vocabulary TEXT NOT NULL,          -- aliases, free-exercise-db
    code TEXT NOT NULL,                -- the concept's id in that vocabulary
    label TEXT,
    source TEXT,                       -- the file or package, with its version and licence
    PRIMARY KEY (entity_id, relation, vocabulary, code)
);

-- Every condition articles name, with its ICD-10-CM code where one fits.
CREATE TABLE IF NOT EXISTS conditions (
    name TEXT PRIMARY KEY,             -- articles.condition, as extracted
    concept TEXT,                      -- pipeline/vocab/conditions.json id, or NULL
    label TEXT,
    body_region TEXT,
    icd10cm_code TEXT,
    icd10cm_title TEXT,                -- the official title, from the ICD-10-CM tabular list
    match TEXT,                        -- exact, close, title (the name is the code's own title)
    source TEXT,
    article_count INTEGER NOT NULL DEFAULT 0
);

-- Curation, recommendations and readership.
CREATE TABLE IF NOT EXISTS curation (
    url TEXT PRIMARY KEY REFERENCES articles(url) ON DELETE CASCADE,
    included INTEGER NOT NULL,         -- 1: in the curated dataset
    excluded_by TEXT,                  -- the first rule it failed (pipeline.curate.Rule): "duplicate", ...
    decided_at TEXT,
    detail TEXT                        -- for people: "duplicate of https://...", "120 words < 150"
);

CREATE VIEW IF NOT EXISTS curated_articles AS
    SELECT a.* FROM articles a JOIN curation c ON c.url = a.url WHERE c.included = 1;

CREATE TABLE IF NOT EXISTS recommendations (
    article_url TEXT NOT NULL REFERENCES articles(url) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    recommended_url TEXT NOT NULL REFERENCES articles(url) ON DELETE CASCADE,
    score REAL,
    reason TEXT,                       -- for a person: "same condition: sciatica"
    signals TEXT,                      -- JSON: the blended signals and their values
    reason_kind TEXT,                  -- the main evidence: editors, same_condition, same_region, shared, similar, popular
    evidence TEXT,                     -- JSON list of {kind, text}: every piece of evidence, strongest first
    PRIMARY KEY (article_url, rank)
);

-- How the recommend stage judged each site's related-links block: an editor's
-- choice of articles on the same topic, or a list of what is popular.
CREATE TABLE IF NOT EXISTS related_blocks (
    source TEXT NOT NULL,
    block TEXT NOT NULL,               -- the block's label
    pages INTEGER NOT NULL,            -- articles that carry it
    links INTEGER NOT NULL,            -- links to curated articles
    topical REAL,                      -- share of links on the same condition or body region, or sharing advice
    topical_baseline REAL,             -- the same share for random pairs of the site's articles
    sitewide REAL,                     -- share of links to targets that most of the site's pages link to
    judged_as TEXT NOT NULL,           -- editorial, popular, untrusted
    weight REAL NOT NULL,              -- how much its links count as "editors link these" (0..1)
    PRIMARY KEY (source, block)
);

CREATE TABLE IF NOT EXISTS most_read (
    rank INTEGER PRIMARY KEY,
    url TEXT NOT NULL REFERENCES articles(url) ON DELETE CASCADE,
    title TEXT,
    score REAL,
    reason TEXT
);

CREATE TABLE IF NOT EXISTS pageviews (
    url TEXT PRIMARY KEY,
    views INTEGER NOT NULL,
    loaded_at TEXT
);

-- Earlier versions of a page's HTML (settings.keep_versions, default 3, counts the current one).
CREATE TABLE IF NOT EXISTS page_versions (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL REFERENCES pages(url),
    content_hash TEXT NOT NULL,
    fetched_at TEXT,                   -- when this version was last current
    html BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS page_versions_url ON page_versions(url, id);

-- Files brought in by `pipeline import`: how far each was read, so a killed import resumes.
CREATE TABLE IF NOT EXISTS imports (
    path TEXT PRIMARY KEY,             -- absolute path; "archive.wacz!archive/x.warc.gz" inside a WACZ
    kind TEXT NOT NULL,                -- html, archive
    size INTEGER,
    mtime INTEGER,
    status TEXT NOT NULL,              -- partial, done
    offset INTEGER,                    -- bytes of the file read and committed
    pages INTEGER NOT NULL DEFAULT 0,  -- pages stored from it
    started_at TEXT,
    finished_at TEXT
);

CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
"""


def default_db_path() -> str:
    return os.environ.get("PIPELINE_DB", "db/health.db")


def now_iso(ts: float | None = None) -> str:
    """A moment as the database stores it: UTC, ISO 8601, to the second."""
    return datetime.fromtimestamp(ts if ts is not None else time.time(), timezone.utc).isoformat(timespec="seconds")


def check_db_path(path: str | os.PathLike) -> None:
    """Refuse a database path whose folder does not exist.

    A typo in ``--db`` must not start a fresh, empty database whose export
    then replaces the published one with nothing.
    """
    folder = Path(path).parent
    if not folder.is_dir():
        raise ConfigError(f"--db {path}: the folder {folder} does not exist (create it first, or check the path)")


def open_db(path: str | os.PathLike) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path`` with the full schema.

    The folder must exist (see :func:`check_db_path`). WAL lets Datasette
    read while a crawl writes; synchronous=NORMAL is safe under WAL (a crash
    may lose the last commits, never corrupt the file).
    """
    check_db_path(path)
    path = Path(path)
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    db = sqlite_utils.Database(conn)
    conn.executescript(SCHEMA)
    ensure_columns(conn)
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    return db


# Columns added after a table first shipped: a database made by an older
# version gains them when opened, so nobody has to start over.
_ITEM_COLUMNS = [("section", "TEXT"), ("section_kind", "TEXT"), ("confidence", "REAL"),
                 ("unsure", "INTEGER NOT NULL DEFAULT 0")]
ADDED_COLUMNS = {
    "crawl_runs": [("gone", "INTEGER NOT NULL DEFAULT 0"), ("deferred", "INTEGER NOT NULL DEFAULT 0"),
                   ("deferred_by_reason", "TEXT"), ("by_source", "TEXT")],
    "frontier": [("fetched_at", "TEXT"), ("listed_run", "INTEGER"), ("result", "TEXT")],
    "pages": [("detail", "TEXT"), ("good_at", "TEXT"), ("missing_runs", "INTEGER NOT NULL DEFAULT 0"),
              ("removed_at", "TEXT")],
    "curation": [("detail", "TEXT")],
    "entities": [("concept", "TEXT")],
    "recommendations": [("reason_kind", "TEXT"), ("evidence", "TEXT")],
    "articles": [("body_region", "TEXT")],
    "treatments": [("entity_id", "INTEGER REFERENCES entities(id)"), *_ITEM_COLUMNS],
    "exercises": [("entity_id", "INTEGER REFERENCES entities(id)"), ("reps_max", "INTEGER"), ("sets_max", "INTEGER"),
                  ("per_side", "INTEGER NOT NULL DEFAULT 0"), ("duration_seconds", "INTEGER"),
                  ("frequency", "TEXT"), ("facts", "TEXT"), *_ITEM_COLUMNS],
}


# Indexes over added columns: created after the columns exist.
INDEXES = """
CREATE INDEX IF NOT EXISTS frontier_next ON frontier(source, run_id, state, kind, fetched_at, depth);
-- The start pages, read first in every run (pipeline.crawl.SourceCrawler.next_jobs).
CREATE INDEX IF NOT EXISTS frontier_seeds ON frontier(source, run_id, state) WHERE kind = 'page' AND found_on IS NULL;
"""


def ensure_columns(conn: sqlite3.Connection) -> None:
    for table, columns in ADDED_COLUMNS.items():
        existing = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        for name, declaration in columns:
            if name not in existing:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {declaration}")
                if (table, name) == ("frontier", "fetched_at"):
                    # Known pages keep their place in the least-recently-fetched order.
                    conn.execute("UPDATE frontier SET fetched_at = (SELECT fetched_at FROM pages p "
                                 "WHERE p.url = frontier.url)")
                if (table, name) == ("pages", "good_at"):
                    conn.execute("UPDATE pages SET good_at = fetched_at WHERE outcome IN ('ok', 'unchanged')")
    conn.executescript(INDEXES)


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite3.Connection]:
    """One explicit transaction: everything inside commits together or not at all."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


# Descriptors of the run locks this process holds: a child made by fork()
# (an extraction worker) closes its copies, so the lock dies with the job
# even when a worker outlives it for a moment (see release_inherited_locks).
_HELD_LOCKS: set[int] = set()


def lock_info_path(db_path: str | os.PathLike) -> str:
    """Where the holder of a database's run lock says who it is (the lock
    itself is on the database file; this file is only for the message)."""
    return os.path.realpath(db_path) + ".lock"


@contextmanager
def run_lock(db_path: str | os.PathLike, what: str = "pipeline") -> Iterator[None]:
    """Hold the database's run lock, or raise LockHeldError at once.

    The lock is an flock on the database file itself, so it belongs to the
    file however its path is spelled (a symlink, ``./db/../db/x.db``, a
    hard link); the kernel drops it when the holder dies, so a SIGKILLed run
    never leaves it behind. SQLite's own locks are POSIX record locks, which
    Linux keeps apart from flock.

    Close every SQLite connection to the file before leaving the block:
    closing any descriptor of a file drops the POSIX locks this process holds
    on it. Readers (Datasette) never take this lock.
    """
    check_db_path(db_path)
    fd = os.open(db_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        try:
            holder = Path(lock_info_path(db_path)).read_text().strip()
        except OSError:
            holder = ""
        raise LockHeldError(
            f"another pipeline run is using {db_path} ({holder or 'pid unknown'}); "
            "this run exits without doing anything"
        ) from None
    _HELD_LOCKS.add(fd)
    try:
        try:
            Path(lock_info_path(db_path)).write_text(f"pid {os.getpid()}, {what}, since {now_iso()}\n")
        except OSError:
            pass  # a read-only folder: the lock holds all the same
        yield
    finally:
        _HELD_LOCKS.discard(fd)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def lock_is_held(db_path: str | os.PathLike) -> bool:
    """Is a run using this database right now? (Takes and drops the lock.)"""
    if not Path(db_path).exists():
        return False
    fd = os.open(db_path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def release_inherited_locks() -> None:
    """In a child made by fork(): close the run-lock descriptors it inherited,
    so the lock dies with the process that took it."""
    for fd in list(_HELD_LOCKS):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD_LOCKS.clear()


ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"  # every zstd frame starts with it; a zlib stream never does
_codecs = threading.local()  # zstandard's (de)compressor objects are not to be shared between threads


def compress_html(text: str) -> bytes:
    """A page's HTML as stored in page_html: UTF-8, zstd level 1.

    zstd level 1 takes about half the time of level 3 on 22 KB pages (56 us
    against 110 us, one of the larger costs of a fast crawl) for 5 % more
    bytes (27 % of the page kept against 26 %); zlib level 1 takes 100 us or
    more and keeps 36 %, and zstd also decompresses three times faster.
    """
    if not hasattr(_codecs, "compressor"):
        _codecs.compressor = zstandard.ZstdCompressor(level=1)
    return _codecs.compressor.compress(text.encode("utf-8"))


def decompress_html(blob: bytes) -> str:
    """The text :func:`compress_html` stored; also reads the zlib blobs of
    databases written before the switch to zstd."""
    if blob[:4] != ZSTD_MAGIC:
        return zlib.decompress(blob).decode("utf-8")
    if not hasattr(_codecs, "decompressor"):
        _codecs.decompressor = zstandard.ZstdDecompressor()
    return _codecs.decompressor.decompress(blob).decode("utf-8")


def page_html(db: sqlite_utils.Database, url: str) -> str | None:
    """The stored HTML of a page, or None."""
    row = db.conn.execute("SELECT html FROM page_html WHERE url = ?", (url,)).fetchone()
    return decompress_html(row[0]) if row else None

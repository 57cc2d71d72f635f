"""Bringing pages in without crawling: saved HTML files, folders of them, and
web archives (WARC, ARC and WACZ files from Common Crawl, ``wget
--warc-file``, Browsertrix, Heritrix, or ``pipeline crawl --warc``).

Imported pages become the same ``pages`` and ``page_html`` rows a crawl
writes (one row per canonical URL, new/changed/unchanged by content hash,
earlier versions kept), so extract, dedupe, curate and export run on them
unchanged.

- An HTML file's URL is ``--base-url`` joined with the file's path below the
  folder given; without it, the page's ``rel=canonical`` link, else the
  address the browser or SingleFile noted when saving it, else its
  ``og:url``. A file with none of them is reported, not guessed.
- Archives are streamed record by record with warcio (gzip members, chunked
  and compressed HTTP bodies undone). A response that is not a 200 HTML page
  is counted by its reason; 3xx and 4xx answers are recorded only for URLs
  that have no good page yet, so an archive never replaces a good page with
  an error. An older capture never replaces a newer one.
- Resumable: the ``imports`` table keeps, per file, its size, modification
  time and the byte offset of the last record committed together with the
  pages it produced. A killed import resumes at that record; a file already
  imported whole is skipped unless it changed.
"""

from __future__ import annotations

import email.utils
import html
import os
import re
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import quote, urljoin

import sqlite_utils
from warcio.archiveiterator import ArchiveIterator

from pipeline import db as dbmod
from pipeline.db import now_iso
from pipeline.discover import page_links
from pipeline.errors import ConfigError
from pipeline.decoding import content_hash, decode_html
from pipeline.fetch import HTML_TYPES
from pipeline.outcomes import PERMANENT_REDIRECTS, Outcome, Reason
from pipeline.pages import keep_version, upsert_page
from pipeline.sources import Config
from pipeline.urls import BadURL, canonical_url

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz", ".wacz", ".warc.gz.open")
DEFAULT_SOURCE = "imported"  # pages whose host no source of sources.yaml covers
BATCH = 200  # records per transaction
MAX_BYTES = 5_000_000  # a page larger than this is no article (the crawl's default max_bytes)


NO_URL = "no URL: no rel=canonical link, saved-from address or og:url, and no --base-url"
# Where a browser or an extension notes the address a page was saved from:
# Chrome's and Internet Explorer's "Mark of the Web" comment, and SingleFile's
# header comment. Both stand before <html>, in the first kilobytes.
SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->"
                        r"|<!--\s*Page saved with SingleFile\s+url:\s*(\S+)", re.I)
OG_URL = re.compile(r"""<meta\s[^>]*?property\s*=\s*["']og:url["'][^>]*>""", re.I)
CONTENT_ATTR = re.compile(r"""\scontent\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def saved_from_url(text: str) -> str | None:
    """The address a saved page came from when it has no rel=canonical link:
    the one the browser or SingleFile wrote into it, else its og:url (the
    address the site gives for sharing). Canonical, or None."""
    head = text[:20000]
    candidates = [next(u for u in match.groups() if u) for match in SAVED_FROM.finditer(head[:4000])]
    for meta in OG_URL.findall(head):
        content = CONTENT_ATTR.search(meta)
        if content:
            candidates.append(html.unescape(content.group(1) or content.group(2) or ""))
    for candidate in candidates:
        if candidate.startswith(("http://", "https://")):
            try:
                return canonical_url(candidate)
            except BadURL:
                continue
    return None


@dataclass
class ImportSummary:
    files: int = 0
    files_skipped_done: int = 0
    archives: int = 0
    records: int = 0
    counts: Counter = field(default_factory=Counter)
    skipped_by_reason: Counter = field(default_factory=Counter)
    failed_by_reason: Counter = field(default_factory=Counter)
    sources: Counter = field(default_factory=Counter)

    def as_dict(self, seconds: float) -> dict:
        c = self.counts
        return {"files": self.files, "already_imported": self.files_skipped_done, "archives": self.archives,
                "records": self.records, "pages": c["new"] + c["changed"] + c["unchanged"], "new": c["new"],
                "changed": c["changed"], "unchanged": c["unchanged"], "older_capture": c["older"],
                "redirected": c["redirect"], "failed": sum(self.failed_by_reason.values()),
                "failed_by_reason": dict(self.failed_by_reason.most_common()),
                "skipped": sum(self.skipped_by_reason.values()),
                "skipped_by_reason": dict(self.skipped_by_reason.most_common()),
                "sources": dict(self.sources.most_common()), "seconds": round(seconds, 2)}


@dataclass
class Capture:
    """One page as an archive or a file holds it: plain data for :meth:`Importer.store`."""

    url: str
    status: int
    body: bytes | None
    content_type: str | None
    fetched_at: float
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None


def is_archive(path: Path) -> bool:
    """A web archive by its name, or by its first bytes (a WARC, plain or gzipped)."""
    name = path.name.lower()
    if name.endswith(ARCHIVE_SUFFIXES):
        return True
    if name.endswith(HTML_SUFFIXES):
        return False
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head == b"\x1f\x8b\x08\x00" or head[:3] == b"\x1f\x8b\x08":
        import gzip

        try:
            with gzip.open(path, "rb") as inner:
                head = inner.read(4)
        except (OSError, EOFError):
            return False
    return head == b"WARC"


def walk(paths: list[str]) -> Iterator[tuple[Path, Path]]:
    """(file, the folder it was found under) for every file the paths name, sorted."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise ConfigError(f"{raw}: no such file or folder")
        if path.is_dir():
            for sub in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                yield sub, path
        else:
            yield path, path.parent


class Importer:
    """Writes captures into the database the way a crawl records fetched pages."""

    def __init__(self, db: sqlite_utils.Database, config: Config | None, source: str | None = None,
                 base_url: str | None = None, keep_versions: int = 3,
                 on_progress: Callable[[dict], None] | None = None):
        self.db = db
        self.conn = db.conn
        self.config = config
        self.source = source
        self.base_url = base_url.rstrip("/") + "/" if base_url else None
        self.keep_versions = keep_versions
        self.summary = ImportSummary()
        self.on_progress = on_progress
        self.known_sources: set[str] = {r[0] for r in self.conn.execute("SELECT name FROM sources")}
        self.started = time.monotonic()

    # -- files -------------------------------------------------------------

    def run(self, paths: list[str]) -> dict:
        for path, root in walk(paths):
            self.summary.files += 1
            try:
                if is_archive(path):
                    self.import_archive(path)
                elif path.name.lower().endswith(HTML_SUFFIXES):
                    self.import_html(path, root)
                else:
                    self.summary.skipped_by_reason["not HTML or an archive"] += 1
            except OSError as exc:
                self.summary.failed_by_reason[f"unreadable file: {exc.strerror or exc}"] += 1
            if self.on_progress:
                self.on_progress(self.summary.as_dict(time.monotonic() - self.started))
        return self.summary.as_dict(time.monotonic() - self.started)

    def file_state(self, key: str, stat: os.stat_result) -> tuple[str | None, int]:
        """('done' | 'partial' | None, offset) of a file, if it is unchanged since."""
        row = self.conn.execute("SELECT size, mtime, status, offset FROM imports WHERE path = ?", (key,)).fetchone()
        if row is None or row[0] != stat.st_size or row[1] != int(stat.st_mtime):
            return None, 0
        return row[2], row[3] or 0

    def mark_file(self, key: str, stat: os.stat_result, kind: str, status: str, offset: int, pages: int) -> None:
        self.conn.execute(
            "INSERT INTO imports(path, kind, size, mtime, status, offset, pages, started_at, finished_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET kind = excluded.kind, "
            "size = excluded.size, mtime = excluded.mtime, status = excluded.status, offset = excluded.offset, "
            "pages = imports.pages + excluded.pages, finished_at = excluded.finished_at",
            (key, kind, stat.st_size, int(stat.st_mtime), status, offset, pages, now_iso(),
             now_iso() if status == "done" else None))

    def import_html(self, path: Path, root: Path) -> None:
        key = str(path.resolve())
        stat = path.stat()
        status, _ = self.file_state(key, stat)
        if status == "done":
            self.summary.files_skipped_done += 1
            return
        body = path.read_bytes()
        text, encoding = decode_html(body, None)
        url = self.url_for_file(path, root, text)
        with dbmod.transaction(self.db):
            if url is None:
                self.summary.failed_by_reason[NO_URL] += 1
            else:
                self.store(Capture(url=url, status=200, body=body, content_type="text/html",
                                   fetched_at=stat.st_mtime), decoded=(text, encoding))
            self.mark_file(key, stat, "html", "done", stat.st_size, 0 if url is None else 1)

    def url_for_file(self, path: Path, root: Path, text: str) -> str | None:
        if self.base_url:
            relative = path.relative_to(root) if path != root and root in path.parents else Path(path.name)
            return self.base_url + quote(relative.as_posix())
        try:
            _, canonical, _ = page_links(text, "https://invalid.example/", want_links=False)
        except Exception:  # an unparseable page has no canonical link either
            canonical = None
        if canonical and not canonical.startswith("https://invalid.example/"):
            return canonical
        return saved_from_url(text)

    # -- archives ------------------------------------------------------------

    def import_archive(self, path: Path) -> None:
        self.summary.archives += 1
        if path.name.lower().endswith(".wacz"):
            # A WACZ is a zip holding the crawl's WARCs under archive/.
            with zipfile.ZipFile(path) as bundle:
                for member in sorted(n for n in bundle.namelist() if n.startswith("archive/") and
                                     n.lower().endswith((".warc", ".warc.gz"))):
                    info = bundle.getinfo(member)
                    stat = os.stat_result((0, 0, 0, 0, 0, 0, info.file_size, 0, int(path.stat().st_mtime), 0))
                    with bundle.open(member) as stream:
                        self.import_stream(f"{path.resolve()}!{member}", stat, stream, seekable=False)
            return
        with open(path, "rb") as stream:
            self.import_stream(str(path.resolve()), path.stat(), stream, seekable=True)

    def import_stream(self, key: str, stat: os.stat_result, stream, seekable: bool) -> None:
        status, offset = self.file_state(key, stat)
        if status == "done":
            self.summary.files_skipped_done += 1
            return
        if offset:
            if seekable:
                stream.seek(offset)
            else:
                _skip(stream, offset)
        iterator = ArchiveIterator(stream, arc2warc=True)
        pending = 0
        pages = 0
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            try:
                for record in iterator:
                    self.summary.records += 1
                    stored = self.archive_record(record)
                    iterator.read_to_end(record)
                    pages += stored
                    pending += 1
                    if pending >= BATCH:
                        end = offset + iterator.get_record_offset() + iterator.get_record_length()
                        self.mark_file(key, stat, "archive", "partial", end, pages)
                        self.conn.execute("COMMIT")
                        self.conn.execute("BEGIN IMMEDIATE")
                        pending = pages = 0
                        if self.on_progress:
                            self.on_progress(self.summary.as_dict(time.monotonic() - self.started))
            except Exception as exc:  # a cut or corrupt archive: keep what was read before it
                self.summary.failed_by_reason[f"archive ends in a broken record ({type(exc).__name__})"] += 1
            self.mark_file(key, stat, "archive", "done", stat.st_size, pages)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def archive_record(self, record) -> int:
        """Store one archive record if it is a page; return 1 if it was stored."""
        capture, skipped = read_capture(record)
        if skipped:
            self.summary.skipped_by_reason[skipped] += 1
        if capture is None:
            return 0
        return self.store(capture)

    # -- one page -------------------------------------------------------------

    def source_for(self, url: str) -> str:
        name = self.source
        if name is None and self.config is not None:
            match = self.config.source_for_url(url)
            name = match.name if match else None
        name = name or DEFAULT_SOURCE
        if name not in self.known_sources:
            self.conn.execute("INSERT OR IGNORE INTO sources(name, priority) VALUES (?, 0)", (name,))
            self.known_sources.add(name)
        return name

    def store(self, capture: Capture, decoded: tuple[str, str] | None = None) -> int:
        """Record one capture as a crawl records a fetched page (inside a
        transaction); return 1 if a page was stored."""
        existing = self.conn.execute(
            "SELECT content_hash, first_seen_at, fetched_at, outcome FROM pages WHERE url = ?", (capture.url,)
        ).fetchone()
        fetched_at = now_iso(capture.fetched_at)
        if existing is not None and existing[2] and existing[2] > fetched_at:
            self.summary.counts["older"] += 1  # a newer capture is stored already
            return 0
        source = self.source_for(capture.url)
        row = {"url": capture.url, "source": source, "status_code": capture.status, "fetched_at": fetched_at,
               "first_seen_at": existing[1] if existing else fetched_at, "reason": None, "detail": "imported"}
        if capture.status == 200 and capture.body is not None:
            text, encoding = decoded or decode_html(capture.body, capture.content_type)
            digest = content_hash(text)
            _, canonical, _ = page_links(text, capture.url, want_links=False)
            row.update(outcome=Outcome.OK, content_type=capture.content_type, encoding=encoding,
                       size=len(capture.body), content_hash=digest, etag=capture.etag,
                       last_modified=capture.last_modified, canonical_link=canonical, good_at=fetched_at,
                       missing_runs=0, removed_at=None)
            if existing is None or existing[0] is None:
                self.summary.counts["new"] += 1
                row["changed_at"] = fetched_at
            elif existing[0] != digest:
                self.summary.counts["changed"] += 1
                row["changed_at"] = fetched_at
                keep_version(self.conn, capture.url, self.keep_versions)
            else:
                self.summary.counts["unchanged"] += 1
                row.update(outcome=Outcome.UNCHANGED, reason=Reason.SAME_CONTENT)
            upsert_page(self.conn, row)
            if row.get("changed_at"):
                self.conn.execute("INSERT OR REPLACE INTO page_html(url, content_hash, html) VALUES (?, ?, ?)",
                                  (capture.url, digest, dbmod.compress_html(text)))
            self.summary.sources[source] += 1
            return 1
        if existing is not None and Outcome(existing[3]).has_content:
            self.summary.skipped_by_reason[f"HTTP {capture.status} for a page already stored"] += 1
            return 0
        if 300 <= capture.status < 400 and capture.location:
            try:
                target = canonical_url(urljoin(capture.url, capture.location))
            except BadURL:
                target = None
            row.update(outcome=Outcome.REDIRECT, final_url=target,
                       reason=Reason.MOVED if capture.status in PERMANENT_REDIRECTS else None,
                       detail=f"HTTP {capture.status} (imported)")
            self.summary.counts["redirect"] += 1
        else:
            reason = Reason.for_status(capture.status)
            row.update(outcome=Outcome.FAILED, reason=reason, detail=f"HTTP {capture.status} (imported)")
            self.summary.failed_by_reason[str(reason)] += 1
        upsert_page(self.conn, row)
        return 0


def read_capture(record) -> tuple[Capture | None, str | None]:
    """One archive record as a :class:`Capture`, or why it is none.

    Returns ``(capture, None)`` for a response worth storing (a 200 HTML page
    with its body read, or a 3xx/4xx/5xx answer), ``(None, reason)`` for one
    that is counted as skipped, and ``(None, None)`` for records that are not
    responses at all (warcinfo, request, metadata). Plain: no database, so the
    import and the distributed engine (:mod:`pipeline.distributed`) read
    archives by the same rules.
    """
    kind = record.rec_type
    if kind == "revisit":
        return None, "revisit (duplicate capture)"
    if kind != "response":
        return None, None  # warcinfo, request, metadata, resource: not pages
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    uri = uri.strip("<>")
    if not uri.lower().startswith(("http://", "https://")):
        return None, "not an http(s) response (dns:, robots, ...)"
    if record.http_headers is None:
        return None, "response without HTTP headers"
    try:
        url = canonical_url(uri)
    except BadURL:
        return None, "bad URL"
    headers = record.http_headers
    try:
        status = int(headers.get_statuscode() or 0)
    except ValueError:
        status = 0
    content_type = headers.get_header("Content-Type")
    capture = Capture(url=url, status=status, body=None, content_type=content_type,
                      fetched_at=_warc_time(record.rec_headers.get_header("WARC-Date")),
                      etag=headers.get_header("ETag"), last_modified=headers.get_header("Last-Modified"),
                      location=headers.get_header("Location"))
    media_type = (content_type or "").split(";")[0].strip().lower()
    if status == 304:
        return None, "304 not modified (no body in the archive)"
    if status == 200:
        if media_type and media_type not in HTML_TYPES:
            return None, "not HTML"
        capture.body = record.content_stream().read(MAX_BYTES + 1)  # chunking and gzip/br undone by warcio
        if len(capture.body) > MAX_BYTES:
            return None, f"too large (over {MAX_BYTES} bytes)"
    return capture, None


def _warc_time(value: str | None) -> float:
    """A WARC-Date (ISO 8601; ARC: 14 digits) as a timestamp; now if absent."""
    if not value:
        return time.time()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        pass
    try:
        return datetime.strptime(value[:14], "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc).timestamp()
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        return parsed.timestamp() if parsed else time.time()


def _skip(stream, count: int) -> None:
    while count > 0:
        chunk = stream.read(min(count, 1 << 20))
        if not chunk:
            return
        count -= len(chunk)


def import_paths(db: sqlite_utils.Database, config: Config | None, paths: list[str], *, source: str | None = None,
                 base_url: str | None = None, on_progress: Callable[[dict], None] | None = None) -> dict:
    """Import HTML files, folders and web archives into the pages table; return the summary.

    The caller holds the run lock (see :func:`pipeline.db.run_lock`).
    """
    if base_url is not None:
        try:
            base_url = canonical_url(base_url.rstrip("/") + "/")
        except BadURL as exc:
            raise ConfigError(f"--base-url: {exc}") from None
    keep = (config.settings.get("keep_versions", 3) if config is not None else 3)
    return Importer(db, config, source=source, base_url=base_url, keep_versions=keep,
                    on_progress=on_progress).run(paths)

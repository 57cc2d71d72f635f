"""Keeping what was fetched: every response of a crawl, with its request,
in rotating gzip-compressed WARC files (ISO 28500, written by warcio).

A WARC is what web archives keep (Common Crawl, the Internet Archive,
Browsertrix, Heritrix, ``wget --warc-file``), so a crawl written with
``pipeline crawl --warc DIR`` can be replayed, shared with those tools, and
re-extracted offline years later: ``pipeline import DIR`` reads it back into
the same database records.

Files are named like Heritrix's, ``<prefix>-<UTC time>-<serial>-<pid>.warc.gz``,
each starting with a ``warcinfo`` record. A file being written ends in
``.open`` and is renamed when complete; a new file starts once one passes
``max_bytes``. A crawl killed mid-write leaves an ``.open`` file whose last
record may be cut: the next writer in the folder cuts it back to its last
complete record and renames it, so no file is ever half-valid.

What is stored per response: the status line and the headers the crawl kept
(content type, ETag, Last-Modified, Location), and the body as the crawl
received it once its Content-Encoding was undone (so no Content-Encoding
header is written). The body is there for pages the crawl stored; for error
statuses, redirects, sitemaps and non-HTML responses, whose bodies the crawl
does not keep, the record says ``WARC-Truncated: unspecified``.
"""

from __future__ import annotations

import fcntl
import http
import io
import os
import queue
import socket
import threading
import time
import zlib
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline import __version__

DEFAULT_MAX_BYTES = 1_000_000_000  # a gigabyte a file, as Common Crawl and Heritrix do
OPEN_SUFFIX = ".open"
GZIP_LEVEL = 6  # warcio's own writer uses 9: twice the CPU for about 2 % smaller files
QUEUE_SIZE = 256  # exchanges waiting for the writer thread; the crawl waits when it is full


def warc_date(ts: float) -> str:
    """WARC-Date: UTC, ISO 8601, to the microsecond (WARC 1.1)."""
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def status_line(code: int) -> str:
    try:
        return f"{code} {http.HTTPStatus(code).phrase}"
    except ValueError:
        return f"{code} Unknown"


class WarcWriter:
    """Rotating WARC files in one folder; use as a context manager or call close().

    The crawl hands each exchange over (:meth:`write_outcome`) and a writer
    thread builds, compresses and writes the records, so the crawl's event
    loop does not wait on zlib and sha1 (both release the GIL). A write that
    fails (a full disk) is raised again at the next hand-over or at close,
    so the crawl stops rather than keep going without its archive.
    """

    def __init__(self, folder: str | os.PathLike, prefix: str = "health-pipeline",
                 max_bytes: int = DEFAULT_MAX_BYTES):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.serial = 0
        self.handle = None
        self.path: Path | None = None
        self.records = 0
        self.files: list[str] = []
        self.recovered = recover_open_files(self.folder)
        self.pending: queue.Queue = queue.Queue(QUEUE_SIZE)
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None

    def __enter__(self) -> "WarcWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- files ------------------------------------------------------------

    def _open_next(self) -> None:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")[:17]
        name = f"{self.prefix}-{stamp}-{self.serial:05d}-{os.getpid()}.warc.gz"
        self.serial += 1
        self.path = self.folder / name
        self.handle = open(str(self.path) + OPEN_SUFFIX, "xb")
        fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # tells a later writer this file is live
        builder = WARCWriter(None, gzip=False)
        info = builder.create_warcinfo_record(name, {
            "software": f"health-pipeline/{__version__} (warcio)",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "hostname": socket.gethostname(),
            "isPartOf": self.prefix,
        })
        self._write_records(info)

    def _rotate_if_needed(self) -> None:
        if self.handle is None:
            self._open_next()
        elif self.handle.tell() >= self.max_bytes:
            self._close_file()
            self._open_next()

    def _write_records(self, *records) -> None:
        """Each record as its own gzip member (what Common Crawl and warcio
        write, so a reader can seek to any record), flushed to the file."""
        for record in records:
            raw = io.BytesIO()
            WARCWriter(raw, gzip=False).write_record(record)
            packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)
            self.handle.write(packer.compress(raw.getvalue()) + packer.flush())
        self.handle.flush()

    def _close_file(self) -> None:
        if self.handle is None:
            return
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(str(self.path) + OPEN_SUFFIX, self.path)
        self.files.append(self.path.name)
        self.handle = None

    def close(self) -> None:
        """Write what is still waiting, finish the current file; raise a write error."""
        if self.thread is not None:
            self.pending.put(None)
            self.thread.join()
            self.thread = None
        self._close_file()
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    # -- the writer thread ------------------------------------------------

    def submit(self, url: str, **exchange) -> None:
        """Hand one exchange to the writer thread (see :meth:`write_exchange`)."""
        if self.error is not None:
            raise self.error
        if self.thread is None:
            self.thread = threading.Thread(target=self._drain, name="warc-writer", daemon=True)
            self.thread.start()
        self.pending.put((url, exchange))

    def _drain(self) -> None:
        while True:
            item = self.pending.get()
            if item is None:
                return
            if self.error is not None:
                continue  # keep draining so the crawl never blocks on a full queue
            url, exchange = item
            try:
                self.write_exchange(url, **exchange)
            except BaseException as exc:  # handed to the crawl at its next submit or at close
                self.error = exc

    # -- records ----------------------------------------------------------

    def write_exchange(self, url: str, *, status: int, headers: list[tuple[str, str]], body: bytes | None,
                       request_headers: list[tuple[str, str]], fetched_at: float | None = None,
                       truncated: bool = False) -> None:
        """Write one response record and the request record that goes with it."""
        self._rotate_if_needed()
        builder = WARCWriter(None, gzip=False)
        date = warc_date(fetched_at if fetched_at is not None else time.time())
        payload = body or b""
        response_headers = StatusAndHeaders(status_line(status), list(headers), protocol="HTTP/1.1")
        response_headers.replace_header("Content-Length", str(len(payload)))
        warc_headers = {"WARC-Date": date}
        if truncated:
            warc_headers["WARC-Truncated"] = "unspecified"
        response = builder.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                                  http_headers=response_headers, warc_headers_dict=warc_headers)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_line = StatusAndHeaders(f"GET {target} HTTP/1.1", [("Host", parts.netloc), *request_headers],
                                        protocol="", is_http_request=True)
        request = builder.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=request_line,
                                                 warc_headers_dict={
                                                     "WARC-Date": date,
                                                     "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")})
        self._write_records(response, request)
        self.records += 1

    def write_outcome(self, outcome, user_agent: str) -> None:
        """The crawl's hook: one fetched job (a :class:`pipeline.crawl.Outcome`)
        as a response and its request. Jobs that got no HTTP answer (a timeout,
        a refused connection, robots.txt said no) have nothing to keep."""
        result = outcome.result
        if result.status_code is None:
            return
        body = result.body
        content_type = result.content_type
        if body is None and outcome.html_compressed is not None:
            # Fetched in a worker process: the page travels as the text the crawl stores.
            from pipeline.db import decompress_html

            body = decompress_html(outcome.html_compressed).encode("utf-8")
            media_type = (content_type or "text/html").split(";")[0].strip() or "text/html"
            content_type = f"{media_type}; charset=utf-8"
        headers = [(name, value) for name, value in (
            ("Content-Type", content_type), ("ETag", result.etag), ("Last-Modified", result.last_modified),
            ("Location", result.final_url if 300 <= result.status_code < 400 else None)) if value]
        request_headers = [("User-Agent", user_agent), ("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")]
        keeps_no_body = result.status_code in (204, 304) or 300 <= result.status_code < 400
        self.submit(outcome.job.url, status=result.status_code, headers=headers, body=body,
                    request_headers=request_headers, fetched_at=result.fetched_at,
                    truncated=body is None and not keeps_no_body)


def recover_open_files(folder: Path) -> list[str]:
    """Finish ``.open`` files that no live writer holds (their crawl was
    killed): cut each back to its last complete record and rename it."""
    recovered = []
    for path in sorted(folder.glob(f"*.warc.gz{OPEN_SUFFIX}")):
        with open(path, "r+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a running crawl is writing it
            good_end = complete_records_end(handle)
            handle.truncate(good_end)
        final = path.with_name(path.name[: -len(OPEN_SUFFIX)])
        if good_end:
            os.replace(path, final)
            recovered.append(final.name)
        else:
            path.unlink()  # not even the warcinfo record was complete
    return recovered


def complete_records_end(handle) -> int:
    """Byte offset just past the last complete record of a gzip WARC."""
    handle.seek(0)
    end = 0
    try:
        iterator = ArchiveIterator(handle, no_record_parse=True)
        for record in iterator:
            record.content_stream().read()
            iterator.read_to_end(record)
            end = iterator.get_record_offset() + iterator.get_record_length()
    except Exception:  # a cut member: everything before it is good
        pass
    return end

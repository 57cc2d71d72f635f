"""A hostile web server for the crawler's regression tests: every way a site
once stalled, blew up or fooled the crawl (issue 12), on a real socket on
127.0.0.1, answering with exactly the bytes it wants.

aiohttp's server (:mod:`pipeline.demo.server`) refuses to send what real
servers sometimes send (header bytes that are not UTF-8, 100 KB header
lines, a broken status line), so this one is a small asyncio protocol that
writes raw bytes. Each path is one misbehaviour; ``HOSTILE`` says what the
crawl must record for it. Used by tests/test_hostile.py and bench/faults.py.
"""

from __future__ import annotations

import asyncio
import gzip
import threading
import time
import zlib
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Union

ARTICLE = ("<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
           + "<p>Runner's knee aches around the kneecap after long runs, and rest with a few exercises helps.</p>" * 6
           + "<p>Try these treatments:</p><ol><li><strong>Rest the knee.</strong> Skip running for a week.</li>"
           "<li><strong>Ice the knee.</strong> Ten minutes after activity.</li></ol>{extra}</article></body></html>")


def article(title: str, extra: str = "") -> bytes:
    return ARTICLE.format(title=title, extra=extra).encode()


@dataclass
class RawRequest:
    method: str
    path: str
    query: str
    headers: dict[str, bytes]  # lower-case name -> the raw bytes sent
    at: float = field(default_factory=time.monotonic)


Writer = Callable[[asyncio.Transport], Awaitable[None]]  # streams its own answer, may close the connection
Answer = Union[bytes, Writer]


def response(status: int = 200, body: bytes = b"", headers: list[tuple[str, bytes | str]] | None = None,
             reason: str = "OK", length: bool = True) -> bytes:
    """A raw HTTP/1.1 response; header values may be bytes, sent as they are."""
    lines = [f"HTTP/1.1 {status} {reason}".encode()]
    names = set()
    for name, value in headers or []:
        names.add(name.lower())
        lines.append(name.encode() + b": " + (value if isinstance(value, bytes) else value.encode("latin-1")))
    if length and "content-length" not in names and "transfer-encoding" not in names:
        lines.append(b"Content-Length: " + str(len(body)).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def html(body: bytes, status: int = 200, extra: list | None = None) -> bytes:
    return response(status, body, [("Content-Type", "text/html; charset=utf-8"), *(extra or [])])


class _Protocol(asyncio.Protocol):
    def __init__(self, server: "RawServer"):
        self.server = server
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        self.busy = False

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > 1_000_000:
            self.transport.close()
            return
        if not self.busy:
            asyncio.ensure_future(self.serve())

    async def serve(self) -> None:
        self.busy = True
        try:
            while b"\r\n\r\n" in self.buffer and not self.transport.is_closing():
                head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
                lines = head.split(b"\r\n")
                parts = lines[0].decode("latin-1").split(" ")
                target = parts[1] if len(parts) > 1 else "/"
                path, _, query = target.partition("?")
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(b":")
                    headers[name.strip().lower().decode("latin-1")] = value.strip()
                request = RawRequest(parts[0], path, query, headers)
                self.server.log.append(request)
                try:
                    answer = self.server.handler(request)
                    if asyncio.iscoroutine(answer):
                        answer = await answer
                except Exception as exc:  # a bug in a test's handler: say so rather than hang
                    answer = response(500, f"handler error: {exc!r}".encode())
                if isinstance(answer, bytes):
                    self.transport.write(answer)
                else:
                    await answer(self.transport)
        except (ConnectionError, RuntimeError):
            pass
        finally:
            self.busy = False


class RawServer:
    """Serve ``handler(request) -> bytes | writer`` on 127.0.0.1 in a thread.
    ``port=0`` takes a free port. Every request is kept in ``log``."""

    def __init__(self, handler: Callable[[RawRequest], Answer | Awaitable[Answer]], host: str = "127.0.0.1",
                 port: int = 0):
        self.handler = handler
        self.host = host
        self.port = port
        self.log: list[RawRequest] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server = None
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def hits(self, path: str) -> int:
        return sum(1 for r in self.log if r.path == path)

    def start(self) -> "RawServer":
        self._thread.start()
        self._started.wait(10)
        return self

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()

        async def start() -> None:
            self._server = await self._loop.create_server(lambda: _Protocol(self), self.host, self.port,
                                                          reuse_address=True)
            self.port = self._server.sockets[0].getsockname()[1]

        self._loop.run_until_complete(start())
        self._started.set()
        self._loop.run_forever()

    def stop(self) -> None:
        if self._loop is None:
            return

        async def close() -> None:
            self._server.close()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def __enter__(self) -> "RawServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# ---------------------------------------------------------------------------
# The misbehaviours


def stacked_gzip_bomb(decoded_mb: int = 1024) -> bytes:
    """``Content-Encoding: gzip, gzip`` that decodes to ``decoded_mb`` MB: a
    few kilobytes on the wire. The inner layer is many gzip members of 8 MB
    of zeros each (a valid multi-member stream), the outer one gzips that."""
    member = gzip.compress(b"\0" * 8 * 1024 * 1024, compresslevel=9, mtime=0)
    inner = member * max(1, decoded_mb // 8)
    return gzip.compress(inner, compresslevel=9, mtime=0)


def deflate_bomb(decoded_mb: int = 1024) -> bytes:
    compressor = zlib.compressobj(9)
    chunk = b"\0" * (1024 * 1024)
    return b"".join(compressor.compress(chunk) for _ in range(decoded_mb)) + compressor.flush()


# path -> (outcome, reason) the crawl must record (None: any reason)
HOSTILE = {
    "/gzip-gzip-bomb": ("skipped", "too large"),
    "/deflate-bomb": ("skipped", "too large"),
    "/zstd-unasked": ("failed", "bad content encoding"),
    "/br-unasked": ("failed", "bad content encoding"),
    "/many-codings": ("failed", "bad content encoding"),
    "/multi-member-gzip": ("ok", None),
    "/gzip-then-padding": ("ok", None),
    "/huge-header": ("failed", "bad response"),
    "/many-headers": ("failed", "bad response"),
    "/bad-status-line": ("failed", "bad response"),
    "/not-http": ("failed", "bad response"),
    "/charset-zlib": ("ok", None),
    "/charset-klingon": ("ok", None),
    "/charset-utf7": ("ok", None),
    "/etag-utf8": ("ok", None),
    "/etag-latin1": ("ok", None),
    "/header-latin1": ("ok", None),
}

MULTI_MEMBER_PARTS = ("the first member", "the second member")


def hostile_handler(state: dict | None = None) -> Callable[[RawRequest], Answer]:
    """The hostile site: a home page linking to every HOSTILE path, and the
    misbehaviour at each. ``state`` holds bodies built once (bombs)."""
    state = state if state is not None else {}

    def handle(request: RawRequest) -> Answer:
        path = request.path
        if path == "/robots.txt":
            return response(200, b"User-agent: *\nAllow: /\n", [("Content-Type", "text/plain")])
        if path == "/":
            links = "".join(f'<a href="{p}">{p}</a> ' for p in HOSTILE)
            return html(f"<html><body>{links}</body></html>".encode())
        if path == "/gzip-gzip-bomb":
            body = state.setdefault("gzip-gzip", stacked_gzip_bomb())
            return response(200, body, [("Content-Type", "text/html"), ("Content-Encoding", "gzip, gzip")])
        if path == "/deflate-bomb":
            body = state.setdefault("deflate", deflate_bomb(256))
            return response(200, body, [("Content-Type", "text/html"), ("Content-Encoding", "deflate")])
        if path == "/zstd-unasked":
            import zstandard

            body = zstandard.ZstdCompressor().compress(b"\0" * 10_000_000)
            return response(200, body, [("Content-Type", "text/html"), ("Content-Encoding", "zstd")])
        if path == "/br-unasked":
            return response(200, b"\x1b\xff\xff\xff", [("Content-Type", "text/html"), ("Content-Encoding", "br")])
        if path == "/many-codings":
            body = b"<p>x</p>"
            for _ in range(5):
                body = gzip.compress(body, mtime=0)
            return response(200, body, [("Content-Type", "text/html"), ("Content-Encoding", ", ".join(["gzip"] * 5))])
        if path == "/multi-member-gzip":
            first, second = MULTI_MEMBER_PARTS
            page = article("Multi member", f"<p>{first}</p><!--split-->")
            head, tail = page.split(b"<!--split-->")
            body = gzip.compress(head, mtime=0) + gzip.compress(f"<p>{second}</p>".encode() + tail, mtime=0)
            return response(200, body, [("Content-Type", "text/html"), ("Content-Encoding", "gzip")])
        if path == "/gzip-then-padding":
            body = gzip.compress(article("Padded"), mtime=0) + b"\0" * 16
            return response(200, body, [("Content-Type", "text/html"), ("Content-Encoding", "gzip")])
        if path == "/huge-header":
            return response(200, article("Huge header"), [("Content-Type", "text/html"), ("X-Big", "a" * 200_000)])
        if path == "/many-headers":
            return response(200, article("Many headers"),
                            [("Content-Type", "text/html"), *[(f"X-H{i}", "v") for i in range(1000)]])
        if path == "/bad-status-line":
            return b"HTTP/1.1 two-hundred OK\r\nContent-Length: 2\r\n\r\nhi"
        if path == "/not-http":

            async def garbage(transport: asyncio.Transport) -> None:
                transport.write(b"SSH-2.0-OpenSSH_9.2\r\n\x00\x01\x02 this is no HTTP server\r\n\r\n")
                transport.close()

            return garbage
        if path == "/charset-zlib":
            return response(200, article("Charset zlib"), [("Content-Type", "text/html; charset=zlib")])
        if path == "/charset-klingon":
            return response(200, article("Charset klingon"), [("Content-Type", "text/html; charset=x-klingon")])
        if path == "/charset-utf7":
            return response(200, article("Charset utf-7"), [("Content-Type", "text/html; charset=utf-7")])
        if path in ("/etag-utf8", "/etag-latin1"):
            # Validators the server means byte for byte: a 304 only when the
            # request sends back exactly the bytes it was given.
            etag = '"caf\u00e9-1"'.encode() if path == "/etag-utf8" else b'"\xe9t\xe9-1"'
            modified = b"Tue, 01 Jan 2019 08:00:00 GMT"
            if request.headers.get("if-none-match") == etag:
                return response(304, b"", [("ETag", etag)], reason="Not Modified")
            return response(200, article(f"Validators {path}"),
                            [("Content-Type", "text/html; charset=utf-8"), ("ETag", etag), ("Last-Modified", modified)])
        if path == "/header-latin1":
            return response(200, article("Latin-1 header"),
                            [("Content-Type", "text/html"), ("X-Author", b"Jos\xe9"), ("Last-Modified", b"Mon\xe9")])
        return html(b"<html><body>not here</body></html>", status=404)

    return handle


# ---------------------------------------------------------------------------
# Sitemaps that once stalled the crawl


UNCLOSED_LOCS = b'<?xml version="1.0"?><urlset>' + b"<url><loc>http://127.0.0.1/never-closed" * 8000


def sitemap_handler(base_of: Callable[[RawRequest], str], pages: int = 5) -> Callable[[RawRequest], Answer]:
    """Sitemap misbehaviours, each under its own path:

    - /sitemap.xml redirects to /sitemap_index.xml, an index of /sitemap-pages.xml
      (the common http->https and index moves): followed, pages found;
    - /chain/N.xml: an index pointing to /chain/N+1.xml, forever;
    - /wide.xml: an index of 5,000 sitemaps;
    - /unclosed.xml: 300 KB of <loc> tags never closed;
    - /offsite.xml: a redirect to another host (not followed);
    - /p/N: the pages.
    """

    def handle(request: RawRequest) -> Answer:
        base = base_of(request)
        path = request.path
        xml = [("Content-Type", "application/xml")]
        if path == "/robots.txt":
            return response(200, b"User-agent: *\nAllow: /\n", [("Content-Type", "text/plain")])
        if path == "/sitemap.xml":
            return response(301, b"", [("Location", f"{base}/sitemap_index.xml")], reason="Moved Permanently")
        if path == "/sitemap_index.xml":
            return response(200, f'<sitemapindex><sitemap><loc>{base}/sitemap-pages.xml</loc></sitemap>'
                                 f'</sitemapindex>'.encode(), xml)
        if path == "/sitemap-pages.xml":
            locs = "".join(f"<url><loc>{base}/p/{i}</loc></url>" for i in range(pages))
            return response(200, f"<urlset>{locs}</urlset>".encode(), xml)
        if path.startswith("/chain/"):
            n = int(path[7:].split(".")[0].rstrip("b"))
            return response(200, f"<sitemapindex><sitemap><loc>{base}/chain/{n + 1}.xml</loc></sitemap>"
                                 f"<sitemap><loc>{base}/chain/{n + 1}b.xml</loc></sitemap></sitemapindex>".encode()
                            if not path.endswith("b.xml") else
                            f"<sitemapindex><sitemap><loc>{base}/chain/{n + 100}.xml</loc></sitemap></sitemapindex>".encode(),
                            xml)
        if path == "/wide.xml":
            locs = "".join(f"<sitemap><loc>{base}/wide/{i}.xml</loc></sitemap>" for i in range(5000))
            return response(200, f"<sitemapindex>{locs}</sitemapindex>".encode(), xml)
        if path.startswith("/wide/"):
            return response(200, f"<urlset><url><loc>{base}/p/{path[6:].split('.')[0]}</loc></url></urlset>".encode(), xml)
        if path == "/unclosed.xml":
            return response(200, UNCLOSED_LOCS, xml)
        if path == "/offsite.xml":
            return response(302, b"", [("Location", "http://127.0.0.2:9/sitemap.xml")], reason="Found")
        if path.startswith("/p/"):
            return html(article(f"Page {path[3:]}"))
        return html(b"<html><body>not here</body></html>", status=404)

    return handle

"""HTTP for the crawler: one GET, its headers as the server sent them, and a
body read under a cap that no content-coding can get around.

Two transports give the same :class:`Answer`: aiohttp's client (the
default: its C parser and connection pool are several times faster than
httpx's here, see bench/crawl.py) and httpx's own (``transport="httpx"``).
Each maps its library's exceptions to a typed :class:`TransportError`, so
"connection refused" is recorded as refused and a malformed or oversized
header as the server's fault, never as "internal error".

Content-codings are undone here rather than by either library, layer by
layer, with every layer's output capped: ``Content-Encoding: gzip, gzip``
of 6.7 KB would otherwise inflate to gigabytes before a size check saw a
byte. A gzip body of several members is read whole, as browsers read it.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import zlib
from dataclasses import dataclass
from typing import AsyncIterator, Callable

from pipeline.outcomes import Reason

MAX_CODINGS = 3  # "gzip, gzip" happens (a proxy compressing again); more is an attack
SLACK = 64 * 1024  # an inner compressed layer may be a little larger than what it holds


class TransportError(Exception):
    """A request failed for a reason of the network's or the server's."""

    def __init__(self, reason: Reason, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason = reason
        self.detail = detail[:300]


class AddressRefused(OSError):
    """The resolver refused every address of a host (the SSRF guard)."""


class TooLarge(Exception):
    """A body (or one of its content-coding layers) passed its cap."""


class Truncated(Exception):
    """A compressed body stopped before its end."""


@dataclass
class Answer:
    """A response whose body has not been read yet.

    ``headers`` has lower-case names; each value is decoded from the bytes
    the server sent as UTF-8 (or Latin-1 when they are not UTF-8), so an
    ETag can be stored in SQLite and sent back as it came. Repeated headers
    are joined with ", ".
    """

    status: int
    headers: dict[str, str]
    chunks: AsyncIterator[bytes]  # the body as received, content-codings not undone
    close: Callable[[bool], None]  # close(reusable): return the connection to the pool, or drop it


def header_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def headers_from_raw(raw_headers) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in raw_headers:
        key = name.decode("latin-1").lower() if isinstance(name, bytes) else name.lower()
        text = header_text(value) if isinstance(value, bytes) else value
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers


def os_error_reason(exc: BaseException) -> Reason:
    """Refused, host not found, or another connection error, from an OSError chain."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, AddressRefused):
            return Reason.ADDRESS_REFUSED
        if isinstance(exc, ConnectionRefusedError) or getattr(exc, "errno", None) == errno.ECONNREFUSED:
            return Reason.REFUSED
        if isinstance(exc, socket.gaierror):
            return Reason.HOST_NOT_FOUND
        exc = getattr(exc, "os_error", None) or exc.__cause__ or exc.__context__
        seen += 1
    return Reason.CONNECTION_ERROR


def _short(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__)[:300]


# ---------------------------------------------------------------------------
# Transports


class AiohttpTransport:
    """GETs through one aiohttp ClientSession (no cookies, no redirects, no
    automatic decompression)."""

    def __init__(self, concurrency: int, resolver=None):
        import aiohttp

        self._aiohttp = aiohttp
        self.concurrency = concurrency
        self.resolver = resolver
        # One session for http://, and one for https:// made when first
        # needed: building a verifying TLS context (loading the system's CA
        # certificates) is a good share of a short crawl's start-up.
        self.sessions: dict[bool, object] = {}

    def session_for(self, secure: bool):
        session = self.sessions.get(secure)
        if session is None:
            aiohttp = self._aiohttp
            connector = aiohttp.TCPConnector(limit=self.concurrency, resolver=self.resolver, ttl_dns_cache=300,
                                             **({} if secure else {"ssl": False}))
            # max_line_size / max_field_size / max_headers: a server sending more
            # is refused by the parser and recorded as a bad response.
            session = self.sessions[secure] = aiohttp.ClientSession(
                connector=connector, cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=False,
                max_line_size=16384, max_field_size=16384, max_headers=128)
        return session

    async def get(self, url: str, headers: dict[str, str], timeout: float) -> Answer:
        aiohttp = self._aiohttp
        try:
            response = await self.session_for(url.startswith("https:")).request(
                "GET", url, headers=headers, allow_redirects=False,
                timeout=aiohttp.ClientTimeout(total=None, sock_connect=timeout, sock_read=timeout))
        except BaseException as exc:
            raise self.translate(exc) from exc

        async def chunks() -> AsyncIterator[bytes]:
            try:
                while True:
                    chunk = await response.content.readany()
                    if not chunk:
                        return
                    yield chunk
            except (aiohttp.ClientError, OSError, ValueError) as exc:
                raise self.translate(exc) from exc

        def close(reusable: bool) -> None:
            response.release() if reusable else response.close()

        return Answer(response.status, headers_from_raw(response.raw_headers), chunks(), close)

    def translate(self, exc: BaseException) -> BaseException:
        aiohttp = self._aiohttp
        if isinstance(exc, (asyncio.TimeoutError, aiohttp.ServerTimeoutError)):
            return TransportError(Reason.TIMEOUT, _short(exc))
        if isinstance(exc, (aiohttp.InvalidURL, aiohttp.NonHttpUrlClientError)):
            return TransportError(Reason.NOT_HTTP, _short(exc))
        if isinstance(exc, aiohttp.ClientConnectorError):
            return TransportError(os_error_reason(exc), _short(exc))
        if isinstance(exc, aiohttp.ClientResponseError):
            # The response could not be parsed: a malformed status line or
            # header, a header or line over the limits, a bad length.
            return TransportError(Reason.BAD_RESPONSE, exc.message if isinstance(exc.message, str) else _short(exc))
        if isinstance(exc, (aiohttp.ClientPayloadError, aiohttp.ServerDisconnectedError)):
            return TransportError(Reason.CONNECTION_ERROR, _short(exc))
        if isinstance(exc, (aiohttp.ClientError, OSError)):
            return TransportError(os_error_reason(exc), _short(exc))
        if isinstance(exc, (ValueError, UnicodeError, LookupError)):
            return TransportError(Reason.BAD_RESPONSE, _short(exc))
        return exc  # a bug of ours, or cancellation: not the server's fault

    async def aclose(self) -> None:
        for session in self.sessions.values():
            await session.close()


class HttpxTransport:
    """GETs through httpx's own transport (httpcore)."""

    def __init__(self, concurrency: int, resolver=None):
        import httpx

        self._httpx = httpx
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        self.transport = httpx.AsyncHTTPTransport(limits=limits)

    async def get(self, url: str, headers: dict[str, str], timeout: float) -> Answer:
        httpx = self._httpx
        try:
            request = httpx.Request("GET", url, headers=[(k.encode(), v.encode("utf-8")) for k, v in headers.items()],
                                    extensions={"timeout": {"connect": timeout, "read": timeout, "write": timeout,
                                                            "pool": timeout}})
            response = await self.transport.handle_async_request(request)
        except BaseException as exc:
            raise self.translate(exc) from exc

        async def chunks() -> AsyncIterator[bytes]:
            try:
                async for chunk in response.aiter_raw():
                    yield chunk
            except (httpx.HTTPError, OSError) as exc:
                raise self.translate(exc) from exc

        def close(reusable: bool) -> None:
            # httpcore returns or drops the connection in aclose(); nothing async is needed here.
            asyncio.ensure_future(response.aclose())

        return Answer(response.status_code, headers_from_raw(response.headers.raw), chunks(), close)

    def translate(self, exc: BaseException) -> BaseException:
        httpx = self._httpx
        if isinstance(exc, (asyncio.TimeoutError, httpx.TimeoutException)):
            return TransportError(Reason.TIMEOUT, _short(exc))
        if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
            return TransportError(Reason.NOT_HTTP, _short(exc))
        if isinstance(exc, httpx.RemoteProtocolError):
            return TransportError(Reason.BAD_RESPONSE, _short(exc))
        if isinstance(exc, httpx.ConnectError):
            return TransportError(os_error_reason(exc), _short(exc))
        if isinstance(exc, (httpx.TransportError, OSError)):
            return TransportError(os_error_reason(exc), _short(exc))
        if isinstance(exc, (ValueError, UnicodeError, LookupError)):
            return TransportError(Reason.BAD_RESPONSE, _short(exc))
        return exc

    async def aclose(self) -> None:
        await self.transport.aclose()


def make_transport(name: str, concurrency: int, resolver=None):
    if name == "aiohttp":
        return AiohttpTransport(concurrency, resolver)
    if name == "httpx":
        return HttpxTransport(concurrency, resolver)
    raise ValueError(f"unknown transport {name!r}: use 'aiohttp' or 'httpx'")


# ---------------------------------------------------------------------------
# Content-codings, undone under a cap


class _ZlibLayer:
    """One gzip or deflate layer; its total output may not pass ``cap``."""

    def __init__(self, kind: str, cap: int):
        self.kind = kind
        self.cap = cap
        self.produced = 0
        self.decoder = None
        self.members = 0
        self.ended = False  # deflate ended, or gzip followed by trailing bytes that are not a member
        self.pending = b""

    def _start(self, first: bytes):
        if self.kind == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # "deflate" is zlib-wrapped (RFC 1950) by the spec, raw (RFC 1951) from some servers.
        wrapped = (first[0] & 0x0F) == 8 and ((first[0] << 8) | first[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)

    def feed(self, data: bytes) -> bytes:
        out = []
        data = self.pending + data
        self.pending = b""
        while data and not self.ended:
            if self.decoder is None:
                if len(data) < 2:
                    self.pending = data
                    break
                if self.members and (self.kind != "gzip" or not data.startswith(b"\x1f\x8b")):
                    self.ended = True  # padding after the last member: ignored, as browsers do
                    break
                self.decoder = self._start(data)
            chunk = self.decoder.decompress(data, self.cap - self.produced + 1)
            self.produced += len(chunk)
            if self.produced > self.cap:
                raise TooLarge()
            out.append(chunk)
            if self.decoder.eof:
                data = self.decoder.unused_data
                self.decoder = None
                self.members += 1
                self.ended = self.kind != "gzip"
            else:
                data = b""  # all consumed: below the cap nothing is left in unconsumed_tail
        return b"".join(out)

    def finish(self) -> None:
        if self.decoder is not None or self.pending:
            raise Truncated()


class ContentDecoder:
    """Undoes a response's content-codings (the last applied first)."""

    def __init__(self, codings: list[str], max_bytes: int):
        self.layers = []
        for position, coding in enumerate(reversed(codings)):
            last = position == len(codings) - 1
            kind = "gzip" if coding in ("gzip", "x-gzip") else coding
            self.layers.append(_ZlibLayer(kind, max_bytes if last else max_bytes + max_bytes // 100 + SLACK))

    def feed(self, data: bytes) -> bytes:
        for layer in self.layers:
            if not data:
                return b""
            data = layer.feed(data)
        return data

    def finish(self) -> None:
        for layer in self.layers:
            layer.finish()


def content_codings(header: str | None) -> list[str]:
    """The codings of a Content-Encoding header, in the order applied
    ("identity" dropped); raise ValueError for ones we cannot undo."""
    codings = [c.strip().lower() for c in (header or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    for coding in codings:
        if coding not in ("gzip", "x-gzip", "deflate"):
            raise ValueError(f"unsupported content-coding {coding!r} (we asked for gzip or deflate)")
    if len(codings) > MAX_CODINGS:
        raise ValueError(f"{len(codings)} stacked content-codings")
    return codings


async def read_body(answer: Answer, max_bytes: int) -> bytes:
    """The body with its content-codings undone. Raises TooLarge when the
    decoded body, any layer of it, or the bytes on the wire pass
    ``max_bytes``; Truncated when a compressed body stops early;
    ValueError for a coding we cannot undo; zlib.error for a corrupt one;
    TransportError when the connection fails mid-body."""
    codings = content_codings(answer.headers.get("content-encoding"))
    decoder = ContentDecoder(codings, max_bytes) if codings else None
    parts: list[bytes] = []
    received = 0
    async for chunk in answer.chunks:
        received += len(chunk)
        if received > max_bytes:
            raise TooLarge()
        parts.append(decoder.feed(chunk) if decoder else chunk)
    if decoder:
        decoder.finish()
    return b"".join(parts)


__all__ = ["Answer", "AddressRefused", "ContentDecoder", "TooLarge", "TransportError", "Truncated", "make_transport",
           "read_body", "content_codings"]

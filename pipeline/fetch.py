"""Fetching pages politely: robots.txt, per-host pacing, retries, conditional
GET, size caps and decoding.

The unit is :func:`Fetcher.fetch_page`, which never raises for anything the
web can do to it: every answer becomes a :class:`FetchResult` with an
``outcome`` and a ``reason``, so the crawl loop records it and goes on.
"""

from __future__ import annotations

import asyncio
import codecs
import email.utils
import hashlib
import random
import re
import time
from dataclasses import dataclass, field
from typing import Callable

import ipaddress
import socket
import zlib

import httpx
from charset_normalizer import from_bytes
from protego import Protego

from pipeline.sources import Source
from pipeline.urls import BadURL, canonical_url, host_of

HTML_TYPES = ("text/html", "application/xhtml+xml")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass
class FetchResult:
    """What happened when a URL was fetched. Plain data, stored as a pages row."""

    url: str
    outcome: str  # ok, unchanged, redirect, failed, blocked, skipped
    reason: str | None = None
    status_code: int | None = None
    final_url: str | None = None  # the redirect target, canonical
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    body: bytes | None = None
    text: str | None = None
    encoding: str | None = None
    size: int | None = None
    attempts: int = 0
    retry_after: str | None = None  # the server's Retry-After, for the retry loop
    detail: str | None = None  # the low-level error text, for logs
    fetched_at: float = field(default_factory=time.time)


# ---------------------------------------------------------------------------
# Decoding


# The labels browsers actually use for the legacy encodings (WHATWG Encoding
# Standard): a page that says ISO-8859-1 is decoded as windows-1252, and so on.
WHATWG_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "l1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "windows-1252": "cp1252",
    "x-cp1252": "cp1252", "iso-8859-9": "cp1254", "shift_jis": "cp932", "shift-jis": "cp932",
    "sjis": "cp932", "x-sjis": "cp932", "windows-31j": "cp932", "ms_kanji": "cp932",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949", "iso-8859-11": "cp874", "tis-620": "cp874", "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8", "x-mac-roman": "mac_roman",
}
CHARSET_IN_HEADER = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I
)
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def normalise_encoding(label: str | None) -> str | None:
    """A Python codec name for an encoding label, or None if it is unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = WHATWG_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = CHARSET_IN_HEADER.search(content_type)
    return normalise_encoding(match.group(1)) if match else None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode an HTML body; return ``(text, encoding)``.

    Order, as browsers do it: a byte-order mark (the HTML standard lets it
    override the header), the HTTP header, ``<meta charset>`` in the first
    4 KB, strict UTF-8, then charset-normalizer's guess. A declared encoding
    the bytes do not fit is passed over rather than trusted, and valid UTF-8
    wins over a declared single-byte code page (a stale declaration).
    """
    for bom, name in BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(name, errors="replace"), name
    candidates: list[str] = []
    for declared in (charset_from_content_type(content_type), _meta_charset(body[:4096])):
        if declared and declared not in candidates:
            # A page that says UTF-16 in a meta tag without a BOM is lying (HTML standard).
            candidates.append("utf-8" if declared.startswith("utf-16") else declared)
    if candidates and _is_single_byte(candidates[0]):
        # Bytes that are valid UTF-8 beyond ASCII are almost never legacy
        # single-byte text: the declaration is stale (a common CMS mistake).
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    for name in [*candidates, "utf-8"]:
        try:
            return body.decode(name), name
        except UnicodeDecodeError:
            continue
    guess = _guess_encoding(body)
    if guess:
        return body.decode(guess, errors="replace"), guess
    fallback = candidates[0] if candidates else "cp1252"
    return body.decode(fallback, errors="replace"), fallback


def _is_single_byte(name: str) -> bool:
    return name.startswith(("cp125", "iso8859", "latin", "mac", "ascii", "cp874"))


def _meta_charset(head: bytes) -> str | None:
    match = META_CHARSET.search(head)
    return normalise_encoding(match.group(1).decode("ascii", "ignore")) if match else None


def _guess_encoding(body: bytes) -> str | None:
    best = from_bytes(body[:200_000]).best()
    if best is None:
        return None
    name = normalise_encoding(best.encoding)
    # With only a handful of non-ASCII bytes the detector picks among
    # single-byte Latin code pages almost at random; windows-1252 is the
    # web's de facto default for those (and what browsers fall back to).
    if name and _is_single_byte(name) and name not in ("cp1251", "iso8859-5"):
        return "cp1252"
    return name


def content_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


# ---------------------------------------------------------------------------
# Politeness


class HostGate:
    """Paces requests to one host: at most ``concurrency`` at once, and starts
    spaced ``interval`` seconds apart. A Retry-After pauses the whole host,
    not just the request that received it."""

    def __init__(self, interval: float, concurrency: int):
        self.interval = interval
        self.semaphore = asyncio.Semaphore(concurrency)
        self.next_start = 0.0

    async def wait_turn(self) -> None:
        now = time.monotonic()
        start = max(now, self.next_start)
        self.next_start = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)

    def pause(self, seconds: float) -> None:
        self.next_start = max(self.next_start, time.monotonic() + seconds)


@dataclass
class Robots:
    """robots.txt of one host, as RFC 9309 says to treat its absence."""

    parser: Protego | None
    allow_all: bool = False
    disallow_all: bool = False
    status: str = "ok"

    def allowed(self, url: str, user_agent: str) -> bool:
        if self.allow_all:
            return True
        if self.disallow_all or self.parser is None:
            return False
        return self.parser.can_fetch(url, user_agent)

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        return float(delay) if delay else None

    def sitemaps(self) -> list[str]:
        return list(self.parser.sitemaps) if self.parser is not None else []


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


# ---------------------------------------------------------------------------
# Where requests may go


def address_problem(address: str, allow_private: bool) -> str | None:
    """Why a request must not go to this IP address, or None if it may.

    Link-local addresses (169.254.0.0/16, fe80::/10: cloud metadata services)
    and multicast, reserved or unspecified ones are refused always; loopback
    and private ranges only unless the source sets allow_private_addresses.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"not an IP address: {address}"
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_link_local:
        return f"link-local address {ip}"
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return f"reserved address {ip}"
    if (ip.is_loopback or ip.is_private) and not allow_private:
        kind = "loopback" if ip.is_loopback else "private"
        return f"{kind} address {ip} (set allow_private_addresses to allow)"
    return None


class GuardedResolver:
    """aiohttp resolver that refuses addresses ``address_problem`` rejects.

    The pre-check in Fetcher gives the clear reason; this one closes the gap
    between that check and the connection (a DNS answer that changes in
    between: "DNS rebinding").
    """

    def __init__(self, private_hosts: set[str]):
        from aiohttp.resolver import ThreadedResolver

        self._inner = ThreadedResolver()
        self.private_hosts = private_hosts

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET):
        results = await self._inner.resolve(host, port, family)
        allowed = host.lower() in self.private_hosts
        safe = [r for r in results if address_problem(r["host"], allowed) is None]
        if not safe:
            raise OSError(f"refused to connect to {host}: {address_problem(results[0]['host'], allowed) if results else 'no address'}")
        return safe

    async def close(self) -> None:
        await self._inner.close()


# ---------------------------------------------------------------------------
# The fetcher


class Fetcher:
    """An HTTP client for one crawl: shared connection pool, per-host gates
    and robots, retry policy. Use as an async context manager."""

    def __init__(
        self,
        *,
        global_concurrency: int = 32,
        polite: bool = True,
        transport: str = "aiohttp",
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        max_retry_after: float = 120.0,
        retry_budget_seconds: float = 120.0,
        sleep: Callable[[float], object] = asyncio.sleep,
        private_hosts: set[str] | None = None,
    ):
        self.polite = polite
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_retry_after = max_retry_after
        self.retry_budget_seconds = retry_budget_seconds
        self.sleep = sleep
        self.gates: dict[str, HostGate] = {}
        self.robots: dict[str, Robots] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self.global_slots = asyncio.Semaphore(global_concurrency)
        self.requests = 0
        # Hosts of sources that allow private addresses (the demo, tests).
        self.private_hosts = {h.lower() for h in (private_hosts or set())}
        self._address_checks: dict[str, str | None] = {}
        limits = httpx.Limits(max_connections=global_concurrency, max_keepalive_connections=global_concurrency)
        if transport == "aiohttp":
            # httpx's own pool (httpcore) tops out near 500 pages/s on one
            # core here; aiohttp's is several times faster and httpx-aiohttp
            # puts it under httpx's API (see bench/crawl.py).
            import aiohttp
            from httpx_aiohttp import AiohttpTransport

            def session() -> aiohttp.ClientSession:
                connector = aiohttp.TCPConnector(limit=global_concurrency, resolver=GuardedResolver(self.private_hosts))
                return aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())

            self.transport = AiohttpTransport(limits=limits, client=session)
        elif transport == "httpx":
            self.transport = httpx.AsyncHTTPTransport(limits=limits)
        else:
            raise ValueError(f"unknown transport {transport!r}: use 'aiohttp' or 'httpx'")

    async def __aenter__(self) -> "Fetcher":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.transport.aclose()

    def gate_for(self, host: str, source: Source, crawl_delay: float | None = None) -> HostGate:
        gate = self.gates.get(host)
        if gate is None:
            interval = 1.0 / source.requests_per_second if self.polite else 0.0
            if self.polite and crawl_delay:
                interval = max(interval, crawl_delay)
            gate = self.gates[host] = HostGate(interval, source.concurrency if self.polite else 10_000)
        return gate

    async def robots_for(self, url: str, source: Source) -> Robots:
        """Fetch (once per host and run) and parse robots.txt."""
        host = host_of(url)
        if not source.respect_robots:
            return Robots(None, allow_all=True, status="ignored")
        cached = self.robots.get(host)
        if cached is not None:
            return cached
        lock = self._robots_locks.setdefault(host, asyncio.Lock())
        async with lock:
            if host in self.robots:
                return self.robots[host]
            scheme = url.split(":", 1)[0]
            port = httpx.URL(url).port
            robots_url = f"{scheme}://{host}{':' + str(port) if port else ''}/robots.txt"
            robots = await self._fetch_robots(robots_url, source)
            self.robots[host] = robots
            # Crawl-delay slows the host's gate for the rest of the run.
            delay = robots.crawl_delay(source.user_agent)
            gate = self.gate_for(host, source, delay)
            if self.polite and delay and gate.interval < delay:
                gate.interval = delay
            return robots

    async def _fetch_robots(self, robots_url: str, source: Source) -> Robots:
        # RFC 9309: follow up to five redirects; 4xx means no rules apply;
        # 5xx or an unreachable server means assume everything is disallowed.
        url = robots_url
        for _ in range(5):
            result = await self._request_with_retries(url, source, {}, max_bytes=512_000, accept_any_type=True)
            if result.outcome == "redirect" and result.final_url:
                url = result.final_url
                continue
            break
        code = result.status_code
        if code is not None and 200 <= code < 300 and result.body is not None:
            text = result.body.decode("utf-8", errors="replace")
            try:
                return Robots(Protego.parse(text), status=f"{code}")
            except Exception:  # a robots.txt Protego cannot read is treated like a missing one
                return Robots(None, allow_all=True, status="unparseable")
        if code is not None and 400 <= code < 500:
            return Robots(None, allow_all=True, status=f"{code}")
        return Robots(None, disallow_all=True, status=result.reason or f"{code}")

    async def fetch_page(self, url: str, source: Source, previous: dict | None = None) -> FetchResult:
        """Fetch one page of ``source``; ``previous`` holds the stored etag and
        last_modified for a conditional GET. Never raises for network faults."""
        refused = await self.refusal(url, source)
        if refused:
            return refused
        robots = await self.robots_for(url, source)
        if not robots.allowed(url, source.user_agent):
            return FetchResult(url, "blocked", reason=f"robots.txt ({robots.status})" if robots.disallow_all else "robots.txt")
        headers = {}
        if previous:
            if previous.get("etag"):
                headers["If-None-Match"] = previous["etag"]
            if previous.get("last_modified"):
                headers["If-Modified-Since"] = previous["last_modified"]
        result = await self._request_with_retries(url, source, headers, max_bytes=source.max_bytes)
        if result.outcome == "ok" and result.body is not None:
            result.text, result.encoding = decode_html(result.body, result.content_type)
        return result

    async def fetch_bytes(self, url: str, source: Source, max_bytes: int) -> FetchResult:
        """Fetch any resource (a sitemap) with the same politeness as a page."""
        refused = await self.refusal(url, source)
        if refused:
            return refused
        robots = await self.robots_for(url, source)
        if not robots.allowed(url, source.user_agent):
            return FetchResult(url, "blocked", reason="robots.txt")
        return await self._request_with_retries(url, source, {}, max_bytes=max_bytes, accept_any_type=True)

    async def _request_with_retries(
        self, url: str, source: Source, headers: dict, *, max_bytes: int, accept_any_type: bool = False
    ) -> FetchResult:
        host = host_of(url)
        scheme = url.split(":", 1)[0].lower()
        if scheme not in ("http", "https"):
            return FetchResult(url, "skipped", reason=f"refused: not an http(s) URL ({scheme})")
        problem = await self.check_host(host, source.allow_private_addresses)
        if problem:
            return FetchResult(url, "skipped", reason=f"refused: {problem}")
        gate = self.gate_for(host, source)
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            async with self.global_slots, gate.semaphore:
                await gate.wait_turn()
                result = await self._request_once(url, source, headers, max_bytes, accept_any_type)
            result.attempts = attempt
            retryable = result.outcome == "failed" and (
                result.status_code in RETRY_STATUSES or result.reason in ("timeout", "connection_error")
            )
            if not retryable or attempt > source.max_retries:
                return result
            retry_after = parse_retry_after(result.retry_after)
            if retry_after is not None:
                if retry_after > self.max_retry_after:
                    result.reason = f"{result.reason}; Retry-After {retry_after:.0f}s exceeds {self.max_retry_after:.0f}s"
                    return result
                delay = retry_after
                gate.pause(retry_after)
            else:
                # Exponential backoff with full jitter, so retries from many
                # workers do not arrive at the host together.
                delay = random.uniform(0, min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1)))
            if time.monotonic() - started + delay > self.retry_budget_seconds:
                return result
            await self.sleep(delay)

    async def refusal(self, url: str, source: Source) -> FetchResult | None:
        """A 'skipped' result when the URL's host must not be contacted at all."""
        problem = await self.check_host(host_of(url), source.allow_private_addresses)
        return FetchResult(url, "skipped", reason=f"refused: {problem}") if problem else None

    async def check_host(self, host: str, allow_private: bool) -> str | None:
        """Why this host must not be contacted (every address it resolves to is
        checked), or None. Cached per host and setting for the run."""
        key = f"{host}|{allow_private}"
        if key in self._address_checks:
            return self._address_checks[key]
        host = host.strip("[]")
        try:
            ipaddress.ip_address(host)
            addresses = [host]
        except ValueError:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
                addresses = sorted({info[4][0] for info in infos})
            except OSError:
                addresses = []  # unresolvable: the request itself will fail and say so
        problems = [p for p in (address_problem(a, allow_private) for a in addresses) if p]
        result = problems[0] if problems else None
        self._address_checks[key] = result
        return result

    async def _request_once(
        self, url: str, source: Source, headers: dict, max_bytes: int, accept_any_type: bool
    ) -> FetchResult:
        self.requests += 1
        request_headers = {
            "User-Agent": source.user_agent,
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
            "Accept-Encoding": "gzip, deflate",  # what _read_response decodes under its size cap
        }
        request_headers.update(headers)
        seconds = source.timeout_seconds
        try:
            # One deadline for the whole exchange: per-read timeouts alone
            # never end a server that trickles a byte every few seconds.
            async with asyncio.timeout(seconds):
                # Straight to the transport: httpx's Client would add cookies,
                # auth, redirects and header merging, none of which a crawler
                # wants (redirects are followed by the frontier, hop by hop),
                # and cost a third of the request's CPU.
                request = httpx.Request("GET", url, headers=request_headers, extensions={
                    "timeout": {"connect": seconds, "read": seconds, "write": seconds, "pool": seconds}})
                response = await self.transport.handle_async_request(request)
                try:
                    return await self._read_response(url, response, max_bytes, accept_any_type)
                finally:
                    await response.aclose()
        except TimeoutError:
            return FetchResult(url, "failed", reason="timeout")
        except httpx.TimeoutException:
            return FetchResult(url, "failed", reason="timeout")
        except httpx.DecodingError as exc:
            return FetchResult(url, "failed", reason=f"bad content encoding: {_short(exc)}")
        except (httpx.TransportError, OSError) as exc:
            return FetchResult(url, "failed", reason="connection_error", detail=_short(exc))
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            return FetchResult(url, "failed", reason=f"invalid URL: {_short(exc)}")

    async def _read_response(
        self, url: str, response: httpx.Response, max_bytes: int, accept_any_type: bool
    ) -> FetchResult:
        status = response.status_code
        # One pass over the headers: each httpx Headers lookup walks and
        # decodes them all, and a page needs half a dozen lookups.
        h = dict(response.headers.items())
        result = FetchResult(
            url,
            "ok",
            status_code=status,
            content_type=h.get("content-type"),
            etag=h.get("etag"),
            last_modified=h.get("last-modified"),
        )
        if status == 304:
            result.outcome = "unchanged"
            return result
        if status in REDIRECT_STATUSES:
            location = h.get("location")
            result.outcome = "redirect"
            if not location:
                result.outcome, result.reason = "failed", "redirect without Location"
                return result
            try:
                result.final_url = canonical_url(str(response.url.join(location)))
            except (BadURL, httpx.InvalidURL, ValueError):
                result.outcome, result.reason = "skipped", f"redirect to a non-web URL: {location[:200]}"
            return result
        if status >= 400 or status < 200:
            result.outcome, result.reason = "failed", f"HTTP {status}"
            result.retry_after = h.get("retry-after")
            if status in (404, 410):
                result.reason = f"HTTP {status} (not found)" if status == 404 else "HTTP 410 (gone)"
            return result
        media_type = (result.content_type or "").split(";")[0].strip().lower()
        if not accept_any_type and media_type and media_type not in HTML_TYPES:
            result.outcome, result.reason = "skipped", f"not HTML ({media_type})"
            return result
        declared = h.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_bytes and "content-encoding" not in h:
            result.outcome, result.reason = "skipped", f"too large (Content-Length {declared} > {max_bytes} bytes)"
            return result
        chunks = []
        size = 0
        encoding = (h.get("content-encoding") or "").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            # Decoded here rather than by httpx, which accepts a gzip stream that
            # stops early: a truncated body must fail, not be stored half.
            decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                async for raw in response.aiter_raw():
                    chunk = decoder.decompress(raw, max_bytes + 1 - size)
                    size += len(chunk)
                    if size > max_bytes or decoder.unconsumed_tail:
                        result.outcome, result.reason = "skipped", f"too large (over {max_bytes} bytes)"
                        return result
                    chunks.append(chunk)
            except zlib.error as exc:
                result.outcome, result.reason = "failed", f"bad content encoding: {_short(exc)}"
                return result
            if not decoder.eof:
                result.outcome, result.reason = "failed", "truncated gzip body"
                return result
        else:
            # aiter_bytes yields *decoded* bytes (deflate, br), so this cap
            # also stops a bomb; with no encoding the raw bytes are the same.
            chunks_of = response.aiter_bytes() if encoding and encoding != "identity" else response.aiter_raw()
            async for chunk in chunks_of:
                size += len(chunk)
                if size > max_bytes:
                    result.outcome, result.reason = "skipped", f"too large (over {max_bytes} bytes)"
                    return result
                chunks.append(chunk)
        result.body = b"".join(chunks)
        result.size = size
        return result


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text[:200]

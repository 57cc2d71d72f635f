"""Fetching pages politely: robots.txt, per-host pacing, retries, conditional
GET, bounds no site can exceed, and decoding.

The unit is :meth:`Fetcher.fetch_page`, which never raises for anything the
web can do to it: every answer becomes a :class:`FetchResult` with a typed
:class:`~pipeline.outcomes.Outcome` and :class:`~pipeline.outcomes.Reason`
(plus a detail for people), so the crawl loop records it and goes on.

Bounds, whatever a site answers:

- robots.txt is read once per origin (scheme, host, port: RFC 9309) and
  never through a redirect to a host the source does not allow;
- a Crawl-delay or Retry-After above the source's cap (``max_crawl_delay``,
  ``max_retry_after``) skips the origin for the rest of the run, with the
  reason; every request has one deadline for the whole exchange; a host
  gets ``max_host_seconds`` per run and the run its own deadline, after
  which the remaining URLs are deferred to the next run (not failed);
- ``max_bytes`` caps the bytes on the wire and the decoded bytes of every
  content-coding layer (:mod:`pipeline.http`).
"""

from __future__ import annotations

import asyncio
import email.utils
import ipaddress
import math
import random
import socket
import time
import zlib
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urljoin

from protego import Protego

from pipeline.decoding import content_hash, decode_html  # noqa: F401 (content_hash: reachable here, as before)
from pipeline.http import AddressRefused, Answer, TooLarge, TransportError, Truncated, make_transport, read_body
from pipeline.outcomes import PERMANENT_REDIRECTS, RETRYABLE, Outcome, Reason
from pipeline.sources import Source
from pipeline.urls import BadURL, canonical_url, host_of, origin_of

HTML_TYPES = ("text/html", "application/xhtml+xml")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 512_000  # Google reads the first 500 KiB
MAX_VALIDATOR_CHARS = 1024  # a longer ETag is not kept (it would be sent back on every request)


@dataclass
class FetchResult:
    """What happened when a URL was fetched. Plain data, stored as a pages row."""

    url: str
    outcome: Outcome
    reason: Reason | None = None
    detail: str | None = None  # for people: "HTTP 503", "over 5000000 bytes decoded", the exception text
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
    fetched_at: float = field(default_factory=time.time)

    @property
    def permanent_redirect(self) -> bool:
        return self.outcome == Outcome.REDIRECT and self.status_code in PERMANENT_REDIRECTS


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
        self.last_start: float | None = None
        self.first_request: float | None = None

    async def wait_turn(self) -> None:
        """Wait for this request's turn: its reserved slot, and never sooner
        than ``interval`` after the request before it actually started (a
        sleep that wakes late on a busy machine must not shorten the next
        gap: the host asked for the interval between requests, not between
        slots)."""
        now = time.monotonic()
        if self.first_request is None:
            self.first_request = now
        start = max(now, self.next_start)
        self.next_start = start + self.interval
        while True:
            now = time.monotonic()
            earliest = start if self.last_start is None else max(start, self.last_start + self.interval)
            if earliest <= now:
                break
            await asyncio.sleep(earliest - now)
        self.last_start = time.monotonic()
        self.next_start = max(self.next_start, self.last_start + self.interval)

    def pause(self, seconds: float) -> None:
        self.next_start = max(self.next_start, time.monotonic() + seconds)


@dataclass
class Robots:
    """robots.txt of one origin, as RFC 9309 says to treat its absence."""

    parser: Protego | None
    allow_all: bool = False
    disallow_all: bool = False
    status: str = "ok"  # for people: "200", "404", "HTTP 503", "redirect to another host not followed"

    def allowed(self, url: str, user_agent: str) -> bool:
        if self.allow_all:
            return True
        if self.disallow_all or self.parser is None:
            return False
        return self.parser.can_fetch(url, user_agent)

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        try:
            delay = float(self.parser.crawl_delay(user_agent) or 0)
        except (TypeError, ValueError, OverflowError):
            return None
        return delay if delay > 0 and math.isfinite(delay) else (math.inf if delay > 0 else None)

    def sitemaps(self) -> list[str]:
        return list(self.parser.sitemaps) if self.parser is not None else []


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value) if len(value) < 12 else math.inf
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    try:
        return max(0.0, when.timestamp() - (now if now is not None else time.time()))
    except (OverflowError, ValueError, OSError):
        return None


# ---------------------------------------------------------------------------
# Where requests may go

# Shared address space (RFC 6598, carrier-grade NAT): not global, yet
# ipaddress calls it neither private nor reserved.
CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries: mapped, 6to4, Teredo or NAT64."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]  # the client's address (the server's is public by design)
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_problem(address: str, allow_private: bool) -> str | None:
    """Why a request must not go to this IP address, or None if it may.

    Link-local addresses (169.254.0.0/16, fe80::/10: cloud metadata services)
    and multicast, reserved or unspecified ones are refused always; loopback,
    private and shared (100.64.0.0/10) ranges only unless the source sets
    allow_private_addresses. An IPv6 address that carries an IPv4 one
    (mapped, 6to4, Teredo, NAT64) is judged by the IPv4 address.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"not an IP address: {address}"
    if ip.version == 6:
        inner = embedded_ipv4(ip)
        problem = address_problem(str(inner), allow_private) if inner is not None else None
        if problem:
            return problem if ip.ipv4_mapped else f"{problem}, inside {ip}"
    if ip.is_link_local:
        return f"link-local address {ip}"
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return f"reserved address {ip}"
    shared = ip.version == 4 and ip in CGNAT
    if (ip.is_loopback or ip.is_private or shared) and not allow_private:
        kind = "loopback" if ip.is_loopback else ("shared (carrier-grade NAT)" if shared else "private")
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
            why = address_problem(results[0]["host"], allowed) if results else "no address"
            raise AddressRefused(f"refused to connect to {host}: {why}")
        return safe

    async def close(self) -> None:
        await self._inner.close()


# ---------------------------------------------------------------------------
# The fetcher


class Fetcher:
    """An HTTP client for one crawl: shared connection pool, per-host gates,
    robots per origin, retry policy and the run's bounds. Use as an async
    context manager."""

    def __init__(
        self,
        *,
        global_concurrency: int = 32,
        polite: bool = True,
        transport: str = "aiohttp",
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        retry_budget_seconds: float = 120.0,
        sleep: Callable[[float], object] = asyncio.sleep,
        private_hosts: set[str] | None = None,
        deadline: float | None = None,  # time.time() after which no new request starts
    ):
        self.polite = polite
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.retry_budget_seconds = retry_budget_seconds
        self.sleep = sleep
        self.deadline = deadline
        self.gates: dict[str, HostGate] = {}
        self.robots: dict[str, Robots] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        # origin -> (reason, detail): a host that asked for more than we wait
        self.skipped_origins: dict[str, tuple[Reason, str]] = {}
        self.global_slots = asyncio.Semaphore(global_concurrency)
        self.requests = 0
        # Hosts of sources that allow private addresses (the demo, tests).
        self.private_hosts = {h.lower() for h in (private_hosts or set())}
        self._address_checks: dict[str, str | None] = {}
        resolver = GuardedResolver(self.private_hosts) if transport == "aiohttp" else None
        self.transport = make_transport(transport, global_concurrency, resolver)

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

    # -- deferral: what this run will not fetch ------------------------------

    def deferral(self, url: str, source: Source) -> FetchResult | None:
        """A DEFERRED result when the run or the host has no time left, or the
        origin was skipped for the run; None when the URL may be fetched."""
        if self.deadline is not None and time.time() >= self.deadline:
            return FetchResult(url, Outcome.DEFERRED, Reason.RUN_TIME_BUDGET, "the run's time budget is spent")
        skipped = self.skipped_origins.get(origin_of(url))
        if skipped:
            return FetchResult(url, Outcome.DEFERRED, skipped[0], skipped[1])
        gate = self.gates.get(host_of(url))
        if gate is not None and gate.first_request is not None and \
                time.monotonic() - gate.first_request > source.max_host_seconds:
            return FetchResult(url, Outcome.DEFERRED, Reason.HOST_TIME_BUDGET,
                               f"{host_of(url)} had its {source.max_host_seconds:g}s for this run")
        return None

    def skip_origin(self, url: str, reason: Reason, detail: str) -> None:
        self.skipped_origins.setdefault(origin_of(url), (reason, detail))

    # -- robots.txt ------------------------------------------------------------

    async def robots_for(self, url: str, source: Source) -> Robots:
        """Fetch (once per origin and run) and parse robots.txt."""
        if not source.respect_robots:
            return Robots(None, allow_all=True, status="ignored")
        origin = origin_of(url)
        cached = self.robots.get(origin)
        if cached is not None:
            return cached
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin in self.robots:
                return self.robots[origin]
            robots = await self._fetch_robots(origin + "/robots.txt", source)
            self.robots[origin] = robots
            delay = robots.crawl_delay(source.user_agent)
            if self.polite and delay:
                if delay > source.max_crawl_delay:
                    self.skip_origin(url, Reason.CRAWL_DELAY_TOO_LONG,
                                     f"robots.txt asks for a Crawl-delay of {delay:g}s; the cap is "
                                     f"{source.max_crawl_delay:g}s (max_crawl_delay)")
                else:
                    # Crawl-delay slows the host's gate for the rest of the run.
                    gate = self.gate_for(host_of(url), source, delay)
                    gate.interval = max(gate.interval, delay)
            return robots

    async def _fetch_robots(self, robots_url: str, source: Source) -> Robots:
        # RFC 9309: follow up to five redirects (ours: only to hosts the
        # source allows); 4xx or too many redirects means no rules apply;
        # 5xx or an unreachable server means assume everything is disallowed.
        url = robots_url
        for _ in range(5):
            result = await self._request_with_retries(url, source, {}, max_bytes=ROBOTS_MAX_BYTES, accept_any_type=True)
            if result.outcome == Outcome.REDIRECT and result.final_url:
                if host_of(result.final_url) not in source.allowed_hosts:
                    return Robots(None, allow_all=True, status=f"redirect to another host not followed "
                                                                f"({result.final_url[:200]})")
                url = result.final_url
                continue
            break
        else:
            return Robots(None, allow_all=True, status="more than 5 redirects")
        code = result.status_code
        if result.outcome == Outcome.SKIPPED and result.reason == Reason.TOO_LARGE:
            return Robots(None, allow_all=True, status=f"{code}, over {ROBOTS_MAX_BYTES} bytes")
        if code is not None and 200 <= code < 300 and result.body is not None:
            text = result.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
            try:
                return Robots(Protego.parse(text), status=f"{code}")
            except Exception:  # a robots.txt Protego cannot read is treated like a missing one
                return Robots(None, allow_all=True, status="unparseable")
        if code is not None and 400 <= code < 500 and code != 429:
            return Robots(None, allow_all=True, status=f"{code}")
        why = f"HTTP {code}" if code else str(result.reason)
        return Robots(None, disallow_all=True, status=why)

    # -- fetching ---------------------------------------------------------------

    async def fetch_page(self, url: str, source: Source, previous: dict | None = None) -> FetchResult:
        """Fetch one page of ``source``; ``previous`` holds the stored etag and
        last_modified for a conditional GET. Never raises for network faults."""
        early = await self._before_request(url, source)
        if early is not None:
            return early
        headers = {}
        if previous:
            if previous.get("etag"):
                headers["If-None-Match"] = previous["etag"]
            if previous.get("last_modified"):
                headers["If-Modified-Since"] = previous["last_modified"]
        result = await self._request_with_retries(url, source, headers, max_bytes=source.max_bytes)
        if result.outcome == Outcome.OK and result.body is not None:
            result.text, result.encoding = decode_html(result.body, result.content_type)
        return result

    async def fetch_bytes(self, url: str, source: Source, max_bytes: int) -> FetchResult:
        """Fetch any resource (a sitemap) with the same politeness as a page."""
        early = await self._before_request(url, source)
        if early is not None:
            return early
        return await self._request_with_retries(url, source, {}, max_bytes=max_bytes, accept_any_type=True)

    async def _before_request(self, url: str, source: Source) -> FetchResult | None:
        """A result that ends the fetch before any request for the URL itself:
        deferred, refused by the address guard, or blocked by robots.txt."""
        deferred = self.deferral(url, source)
        if deferred:
            return deferred
        refused = await self.refusal(url, source)
        if refused:
            return refused
        robots = await self.robots_for(url, source)
        deferred = self.deferral(url, source)  # robots.txt may have skipped the origin
        if deferred:
            return deferred
        if not robots.allowed(url, source.user_agent):
            if robots.disallow_all:
                return FetchResult(url, Outcome.BLOCKED, Reason.ROBOTS_UNAVAILABLE, f"robots.txt: {robots.status}")
            return FetchResult(url, Outcome.BLOCKED, Reason.ROBOTS, "disallowed by robots.txt")
        return None

    async def _request_with_retries(
        self, url: str, source: Source, headers: dict, *, max_bytes: int, accept_any_type: bool = False
    ) -> FetchResult:
        host = host_of(url)
        scheme = url.split(":", 1)[0].lower()
        if scheme not in ("http", "https"):
            return FetchResult(url, Outcome.SKIPPED, Reason.NOT_HTTP, f"{scheme}: URL")
        problem = await self.check_host(host, source.allow_private_addresses)
        if problem:
            return FetchResult(url, Outcome.SKIPPED, Reason.ADDRESS_REFUSED, problem)
        gate = self.gate_for(host, source)
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            async with self.global_slots, gate.semaphore:
                await gate.wait_turn()
                result = await self._request_once(url, source, headers, max_bytes, accept_any_type)
            result.attempts = attempt
            if result.outcome != Outcome.FAILED or result.reason not in RETRYABLE:
                return result
            retry_after = parse_retry_after(result.retry_after)
            if retry_after is not None and retry_after > source.max_retry_after:
                detail = (f"{result.detail}; Retry-After {retry_after:g}s is over the {source.max_retry_after:g}s cap "
                          f"(max_retry_after): {origin_of(url)} is skipped for this run")
                result.detail = detail[:300]
                self.skip_origin(url, Reason.RETRY_AFTER_TOO_LONG, detail)
                return result
            if attempt > source.max_retries:
                return result
            if retry_after is not None:
                delay = retry_after
                gate.pause(retry_after)
            else:
                # Exponential backoff with full jitter, so retries from many
                # workers do not arrive at the host together.
                delay = random.uniform(0, min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1)))
            if time.monotonic() - started + delay > self.retry_budget_seconds:
                return result
            if self.deadline is not None and time.time() + delay > self.deadline:
                return result
            await self.sleep(delay)

    async def refusal(self, url: str, source: Source) -> FetchResult | None:
        """A 'skipped' result when the URL's host must not be contacted at all."""
        problem = await self.check_host(host_of(url), source.allow_private_addresses)
        return FetchResult(url, Outcome.SKIPPED, Reason.ADDRESS_REFUSED, problem) if problem else None

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
            except (OSError, UnicodeError):
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
            "Accept-Encoding": "gzip, deflate",  # what pipeline.http undoes under its caps
        }
        request_headers.update(headers)
        seconds = source.timeout_seconds
        try:
            # One deadline for the whole exchange: per-read timeouts alone
            # never end a server that trickles a byte every few seconds.
            async with asyncio.timeout(seconds):
                answer = await self.transport.get(url, request_headers, seconds)
                reusable = False
                try:
                    result, reusable = await self._read_answer(url, answer, max_bytes, accept_any_type)
                    return result
                finally:
                    answer.close(reusable)
        except TimeoutError:
            return FetchResult(url, Outcome.FAILED, Reason.TIMEOUT, f"no complete answer within {seconds:g}s")
        except TransportError as exc:
            return FetchResult(url, Outcome.FAILED, exc.reason, exc.detail or None)

    async def _read_answer(self, url: str, answer: Answer, max_bytes: int,
                           accept_any_type: bool) -> tuple[FetchResult, bool]:
        """The result for a response, and whether its connection may be reused."""
        status = answer.status
        h = answer.headers
        result = FetchResult(url, Outcome.OK, status_code=status, content_type=h.get("content-type"),
                             etag=_validator(h.get("etag")), last_modified=_validator(h.get("last-modified")))
        if status == 304:
            result.outcome, result.reason = Outcome.UNCHANGED, Reason.NOT_MODIFIED
            return result, True
        if status in REDIRECT_STATUSES:
            location = h.get("location")
            result.outcome = Outcome.REDIRECT
            if not location:
                result.outcome, result.reason, result.detail = Outcome.FAILED, Reason.REDIRECT_NO_LOCATION, f"HTTP {status}"
                return result, False
            try:
                result.final_url = canonical_url(urljoin(url, location.strip()))
            except (BadURL, ValueError):
                result.outcome, result.reason = Outcome.SKIPPED, Reason.REDIRECT_NOT_WEB
                result.detail = location[:200]
            if result.outcome == Outcome.REDIRECT and status in PERMANENT_REDIRECTS:
                result.reason = Reason.MOVED
            return result, False
        if status >= 400 or status < 200:
            result.outcome, result.reason, result.detail = Outcome.FAILED, Reason.for_status(status), f"HTTP {status}"
            result.retry_after = h.get("retry-after")
            return result, False
        media_type = (result.content_type or "").split(";")[0].strip().lower()
        if not accept_any_type and media_type and media_type not in HTML_TYPES:
            result.outcome, result.reason, result.detail = Outcome.SKIPPED, Reason.NOT_HTML, media_type[:100]
            return result, False
        declared = h.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > max_bytes:
            result.outcome, result.reason = Outcome.SKIPPED, Reason.TOO_LARGE
            result.detail = f"Content-Length {declared} > {max_bytes} bytes"
            return result, False
        try:
            body = await read_body(answer, max_bytes)
        except TooLarge:
            result.outcome, result.reason, result.detail = Outcome.SKIPPED, Reason.TOO_LARGE, f"over {max_bytes} bytes"
            return result, False
        except Truncated:
            result.outcome, result.reason = Outcome.FAILED, Reason.TRUNCATED
            result.detail = f"{h.get('content-encoding')} body stops before its end"
            return result, False
        except (ValueError, zlib.error) as exc:
            result.outcome, result.reason, result.detail = Outcome.FAILED, Reason.BAD_ENCODING, str(exc)[:300]
            return result, False
        result.body = body
        result.size = len(body)
        return result, True


def _validator(value: str | None) -> str | None:
    """An ETag or Last-Modified worth storing and sending back."""
    if not value or len(value) > MAX_VALIDATOR_CHARS or "\r" in value or "\n" in value:
        return None
    return value

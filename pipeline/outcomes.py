"""What happened to a URL, as typed values: an :class:`Outcome`, a
:class:`Reason` and a free-text detail.

The values are strings (``StrEnum``), so they are stored in the database
and counted in summaries as they are, and read back with ``Outcome(text)``
rather than by parsing a sentence. The detail carries what only a person
needs: the status code, the sizes, the exception text.

Whether a failure is transient decides what a scheduled run may publish:
a page that times out, is refused or answers 503 keeps its last good
version (and its place in the curated dataset); only a confirmed removal
takes it out. See :func:`is_removal` and ``pipeline.crawl``.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """The result of fetching a URL, as ``pages.outcome`` stores it."""

    OK = "ok"  # fetched, with content (new or changed)
    UNCHANGED = "unchanged"  # 304, or the same content again
    REDIRECT = "redirect"  # answered with a redirect; the target is queued
    FAILED = "failed"  # the server or the network let us down (see the reason)
    BLOCKED = "blocked"  # robots.txt said no
    SKIPPED = "skipped"  # we chose not to fetch or keep it (see the reason)
    REMOVED = "removed"  # the page was there and is confirmed gone from the site
    DEFERRED = "deferred"  # not fetched this run (a time budget, a host skipped): the next run tries first

    @property
    def has_content(self) -> bool:
        return self in (Outcome.OK, Outcome.UNCHANGED)


class Reason(StrEnum):
    """Why an outcome is what it is. Short, stable, made for counting."""

    # the network and the server
    TIMEOUT = "timeout"
    REFUSED = "connection refused"
    CONNECTION_ERROR = "connection error"  # reset, closed mid-body, wrong length
    HOST_NOT_FOUND = "host not found"
    NOT_FOUND = "not found"  # 404, 410
    SERVER_ERROR = "server error"  # 5xx
    RATE_LIMITED = "rate limited"  # 429
    CLIENT_ERROR = "client error"  # any other 4xx, and statuses outside 2xx-5xx
    BAD_RESPONSE = "bad response"  # malformed status line or headers, huge headers
    BAD_ENCODING = "bad content encoding"  # corrupt gzip/deflate, unsupported coding
    TRUNCATED = "truncated body"  # a compressed body that stops early
    # what we decline
    TOO_LARGE = "too large"
    NOT_HTML = "not HTML"
    ROBOTS = "robots.txt"  # disallowed by the rules
    ROBOTS_UNAVAILABLE = "robots.txt unavailable"  # 5xx or unreachable: RFC 9309 says assume disallowed
    ADDRESS_REFUSED = "address refused"  # loopback, private, link-local, ... (SSRF guard)
    NOT_HTTP = "not http(s)"
    REDIRECT_OFF_SITE = "redirect to another host"
    REDIRECT_EXCLUDED = "redirect to an excluded URL"
    REDIRECT_NOT_WEB = "redirect to a non-web URL"
    REDIRECT_NO_LOCATION = "redirect without Location"
    TOO_MANY_REDIRECTS = "too many redirects"
    CRAWL_DELAY_TOO_LONG = "Crawl-delay too long"  # the host asks for more than we wait
    RETRY_AFTER_TOO_LONG = "Retry-After too long"
    HOST_TIME_BUDGET = "host time budget spent"
    RUN_TIME_BUDGET = "run time budget spent"
    SITEMAP_BUDGET = "sitemap budget spent"
    INTERNAL_ERROR = "internal error"  # a bug of ours, recorded against the page
    # good news
    NOT_MODIFIED = "not modified"  # 304
    SAME_CONTENT = "same content"
    MOVED = "moved permanently"  # 301/308: the target replaces the page
    REMOVED = "removed from the site"

    @classmethod
    def for_status(cls, status: int) -> "Reason":
        """The reason of a failed HTTP status."""
        if status in (404, 410):
            return cls.NOT_FOUND
        if status == 429:
            return cls.RATE_LIMITED
        if 500 <= status < 600:
            return cls.SERVER_ERROR
        return cls.CLIENT_ERROR


# Failures worth retrying within a run (with backoff, honouring Retry-After).
RETRYABLE = frozenset({Reason.TIMEOUT, Reason.REFUSED, Reason.CONNECTION_ERROR, Reason.SERVER_ERROR,
                       Reason.RATE_LIMITED})

PERMANENT_REDIRECTS = frozenset({301, 308})


def is_removal(status_code: int | None) -> bool:
    """Does this answer say the page is gone (if it says so twice)?"""
    return status_code in (404, 410)


def count_key(reason: Reason | str | None) -> str:
    """The key a summary counts a reason under."""
    return str(reason) if reason else "unknown"

"""One canonical form per URL, and the rules that say which URLs a source wants.

w3lib (Scrapy's URL library) does the hard, well-tested part: percent-encoding
normalisation, path dot-segments, sorted query, fragment removal. We add what
it leaves alone: lower-case scheme and host, default ports, and tracking
parameters, so every link to the same page lands on the same frontier row.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that only say how a visitor arrived: dropping them never
# changes the page served.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "twclid", "ttclid",
        "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id",
        "vero_id", "vero_conv", "wt_mc", "wt.mc_id", "cmpid", "s_cid", "spm", "scid", "ncid", "sr_share",
        "ref_src", "ref_url", "share", "si",
        # Jetpack's related-posts click counters, on every related link of a WordPress.com-style blog.
        "relatedposts_hit", "relatedposts_origin", "relatedposts_position",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "trk_")
DEFAULT_PORTS = {"http": 80, "https": 443}


class BadURL(ValueError):
    """The string cannot be made into an http(s) URL."""


def is_tracking_param(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def unglue_tracking(query: str) -> str:
    """Turn a second '?' that starts a tracking parameter into '&'.

    Link builders append "?utm_source=..." to URLs that already have a query
    ("p?id=3?utm_source=mail", "p??utm_source=mail"); read literally, the
    tracking parameter hides inside another parameter's value or name and
    the page gets a new URL for every campaign. A '?' followed by anything
    else is left alone: it may belong to a value.
    """
    if "?" not in query:
        return query
    pieces = query.split("?")
    glued = pieces[0]
    for piece in pieces[1:]:
        name = piece.split("&", 1)[0].split("=", 1)[0]
        glued += ("&" if name and is_tracking_param(name) else "?") + piece
    return glued


# A URL already in canonical form, as most links are: lower-case http(s)
# scheme and host, a path of unreserved characters without dot segments, no
# query, no fragment. w3lib would return it unchanged (tests/test_urls.py
# checks that on every shape), at a tenth of the cost; only the port needs a
# look.
SIMPLE_URL = re.compile(r"(https?)://([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d{1,5}))?(/[A-Za-z0-9_~/-]*(?:\.[A-Za-z0-9_~-]+[A-Za-z0-9_~/-]*)*)?")
DOT_SEGMENT = re.compile(r"/\.\.?(?:/|$)")


# A query of plain tracking parameters ("utm_source=more&fbclid=x"), which
# canonicalisation drops whole.
PLAIN_QUERY = re.compile(r"[A-Za-z0-9_.~-]+(?:=[A-Za-z0-9_.~+-]*)?(?:&[A-Za-z0-9_.~-]+(?:=[A-Za-z0-9_.~+-]*)?)*")


def simple_canonical(url: str) -> str | None:
    """The canonical form of a URL that is already canonical but for its
    port, a fragment and tracking parameters (a link "?utm_source=more" on
    every page of a site), or None when it needs the full treatment."""
    fragment = url.find("#")
    if fragment >= 0:
        url = url[:fragment]
    question = url.find("?")
    if question >= 0:
        query = url[question + 1:]
        if not PLAIN_QUERY.fullmatch(query) or not all(
                is_tracking_param(pair.split("=", 1)[0]) for pair in query.split("&")):
            return None
        url = url[:question]
    match = SIMPLE_URL.fullmatch(url)
    if match is None or DOT_SEGMENT.search(match.group(4) or ""):
        return None
    scheme, host, port, path = match.groups()
    if port is not None:
        number = int(port)
        if not 0 < number < 65536:
            return None
        if number == DEFAULT_PORTS[scheme]:
            return f"{scheme}://{host}{path or '/'}"
        if port != str(number):  # a port with leading zeros
            return None
    return url if path else url + "/"


@lru_cache(maxsize=65536)
def canonical_url(url: str) -> str:
    """Return the canonical form of an absolute http(s) URL; raise BadURL otherwise.

    Idempotent: ``canonical_url(canonical_url(u)) == canonical_url(u)``.
    Cached because the same navigation links recur on every page of a site.
    """
    if not isinstance(url, str):
        raise BadURL(f"not a string: {url!r}")
    url = url.strip()
    simple = simple_canonical(url)
    return simple if simple is not None else full_canonical(url)


def full_canonical(url: str) -> str:
    """canonical_url without the fast path (w3lib does the hard part)."""
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS:
            raise BadURL(f"not an http(s) URL: {url[:200]!r}")
        host = (parts.hostname or "").rstrip(".")
        if not host:
            raise BadURL(f"no host in URL: {url[:200]!r}")
        port = parts.port
    except ValueError as exc:  # urlsplit raises ValueError on bad ports and IPv6 literals
        raise BadURL(f"{exc}: {url[:200]!r}") from None
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = unglue_tracking(parts.query)
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if not is_tracking_param(k)]
        if len(kept) != len(pairs) or query != parts.query:
            query = urlencode(kept)
    rebuilt = urlunsplit((scheme, netloc, parts.path or "/", query, ""))
    try:
        canonical = canonicalize_url(rebuilt)
    except (ValueError, UnicodeError) as exc:
        raise BadURL(f"{exc}: {url[:200]!r}") from None
    # w3lib keeps an explicit default port and may re-introduce one; normalise once more.
    if canonical != rebuilt:
        parts = urlsplit(canonical)
        if parts.port == DEFAULT_PORTS[scheme]:
            canonical = urlunsplit((parts.scheme, parts.hostname or "", parts.path, parts.query, ""))
    return canonical


def absolute_url(href: str, base: str) -> str | None:
    """Resolve a link against its page; None for links that are not web pages."""
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    # Fast paths for the two commonest forms; urljoin is a large share of a
    # crawl's CPU time on link-heavy pages.
    if href.startswith(("http://", "https://")):
        return href
    if href[0] == "/" and href[1:2] != "/" and "./" not in href:
        return _origin(base) + href
    try:
        return urljoin(base, href)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def document_base(base_href: str | None, page_url: str) -> str:
    """The URL a page's relative links resolve against: its ``<base href>``
    (itself resolved against the page's URL) where it has one."""
    if not base_href:
        return page_url
    return absolute_url(base_href, page_url) or page_url


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@lru_cache(maxsize=4096)
def host_of(url: str) -> str:
    """The lower-case host name of a URL (cached: a page's URL is asked for
    its host several times on its way through the fetcher)."""
    return (urlsplit(url).hostname or "").lower()


@lru_cache(maxsize=4096)
def origin_of(url: str) -> str:
    """scheme://host:port of a URL, the port always written: the unit of
    robots.txt (RFC 9309) and of a host skipped for a run."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme, 0)
    except ValueError:
        port = 0
    return f"{scheme}://{host}:{port}"


def url_matches(url: str, include: list[re.Pattern], exclude: list[re.Pattern]) -> bool:
    """True when ``url`` passes the include patterns (if any) and no exclude pattern."""
    if include and not any(p.search(url) for p in include):
        return False
    return not any(p.search(url) for p in exclude)

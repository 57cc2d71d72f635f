"""Finding URLs: links in pages and entries in sitemaps.

Sitemaps are read with a pattern over ``<loc>`` rather than an XML parser:
that tolerates the broken XML real sites serve, and by construction never
expands entities, so an XML external entity or a "billion laughs" sitemap
does nothing. The pattern stops at the next ``<``, so reading takes time
linear in the size of the file whatever it holds (300 KB of unclosed
``<loc>`` tags once took minutes with a lazy ``.*?</loc>``).
"""

from __future__ import annotations

import gzip
import html
import re
import zlib
from collections.abc import Collection

from selectolax.lexbor import LexborHTMLParser

from pipeline.urls import BadURL, _origin as _origin_of, absolute_url, canonical_url, document_base

# A <loc>, then either a CDATA section or text up to the next "<": every
# alternative ends at the first "]" or "<", so no match scans past it.
LOC_RE = re.compile(rb"<(?:\w{1,20}:)?loc\s{0,20}>\s{0,100}(?:<!\[CDATA\[([^\]<]*)\]\]>|([^<]*))", re.I)
SITEMAP_INDEX_RE = re.compile(rb"<(?:\w+:)?sitemapindex[\s>]", re.I)
BODY_TAG_RE = re.compile(r"<body[\s>]", re.I)
MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit for one file, uncompressed


def page_links(text: str, page_url: str, want_links: bool = True,
               hosts: Collection[str] | None = None) -> tuple[list[str], str | None, set[str]]:
    """Canonical URLs of the ``<a href>`` links of a page, in order, without
    repeats; the page's ``rel=canonical`` (canonical too) if it has one; and
    the links' other spellings (tracking parameters, fragments, case) that
    canonicalisation folded away, so the crawl can count them as duplicates.
    ``want_links=False`` reads only the canonical link (a page at max depth).
    With ``hosts`` (the crawl's allowed hosts), links to other hosts are left
    out before they cost a canonicalisation: a page's share buttons carry
    its own URL, so every page had a few that no cache could spare.

    Links marked rel=nofollow are kept: nofollow is about ranking, and the
    crawl's include/exclude rules decide what to follow.
    """
    if not want_links:
        # A sitemap crawl at max depth needs only the canonical link and
        # <base>, which live in <head>: parsing the head alone costs a tenth
        # of the page. Pages that put either after <body> (it happens) or
        # hide a "<body" in a script get the whole parse.
        body = BODY_TAG_RE.search(text)
        if body:
            rest = text[body.start():].lower()  # lower() and `in`: ten times faster than a re.I search
            if "canonical" not in rest and "<base" not in rest:
                text = text[:body.start()]
    tree = LexborHTMLParser(text)
    base_node = tree.css_first("base[href]")
    base = document_base(base_node.attributes.get("href") if base_node is not None else None, page_url)
    canonical = None
    canonical_node = tree.css_first('link[rel="canonical"][href]')
    if canonical_node is not None:
        target = absolute_url(canonical_node.attributes.get("href") or "", base)
        if target:
            try:
                canonical = canonical_url(target)
            except BadURL:
                canonical = None
    seen: set[str] = set()
    links: list[str] = []
    variants: set[str] = set()
    if not want_links:
        return links, canonical, variants
    resolved = _resolved_for(base)
    for node in tree.css("a[href]"):
        href = node.attributes.get("href")
        if not href:
            continue
        hit = resolved.get(href)
        if hit is None:
            if hosts is not None and _off_site(href, hosts):
                continue
            hit = _resolve(href, base)
            # Absolute and root-relative links resolve the same on every page
            # of an origin: the navigation that recurs on every page is
            # resolved once. Others ("x.html", "../x", "//host/x") depend on
            # the page's own URL.
            if href.startswith(("http://", "https://")) or (href[0] == "/" and href[1:2] != "/"):
                resolved[href] = hit
        url, variant = hit
        if url is None:
            continue
        if variant is not None:
            variants.add(variant)
        if url not in seen:
            seen.add(url)
            links.append(url)
    return links, canonical, variants


_RESOLVED: dict[str, dict[str, tuple[str | None, str | None]]] = {}
MAX_RESOLVED = 100_000  # per origin; bounded so memory stays flat on any site


def _resolved_for(base: str) -> dict[str, tuple[str | None, str | None]]:
    cache = _RESOLVED.setdefault(_origin_of(base), {})
    if len(cache) > MAX_RESOLVED:
        cache.clear()
    return cache


def _off_site(href: str, hosts: Collection[str]) -> bool:
    """Is an absolute link's host, as canonicalisation would write it
    (lower case, no user, port or trailing dot), none of ``hosts``? False
    when that is not plain to see (a relative link, a non-ASCII host): those
    take the full path."""
    if not href[:8].lower().startswith(("http://", "https://", "//")):
        return False
    netloc = href.split("//", 1)[1]
    for end in "/?#":
        netloc = netloc.split(end, 1)[0]
    host = netloc.rpartition("@")[2]
    host = host.partition("]")[0][1:] if host.startswith("[") else host.partition(":")[0]
    host = host.rstrip(".").lower()
    return bool(host) and host.isascii() and "%" not in host and "\\" not in host and host not in hosts


def _resolve(href: str, base: str) -> tuple[str | None, str | None]:
    """(canonical URL or None, the spelling canonicalisation folded or None)."""
    target = absolute_url(href, base)
    if target is None:
        return None, None
    try:
        url = canonical_url(target)
    except BadURL:
        return None, None
    return url, (target if url != target else None)


def gunzip_capped(data: bytes, max_bytes: int = MAX_SITEMAP_BYTES) -> bytes:
    """Decompress gzip data (every member of it), never producing more than
    ``max_bytes``: a sitemap that inflates further (a gzip bomb, or a
    million URLs) is read as far as the cap, and the crawl's max_pages
    bounds what it may add. A truncated file gives what it holds."""
    parts: list[bytes] = []
    total = 0
    while data[:2] == b"\x1f\x8b" and total < max_bytes:
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        part = decompressor.decompress(data, max_bytes - total)
        parts.append(part)
        total += len(part)
        if not decompressor.eof:
            break
        data = decompressor.unused_data
    return b"".join(parts)


def parse_sitemap(data: bytes, max_urls: int = 50_000) -> tuple[str, list[str], bool]:
    """Return ``("index", sitemap_urls, truncated)`` or ``("urlset",
    page_urls, truncated)``; ``truncated`` says entries were left unread.

    Gzip is detected by its magic bytes (servers label .xml.gz every which
    way). At most ``max_urls`` entries are read: a sitemap of a million URLs
    costs no more than the crawl can use. Linear in the size of ``data``.
    """
    if data[:2] == b"\x1f\x8b":
        try:
            data = gunzip_capped(data)
        except (OSError, EOFError, ValueError, zlib.error, gzip.BadGzipFile):
            return "urlset", [], False
    kind = "index" if SITEMAP_INDEX_RE.search(data[:4096]) else "urlset"
    urls: list[str] = []
    for match in LOC_RE.finditer(data):
        raw = match.group(1) if match.group(1) is not None else match.group(2)
        url = html.unescape(raw.decode("utf-8", errors="replace")).strip() if raw else ""
        if url:
            if len(urls) >= max_urls:
                return kind, urls, True
            urls.append(url)
    return kind, urls, False

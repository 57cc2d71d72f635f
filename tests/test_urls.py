"""URL canonicalisation: one form per page."""

import pytest

from pipeline.demo.site import DemoSite
from pipeline import discover
from pipeline.discover import page_links
from pipeline.fetch import decode_html
from pipeline.urls import BadURL, canonical_url

from conftest import CORPUS, needs_shared

CASES = [
    ("HTTP://Example.COM:80/a/../b?z=1&a=2#frag", "http://example.com/b?a=2&z=1"),
    ("https://example.com:443/p", "https://example.com/p"),
    ("https://example.com:8443/p", "https://example.com:8443/p"),
    ("https://example.com/p?utm_source=x&utm_medium=y&id=3", "https://example.com/p?id=3"),
    ("https://example.com/p?fbclid=abc&gclid=1&b=2&a=1", "https://example.com/p?a=1&b=2"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com./p", "https://example.com/p"),
    ("https://example.com/%7euser/a b", "https://example.com/~user/a%20b"),
    # a tracking parameter glued on with a second '?'
    ("https://example.com/p?id=3?utm_source=mail&utm_medium=x", "https://example.com/p?id=3"),
    ("https://example.com/p??utm_source=mail", "https://example.com/p"),
    ("http://0.AA/??utm_source=", "http://0.aa/"),
    # Jetpack's related-posts click counters
    ("https://blog.example/sleep/?relatedposts_hit=1&relatedposts_origin=42&relatedposts_position=0",
     "https://blog.example/sleep/"),
    # a '?' inside a value is not a separator
    ("https://example.com/search?q=why?&page=2", "https://example.com/search?page=2&q=why%3F"),
]


@pytest.mark.parametrize("raw, expected", CASES)
def test_canonical_form(raw, expected):
    assert canonical_url(raw) == expected


@pytest.mark.parametrize("raw, _", CASES)
def test_idempotent(raw, _):
    once = canonical_url(raw)
    assert canonical_url(once) == once


@pytest.mark.parametrize("bad", ["ftp://example.com/", "mailto:a@b.c", "javascript:alert(1)", "http://", "not a url",
                                 "http://example.com:99999/"])
def test_non_web_urls_raise_badurl(bad):
    with pytest.raises(BadURL):
        canonical_url(bad)


# -- links and canonical links of pages --------------------------------------

def test_page_links_reads_base_canonical_and_folds_variants():
    html = ('<html><head><base href="https://example.org/guides/">'
            '<link rel="canonical" href="back-pain?utm_source=x#top"></head><body>'
            '<a href="stretches">a</a><a href="stretches?utm_medium=y">b</a><a href="/Other#x">c</a>'
            '<a href="mailto:me@example.org">mail</a></body></html>')
    links, canonical, variants = page_links(html, "https://example.org/x/y")
    assert canonical == "https://example.org/guides/back-pain"
    assert links == ["https://example.org/guides/stretches", "https://example.org/Other"]
    assert variants == {"https://example.org/guides/stretches?utm_medium=y", "https://example.org/Other#x"}
    assert page_links(html, "https://example.org/x/y", want_links=False) == ([], canonical, set())


def test_page_links_leave_out_other_hosts_before_canonicalising_them(monkeypatch):
    """With the crawl's allowed hosts, a link to another host (a share button
    that carries the page's own URL, so no cache spares it) is left out
    before it costs a canonicalisation; the links to allowed hosts, the
    canonical link and their variants are what they were without."""
    html = ('<html><head><link rel="canonical" href="/guides/back"></head><body>'
            '<a href="https://www.facebook.com/sharer.php?u=https://example.org/guides/back">share</a>'
            '<a href="//twitter.com/intent/tweet?url=x">tweet</a><a href="https://user@EXAMPLE.org./a?utm_source=x">a</a>'
            '<a href="stretches">b</a><a href="https://xn--bcher-kva.de/x">c</a><a href="https://bücher.de/y">d</a>'
            '</body></html>')
    hosts = ("example.org",)
    everything = page_links(html, "https://example.org/guides/back")
    resolved = []
    real_resolve = discover._resolve
    monkeypatch.setattr(discover, "_resolve", lambda href, base: resolved.append(href) or real_resolve(href, base))
    discover._RESOLVED.clear()
    links, canonical, variants = page_links(html, "https://example.org/guides/back", hosts=hosts)
    assert links == ["https://example.org/a", "https://example.org/guides/stretches", "https://xn--bcher-kva.de/y"]
    assert set(links) < set(everything[0]) and canonical == everything[1] == "https://example.org/guides/back"
    assert variants == {"https://user@EXAMPLE.org./a?utm_source=x", "https://bücher.de/y"} < everything[2]
    assert not any("facebook" in h or "twitter" in h or "xn--" in h for h in resolved)  # never canonicalised
    assert "https://bücher.de/y" in resolved  # a host it cannot read at a glance takes the full path


@pytest.mark.parametrize("html", [
    # a canonical link after <body>, where browsers would not look but sites put it
    '<html><head><title>t</title></head><body><link rel="canonical" href="/real"><p>x</p></body></html>',
    # "<body" inside a script in <head>, before the canonical link
    '<html><head><script>var s = "<body onload=1>";</script><link rel="canonical" href="/real"></head><body></body></html>',
    # <base> after the first <body
    '<html><head><script>x="<body>"</script><base href="https://example.org/"></head><body>'
    '<link rel="canonical" href="real"></body></html>',
])
def test_head_only_parse_falls_back_when_the_canonical_is_elsewhere(html):
    assert page_links(html, "https://example.org/a/b", want_links=False)[1] == "https://example.org/real"


@needs_shared(CORPUS)
def test_canonical_at_max_depth_matches_the_full_parse_on_real_and_demo_pages():
    """The crawl reads only <head> of pages it will not follow: on every real
    page and a sample of demo pages it must find what the full parse finds."""
    pages = [(p.name, p.read_bytes()) for p in sorted(CORPUS.glob("*.htm*"))]
    site = DemoSite(40)
    pages += [(path, site.render(path, "http://demo.test").body) for path in site.article_paths()]
    found = 0
    for name, raw in pages:
        text, _ = decode_html(raw, None)
        full = page_links(text, "https://example.org/a/b")[1]
        assert page_links(text, "https://example.org/a/b", want_links=False)[1] == full, name
        found += full is not None
    assert found > len(pages) // 2  # most pages do have one: the comparison is not None == None


def test_the_fast_path_agrees_with_w3lib_on_every_shape():
    from itertools import product

    from pipeline.urls import full_canonical, simple_canonical

    hosts = ["example.org", "127.0.0.1", "a-b.c.d", "x"]
    ports = ["", ":80", ":443", ":8080", ":0", ":65536", ":080", ":1"]
    paths = ["", "/", "/a/b", "/a/./b", "/a/../b", "/a/.", "/a/..", "/.hidden", "/a.b/c.d", "/a..b", "/a/b/", "//x",
             "/x~y_z-1", "/a/.b/c", "/..a", "/a/b..", "/A/B", "/a.", "/a/b.c/"]
    # Tracking parameters and fragments are dropped on the fast path too; any
    # other query, or an encoded one, takes the full one.
    tails = ["", "?utm_source=more", "?utm_source=a&fbclid=b", "?UTM_Medium=x", "?utm_source", "?", "?id=1",
             "?utm_source=x&id=1", "?utm_source=a%20b", "?gclid=1&utm_term=a+b", "#top", "#", "?utm_source=x#a?b",
             "?fbclid=1&&utm_source=2"]
    fast = 0
    for scheme, host, port, path, tail in product(["http", "https"], hosts, ports, paths, tails):
        url = f"{scheme}://{host}{port}{path}{tail}"
        simple = simple_canonical(url)
        if simple is not None:
            fast += 1
            assert simple == full_canonical(url), url
    assert fast > 3000
    assert simple_canonical("http://Example.org/a") is None and simple_canonical("http://x.org/a?b=1") is None
    assert simple_canonical("https://x.org/a?utm_source=more#top") == "https://x.org/a"

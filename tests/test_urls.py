"""URL canonicalisation: one form per page."""

import pytest

from pipeline.urls import BadURL, canonical_url

CASES = [
    ("HTTP://Example.COM:80/a/../b?z=1&a=2#frag", "http://example.com/b?a=2&z=1"),
    ("https://example.com:443/p", "https://example.com/p"),
    ("https://example.com:8443/p", "https://example.com:8443/p"),
    ("https://example.com/p?utm_source=x&utm_medium=y&id=3", "https://example.com/p?id=3"),
    ("https://example.com/p?fbclid=abc&gclid=1&b=2&a=1", "https://example.com/p?a=1&b=2"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com./p", "https://example.com/p"),
    ("https://example.com/%7euser/a b", "https://example.com/~user/a%20b"),
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

"""Per-site extraction rules, recipe-scrapers style: one small class per host
that overrides only what the generic rules get wrong on that site.

A site class may give CSS selectors by field (the keys of a source's
``extract:`` in sources.yaml, which take precedence over the class's) and
may read items the generic rules cannot see, from the page as it was
parsed, before scripts and media were dropped (:meth:`Site.items`). Every
class is tested against a saved page with its expected JSON
(``tests/sites/``). The generic extractor's quality figures are measured
without any of them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from pipeline.sources import EXTRACT_RULE_KEYS


class Site:
    """The rules of one site. Subclasses set ``hosts`` and override what they need."""

    hosts: tuple[str, ...] = ()
    selectors: dict[str, str] = {}

    def items(self, tree: LexborHTMLParser, url: str) -> dict[str, list[tuple[str, str]]]:
        """{'treatments' | 'exercises': [(name, text)]} the generic rules miss, read
        from the untouched parse; a kind given here replaces the generic items of
        that kind. Default: nothing."""
        return {}

    def rules(self, configured: dict | None = None) -> dict[str, str]:
        """The CSS selectors to use: this class's, then the source's own from sources.yaml."""
        return {**self.selectors, **(configured or {})}


from pipeline.extract.sites.livestrong import Livestrong  # noqa: E402
from pipeline.extract.sites.mydailymagazine import MyDailyMagazine  # noqa: E402
from pipeline.extract.sites.sweat import Sweat  # noqa: E402

SITES: tuple[Site, ...] = (Livestrong(), MyDailyMagazine(), Sweat())
for _site in SITES:
    assert set(_site.selectors) <= EXTRACT_RULE_KEYS, (_site, _site.selectors)


def site_for(url: str) -> Site | None:
    """The site class for a URL's host (or a parent domain of it), if there is one."""
    host = (urlsplit(url).hostname or "").lower()
    for site in SITES:
        for known in site.hosts:
            if host == known or host.endswith("." + known):
                return site
    return None

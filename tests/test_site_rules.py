"""Per-site rules (pipeline/extract/sites/): each class against its saved page
and expected JSON (tests/sites/NAME.json), recipe-scrapers style; and the
``extract:`` keys of sources.yaml, validated when the file is read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.extract import extract_page
from pipeline.extract.evaluation import match_names
from pipeline.extract.sites import SITES, site_for
from pipeline.sources import parse_config

from conftest import SHARED, needs_shared

CASES = sorted(Path(__file__).with_name("sites").glob("*.json"))


def test_every_site_class_has_a_saved_page_test():
    tested = {path.stem for path in CASES}
    assert {type(site).__name__.lower() for site in SITES} == tested


@needs_shared(SHARED / "corpus")
@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_site_class_against_its_saved_page(case):
    expected = json.loads(case.read_text())
    html = (SHARED / "corpus" / expected["page"]).read_bytes()
    site = site_for(expected["url"])
    assert site is not None and type(site).__name__.lower() == case.stem
    record = extract_page(html, expected["url"])
    generic = extract_page(html, expected["url"], site_rules=False)
    for key, field in (("related", "title"), ("exercises", "name"), ("treatments", "name")):
        if key not in expected:
            continue
        got = [x[field] for x in record[key]]
        assert len(match_names(got, expected[key])) == len(expected[key]) == len(got), (got, expected[key])
        # The class is what makes them exact: the generic rules alone miss
        # some of them or take more than the block.
        without = [x[field] for x in generic[key]]
        assert len(match_names(without, expected[key])) < len(expected[key]) or len(without) > len(expected[key])


def test_hosts_and_subdomains_find_their_class():
    assert type(site_for("https://www.livestrong.com/article/1")).__name__ == "Livestrong"
    assert site_for("https://notlivestrong.com/") is None
    assert site_for("not a url") is None


SOURCE = "sources:\n  - name: s\n    start_urls: ['https://example.org/']\n    extract:\n"


@pytest.mark.parametrize("rules, message", [
    ("      headline: 'h1'\n", "key 'extract.headline': unknown field"),
    ("      related: 42\n", "key 'extract.related': got 42"),
    ("      related: ''\n", "key 'extract.related': got ''"),
    ("      related: ['a']\n", "key 'extract.related': got ['a']"),
    ("      related: 'div[[['\n", "is not a CSS selector"),
])
def test_bad_extract_rules_name_the_file_the_source_and_the_key(rules, message):
    with pytest.raises(ConfigError) as error:
        parse_config(SOURCE + rules, "my-sources.yaml")
    assert "my-sources.yaml" in str(error.value)
    assert "source 's'" in str(error.value)
    assert message in str(error.value)


def test_source_rules_override_the_class():
    config = parse_config(SOURCE + "      related: '.mine a'\n", "x.yaml")
    assert config.sources[0].extract == {"related": ".mine a"}
    assert site_for("https://www.livestrong.com/x").rules(config.sources[0].extract)["related"] == ".mine a"

"""sources.yaml: valid files load, bad ones name the file, the source and the key."""

import pytest

from pipeline.errors import ConfigError
from pipeline.sources import load_config, parse_config

from conftest import ROOT, run_cli

GOOD = """
defaults:
  requests_per_second: 2
sources:
  - name: a
    start_urls: [https://a.example/]
  - name: b
    sitemaps: [https://b.example/sitemap.xml]
    max_pages: 10
    requests_per_second: 0.5
"""


def test_good_file_loads_with_defaults_and_derived_hosts():
    config = parse_config(GOOD, "s.yaml")
    a, b = config.sources
    assert a.requests_per_second == 2.0  # from defaults
    assert b.requests_per_second == 0.5  # a source's own key wins
    assert a.allowed_hosts == ("a.example",)
    assert b.max_pages == 10 and a.max_pages == 1000
    assert a.respect_robots is True


def test_shipped_sources_yaml_is_valid():
    config = load_config(ROOT / "sources.yaml")
    # The demo source is crawled only by name (`make demo`): `make crawl` has nothing enabled to reach.
    assert [s.name for s in config.enabled_sources] == []
    assert not config.source("demo").enabled
    # Sources kept for their extraction rules are disabled: `make crawl` stays offline.
    assert all(s.extract for s in config.sources if not s.enabled and s.name != "demo")


@pytest.mark.parametrize(
    "body, expected",
    [
        ("  - name: a\n    start_urls: [https://a.example/]\n    max_pagez: 3\n",
         ["s.yaml", "source 'a'", "unknown key 'max_pagez'", "max_pages"]),
        ("  - name: a\n    start_urls: [https://a.example/]\n    max_pages: -1\n",
         ["s.yaml", "source 'a'", "key 'max_pages'", "-1", "at least 1"]),
        ("  - name: a\n    start_urls: [ftp://a.example/]\n",
         ["source 'a'", "key 'start_urls'", "not an http(s) URL"]),
        ("  - name: a\n    start_urls: [https://a.example/]\n    include: ['(unclosed']\n",
         ["source 'a'", "key 'include'", "not a valid regular expression"]),
        ("  - name: a\n    start_urls: [https://a.example/]\n    requests_per_second: fast\n",
         ["source 'a'", "key 'requests_per_second'", "a number above 0"]),
        ("  - name: a\n    start_urls: [https://a.example/]\n    user_agent: MyBot\n",
         ["source 'a'", "key 'user_agent'", "contact URL"]),
        ("  - name: a\n    start_urls: [https://a.example/]\n    respect_robots: maybe\n",
         ["key 'respect_robots'", "true or false"]),
        ("  - start_urls: [https://a.example/]\n", ["source #1", "'name' is missing"]),
        ("  - name: a\n    max_pages: 3\n", ["source 'a'", "needs 'start_urls' or 'sitemaps'"]),
        ("  - name: a\n    start_urls: [https://a.example/]\n  - name: a\n    start_urls: [https://b.example/]\n",
         ["source 'a'", "key 'name'", "unique"]),
    ],
)
def test_bad_source_names_file_source_and_key(body, expected):
    with pytest.raises(ConfigError) as info:
        parse_config("sources:\n" + body, "s.yaml")
    message = str(info.value)
    for fragment in expected:
        assert fragment in message, message


def test_broken_yaml_says_where():
    with pytest.raises(ConfigError) as info:
        parse_config("sources:\n  - name: a\n    start_urls: [https://a.example/\n", "s.yaml")
    assert "s.yaml: not valid YAML at line" in str(info.value)


def test_yaml_cannot_construct_objects():
    with pytest.raises(ConfigError):
        parse_config("sources: !!python/object/apply:os.system ['echo hi']\n", "s.yaml")


def test_environment_variables_are_expanded(monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://c.example")
    config = parse_config("sources:\n  - name: c\n    start_urls: ['${SITE_URL}/start', '${MISSING:-https://d.example}/']\n")
    assert config.sources[0].start_urls == ("https://c.example/start", "https://d.example/")


def test_cli_bad_config_exits_2_and_writes_nothing(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text("sources:\n  - name: a\n    start_urls: [https://a.example/]\n    concurrency: 0\n")
    db = tmp_path / "x.db"
    result = run_cli("--db", db, "--config", config, "crawl")
    assert result.returncode == 2
    assert f"{config}: source 'a': key 'concurrency'" in result.stderr
    assert not db.exists()


def test_cli_missing_config_exits_2(tmp_path):
    result = run_cli("--db", tmp_path / "x.db", "--config", tmp_path / "nope.yaml", "crawl")
    assert result.returncode == 2
    assert "nope.yaml: file not found" in result.stderr


def test_cli_unknown_source_exits_2(tmp_path):
    result = run_cli("--db", tmp_path / "x.db", "crawl", "--source", "nosuch")
    assert result.returncode == 2
    assert "no source named 'nosuch'" in result.stderr


@pytest.mark.parametrize("body, expected", [
    ("    requests_per_second: .nan\n", ["key 'requests_per_second'", "not a finite number"]),
    ("    timeout_seconds: .inf\n", ["key 'timeout_seconds'", "not a finite number"]),
    ("    max_crawl_delay: -.inf\n", ["key 'max_crawl_delay'", "not a finite number"]),
    ('    user_agent: "Bot/1 (+https://x.org)\\r\\nX-Injected: 1"\n', ["key 'user_agent'", "line break"]),
    ('    user_agent: "Bot/1 (+https://x.org)\\nX: 1"\n', ["key 'user_agent'", "line break"]),
    ("    max_pages: 3\n    max_pages: 4\n", ["line 5", "key 'max_pages' appears twice (first at line 4)"]),
])
def test_values_that_would_break_the_crawl_are_errors(body, expected):
    with pytest.raises(ConfigError) as info:
        parse_config("sources:\n  - name: a\n    start_urls: [https://a.example/]\n" + body, "s.yaml")
    for fragment in expected:
        assert fragment in str(info.value), str(info.value)


def test_yaml_alias_bombs_are_refused_quickly():
    import time

    layers = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for k in range(1, 10):
        prev = chr(ord("a") + k - 1)
        layers.append(f"{chr(ord('a') + k)}: &{chr(ord('a') + k)} [" + ", ".join([f"*{prev}"] * 9) + "]")
    started = time.monotonic()
    with pytest.raises(ConfigError, match="aliases expand to more than 100,000 values"):
        parse_config("\n".join(layers) + "\nsources: *j\n", "s.yaml")
    assert time.monotonic() - started < 2
    # A modest alias still works.
    config = parse_config("sources:\n  - &s {name: a, start_urls: ['https://a.example/']}\n  - {<<: *s, name: b}\n")
    assert [s.name for s in config.sources] == ["a", "b"]


def test_settings_are_checked():
    base = "sources:\n  - name: a\n    start_urls: [https://a.example/]\n"
    assert parse_config(base).settings["max_shrink"] == 0.2
    with pytest.raises(ConfigError, match="settings: key 'max_shrink': got 1.5"):
        parse_config("settings:\n  max_shrink: 1.5\n" + base, "s.yaml")
    with pytest.raises(ConfigError, match="settings: key 'max_run_seconds'"):
        parse_config("settings:\n  max_run_seconds: .nan\n" + base, "s.yaml")

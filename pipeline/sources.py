"""Load and validate ``sources.yaml``: which sites to crawl and how politely.

Validation is strict on purpose: an unknown key is almost always a typo that
would otherwise silently change what gets crawled, so it is an error that
names the file, the source, the key and what is allowed.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from pipeline.errors import ConfigError

DEFAULT_USER_AGENT = "HealthPipelineBot/0.1 (+https://github.com/health-pipeline/health-pipeline)"


@dataclass(frozen=True)
class Source:
    """One site to crawl, with its discovery rules and politeness settings."""

    name: str
    start_urls: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_pages: int = 1000
    max_depth: int = 5
    requests_per_second: float = 1.0
    concurrency: int = 2
    user_agent: str = DEFAULT_USER_AGENT
    enabled: bool = True
    respect_robots: bool = True
    use_robots_sitemaps: bool = True
    allow_private_addresses: bool = False
    priority: int = 0
    timeout_seconds: float = 20.0
    max_retries: int = 3
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    max_crawl_delay: float = 30.0
    max_retry_after: float = 120.0
    max_host_seconds: float = 3600.0
    max_sitemaps: int = 100
    extract: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def include_patterns(self) -> list[re.Pattern]:
        return [re.compile(p) for p in self.include]

    @property
    def exclude_patterns(self) -> list[re.Pattern]:
        return [re.compile(p) for p in self.exclude]


@dataclass(frozen=True)
class Config:
    """The whole of sources.yaml: the sources and the file they came from."""

    path: str
    sources: tuple[Source, ...]
    settings: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def enabled_sources(self) -> list[Source]:
        return [s for s in self.sources if s.enabled]

    def source_for_url(self, url: str) -> Source | None:
        """The source whose allowed hosts include the URL's host (for its extract rules)."""
        host = (urlsplit(url).hostname or "").lower()
        for source in self.sources:
            if host in source.allowed_hosts:
                return source
        return None

    def source(self, name: str) -> Source:
        for source in self.sources:
            if source.name == name:
                return source
        raise ConfigError(f"{self.path}: no source named {name!r} (sources: {', '.join(s.name for s in self.sources)})")


# key -> (kind, description). The kinds drive validation; the descriptions are
# what an error message tells the user is allowed.
SOURCE_KEYS: dict[str, tuple[str, str]] = {
    "name": ("name", "a name of letters, digits, '-', '_' or '.'"),
    "start_urls": ("url_list", "a list of http(s) URLs"),
    "sitemaps": ("url_list", "a list of http(s) URLs of sitemaps or sitemap indexes"),
    "allowed_hosts": ("host_list", "a list of host names (default: the hosts of start_urls and sitemaps)"),
    "include": ("regex_list", "a list of regular expressions matched against URLs"),
    "exclude": ("regex_list", "a list of regular expressions matched against URLs"),
    "max_pages": ("positive_int", "a whole number of at least 1"),
    "max_depth": ("non_negative_int", "a whole number of at least 0"),
    "requests_per_second": ("positive_number", "a number above 0 (per host)"),
    "concurrency": ("positive_int", "a whole number of at least 1 (per host)"),
    "user_agent": ("user_agent", "a string naming the bot with a contact URL, e.g. 'MyBot/1.0 (+https://example.org/bot)'"),
    "enabled": ("bool", "true or false (a disabled source is crawled only when named with --source; its extract rules still apply)"),
    "respect_robots": ("bool", "true or false"),
    "use_robots_sitemaps": ("bool", "true or false (read the Sitemap lines of robots.txt)"),
    "allow_private_addresses": ("bool", "true or false (allow loopback/private hosts: for local demo and test sites)"),
    "priority": ("int", "a whole number; higher wins when duplicates are merged"),
    "timeout_seconds": ("positive_number", "a number of seconds above 0"),
    "max_retries": ("non_negative_int", "a whole number of at least 0"),
    "max_bytes": ("positive_int", "a whole number of bytes of at least 1"),
    "max_redirects": ("non_negative_int", "a whole number of at least 0"),
    "max_crawl_delay": ("positive_number", "a number of seconds above 0; a host whose robots.txt asks for a longer "
                                           "Crawl-delay is skipped for the run"),
    "max_retry_after": ("positive_number", "a number of seconds above 0; a host whose Retry-After asks for longer "
                                           "is skipped for the run"),
    "max_host_seconds": ("positive_number", "a number of seconds above 0: the time one host gets per run"),
    "max_sitemaps": ("positive_int", "a whole number of at least 1: sitemap fetches per run"),
    "extract": ("extract_rules", "a mapping of field name to CSS selector (see the extraction rules in sources.yaml)"),
}
TOP_KEYS = {"defaults", "sources", "settings"}
# The fields a source's ``extract:`` may give a CSS selector for (pipeline/extract/sites).
EXTRACT_RULE_KEYS = frozenset({"title", "author", "published", "body", "condition", "treatments", "exercises",
                               "related"})
# settings key -> (default, description); 'curate' is checked by pipeline.curate.
SETTINGS: dict[str, tuple[Any, str]] = {
    "keep_versions": (3, "a whole number of at least 1"),
    "curate": ({}, "a mapping of curation rules (see pipeline/curate.py)"),
    "max_run_seconds": (6 * 3600.0, "a number of seconds above 0: the crawl's time budget per run"),
    "max_shrink": (0.2, "a share from 0 to 1: how much smaller than the last export a new one may be "
                        "before the job refuses to publish it (--allow-shrink overrides)"),
}
SETTINGS_KEYS = tuple(SETTINGS)
MAX_YAML_NODES = 100_000  # far beyond any real sources.yaml; an alias bomb expands past it
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
ENV_RE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def expand_env(text: str) -> str:
    """Replace ``${VAR}`` and ``${VAR:-default}`` with the environment's value.

    Lets one sources.yaml serve a demo server on a changing port, or keep a
    contact address out of the repository.
    """

    def replace(match: re.Match) -> str:
        value = os.environ.get(match.group(1))
        if value:
            return value
        if match.group(2) is not None:
            return match.group(2)
        return match.group(0)

    return ENV_RE.sub(replace, text)


def load_config(path: str | os.PathLike) -> Config:
    """Read and validate sources.yaml; raise :class:`ConfigError` on any problem."""
    path = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    return parse_config(text, path)


class StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader (a sources file can never construct objects) that
    also refuses a key given twice in one mapping: YAML says keys are unique,
    and PyYAML would silently keep the last one."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.setdefault(key, key_node)
            except TypeError:
                continue  # an unhashable key: PyYAML reports it
            if first is not key_node:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice (first at line {first.start_mark.line + 1})",
                    key_node.start_mark)
        return super().construct_mapping(node, deep)


def expanded_size(node, limit: int = MAX_YAML_NODES) -> int:
    """How many values the YAML document stands for once every alias is
    expanded, counted without expanding anything (each node once, memoised):
    a "billion laughs" document of a few lines stands for billions."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(n) -> int:
        key = id(n)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise yaml.composer.ComposerError(None, None, "an alias refers to itself", n.start_mark)
        active.add(key)
        if isinstance(n, yaml.SequenceNode):
            total = 1 + sum(size(child) for child in n.value)
        elif isinstance(n, yaml.MappingNode):
            total = 1 + sum(size(k) + size(v) for k, v in n.value)
        else:
            total = 1
        active.discard(key)
        sizes[key] = min(total, limit + 1)
        return sizes[key]

    return size(node)


def load_yaml(text: str) -> Any:
    """Parse YAML text with :class:`StrictLoader`, refusing documents whose
    aliases expand past MAX_YAML_NODES values."""
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if expanded_size(node) > MAX_YAML_NODES:
            raise yaml.composer.ComposerError(
                None, None, f"its aliases expand to more than {MAX_YAML_NODES:,} values (a YAML alias bomb?)",
                node.start_mark)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def parse_config(text: str, path: str = "sources.yaml") -> Config:
    """Validate the YAML text of a sources file (``path`` is only for messages)."""
    try:
        data = load_yaml(expand_env(text))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path}: not valid YAML{where}: {problem}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid YAML: nested too deeply") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with a 'sources' list at the top level")
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise ConfigError(f"{path}: unknown top-level key {sorted(unknown)[0]!r}; allowed: {', '.join(sorted(TOP_KEYS))}")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise ConfigError(f"{path}: 'defaults' must be a mapping of source keys")
    defaults = _validate_keys(defaults, path, "defaults", allow_name=False)
    settings = data.get("settings") or {}
    if not isinstance(settings, dict):
        raise ConfigError(f"{path}: 'settings' must be a mapping")
    for key, value in settings.items():
        if key not in SETTINGS_KEYS:
            raise ConfigError(f"{path}: settings: unknown key {key!r}; allowed keys: {', '.join(SETTINGS_KEYS)}")
    settings = {key: settings.get(key, default) for key, (default, _) in SETTINGS.items()}
    checks = {"keep_versions": "positive_int", "max_run_seconds": "positive_number", "max_shrink": "share",
              "curate": "mapping"}
    for key, kind in checks.items():
        try:
            settings[key] = _check(kind, settings[key] if settings[key] is not None else {})
        except ValueError as exc:
            detail = f" ({exc})" if str(exc) else ""
            raise ConfigError(f"{path}: settings: key {key!r}: got {settings[key]!r}{detail}; "
                              f"allowed: {SETTINGS[key][1]}") from None
    raw_sources = data.get("sources")
    if not isinstance(raw_sources, list) or not raw_sources:
        raise ConfigError(f"{path}: 'sources' must be a non-empty list of sources")
    sources: list[Source] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_sources):
        label = f"source #{index + 1}"
        if not isinstance(raw, dict):
            raise ConfigError(f"{path}: {label}: expected a mapping of keys, got {type(raw).__name__}")
        if "name" in raw:
            label = f"source {raw['name']!r}"
        if "name" not in raw:
            raise ConfigError(f"{path}: {label}: key 'name' is missing; allowed: {SOURCE_KEYS['name'][1]}")
        values = {**defaults, **_validate_keys(raw, path, label, allow_name=True)}
        if values["name"] in seen:
            raise ConfigError(f"{path}: {label}: key 'name': {values['name']!r} is used by another source; names must be unique")
        seen.add(values["name"])
        if not values.get("start_urls") and not values.get("sitemaps"):
            raise ConfigError(f"{path}: {label}: needs 'start_urls' or 'sitemaps' (a list of http(s) URLs)")
        if not values.get("allowed_hosts"):
            hosts = []
            for url in [*values.get("start_urls", ()), *values.get("sitemaps", ())]:
                host = urlsplit(url).hostname
                if host and host not in hosts:
                    hosts.append(host)
            values["allowed_hosts"] = tuple(hosts)
        sources.append(Source(**values))
    return Config(path=path, sources=tuple(sources), settings=settings)


def _validate_keys(raw: dict, path: str, label: str, allow_name: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in SOURCE_KEYS or (key == "name" and not allow_name):
            allowed = ", ".join(k for k in SOURCE_KEYS if allow_name or k != "name")
            raise ConfigError(f"{path}: {label}: unknown key {key!r}; allowed keys: {allowed}")
        kind, allowed_text = SOURCE_KEYS[key]
        if kind == "extract_rules":
            values[key] = _check_extract_rules(value, path, label)
            continue
        try:
            values[key] = _check(kind, value)
        except ValueError as exc:
            detail = f" ({exc})" if str(exc) else ""
            raise ConfigError(f"{path}: {label}: key {key!r}: got {value!r}{detail}; allowed: {allowed_text}") from None
    return values


def _check_extract_rules(value: Any, path: str, label: str) -> dict[str, str]:
    """``extract:``: known fields only, each a CSS selector lexbor can parse."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: {label}: key 'extract': got {value!r}; allowed: a mapping of field name to "
                          f"CSS selector, fields {', '.join(sorted(EXTRACT_RULE_KEYS))}")
    rules: dict[str, str] = {}
    for field_name, selector in value.items():
        if field_name not in EXTRACT_RULE_KEYS:
            raise ConfigError(f"{path}: {label}: key 'extract.{field_name}': unknown field; allowed: "
                              f"{', '.join(sorted(EXTRACT_RULE_KEYS))}")
        if not isinstance(selector, str) or not selector.strip():
            raise ConfigError(f"{path}: {label}: key 'extract.{field_name}': got {selector!r}; allowed: a CSS "
                              "selector (a string)")
        try:
            from selectolax.lexbor import LexborHTMLParser

            LexborHTMLParser("<p></p>").css(selector)
        except Exception:  # selectolax raises its own error type for a selector it cannot parse
            raise ConfigError(f"{path}: {label}: key 'extract.{field_name}': {selector!r} is not a CSS selector "
                              "that can be parsed") from None
        rules[field_name] = selector
    return rules


def _check(kind: str, value: Any) -> Any:
    """Return the value converted for ``kind`` or raise ValueError saying why."""
    if kind == "name":
        if not isinstance(value, str) or not NAME_RE.match(value):
            raise ValueError("")
        return value
    if kind in ("url_list", "host_list", "regex_list"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ValueError("")
        for item in value:
            if kind == "url_list":
                parts = urlsplit(item)
                if parts.scheme not in ("http", "https") or not parts.hostname:
                    raise ValueError(f"{item!r} is not an http(s) URL")
            elif kind == "host_list":
                if "/" in item or " " in item:
                    raise ValueError(f"{item!r} is not a host name")
            else:
                try:
                    re.compile(item)
                except re.error as exc:
                    raise ValueError(f"{item!r} is not a valid regular expression: {exc}") from None
        return tuple(v.lower() if kind == "host_list" else v for v in value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError("")
        return value
    if kind in ("int", "positive_int", "non_negative_int"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("")
        if kind == "positive_int" and value < 1 or kind == "non_negative_int" and value < 0:
            raise ValueError("")
        return value
    if kind in ("positive_number", "share"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError("")
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        if kind == "positive_number" and value <= 0 or kind == "share" and not 0 <= value <= 1:
            raise ValueError("")
        return float(value)
    if kind == "user_agent":
        if not isinstance(value, str) or not value.strip():
            raise ValueError("")
        if any(ord(c) < 32 or ord(c) == 127 for c in value.strip()):
            raise ValueError("it contains a line break or another control character, which would split the "
                             "request's headers")
        if "http://" not in value and "https://" not in value and "@" not in value:
            raise ValueError("it has no contact URL or e-mail address")
        return value.strip()
    if kind == "mapping":
        if not isinstance(value, dict):
            raise ValueError("")
        return dict(value)
    raise AssertionError(kind)

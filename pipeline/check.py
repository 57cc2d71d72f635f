"""``pipeline check``: is the configuration valid? Reaches nothing: no
request, no DNS, no database. Everything a run would reject at its start or
midway is rejected here, with the file, the source and the key named.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from pipeline.curate import CurationRules
from pipeline.errors import ConfigError
from pipeline.sources import load_config


def check_selector(path: str, source: str, field: str, selector) -> None:
    """Raise ConfigError unless ``selector`` is a CSS selector lexbor can run."""
    if not isinstance(selector, str) or not selector.strip():
        raise ConfigError(f"{path}: source {source!r}: key 'extract.{field}': got {selector!r}; "
                          "allowed: a CSS selector")
    try:
        LexborHTMLParser("<p></p>").css(selector)
    except Exception:  # selectolax raises its own error type for a selector it cannot parse
        raise ConfigError(f"{path}: source {source!r}: key 'extract.{field}': {selector!r} is not a CSS selector "
                          "that can be parsed") from None


def check_config(path: str) -> dict:
    """Validate sources.yaml in full; return what it holds (for a summary)."""
    config = load_config(path)
    rules = CurationRules.from_settings(config.settings, config.path)
    selectors = 0
    for source in config.sources:
        for field, selector in source.extract.items():
            check_selector(config.path, source.name, field, selector)
            selectors += 1
    defaults = CurationRules()
    changed = {k: v for k, v in vars(rules).items() if getattr(defaults, k) != v}
    return {
        "config": config.path,
        "valid": True,
        "sources": len(config.sources),
        "enabled": [s.name for s in config.enabled_sources],
        "extract_rules": selectors,
        "curation": ", ".join(f"{k} {v}" for k, v in changed.items()) or "defaults",
        "keep_versions": config.settings.get("keep_versions", 3),
    }

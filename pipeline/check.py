"""``pipeline check``: is the configuration valid? Reaches nothing: no
request, no DNS, no database. Everything a run would reject at its start or
midway is rejected here, with the file, the source and the key named.
"""

from __future__ import annotations

from pipeline.curate import CurationRules
from pipeline.sources import load_config


def check_config(path: str) -> dict:
    """Validate sources.yaml in full; return what it holds (for a summary)."""
    config = load_config(path)
    rules = CurationRules.from_settings(config.settings, config.path)
    # load_config has checked every extract: selector (pipeline/sources.py).
    selectors = sum(len(source.extract) for source in config.sources)
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

"""The curate stage: which articles make the curated dataset, and why the
others do not.

All the rules live here, in order; the first one an article fails is
recorded in the ``curation`` table, so a person can see in Datasette which
rule kept each article out. Thresholds can be tuned in sources.yaml:

    settings:
      curate:
        min_words: 150
        languages: [en, de]     # empty: any known language
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

import sqlite_utils

from pipeline import db as dbmod
from pipeline.db import now_iso
from pipeline.errors import ConfigError
from pipeline.outcomes import PERMANENT_REDIRECTS, Outcome


@dataclass(frozen=True)
class CurationRules:
    min_words: int = 150
    languages: tuple[str, ...] = ()  # empty: any known language
    require_language: bool = True
    require_items: bool = True  # at least one treatment or exercise

    @classmethod
    def from_settings(cls, settings: dict, path: str = "sources.yaml") -> "CurationRules":
        values = dict((settings or {}).get("curate") or {})
        allowed = {"min_words", "languages", "require_language", "require_items"}
        for key in values:
            if key not in allowed:
                raise ConfigError(f"{path}: settings.curate: unknown key {key!r}; allowed keys: {', '.join(sorted(allowed))}")
        if "min_words" in values and (not isinstance(values["min_words"], int) or values["min_words"] < 0):
            raise ConfigError(f"{path}: settings.curate: key 'min_words': got {values['min_words']!r}; allowed: a whole number of at least 0")
        if "languages" in values:
            languages = values["languages"]
            if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
                raise ConfigError(f"{path}: settings.curate: key 'languages': got {languages!r}; allowed: a list of language codes")
            values["languages"] = tuple(x.lower() for x in languages)
        for key in ("require_language", "require_items"):
            if key in values and not isinstance(values[key], bool):
                raise ConfigError(f"{path}: settings.curate: key {key!r}: got {values[key]!r}; allowed: true or false")
        return cls(**values)


class Rule(StrEnum):
    """The curation rules, in the order they are tried; ``curation.excluded_by``
    stores the first one an article fails (its ``detail`` says more)."""

    REMOVED = "page removed"  # confirmed gone from the site
    MOVED = "page moved"  # a permanent redirect: the target replaces it
    DUPLICATE = "duplicate"
    NO_ITEMS = "no treatment or exercise"
    NO_LANGUAGE = "language unknown"
    LANGUAGE = "language not wanted"
    TOO_SHORT = "too little text"


@dataclass(frozen=True)
class Exclusion:
    rule: Rule
    detail: str | None = None

    def __str__(self) -> str:
        return f"{self.rule}: {self.detail}" if self.detail else str(self.rule)


def first_failed_rule(article: dict, rules: CurationRules) -> Exclusion | None:
    """The first rule the article fails; None if it is kept.

    Order: the page is confirmed removed from the site, or moved for good
    (a transient failure keeps the last good version in: only these take an
    article out); a duplicate (another article represents its cluster); no
    treatment or exercise; language unknown; language not wanted; too
    little text.
    """
    outcome = article.get("page_outcome")
    if outcome == Outcome.REMOVED:
        return Exclusion(Rule.REMOVED, article.get("page_detail"))
    if outcome == Outcome.REDIRECT and article.get("page_status") in PERMANENT_REDIRECTS:
        return Exclusion(Rule.MOVED, f"to {article.get('page_target')}")
    if article.get("duplicate_of"):
        return Exclusion(Rule.DUPLICATE, f"of {article['duplicate_of']}")
    if rules.require_items and not (article.get("treatment_count") or article.get("exercise_count")):
        return Exclusion(Rule.NO_ITEMS)
    language = article.get("language")
    if rules.require_language and not language:
        return Exclusion(Rule.NO_LANGUAGE)
    if rules.languages and language not in rules.languages:
        return Exclusion(Rule.LANGUAGE, f"{language} is not in {', '.join(rules.languages)}")
    if (article.get("word_count") or 0) < rules.min_words:
        return Exclusion(Rule.TOO_SHORT, f"{article.get('word_count') or 0} words < {rules.min_words}")
    return None


def run_curate(db: sqlite_utils.Database, rules: CurationRules | None = None) -> dict:
    """Re-decide every article (cheap: one pass over the articles table)."""
    started = time.monotonic()
    rules = rules or CurationRules()
    cursor = db.conn.execute(
        """SELECT a.url, a.source, a.language, a.word_count, a.treatment_count, a.exercise_count, c.duplicate_of,
                  p.outcome AS page_outcome, p.status_code AS page_status, p.final_url AS page_target,
                  p.detail AS page_detail
           FROM articles a LEFT JOIN article_clusters c ON c.url = a.url LEFT JOIN pages p ON p.url = a.url""")
    columns = [d[0] for d in cursor.description]
    decided = []
    kept_out: Counter = Counter()
    by_source: dict[str, Counter] = {}
    now = now_iso()
    for row in cursor.fetchall():
        article = dict(zip(columns, row))
        exclusion = first_failed_rule(article, rules)
        decided.append((article["url"], 0 if exclusion else 1, str(exclusion.rule) if exclusion else None,
                        exclusion.detail if exclusion else None, now))
        counts = by_source.setdefault(article["source"] or "", Counter())
        counts["articles"] += 1
        if exclusion:
            kept_out[str(exclusion.rule)] += 1
            counts[str(exclusion.rule)] += 1
        else:
            counts["curated"] += 1
    with dbmod.transaction(db) as conn:
        conn.execute("DELETE FROM curation")
        conn.executemany("INSERT INTO curation(url, included, excluded_by, detail, decided_at) VALUES (?, ?, ?, ?, ?)",
                         decided)
    included = sum(1 for d in decided if d[1])
    return {"articles": len(decided), "curated": included, "kept_out": dict(kept_out.most_common()),
            "by_source": {name: dict(c) for name, c in sorted(by_source.items())},
            "seconds": round(time.monotonic() - started, 2)}

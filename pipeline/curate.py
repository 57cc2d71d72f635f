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
from dataclasses import dataclass

import sqlite_utils

from pipeline import db as dbmod
from pipeline.crawl import now_iso
from pipeline.errors import ConfigError


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


def first_failed_rule(article: dict, rules: CurationRules) -> str | None:
    """The first rule the article fails, in words; None if it is kept.

    Order: the page is no longer served (gone, redirected); a duplicate
    (another article represents its cluster); no
    treatment or exercise; language unknown; language not wanted; too
    little text.
    """
    if article.get("page_outcome") not in (None, "ok", "unchanged"):
        return f"page {article['page_outcome']}"  # removed from the site, or now a redirect
    if article.get("duplicate_of"):
        return f"duplicate of {article['duplicate_of']}"
    if rules.require_items and not (article.get("treatment_count") or article.get("exercise_count")):
        return "no treatment or exercise"
    language = article.get("language")
    if rules.require_language and not language:
        return "language unknown"
    if rules.languages and language not in rules.languages:
        return f"language {language} not in {', '.join(rules.languages)}"
    if (article.get("word_count") or 0) < rules.min_words:
        return f"too little text ({article.get('word_count') or 0} words < {rules.min_words})"
    return None


def run_curate(db: sqlite_utils.Database, rules: CurationRules | None = None) -> dict:
    """Re-decide every article (cheap: one pass over the articles table)."""
    started = time.monotonic()
    rules = rules or CurationRules()
    rows = db.conn.execute(
        """SELECT a.url, a.language, a.word_count, a.treatment_count, a.exercise_count, c.duplicate_of, p.outcome
           FROM articles a LEFT JOIN article_clusters c ON c.url = a.url LEFT JOIN pages p ON p.url = a.url""").fetchall()
    columns = ["url", "language", "word_count", "treatment_count", "exercise_count", "duplicate_of", "page_outcome"]
    decided = []
    kept_out: dict[str, int] = {}
    now = now_iso()
    for row in rows:
        article = dict(zip(columns, row))
        reason = first_failed_rule(article, rules)
        decided.append((article["url"], 0 if reason else 1, reason, now))
        if reason:
            key = reason.split(" (")[0].split(" of ")[0].split(" not in ")[0].split(" http")[0]
            kept_out[key] = kept_out.get(key, 0) + 1
    with dbmod.transaction(db) as conn:
        conn.execute("DELETE FROM curation")
        conn.executemany("INSERT INTO curation(url, included, excluded_by, decided_at) VALUES (?, ?, ?, ?)", decided)
    included = sum(1 for d in decided if d[1])
    return {"articles": len(decided), "curated": included, "kept_out": kept_out,
            "seconds": round(time.monotonic() - started, 2)}

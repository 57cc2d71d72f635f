"""The recommend stage: "what others are reading" for every curated article,
and a site-wide "most read right now" list.

Signals, blended into one score per candidate:

- the sites' own related-links blocks, the editors' record of what is read
  together: a direct link (this article lists that one), a reverse link (that
  one lists this), and two hops (this lists X, X lists that one);
- content similarity: TF-IDF cosine over the title, condition, description
  and the treatment and exercise *entities* the articles cite;
- popularity: links from other articles in the corpus, and real readership
  where the user has it (``--pageviews FILE``);
- diversity: a candidate whose condition is already on the list loses some
  score, so five articles on one condition give way when others fit;
- never the article itself, a duplicate of it, or an article left out of
  the curated set.

Candidates are narrowed first (graph neighbours, the top TF-IDF neighbours
from a sparse product computed in row chunks, the most popular), so the work
grows with articles x candidates rather than with the square of the count.
"""

from __future__ import annotations

import csv
import json
import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sqlite_utils

from pipeline import db as dbmod
from pipeline.db import now_iso
from pipeline.errors import ConfigError
from pipeline.urls import BadURL, canonical_url

WEIGHTS = {"direct": 1.0, "reverse": 0.6, "two_hop": 0.4, "similar": 1.0, "popular": 0.15}
DIVERSITY_PENALTY = 0.25  # per article already chosen with the same condition
CONTENT_NEIGHBOURS = 30


@dataclass
class Article:
    url: str
    title: str
    condition: str | None
    site: str | None
    description: str | None
    entities: list[tuple[int, str]]  # (entity id, canonical name)


# -- pageviews ------------------------------------------------------------------


def load_pageviews(path: str) -> dict[str, int]:
    """Views per canonical URL from a CSV (url,count or url,views, with a
    header) or JSON Lines ({"url": ..., "count": N} or one view event per
    line: {"url": ..., "ts": ...}). Raises ConfigError naming the line."""
    views: Counter = Counter()
    source = Path(path)
    if not source.exists():
        raise ConfigError(f"{path}: file not found")
    text = source.read_text(encoding="utf-8", errors="replace")
    if source.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                url = item["url"]
                count = int(item.get("count", item.get("views", 1)))
            except (ValueError, KeyError, TypeError, AttributeError):
                raise ConfigError(f"{path}: line {number}: expected a JSON object with 'url' (and 'count'), got {line[:80]!r}") from None
            _add_view(views, url, count)
    else:
        reader = csv.reader(text.splitlines())
        for number, row in enumerate(reader, start=1):
            if not row or (number == 1 and not row[-1].strip().isdigit()):
                continue  # blank line or header
            try:
                url, count = row[0], int(row[1]) if len(row) > 1 else 1
            except ValueError:
                raise ConfigError(f"{path}: line {number}: expected url,count, got {','.join(row)[:80]!r}") from None
            _add_view(views, url, count)
    return dict(views)


def _add_view(views: Counter, url: str, count: int) -> None:
    try:
        views[canonical_url(url)] += max(0, count)
    except BadURL:
        pass


# -- content similarity -----------------------------------------------------------------


def _section(url: str) -> str | None:
    parts = url.split("/", 4)
    return f"{parts[2]}/{parts[3]}" if len(parts) > 4 and parts[3] else None


def _tokens(article: Article) -> list[str]:
    import re

    words = re.findall(r"[a-zäöüß]{3,}", f"{article.title} {article.description or ''}".lower())
    tokens = [f"w:{w}" for w in words]
    section = _section(article.url)
    if section:
        tokens.append(f"s:{section}")  # the site's own section ("back-pain") groups related articles
    if article.condition:
        tokens += [f"c:{article.condition}"] * 3  # the condition counts for more than a title word
    tokens += [f"e:{entity_id}" for entity_id, _ in article.entities]
    return tokens


def content_neighbours(articles: list[Article], top: int = CONTENT_NEIGHBOURS, chunk: int = 2000) -> list[list[tuple[int, float]]]:
    """For each article, its ``top`` most similar others by TF-IDF cosine.

    A sparse product in row chunks keeps memory to chunk x nonzeros; very
    common tokens (over half of the articles) are dropped, as they say little
    and would make the product dense.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(articles)
    if n < 2:
        return [[] for _ in articles]
    vectorizer = TfidfVectorizer(analyzer=_tokens, max_df=0.5 if n >= 50 else 1.0, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(articles).tocsr().astype(np.float32)
    except ValueError:  # no tokens left at all
        return [[] for _ in articles]
    # Tokens shared by very many articles would make every row of the product
    # dense (N x N work); past max(200, 2 % of the articles) they are left out
    # of the product. Small corpora keep all of them.
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    keep = np.nonzero(df <= max(200, int(0.02 * n)))[0]
    if len(keep) < matrix.shape[1]:
        matrix = matrix[:, keep]
    transposed = matrix.T.tocsr()
    result: list[list[tuple[int, float]]] = []
    for start in range(0, n, chunk):
        product = (matrix[start:start + chunk] @ transposed).tocsr()
        for row in range(product.shape[0]):
            lo, hi = product.indptr[row], product.indptr[row + 1]
            cols, vals = product.indices[lo:hi], product.data[lo:hi]
            keep = cols != start + row
            cols, vals = cols[keep], vals[keep]
            if len(vals) > top:
                best = np.argpartition(-vals, top)[:top]
                cols, vals = cols[best], vals[best]
            order = np.argsort(-vals, kind="stable")
            result.append([(int(cols[i]), float(vals[i])) for i in order])
    return result


# -- blending ------------------------------------------------------------------------------


def build_recommendations(articles: list[Article], links: list[tuple[str, str]], pageviews: dict[str, int] | None = None,
                          k: int = 5, hide_links_from: set[str] | None = None,
                          weights: dict[str, float] | None = None) -> dict[str, list[dict]]:
    """url -> its k recommendations [{url, score, reason, signals}], best first.

    ``links`` are editor links (from url, to url) between articles of the
    list (already mapped to cluster representatives). ``hide_links_from``
    leaves out the outgoing links of some articles: the quality benchmark
    holds them out to see whether the other signals find them again.
    """
    weights = {**WEIGHTS, **(weights or {})}
    index = {a.url: i for i, a in enumerate(articles)}
    n = len(articles)
    if n == 0:
        return {}
    out_links: dict[int, set[int]] = defaultdict(set)
    in_links: dict[int, set[int]] = defaultdict(set)
    hidden = hide_links_from or set()
    for src, dst in links:
        if src in index and dst in index and src != dst:
            if src in hidden:
                continue
            out_links[index[src]].add(index[dst])
            in_links[index[dst]].add(index[src])
    # Popularity: inbound links from the corpus, and real readership if given.
    views = pageviews or {}
    inbound = np.array([len(in_links[i]) for i in range(n)], dtype=float)
    viewed = np.array([views.get(a.url, 0) for a in articles], dtype=float)
    popularity = np.log1p(inbound) / max(np.log1p(inbound).max(), 1e-9)
    if viewed.any():
        popularity = 0.3 * popularity + 0.7 * np.log1p(viewed) / max(np.log1p(viewed).max(), 1e-9)
    popular_order = [int(i) for i in np.argsort(-popularity, kind="stable")[: max(20, k * 4)] if popularity[i] > 0]
    neighbours = content_neighbours(articles) if weights["similar"] else [[] for _ in articles]
    recommendations: dict[str, list[dict]] = {}
    for i, article in enumerate(articles):
        signals: dict[int, dict[str, float]] = defaultdict(dict)
        for j in out_links.get(i, ()):
            signals[j]["direct"] = 1.0
        for j in in_links.get(i, ()):
            signals[j]["reverse"] = 1.0
        for x in out_links.get(i, ()):
            for j in out_links.get(x, ()):
                if j != i:
                    signals[j]["two_hop"] = min(1.0, signals[j].get("two_hop", 0.0) + 0.5)
        for j, similarity in neighbours[i]:
            signals[j]["similar"] = similarity
        for j in popular_order:
            signals[j]["popular"] = float(popularity[j])
        signals.pop(i, None)
        scored = []
        for j, s in signals.items():
            s.setdefault("popular", float(popularity[j]))
            score = sum(weights[name] * value for name, value in s.items())
            if score > 0:
                scored.append((score, j, s))
        scored.sort(key=lambda t: (-t[0], articles[t[1]].url))
        chosen: list[tuple[float, int, dict]] = []
        conditions: Counter = Counter()
        pool = scored[: max(50, k * 10)]
        while pool and len(chosen) < k:
            best = max(range(len(pool)), key=lambda m: (
                pool[m][0] - DIVERSITY_PENALTY * conditions[articles[pool[m][1]].condition or ""], -m))
            score, j, s = pool.pop(best)
            adjusted = score - DIVERSITY_PENALTY * conditions[articles[j].condition or ""]
            conditions[articles[j].condition or ""] += 1 if articles[j].condition else 0
            chosen.append((adjusted, j, s))
        recommendations[article.url] = [
            {"url": articles[j].url, "title": articles[j].title, "score": round(score, 4),
             "reason": reason(article, articles[j], s, weights), "signals": {k2: round(v, 4) for k2, v in s.items()}}
            for score, j, s in chosen
        ]
    return recommendations


def reason(article: Article, other: Article, signals: dict[str, float], weights: dict[str, float]) -> str:
    """The strongest signal, in words a reader understands."""
    site = article.site or "the site"
    contributions = {name: weights[name] * value for name, value in signals.items()}
    top = max(contributions, key=contributions.get)
    if top == "direct":
        return f"readers of this also read it on {site}"
    if top == "reverse":
        return f"readers of \"{other.title}\" go on to this article"
    if top == "two_hop":
        return "often read together, via articles both are linked from"
    if top == "similar":
        shared = [name for eid, name in other.entities if eid in {e for e, _ in article.entities}]
        shared = list(dict.fromkeys(shared))
        if article.condition and article.condition == other.condition:
            return f"same condition: {article.condition}"
        if shared:
            return f"shares {len(shared)} treatment{'s' if len(shared) > 1 else ''} or exercise{'s' if len(shared) > 1 else ''}: {', '.join(shared[:3])}"
        return "on a similar topic"
    return "popular right now"


def most_read(articles: list[Article], links: list[tuple[str, str]], pageviews: dict[str, int] | None = None,
              limit: int = 20) -> list[dict]:
    """Site-wide "most read right now": by page views when known, else by how
    many other articles link to each."""
    views = pageviews or {}
    inbound = Counter(dst for src, dst in links if src != dst)
    rows = []
    for a in articles:
        score = views.get(a.url, 0) if views else inbound.get(a.url, 0)
        if score > 0:
            why = f"{score} page views" if views else f"linked from {score} other article{'s' if score > 1 else ''}"
            rows.append({"url": a.url, "title": a.title, "score": score, "reason": why})
    rows.sort(key=lambda r: (-r["score"], r["url"]))
    return [{"rank": r + 1, **row} for r, row in enumerate(rows[:limit])]


# -- the stage over the database -----------------------------------------------------


def load_corpus(db: sqlite_utils.Database) -> tuple[list[Article], list[tuple[str, str]]]:
    """Curated articles and the editor links between them (duplicates mapped
    to their representatives, links resolved through canonical URLs)."""
    conn = db.conn
    curated_set = {r[0] for r in conn.execute("SELECT url FROM curation WHERE included = 1")}
    representative = dict(conn.execute("SELECT url, duplicate_of FROM article_clusters WHERE duplicate_of IS NOT NULL"))
    resolve: dict[str, str] = {}
    for url, canonical in conn.execute("SELECT url, canonical_url FROM articles"):
        target = representative.get(url, url)
        resolve[url] = target
        if canonical:
            resolve.setdefault(canonical, target)
    entities: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for url, entity_id, name in conn.execute(
            """SELECT r.article_url, e.id, e.canonical_name FROM (
                 SELECT article_url, entity_id, position, 0 AS k FROM treatments
                 UNION ALL SELECT article_url, entity_id, position, 1 FROM exercises) r
               JOIN entities e ON e.id = r.entity_id ORDER BY r.article_url, r.k, r.position"""):
        entities[url].append((entity_id, name))
    articles = [
        Article(url, title or url, condition, site, description, entities.get(url, []))
        for url, title, condition, site, description in conn.execute(
            "SELECT url, title, condition, COALESCE(site_name, source), description FROM articles "
            "WHERE url IN (SELECT url FROM curation WHERE included = 1) ORDER BY url")
    ]
    links = []
    for src, dst in conn.execute("SELECT article_url, url FROM related_links"):
        a, b = resolve.get(src, src), resolve.get(dst)
        if b and a in curated_set and b in curated_set and a != b:
            links.append((a, b))
    return articles, links


def run_recommend(db: sqlite_utils.Database, k: int = 5, pageviews_path: str | None = None) -> dict:
    started = time.monotonic()
    if pageviews_path:
        views = load_pageviews(pageviews_path)
        with dbmod.transaction(db) as conn:
            conn.execute("DELETE FROM pageviews")
            conn.executemany("INSERT INTO pageviews(url, views, loaded_at) VALUES (?, ?, ?)",
                             [(u, v, now_iso()) for u, v in views.items()])
    views = dict(db.conn.execute("SELECT url, views FROM pageviews"))
    articles, links = load_corpus(db)
    lists = build_recommendations(articles, links, views, k=k)
    top = most_read(articles, links, views)
    with dbmod.transaction(db) as conn:
        conn.execute("DELETE FROM recommendations")
        conn.executemany(
            "INSERT INTO recommendations(article_url, rank, recommended_url, score, reason, signals) VALUES (?,?,?,?,?,?)",
            [(url, rank, item["url"], item["score"], item["reason"], json.dumps(item["signals"]))
             for url, items in lists.items() for rank, item in enumerate(items, start=1)])
        conn.execute("DELETE FROM most_read")
        conn.executemany("INSERT INTO most_read(rank, url, title, score, reason) VALUES (?,?,?,?,?)",
                         [(r["rank"], r["url"], r["title"], r["score"], r["reason"]) for r in top])
    return {"articles": len(articles), "editor_links": len(links),
            "recommendations": sum(len(v) for v in lists.values()), "most_read": len(top),
            "pageviews": len(views), "seconds": round(time.monotonic() - started, 2)}


def ndcg_at(ranked: list[str], relevant: set[str], k: int = 5) -> float:
    gains = sum(1 / math.log2(r + 2) for r, url in enumerate(ranked[:k]) if url in relevant)
    ideal = sum(1 / math.log2(r + 2) for r in range(min(k, len(relevant))))
    return gains / ideal if ideal else 0.0

"""The recommend stage: "what others are reading" for every curated article,
and a site-wide "most read right now" list.

Relevance first, then diversity:

1. **Relevance.** An item is relevant when it is on the same condition (the
   condition as extraction found it, with synonyms from
   pipeline/vocab/conditions.json: "low back pain" is "lower back pain") or
   on the same body region (extraction's, else read from the condition and
   title with pipeline/vocab/body_regions.json; "lower back" is part of
   "back"). Every list takes its relevant candidates before any other, so a
   list has at least three relevant items wherever the corpus has three.
2. **Evidence, blended into one score**: the sites' own related-links blocks
   (weighted by how far each site's block can be trusted, below), text
   similarity (TF-IDF over title, description, condition, body region and
   the treatment and exercise *entities* cited), shared entities, the same
   condition or region, and a little popularity.
3. **Diversity** after relevance: an item loses score for each chosen item
   from the same site, on the same condition, or covering the same advice.
4. **Never** the article itself, a near-copy of it (a MinHash estimate of
   the body's 5-word-shingle Jaccard of 0.5 or more), an article with the
   same title (a reader takes it for the same article), or two items that
   are copies of each other or share a title.

**Judging each site's block before trusting it.** For every (site, block
label) the stage measures how topical the block's links are: the share of
links whose two articles share a condition or body region or are similar
in text, against the same share for random pairs of the site's articles.
The lift over that baseline (0..1) is the block's weight as editors'
evidence. A block that points at the same few articles from most pages, or
is labelled "Popular" / "Most read" / "Trending", is a popularity list: its
links count as "popular on Site", never as "editors link these". A block no
more topical than chance is not trusted at all. The judgement of every
block is written to the ``related_blocks`` table.

Every item carries its evidence as typed values (``Evidence``: a kind and
words a reader understands, such as "same condition: sciatica", "also
covers: heat, stretching", "editors of Health Guide link these", "popular
on Health Guide"); the strongest one or two make the ``reason``.

Candidates are narrowed first (the block links, the top TF-IDF neighbours
from a sparse product computed in row chunks, the best-known articles of the
same condition and region), so the work grows with articles x candidates
rather than with the square of the count.
"""

from __future__ import annotations

import csv
import json
import math
import random
import re
import time
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import numpy as np
import sqlite_utils

from pipeline import db as dbmod
from pipeline.db import now_iso
from pipeline.errors import ConfigError
from pipeline.urls import BadURL, canonical_url
from pipeline.vocab import (body_region_of, condition_key, condition_label, condition_region, load_body_regions,
                            normalise_region, plain_words)

# How much each piece of evidence counts (the block ones are further scaled
# by the block's judged weight).
WEIGHTS = {"direct": 1.0, "reverse": 0.5, "two_hop": 0.3, "similar": 1.0, "condition": 0.6, "region": 0.3,
           "shared": 0.4, "popular": 0.1}
# What an item loses per chosen item from the same site or on the same
# condition, and for the share of its advice that chosen items already cover.
DIVERSITY = {"site": 0.15, "condition": 0.1, "shared": 0.2}
CONTENT_NEIGHBOURS = 30
GROUP_CANDIDATES = 40          # articles of the same condition and of the same region added as candidates
NEAR_COPY_JACCARD = 0.5        # MinHash estimate at which two bodies are copies for a reader
SIMILAR_TOPICAL = 0.25         # cosine at which two articles count as on one topic when a block is judged
SITEWIDE_SHARE = 0.3           # a target linked from this share of a block's pages is sitewide
POPULAR_LABEL = re.compile(r"\b(?:popular|trending|most\s+(?:read|viewed|shared|emailed)|meist\s*gelesen|"
                           r"beliebt|top\s+stories|am\s+meisten\s+gelesen)\b", re.I)


class EvidenceKind(str, Enum):
    EDITORS = "editors"                 # the site's own related block, judged topical
    SAME_CONDITION = "same_condition"
    SAME_REGION = "same_region"
    SHARED = "shared"                   # shared treatment and exercise entities
    SIMILAR = "similar"                 # text similarity
    POPULAR = "popular"                 # a popularity list, page views, links from everywhere


@dataclass(frozen=True)
class Evidence:
    kind: EvidenceKind
    text: str                           # in words a reader understands
    strength: float                     # its share of the item's score


class BlockUse(str, Enum):
    EDITORIAL = "editorial"             # topical: "editors of Site link these"
    POPULAR = "popular"                 # a popularity list or sitewide sidebar: "popular on Site"
    UNTRUSTED = "untrusted"             # no more topical than chance: ignored


@dataclass
class BlockJudgement:
    source: str
    block: str
    pages: int
    links: int
    topical: float
    topical_baseline: float
    sitewide: float
    judged_as: BlockUse
    weight: float
    sitewide_targets: frozenset[int] = frozenset()  # article indexes most of its pages link to


@dataclass
class Article:
    url: str
    title: str
    condition: str | None
    site: str | None                    # the site's name, for reasons
    description: str | None
    entities: list[tuple[int, str]]     # (entity id, the name people recognise)
    body_region: str | None = None      # as extraction found it; derived from condition and title when None
    source: str | None = None           # the sources.yaml source: blocks are judged per source
    signature: np.ndarray | None = None  # MinHash of the body (dedupe's), to keep near-copies apart
    condition_key: str | None = field(init=False)
    region: str | None = field(init=False)
    title_key: str = field(init=False)

    def __post_init__(self) -> None:
        self.condition_key = condition_key(self.condition)
        self.region = (normalise_region(self.body_region) or condition_region(self.condition)
                       or body_region_of(self.title))
        self.title_key = " ".join(plain_words(self.title)) or self.url

    @property
    def group(self) -> str:
        return self.source or self.site or (self.url.split("/")[2] if "//" in self.url else self.url)


@dataclass(frozen=True)
class Link:
    """An editor link as a page shows it: from one article to another, in a block."""
    src: str
    dst: str
    block: str = "related"


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


def _tokens(article: Article) -> list[str]:
    words = re.findall(r"[a-zäöüß]{3,}", f"{article.title} {article.description or ''}".lower())
    tokens = [f"w:{w}" for w in words]
    section = _section(article.url)
    if section:
        tokens.append(f"s:{section}")  # the site's own section ("back-pain") groups related articles
    if article.condition_key:
        tokens += [f"c:{article.condition_key}"] * 3  # the condition counts for more than a title word
    if article.region:
        tokens += [f"r:{article.region}"] * 2
    tokens += [f"e:{entity_id}" for entity_id, _ in article.entities]
    return tokens


def _section(url: str) -> str | None:
    parts = url.split("/", 4)
    return f"{parts[2]}/{parts[3]}" if len(parts) > 4 and parts[3] else None


def tfidf_vectors(articles: list[Article]):
    """Row-normalised TF-IDF vectors (sparse, float32) of the articles' tokens."""
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(articles)
    vectorizer = TfidfVectorizer(analyzer=_tokens, max_df=0.5 if n >= 50 else 1.0, sublinear_tf=True)
    try:
        return vectorizer.fit_transform(articles).tocsr().astype(np.float32)
    except ValueError:  # no tokens left at all
        return sparse.csr_matrix((n, 1), dtype=np.float32)


def content_neighbours(matrix, top: int = CONTENT_NEIGHBOURS, chunk: int = 2000) -> list[list[tuple[int, float]]]:
    """For each row, its ``top`` most similar other rows by cosine.

    Sparse (TF-IDF) rows: a sparse product in row chunks keeps memory to
    chunk x nonzeros; tokens shared by very many articles (past max(200, 2 %
    of them)) are left out of the product, as they would make every row of it
    dense (N x N work) and say little. Dense rows (embeddings): a chunked
    matrix product.
    """
    from scipy import sparse

    n = matrix.shape[0]
    if n < 2:
        return [[] for _ in range(n)]
    if sparse.issparse(matrix):
        df = np.bincount(matrix.indices, minlength=matrix.shape[1])
        keep = np.nonzero(df <= max(200, int(0.02 * n)))[0]
        if len(keep) < matrix.shape[1]:
            matrix = matrix[:, keep]
        transposed = matrix.T.tocsr()
    result: list[list[tuple[int, float]]] = []
    for start in range(0, n, chunk):
        if sparse.issparse(matrix):
            product = (matrix[start:start + chunk] @ transposed).tocsr()
            rows = [(product.indices[product.indptr[r]:product.indptr[r + 1]],
                     product.data[product.indptr[r]:product.indptr[r + 1]]) for r in range(product.shape[0])]
        else:
            dense = matrix[start:start + chunk] @ matrix.T
            rows = []
            for r in range(dense.shape[0]):
                best = np.argpartition(-dense[r], min(top + 1, n - 1))[:top + 1]
                rows.append((best, dense[r, best]))
        for r, (cols, vals) in enumerate(rows):
            keep = cols != start + r
            cols, vals = cols[keep], vals[keep]
            if len(vals) > top:
                best = np.argpartition(-vals, top)[:top]
                cols, vals = cols[best], vals[best]
            order = np.argsort(-vals, kind="stable")
            result.append([(int(cols[o]), float(vals[o])) for o in order if vals[o] > 0])
    return result


def similarities(matrix, i: int, others: np.ndarray) -> np.ndarray:
    """Cosine of row i with each of ``others`` (rows are normalised)."""
    from scipy import sparse

    if not len(others):
        return np.zeros(0, dtype=np.float32)
    product = matrix[others] @ matrix[i].T
    if sparse.issparse(product):
        product = product.toarray()
    return np.asarray(product).ravel()


def _incidence(sets: list[frozenset[int]]):
    """A 0/1 sparse matrix, one row per set: row products count shared members."""
    from scipy import sparse

    columns = {x: c for c, x in enumerate(sorted(set().union(*sets)))} if sets else {}
    indptr = np.cumsum([0] + [len(s) for s in sets])
    indices = np.array([columns[x] for s in sets for x in sorted(s)], dtype=np.int64)
    return sparse.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr),
                             shape=(len(sets), max(1, len(columns))))


def pair_similarities(matrix, a: np.ndarray, b: np.ndarray, chunk: int = 50000) -> np.ndarray:
    """Dot products of rows a[k] and b[k], for every k: the cosine, for normalised rows."""
    from scipy import sparse

    out = np.zeros(len(a), dtype=np.float32)
    for start in range(0, len(a), chunk):
        left, right = matrix[a[start:start + chunk]], matrix[b[start:start + chunk]]
        if sparse.issparse(left):
            out[start:start + chunk] = np.asarray(left.multiply(right).sum(axis=1)).ravel()
        else:
            out[start:start + chunk] = np.einsum("ij,ij->i", left, right)
    return out


def near_copies(a: Article, b: Article) -> bool:
    """Whether two bodies are copies for a reader (MinHash estimate >= 0.5)."""
    if a.signature is None or b.signature is None:
        return False
    return float(np.mean(a.signature == b.signature)) >= NEAR_COPY_JACCARD


# -- judging the sites' blocks -------------------------------------------------------------


class Corpus:
    """The articles as arrays, their text vectors, and the editor links:
    what judging blocks and building lists both need."""

    def __init__(self, articles: list[Article], links, vectors=None):
        self.articles = articles
        self.index = {a.url: i for i, a in enumerate(articles)}
        n = len(articles)
        self.vectors = vectors if vectors is not None else tfidf_vectors(articles)
        codes: dict[str, int] = {}
        self.condition = np.array([codes.setdefault(a.condition_key, len(codes)) if a.condition_key else -1
                                   for a in articles], dtype=np.int64)
        regions = load_body_regions()
        region_codes = {r: k for k, r in enumerate(regions.parent)}
        self.region = np.array([region_codes.get(a.region, -1) for a in articles], dtype=np.int64)
        parent_of = np.array([region_codes.get(regions.parent[r], -1) if regions.parent[r] else -1
                              for r in regions.parent] + [-1], dtype=np.int64)
        self.region_parent = parent_of[self.region]  # -1 indexes the trailing -1
        self.groups = sorted({a.group for a in articles})
        group_codes = {g: k for k, g in enumerate(self.groups)}
        self.group = np.array([group_codes[a.group] for a in articles], dtype=np.int64) if n else np.zeros(0, np.int64)
        self.links: list[tuple[int, int, str]] = []
        seen = set()
        for link in links:
            link = link if isinstance(link, Link) else Link(*link)
            i, j = self.index.get(link.src), self.index.get(link.dst)
            if i is None or j is None or i == j or (i, j, link.block) in seen:
                continue
            seen.add((i, j, link.block))
            self.links.append((i, j, link.block))

    def relevant(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Same condition, or same body region (one inside the other counts)."""
        same_condition = (self.condition[a] >= 0) & (self.condition[a] == self.condition[b])
        ra, rb = self.region[a], self.region[b]
        same = (ra >= 0) & (rb >= 0) & ((ra == rb) | (self.region_parent[a] == rb) | (self.region_parent[b] == ra))
        return same_condition | same

    def topical(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return self.relevant(a, b) | (pair_similarities(self.vectors, a, b) >= SIMILAR_TOPICAL)


def judge_blocks(corpus: Corpus, links: list[tuple[int, int, str]] | None = None) -> dict[tuple[str, str], BlockJudgement]:
    """How far each (site, block label) can be trusted as editors' picks.

    topical: the share of the block's links whose two articles share a
    condition or body region or are similar in text; topical_baseline: the
    same share for up to 2,000 random pairs of the site's articles. The
    lift over the baseline, shrunk towards 0 for blocks with few links, is
    the weight. A block labelled as a popularity list, or one most of whose
    links go to targets that a third of its pages link to, is a popularity
    list whatever its topics.
    """
    links = corpus.links if links is None else links
    by_block: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for i, j, block in links:
        by_block[(corpus.articles[i].group, block)].append((i, j))
    members: dict[str, np.ndarray] = {}
    for g, name in enumerate(corpus.groups):
        members[name] = np.nonzero(corpus.group == g)[0]
    judgements = {}
    for (group, block), pairs in sorted(by_block.items()):
        a = np.array([p[0] for p in pairs], dtype=np.int64)
        b = np.array([p[1] for p in pairs], dtype=np.int64)
        pages = len(set(a.tolist()))
        topical = float(corpus.topical(a, b).mean())
        pool = members.get(group, np.arange(len(corpus.articles)))
        if len(pool) < 2:
            pool = np.arange(len(corpus.articles))
        rng = np.random.default_rng(zlib.crc32(f"{group}|{block}".encode()))
        ra, rb = rng.choice(pool, 2000), rng.choice(pool, 2000)
        keep = ra != rb
        baseline = float(corpus.topical(ra[keep], rb[keep]).mean()) if keep.any() else 0.0
        pages_per_target = Counter()
        for src, dst in set(zip(a.tolist(), b.tolist())):
            pages_per_target[dst] += 1
        threshold = max(3, SITEWIDE_SHARE * pages)
        everywhere = frozenset(dst for dst, count in pages_per_target.items() if count >= threshold)
        sitewide = float(np.mean([dst in everywhere for dst in b.tolist()]))
        # A corpus where nearly every pair is on one topic cannot tell a topical block from a random one:
        # the block is then worth what its own topicality says.
        lift = max(0.0, min(1.0, (topical - baseline) / (1 - baseline))) if baseline < 0.95 else topical
        weight = lift * len(pairs) / (len(pairs) + 5)
        if POPULAR_LABEL.search(block) or sitewide >= 0.5:
            use, weight = BlockUse.POPULAR, 0.0
        elif weight >= 0.15:
            use = BlockUse.EDITORIAL
        else:
            use, weight = BlockUse.UNTRUSTED, 0.0
        judgements[(group, block)] = BlockJudgement(group, block, pages, len(pairs), round(topical, 4),
                                                    round(baseline, 4), round(sitewide, 4), use, round(weight, 4),
                                                    everywhere)
    return judgements


# -- building the lists -----------------------------------------------------------------


class Recommender:
    """Everything the lists need, computed once: block judgements, the
    trusted editor graph, popularity, text neighbours and candidate groups."""

    def __init__(self, articles: list[Article], links, pageviews: dict[str, int] | None = None,
                 weights: dict[str, float] | None = None, hide_links_from: set[str] | None = None,
                 relevance_first: bool = True, vectors=None, trust_every_block: bool = False):
        self.weights = {**WEIGHTS, **(weights or {})}
        self.relevance_first = relevance_first
        self.corpus = Corpus(articles, links, vectors)
        corpus, n = self.corpus, len(articles)
        hidden = {corpus.index[u] for u in (hide_links_from or ()) if u in corpus.index}
        visible = [(i, j, block) for i, j, block in corpus.links if i not in hidden]
        self.judgements = judge_blocks(corpus, visible)
        if trust_every_block:
            # Every block taken as editors' picks at full weight: what the stage did before it judged
            # blocks, kept for the benchmark to compare against.
            for judgement in self.judgements.values():
                judgement.judged_as, judgement.weight, judgement.sitewide_targets = BlockUse.EDITORIAL, 1.0, frozenset()
        # The trusted editor graph, and what the popularity lists say.
        self.out_links: dict[int, dict[int, float]] = defaultdict(dict)
        self.in_links: dict[int, dict[int, float]] = defaultdict(dict)
        listed_popular: Counter = Counter()
        self.popular_on: dict[int, str] = {}
        for i, j, block in visible:
            judgement = self.judgements[(articles[i].group, block)]
            if judgement.judged_as is BlockUse.POPULAR or j in judgement.sitewide_targets:
                # A popularity list, or the sitewide sidebar inside a block: not an editor's pick for this article.
                listed_popular[j] += 1
                self.popular_on.setdefault(j, articles[i].site or articles[i].group)
            elif judgement.judged_as is BlockUse.EDITORIAL:
                w = judgement.weight
                self.out_links[i][j] = max(w, self.out_links[i].get(j, 0.0))
                self.in_links[j][i] = max(w, self.in_links[j].get(i, 0.0))
        self.views = {corpus.index[u]: v for u, v in (pageviews or {}).items() if u in corpus.index and v > 0}
        inbound = np.zeros(n)  # trusted links in, each worth its block's weight; popularity lists count fully
        self.linked_from = Counter(listed_popular)  # how many pages link to each, for the reason
        for j, sources in self.in_links.items():
            inbound[j] += sum(sources.values())
            self.linked_from[j] += len(sources)
        for j, count in listed_popular.items():
            inbound[j] += count
        popularity = np.log1p(inbound) / max(float(np.log1p(inbound).max()) if n else 0.0, 1e-9)
        if self.views:
            viewed = np.zeros(n)
            for j, v in self.views.items():
                viewed[j] = v
            popularity = 0.3 * popularity + 0.7 * np.log1p(viewed) / max(float(np.log1p(viewed).max()), 1e-9)
        self.popularity = popularity
        self.popular_order = [int(j) for j in np.argsort(-popularity, kind="stable")[:10] if popularity[j] > 0]
        # Text neighbours come from sparse TF-IDF even when the score uses dense embeddings: a sparse product
        # in row chunks stays near-linear, a dense one is N x N x dimensions.
        from scipy import sparse

        sparse_vectors = corpus.vectors if sparse.issparse(corpus.vectors) else tfidf_vectors(articles)
        self.neighbours = (content_neighbours(sparse_vectors) if self.weights["similar"] or not relevance_first
                           else [[] for _ in range(n)])
        # Members of each condition and region, most popular first, for candidates.
        self.by_condition: dict[int, list[int]] = defaultdict(list)
        self.by_region: dict[int, list[int]] = defaultdict(list)
        for j in np.argsort(-popularity, kind="stable").tolist():
            if corpus.condition[j] >= 0:
                self.by_condition[int(corpus.condition[j])].append(j)
            if corpus.region[j] >= 0:
                self.by_region[int(corpus.region[j])].append(j)
                if corpus.region_parent[j] >= 0:
                    self.by_region[int(corpus.region_parent[j])].append(j)
        self.entity_sets = [frozenset(e for e, _ in a.entities) for a in articles]
        self.entity_matrix = _incidence(self.entity_sets)
        self.entity_sizes = np.array([len(e) for e in self.entity_sets], dtype=np.float32)
        self.multi_site = len(corpus.groups) > 1
        self.group_list, self.condition_list = corpus.group.tolist(), corpus.condition.tolist()

    def candidates(self, i: int) -> dict[int, dict[str, float]]:
        corpus = self.corpus
        signals: dict[int, dict[str, float]] = defaultdict(dict)
        for j, w in self.out_links.get(i, {}).items():
            signals[j]["direct"] = w
        for j, w in self.in_links.get(i, {}).items():
            signals[j]["reverse"] = w
        for x, w in self.out_links.get(i, {}).items():
            for j, w2 in self.out_links.get(x, {}).items():
                if j != i:
                    signals[j]["two_hop"] = min(1.0, signals[j].get("two_hop", 0.0) + 0.5 * w * w2)
        for j, _ in self.neighbours[i]:
            signals[j]
        rng = random.Random(i)
        for group in ((self.by_condition.get(int(corpus.condition[i])) if corpus.condition[i] >= 0 else None),
                      (self.by_region.get(int(corpus.region[i])) if corpus.region[i] >= 0 else None),
                      (self.by_region.get(int(corpus.region_parent[i])) if corpus.region_parent[i] >= 0 else None)):
            if group:
                picks = group[:GROUP_CANDIDATES // 2]
                if len(group) > GROUP_CANDIDATES // 2:
                    picks = picks + rng.sample(group, min(GROUP_CANDIDATES // 2, len(group)))
                for j in picks:
                    signals[j]
        for j in self.popular_order:
            signals[j]
        signals.pop(i, None)
        return signals

    def list_for(self, i: int, k: int = 5, prepared: tuple | None = None) -> list[dict]:
        """Article i's list. ``prepared`` is (candidate signals, their ids, their
        text similarities, their shared entity counts) when :meth:`lists`
        computed them for many at once."""
        corpus, articles, weights = self.corpus, self.corpus.articles, self.weights
        article = articles[i]
        if prepared is None:
            signals = self.candidates(i)
            ids = np.array(sorted(signals), dtype=np.int64)
            sims = similarities(corpus.vectors, i, ids) if weights["similar"] else np.zeros(len(ids))
            shared = None
        else:
            signals, ids, sims, shared = prepared
        if not len(ids):
            return []
        if shared is None:
            shared = pair_similarities(self.entity_matrix, np.full(len(ids), i), ids)
        relevant = corpus.relevant(np.full(len(ids), i), ids)
        same_condition = (corpus.condition[ids] >= 0) & (corpus.condition[ids] == corpus.condition[i])
        union = self.entity_sizes[i] + self.entity_sizes[ids] - shared
        jaccard = np.divide(shared, union, out=np.zeros(len(ids), dtype=np.float32), where=union > 0)
        popular = self.popularity[ids]
        score = (weights["similar"] * np.maximum(sims, 0) + weights["condition"] * same_condition
                 + weights["region"] * (relevant & ~same_condition) + weights["shared"] * jaccard
                 + weights["popular"] * popular)
        for pos, j in enumerate(ids.tolist()):
            block = signals[j]
            if block:
                score[pos] += sum(weights[name] * value for name, value in block.items())
        # Best first; the pool is filled past what a reader would take for the article itself.
        order = np.lexsort((ids, -score))
        ids_l, score_l, relevant_l = ids.tolist(), score.tolist(), relevant.tolist()  # plain lists: fast to index
        pool: list[int] = []  # positions in ids
        for pos in order.tolist():
            if score_l[pos] <= 0 or len(pool) >= max(24, k * 5):
                break
            other = articles[ids_l[pos]]
            if other.title_key == article.title_key or near_copies(article, other):
                continue  # the same article for a reader
            pool.append(pos)
        # Relevance first, then diversity: each pick is the best relevant candidate left (any candidate once
        # none is left), after penalties for chosen items from its site, on its condition, covering its advice.
        groups, conditions_of = self.group_list, self.condition_list
        chosen: list[tuple[float, int]] = []
        sites: Counter = Counter()
        conditions: Counter = Counter()
        covered: set[int] = set()
        titles: set[str] = set()
        while pool and len(chosen) < k:
            tier = [m for m, pos in enumerate(pool) if relevant_l[pos]] if self.relevance_first else []
            best_value, best = -math.inf, -1
            for m in tier or range(len(pool)):
                j = ids_l[pool[m]]
                value = score_l[pool[m]]
                if self.multi_site:
                    value -= DIVERSITY["site"] * sites[groups[j]]
                if conditions_of[j] >= 0:
                    value -= DIVERSITY["condition"] * conditions[conditions_of[j]]
                theirs = self.entity_sets[j]
                if theirs and covered:
                    value -= DIVERSITY["shared"] * len(theirs & covered) / len(theirs)
                if value > best_value:
                    best_value, best = value, m
            pos = pool.pop(best)
            j = ids_l[pos]
            other = articles[j]
            if other.title_key in titles or any(near_copies(other, articles[ids_l[c]]) for _, c in chosen):
                continue  # two copies of one article, or two articles with one title
            titles.add(other.title_key)
            sites[groups[j]] += 1
            if conditions_of[j] >= 0:
                conditions[conditions_of[j]] += 1
            covered |= self.entity_sets[j]
            chosen.append((best_value, pos))
        items = []
        for value, pos in chosen:
            j = int(ids[pos])
            found = dict(signals[j])
            for name, v in (("similar", sims[pos]), ("condition", float(same_condition[pos])),
                            ("region", float(relevant[pos] and not same_condition[pos])),
                            ("shared", jaccard[pos]), ("popular", popular[pos])):
                if v > 0:
                    found[name] = float(v)
            evidence = self.evidence(i, j, found)
            items.append({
                "url": articles[j].url, "title": articles[j].title, "score": round(value, 4),
                "relevant": bool(relevant[pos]), "reason": reason_text(evidence),
                "reason_kind": evidence[0].kind.value if evidence else EvidenceKind.SIMILAR.value,
                "evidence": [{"kind": e.kind.value, "text": e.text} for e in evidence],
                "signals": {name: round(v, 4) for name, v in found.items()},
            })
        return items

    def evidence(self, i: int, j: int, s: dict[str, float]) -> list[Evidence]:
        """Every piece of evidence for recommending j on i's page, strongest first."""
        articles, weights = self.corpus.articles, self.weights
        article, other = articles[i], articles[j]
        found: list[Evidence] = []
        for name, site in (("direct", article.site or article.group), ("reverse", other.site or other.group),
                           ("two_hop", article.site or article.group)):
            if name in s:
                how = " through another article" if name == "two_hop" else ""
                found.append(Evidence(EvidenceKind.EDITORS, f"editors of {site} link these{how}", weights[name] * s[name]))
        if "condition" in s:
            found.append(Evidence(EvidenceKind.SAME_CONDITION, f"same condition: {condition_label(article.condition)}",
                                  weights["condition"] * s["condition"]))
        if "region" in s:
            # The region both are in: the broader one when one lies inside the other.
            region = other.region if load_body_regions().parent.get(article.region) == other.region else article.region
            found.append(Evidence(EvidenceKind.SAME_REGION, f"same body region: {region}", weights["region"] * s["region"]))
        if "shared" in s:
            theirs = self.entity_sets[j]
            names = list(dict.fromkeys(name.lower() for eid, name in article.entities if eid in theirs))
            found.append(Evidence(EvidenceKind.SHARED, f"also covers: {', '.join(names[:3])}", weights["shared"] * s["shared"]))
        if s.get("similar", 0) >= 0.2:
            found.append(Evidence(EvidenceKind.SIMILAR, "on a similar topic", weights["similar"] * s["similar"]))
        if s.get("popular", 0) > 0:
            if j in self.views:
                text = f"popular: {self.views[j]} page views"
            elif j in self.popular_on:
                text = f"popular on {self.popular_on[j]}"
            else:
                count = self.linked_from[j]
                text = f"linked from {count} other article{'s' if count != 1 else ''}"
            found.append(Evidence(EvidenceKind.POPULAR, text, weights["popular"] * s["popular"]))
        found.sort(key=lambda e: (REASON_ORDER.index(e.kind), -e.strength))
        return found

    def lists(self, k: int = 5, chunk: int = 2000) -> dict[str, list[dict]]:
        """Every article's list; the text similarities of all candidate pairs
        of a chunk of articles are computed in one vectorised pass."""
        articles = self.corpus.articles
        out: dict[str, list[dict]] = {}
        for start in range(0, len(articles), chunk):
            rows = range(start, min(start + chunk, len(articles)))
            signals = [self.candidates(i) for i in rows]
            ids = [np.array(sorted(s), dtype=np.int64) for s in signals]
            lengths = [len(x) for x in ids]
            left = np.repeat(np.arange(rows.start, rows.stop, dtype=np.int64), lengths)
            right = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
            cuts = np.cumsum(lengths)[:-1]
            flat = (pair_similarities(self.corpus.vectors, left, right) if self.weights["similar"]
                    else np.zeros(len(left), dtype=np.float32))
            sims, shared = np.split(flat, cuts), np.split(pair_similarities(self.entity_matrix, left, right), cuts)
            for offset, i in enumerate(rows):
                out[articles[i].url] = self.list_for(i, k, (signals[offset], ids[offset], sims[offset], shared[offset]))
        return out


# Which evidence a reason names first: the most specific, not the largest number ("on a similar topic"
# says least, however similar the texts).
REASON_ORDER = [EvidenceKind.EDITORS, EvidenceKind.SAME_CONDITION, EvidenceKind.SHARED, EvidenceKind.SAME_REGION,
                EvidenceKind.POPULAR, EvidenceKind.SIMILAR]


def reason_text(evidence: list[Evidence]) -> str:
    """The most specific evidence, and the next one of another kind."""
    if not evidence:
        return "on a similar topic"
    parts = [evidence[0].text]
    for e in evidence[1:]:
        if e.kind is not evidence[0].kind:
            parts.append(e.text)
            break
    return "; ".join(parts)


def build_recommendations(articles: list[Article], links, pageviews: dict[str, int] | None = None,
                          k: int = 5, hide_links_from: set[str] | None = None,
                          weights: dict[str, float] | None = None, relevance_first: bool = True,
                          vectors=None) -> dict[str, list[dict]]:
    """url -> its k recommendations [{url, title, score, relevant, reason,
    reason_kind, evidence, signals}], in order.

    ``links`` are editor links between articles of the list (already mapped
    to cluster representatives): Link(src, dst, block) or (src, dst[, block])
    tuples. ``hide_links_from`` leaves out the outgoing links of some
    articles: the quality benchmark holds them out to see whether the other
    signals find them again. ``weights`` and ``relevance_first=False`` make
    the benchmark's baselines (similarity only, popularity only).
    """
    if not articles:
        return {}
    return Recommender(articles, links, pageviews, weights, hide_links_from, relevance_first, vectors).lists(k)


def most_read(articles: list[Article], links, pageviews: dict[str, int] | None = None,
              limit: int = 20) -> list[dict]:
    """Site-wide "most read right now": by page views when known, else by how
    many other articles link to each from a block that is not judged
    untrusted (a block of random links says nothing about what is read)."""
    views = pageviews or {}
    corpus = Corpus(articles, links) if not views and articles else None
    inbound: Counter = Counter()
    if corpus is not None:
        judged = judge_blocks(corpus)
        for i, j, block in corpus.links:
            judgement = judged[(articles[i].group, block)]
            if judgement.judged_as is not BlockUse.UNTRUSTED or judgement.links < 8:
                inbound[articles[j].url] += 1
    rows = []
    for a in articles:
        score = views.get(a.url, 0) if views else inbound.get(a.url, 0)
        if score > 0:
            why = f"{score} page views" if views else f"linked from {score} other article{'s' if score > 1 else ''}"
            rows.append({"url": a.url, "title": a.title, "score": score, "reason": why})
    rows.sort(key=lambda r: (-r["score"], r["url"]))
    return [{"rank": r + 1, **row} for r, row in enumerate(rows[:limit])]


# -- the stage over the database -----------------------------------------------------


def load_corpus(db: sqlite_utils.Database) -> tuple[list[Article], list[Link]]:
    """Curated articles and the editor links between them (duplicates mapped
    to their representatives, links resolved through canonical URLs, each
    with its block's label). Entities come only from records extraction was
    sure of, under the names people recognise."""
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
                 SELECT article_url, entity_id, position, 0 AS k FROM treatments WHERE unsure = 0
                 UNION ALL SELECT article_url, entity_id, position, 1 FROM exercises WHERE unsure = 0) r
               JOIN entities e ON e.id = r.entity_id ORDER BY r.article_url, r.k, r.position"""):
        entities[url].append((entity_id, name))
    signatures = {url: np.frombuffer(blob, dtype=np.uint32)
                  for url, blob in conn.execute("SELECT url, signature FROM article_signatures")}
    articles = [
        Article(url, title or url, condition, site, description, entities.get(url, []), body_region, source,
                signatures.get(url))
        for url, title, condition, site, description, body_region, source in conn.execute(
            "SELECT url, title, condition, COALESCE(site_name, source), description, body_region, source FROM articles "
            "WHERE url IN (SELECT url FROM curation WHERE included = 1) ORDER BY url")
    ]
    links = []
    for src, dst, block in conn.execute("SELECT article_url, url, COALESCE(block, 'related') FROM related_links"):
        a, b = resolve.get(src, src), resolve.get(dst)
        if b and a in curated_set and b in curated_set and a != b:
            links.append(Link(a, b, block))
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
    recommender = Recommender(articles, links, views) if articles else None
    lists = recommender.lists(k) if recommender else {}
    top = most_read(articles, links, views)
    judgements = list(recommender.judgements.values()) if recommender else []
    with dbmod.transaction(db) as conn:
        conn.execute("DELETE FROM recommendations")
        conn.executemany(
            "INSERT INTO recommendations(article_url, rank, recommended_url, score, reason, signals, reason_kind, evidence) "
            "VALUES (?,?,?,?,?,?,?,?)",
            [(url, rank, item["url"], item["score"], item["reason"], json.dumps(item["signals"]), item["reason_kind"],
              json.dumps(item["evidence"], ensure_ascii=False))
             for url, items in lists.items() for rank, item in enumerate(items, start=1)])
        conn.execute("DELETE FROM most_read")
        conn.executemany("INSERT INTO most_read(rank, url, title, score, reason) VALUES (?,?,?,?,?)",
                         [(r["rank"], r["url"], r["title"], r["score"], r["reason"]) for r in top])
        conn.execute("DELETE FROM related_blocks")
        conn.executemany(
            "INSERT INTO related_blocks(source, block, pages, links, topical, topical_baseline, sitewide, judged_as, weight) "
            "VALUES (?,?,?,?,?,?,?,?,?)",
            [(j.source, j.block, j.pages, j.links, j.topical, j.topical_baseline, j.sitewide, j.judged_as.value, j.weight)
             for j in judgements])
    return {"articles": len(articles), "editor_links": len(links),
            "trusted_editor_links": sum(len(v) for v in recommender.out_links.values()) if recommender else 0,
            "blocks": {f"{j.source}: {j.block}": j.judged_as.value for j in judgements},
            "recommendations": sum(len(v) for v in lists.values()), "most_read": len(top),
            "pageviews": len(views), "seconds": round(time.monotonic() - started, 2)}


def ndcg_at(ranked: list[str], relevant: set[str], k: int = 5) -> float:
    gains = sum(1 / math.log2(r + 2) for r, url in enumerate(ranked[:k]) if url in relevant)
    ideal = sum(1 / math.log2(r + 2) for r in range(min(k, len(relevant))))
    return gains / ideal if ideal else 0.0

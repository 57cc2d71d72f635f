"""The dedupe stage: copies and near-copies of articles grouped into clusters,
and the same treatment or exercise across articles merged into one entity.

Articles are compared on their *extracted* main text (whole pages differ in
boilerplate: a real same-URL pair in the corpus has whole-page Jaccard 0.29
and main-text Jaccard 0.985). Each text becomes a set of 5-word shingles and
a 128-value MinHash signature; LSH (32 bands of 4 rows) proposes candidate
pairs well below the 0.8 target so that few true pairs are missed, and every
candidate is then verified with the exact Jaccard of the shingle sets.

MinHash (one-permutation hashing) and LSH are vectorised with numpy here
rather than taken from datasketch, which computes 128 hash functions per
shingle and keeps its LSH index in dictionaries: bench/dedupe.py measures
both on the same texts.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
import sqlite_utils

from pipeline import db as dbmod
from pipeline.db import now_iso
from pipeline.vocab import AliasTable, Concept, load_aliases, plain_words, singular

SHINGLE_WORDS = 5
NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
NEAR_DUPLICATE_JACCARD = 0.8
MAX_BUCKET = 200  # a band bucket this full is boilerplate-only text, not 200 copies
_rng = np.random.default_rng(20141103)
BAND_MIX = (_rng.integers(1, 2**63, ROWS, dtype=np.uint64) * np.uint64(2) + np.uint64(1))
SHINGLE_MIX = (_rng.integers(1, 2**63, SHINGLE_WORDS, dtype=np.uint64) * np.uint64(2) + np.uint64(1))
WORD_RE = re.compile(r"\w+")


# -- article text -------------------------------------------------------------


def normalised_words(text: str) -> list[str]:
    """Lower-cased words, punctuation and spacing gone: what duplicates share."""
    return WORD_RE.findall((text or "").lower())


def text_hash(text: str) -> str:
    """Identical for texts that differ only in case, punctuation and spacing."""
    return hashlib.sha1(" ".join(normalised_words(text)).encode("utf-8")).hexdigest()


# Word hashing, vectorised: a polynomial hash over the UTF-8 bytes, with
# prefix sums so every word's hash comes out of a handful of numpy calls.
# Stable across processes and machines (signatures are stored), unlike hash().
_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[list(b"abcdefghijklmnopqrstuvwxyz0123456789_")] = True
_WORD_BYTE[128:] = True  # every byte of a non-ASCII character counts as a letter
_P = 1099511628211  # odd, so invertible modulo 2**64
_P_INV = pow(_P, -1, 2**64)
_powers = np.ones(1, dtype=np.uint64)
_inverse_powers = np.ones(1, dtype=np.uint64)


def _power_tables(n: int) -> tuple[np.ndarray, np.ndarray]:
    global _powers, _inverse_powers
    if len(_powers) < n:
        size = max(n, 2 * len(_powers), 4096)
        with np.errstate(over="ignore"):
            one = np.ones(1, dtype=np.uint64)  # a plain [1] would promote to float64 and lose bits
            _powers = np.concatenate([one, np.cumprod(np.full(size - 1, _P, dtype=np.uint64), dtype=np.uint64)])
            _inverse_powers = np.concatenate([one, np.cumprod(np.full(size - 1, _P_INV, dtype=np.uint64), dtype=np.uint64)])
    return _powers, _inverse_powers


def word_hashes(text: str) -> np.ndarray:
    """64-bit hashes of the text's words (lower-cased; letters, digits, '_'
    and any non-ASCII character make words), in order."""
    data = np.frombuffer((text or "").lower().encode("utf-8", "surrogatepass"), dtype=np.uint8)
    if not data.size:
        return np.zeros(0, dtype=np.uint64)
    mask = _WORD_BYTE[data]
    edges = np.flatnonzero(np.diff(np.concatenate(([False], mask, [False])).astype(np.int8)))
    starts, ends = edges[0::2], edges[1::2]
    if not len(starts):
        return np.zeros(0, dtype=np.uint64)
    powers, inverse = _power_tables(len(data) + 1)
    with np.errstate(over="ignore"):
        prefix = np.concatenate((np.zeros(1, dtype=np.uint64),
                                 np.cumsum((data.astype(np.uint64) + np.uint64(1)) * powers[:len(data)], dtype=np.uint64)))
        return (prefix[ends] - prefix[starts]) * inverse[starts]


def shingles(text: str) -> np.ndarray:
    """Sorted unique 64-bit hashes of the text's 5-word shingles."""
    return _shingles_of_hashes(word_hashes(text))


def signatures_for(texts: list[str], chunk: int = 128) -> np.ndarray:
    """MinHash signatures of many texts at once, equal to
    ``minhash([shingles(t) for t in texts])``.

    The words of a few hundred texts are hashed, shingled and binned in
    single numpy passes over their concatenation (numpy's per-call overhead
    dominates for one short text). Shingles that would span two texts are
    dropped; duplicates need no removal, since a minimum ignores them.
    """
    out = np.full((len(texts), NUM_PERM), EMPTY, dtype=np.uint32)
    shift = np.uint64(64 - 7)
    for start in range(0, len(texts), chunk):
        batch = texts[start:start + chunk]
        per_doc = _split_word_hashes(batch)
        lengths = np.fromiter((len(h) for h in per_doc), dtype=np.int64, count=len(per_doc))
        short = np.nonzero((lengths > 0) & (lengths < SHINGLE_WORDS))[0]
        hashes = np.concatenate(per_doc) if len(per_doc) else np.zeros(0, dtype=np.uint64)
        doc_of_word = np.repeat(np.arange(len(batch), dtype=np.int64), lengths)
        n = len(hashes) - SHINGLE_WORDS + 1
        if n > 0:
            mixed = _mix_shingles(hashes, n)
            valid = doc_of_word[:n] == doc_of_word[SHINGLE_WORDS - 1:]
            docs = doc_of_word[:n][valid]
            mixed = mixed[valid]
            flat = out[start:start + len(batch)].reshape(-1)
            np.minimum.at(flat, docs * NUM_PERM + (mixed >> shift).astype(np.int64),
                          (mixed & np.uint64(0xFFFFFFFE)).astype(np.uint32))
            out[start:start + len(batch)] = flat.reshape(len(batch), NUM_PERM)
        if len(short):  # texts of one to four words: one padded shingle, as shingles() does
            out[start + short] = minhash([_shingles_of_hashes(per_doc[i]) for i in short], densify=False)
        _densify(out[start:start + len(batch)])  # per chunk: its temporaries stay small
    return out


def _mix_shingles(hashes: np.ndarray, n: int) -> np.ndarray:
    mixed = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(SHINGLE_WORDS):
            mixed += hashes[k:k + n] * SHINGLE_MIX[k]
        # A final avalanche so the top bits (the bins) are well spread.
        mixed ^= mixed >> np.uint64(31)
        mixed *= np.uint64(0x9E3779B97F4A7C15)
        mixed ^= mixed >> np.uint64(29)
    return mixed


def _split_word_hashes(texts: list[str]) -> list[np.ndarray]:
    """word_hashes() of each text, computed over their concatenation."""
    joined = "\x00".join(t or "" for t in texts)
    hashes = word_hashes(joined)
    # Where each text starts, in words: count words before each separator.
    data = np.frombuffer(joined.lower().encode("utf-8", "surrogatepass"), dtype=np.uint8)
    mask = _WORD_BYTE[data]
    word_starts = np.flatnonzero(np.diff(np.concatenate(([False], mask)).astype(np.int8)) == 1)
    separators = np.flatnonzero(data == 0)
    cuts = np.searchsorted(word_starts, separators)
    return np.split(hashes, cuts)


def _shingles_of_hashes(hashes: np.ndarray) -> np.ndarray:
    if not len(hashes):
        return np.zeros(0, dtype=np.uint64)
    if len(hashes) < SHINGLE_WORDS:
        hashes = np.concatenate([hashes, np.zeros(SHINGLE_WORDS - len(hashes), dtype=np.uint64)])
    return np.unique(_mix_shingles(hashes, len(hashes) - SHINGLE_WORDS + 1))


EMPTY = np.uint32(0xFFFFFFFF)


def minhash(shingle_sets: list[np.ndarray], chunk: int = 256, densify: bool = True) -> np.ndarray:
    """(len(shingle_sets), NUM_PERM) uint32 signatures by one-permutation
    hashing with densification (Li, Owen & Zhang 2012; Shrivastava 2017).

    Each shingle hash is used once: its top 7 bits pick one of 128 bins, its
    low 32 bits are the value, and each bin keeps its minimum. That is
    O(shingles) rather than O(shingles x 128) for 128 separate hash
    functions, with the same estimator. An empty bin (short texts) borrows
    the nearest non-empty bin to its right, shifted by the distance, so two
    texts with the same shingles still agree on it.
    """
    out = np.full((len(shingle_sets), NUM_PERM), EMPTY, dtype=np.uint32)
    shift = np.uint64(64 - 7)
    for start in range(0, len(shingle_sets), chunk):
        batch = shingle_sets[start:start + chunk]
        sizes = np.fromiter((len(x) for x in batch), dtype=np.int64, count=len(batch))
        if not sizes.sum():
            continue
        values = np.concatenate(batch)
        docs = np.repeat(np.arange(len(batch), dtype=np.int64), sizes)
        bins = (values >> shift).astype(np.int64)
        low = (values & np.uint64(0xFFFFFFFE)).astype(np.uint32)  # even: odd values mark borrowed bins
        flat = out[start:start + len(batch)].reshape(-1)
        np.minimum.at(flat, docs * NUM_PERM + bins, low)
        out[start:start + len(batch)] = flat.reshape(len(batch), NUM_PERM)
        if densify:
            _densify(out[start:start + len(batch)])
    return out


def _densify(signatures: np.ndarray) -> None:
    """Fill each empty bin from the next non-empty bin to the right (circularly)."""
    empty = signatures == EMPTY
    rows = np.nonzero(empty.any(axis=1) & ~empty.all(axis=1))[0]
    if not len(rows):
        return
    sub = signatures[rows]
    filled = ~empty[rows]
    width = NUM_PERM
    # For each position, the index of the next filled bin at or after it, circularly.
    idx = np.where(filled, np.arange(width)[None, :], 2 * width)
    doubled = np.concatenate([idx, idx + width], axis=1)
    doubled = np.where(doubled >= 2 * width, 4 * width, doubled)
    nxt = np.minimum.accumulate(doubled[:, ::-1], axis=1)[:, ::-1][:, :width]
    distance = (nxt - np.arange(width)[None, :]).astype(np.uint32)
    source = sub[np.arange(len(rows))[:, None], nxt % width]
    with np.errstate(over="ignore"):
        borrowed = source + distance * np.uint32(0x9E3779B1) | np.uint32(1)
    signatures[rows] = np.where(filled, sub, borrowed)


def band_keys(signatures: np.ndarray) -> np.ndarray:
    """(N, BANDS) uint64: one key per band of ROWS signature values."""
    sig = signatures.astype(np.uint64).reshape(len(signatures), BANDS, ROWS)
    with np.errstate(over="ignore"):
        return (sig * BAND_MIX[None, None, :]).sum(axis=2, dtype=np.uint64)


def candidate_pairs(keys: np.ndarray, query: np.ndarray | None = None) -> set[tuple[int, int]]:
    """Index pairs (i < j) that share a key in at least one band.

    With ``query`` (indexes of new or changed documents) only pairs that
    involve one of them are returned: an incremental run compares what is
    new against everything, not everything against everything.
    """
    pairs: set[tuple[int, int]] = set()
    n = len(keys)
    if n < 2:
        return pairs
    is_query = None
    if query is not None:
        is_query = np.zeros(n, dtype=bool)
        is_query[query] = True
        if len(query) * 4 < n:
            return _query_pairs(keys, np.asarray(query), is_query)
    for band in range(keys.shape[1]):
        column = keys[:, band]
        order = np.argsort(column, kind="stable")
        ordered = column[order]
        boundaries = np.nonzero(np.diff(ordered))[0] + 1
        starts = np.concatenate([[0], boundaries])
        ends = np.concatenate([boundaries, [n]])
        for s, e in zip(starts[(ends - starts) > 1], ends[(ends - starts) > 1]):
            members = order[s:e]
            if len(members) > MAX_BUCKET:
                members = members[:MAX_BUCKET]
            if is_query is not None and not is_query[members].any():
                continue
            members = sorted(int(m) for m in members)
            for a in range(len(members)):
                for b in range(a + 1, len(members)):
                    i, j = members[a], members[b]
                    if is_query is None or is_query[i] or is_query[j]:
                        pairs.add((i, j))
    return pairs


def _query_pairs(keys: np.ndarray, query: np.ndarray, is_query: np.ndarray) -> set[tuple[int, int]]:
    """Pairs for a few new documents: one linear scan per band for rows whose
    key equals a new document's, instead of sorting every band. An
    incremental run then costs in proportion to what is new."""
    pairs: set[tuple[int, int]] = set()
    for band in range(keys.shape[1]):
        column = keys[:, band]
        wanted = column[query]
        hits = np.nonzero(np.isin(column, wanted))[0]
        by_key: dict[int, list[int]] = defaultdict(list)
        for row in hits.tolist():
            by_key[int(column[row])].append(row)
        for members in by_key.values():
            if len(members) < 2:
                continue
            members = members[:MAX_BUCKET]
            for a in range(len(members)):
                for b in range(a + 1, len(members)):
                    i, j = members[a], members[b]
                    if is_query[i] or is_query[j]:
                        pairs.add((i, j))
    return pairs


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted unique hash arrays."""
    if not len(a) and not len(b):
        return 1.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


def estimated_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    return float(np.mean(sig_a == sig_b))


# -- clusters -----------------------------------------------------------------


def clusters_from_pairs(pairs: list[tuple[str, str]]) -> list[list[str]]:
    """Connected components (union-find), each sorted, biggest first."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = defaultdict(list)
    for x in list(parent):
        groups[find(x)].append(x)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))


def representative_key(article: dict, priorities: dict[str, int]):
    """Sort key: the smallest is the cluster's representative. The rules, in
    order: the source's priority in sources.yaml (higher wins); the most
    complete record (most treatments and exercises; then a page that names
    itself as canonical over one that does not, since copies rarely do; then
    author and date present); the earliest published; the longest text; the
    shortest, then first, URL."""
    completeness = (article.get("treatment_count") or 0) + (article.get("exercise_count") or 0)
    return (
        -priorities.get(article.get("source") or "", 0),
        -completeness,
        -(article.get("canonical_url") == article["url"]),
        -(bool(article.get("author")) + bool(article.get("published"))),
        article.get("published") or "9999",
        -(article.get("word_count") or 0),
        len(article["url"]),
        article["url"],
    )


# -- the stage over the database ---------------------------------------------------


def run_dedupe_articles(db: sqlite_utils.Database, priorities: dict[str, int] | None = None,
                        rebuild: bool = False) -> dict:
    """Sign new and changed articles, find their duplicates, rebuild clusters."""
    started = time.monotonic()
    conn = db.conn
    priorities = priorities or {}
    if rebuild:
        with dbmod.transaction(db):
            conn.execute("DELETE FROM article_signatures")
            conn.execute("DELETE FROM duplicate_pairs")
    rows = conn.execute(
        """SELECT a.url, a.body, s.text_hash FROM articles a
           LEFT JOIN article_signatures s ON s.url = a.url"""
    ).fetchall()
    changed = []
    for url, body, stored_hash in rows:
        digest = text_hash(body or "")
        if stored_hash != digest:
            changed.append((url, body or "", digest))
    # Sign what is new or changed.
    shingle_cache: dict[str, np.ndarray] = {}
    signatures = signatures_for([body for _, body, _ in changed])
    # One transaction from the new signatures to the clusters: a run killed in
    # between must not leave signatures whose pairs were never looked for
    # (the next run would see nothing changed and never find them).
    with dbmod.transaction(db):
        for (url, body, digest), sig in zip(changed, signatures):
            conn.execute("DELETE FROM duplicate_pairs WHERE url_a = ? OR url_b = ?", (url, url))
            conn.execute(
                "INSERT OR REPLACE INTO article_signatures(url, text_hash, word_count, signature, computed_at) "
                "VALUES (?, ?, ?, ?, ?)", (url, digest, len(body.split()), sig.tobytes(), now_iso()))
        # Compare what changed against everything.
        all_rows = conn.execute("SELECT url, text_hash, signature FROM article_signatures ORDER BY url").fetchall()
        urls = [r[0] for r in all_rows]
        hashes = [r[1] for r in all_rows]
        index = {u: i for i, u in enumerate(urls)}
        all_sigs = (np.frombuffer(b"".join(r[2] for r in all_rows), dtype=np.uint32).reshape(len(all_rows), NUM_PERM)
                    if all_rows else np.zeros((0, NUM_PERM), dtype=np.uint32))
        query = np.array([index[u] for u, _, _ in changed if u in index], dtype=np.int64)
        candidates = candidate_pairs(band_keys(all_sigs), None if rebuild else query) if len(query) or rebuild else set()
        found = []
        verified = 0
        for i, j in sorted(candidates):
            if hashes[i] == hashes[j]:
                found.append((urls[i], urls[j], 1.0, "exact"))
                continue
            if estimated_jaccard(all_sigs[i], all_sigs[j]) < 0.5:
                continue  # far below the target even allowing for MinHash error
            verified += 1
            for u in (urls[i], urls[j]):
                if u not in shingle_cache:
                    body = conn.execute("SELECT body FROM articles WHERE url = ?", (u,)).fetchone()[0]
                    shingle_cache[u] = shingles(body or "")
            similarity = jaccard(shingle_cache[urls[i]], shingle_cache[urls[j]])
            if similarity >= NEAR_DUPLICATE_JACCARD:
                found.append((urls[i], urls[j], round(similarity, 4), "near"))
        conn.executemany(
            "INSERT OR REPLACE INTO duplicate_pairs(url_a, url_b, similarity, kind) VALUES (?, ?, ?, ?)", found)
        clusters = write_clusters(db, priorities)
    return {
        "articles": len(urls),
        "signed": len(changed),
        "candidates": len(candidates),
        "verified": verified,
        "duplicate_pairs": conn.execute("SELECT count(*) FROM duplicate_pairs").fetchone()[0],
        "clusters": clusters,
        "duplicates": conn.execute("SELECT count(*) FROM article_clusters WHERE duplicate_of IS NOT NULL").fetchone()[0],
        "seconds": round(time.monotonic() - started, 2),
    }


def write_clusters(db: sqlite_utils.Database, priorities: dict[str, int]) -> int:
    """Recompute article_clusters from duplicate_pairs (inside a transaction)."""
    conn = db.conn
    pairs = conn.execute("SELECT url_a, url_b, similarity, kind FROM duplicate_pairs").fetchall()
    similarity = {(a, b): (s, k) for a, b, s, k in pairs}
    conn.execute("DELETE FROM article_clusters")
    groups = clusters_from_pairs([(a, b) for a, b, _, _ in pairs])
    columns = ["url", "source", "canonical_url", "treatment_count", "exercise_count", "author", "published",
               "word_count"]
    for group in groups:
        placeholders = ",".join("?" for _ in group)
        articles = [dict(zip(columns, r)) for r in conn.execute(
            f"SELECT {', '.join(columns)} FROM articles WHERE url IN ({placeholders})", group)]
        if len(articles) < 2:
            continue
        articles.sort(key=lambda a: representative_key(a, priorities))
        rep = articles[0]["url"]
        cluster_id = hashlib.sha1(rep.encode()).hexdigest()[:12]
        for a in articles:
            url = a["url"]
            key = (min(url, rep), max(url, rep))
            sim, kind = similarity.get(key, (None, "near (via cluster)"))
            conn.execute(
                "INSERT INTO article_clusters(url, cluster_id, representative, duplicate_of, similarity, kind, size) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (url, cluster_id, rep, None if url == rep else rep, None if url == rep else sim,
                 None if url == rep else kind, len(articles)))
    return len(groups)


# -- treatments and exercises as entities ----------------------------------------------

FILLER = frozenset("""a an the your you some of to for with and or on in at by from this that these use using apply
applying try trying take taking do doing get getting make making go going consider practice practise choose perform
keep regular regularly daily every day more less few simple gentle gently good proper properly""".split())
KIND_WORDS = [frozenset(w.split()) for w in (
    "heat heating hot warm warmth", "ice icing cold cool frozen", "stretch stretching", "massage",
)]


# Words that make a variant of an exercise or treatment, not the same one:
# "single knee-to-chest stretch" is not "knee-to-chest stretch".
VARIANT_WORDS = frozenset("""single double side reverse seated standing lying kneeling weighted wide narrow incline
decline posterior anterior lateral one two leg arm assisted banded elevated""".split())


GENERIC_WORDS = frozenset("""exercise stretch technique solution movement routine therapy treatment pose position
workout method session basic simple easy quick home pain relief""".split())


def entity_key(name: str) -> str:
    """'Use a heating pad' and 'Heating pads' -> 'heating pad': case,
    punctuation, plurals, filler verbs and word order normalised away."""
    words = [singular(w) for w in WORD_RE.findall((name or "").lower().replace("-", " "))]
    kept = [w for w in words if w not in FILLER and not w.isdigit()]
    return " ".join(sorted(kept or words))


def _kinds(key: str) -> set[int]:
    words = set(key.split())
    return {i for i, kind in enumerate(KIND_WORDS) if words & kind}


@dataclass
class Entity:
    id: int
    kind: str
    key: str
    category: str | None
    names: Counter
    text_key: str
    concept: str | None = None     # the alias-table concept it stands for
    label: str | None = None       # that concept's name, the one people recognise


def same_entity(a_key: str, b_key: str, threshold: float = 90) -> bool:
    """Fuzzy match of two keys that never merges things of another kind
    (heat is not ice) however alike their words."""
    from rapidfuzz import fuzz

    if a_key == b_key or a_key.replace(" ", "") == b_key.replace(" ", ""):
        return True  # "push up" and "pushup"
    if _kinds(a_key) != _kinds(b_key):
        return False
    a, b = set(a_key.split()), set(b_key.split())
    if not a or not b:
        return False
    # One key's words all inside the other's ("heating pad" in "heat heating pad"),
    # when the smaller says enough to stand for the thing (two words or more).
    if (a <= b or b <= a) and min(len(a), len(b)) >= 2:
        # "heat heating pad" holds "heating pad": one thing, said at more
        # length. The extra words may only restate it (generic words, or
        # words of the same kind); "burpee pull up" is not "pull up".
        extra = a ^ b
        same_kind = set().union(*(KIND_WORDS[k] for k in _kinds(a_key))) if _kinds(a_key) else set()
        if extra <= GENERIC_WORDS | same_kind:
            return True
    return fuzz.ratio(a_key, b_key) >= threshold


def text_key(text: str, name: str = "") -> str:
    """The first 40 words of an item's text, its own name (a bold lead-in) left out."""
    words = normalised_words(text)
    lead = normalised_words(name)
    if lead and words[:len(lead)] == lead:
        words = words[len(lead):]
    return " ".join(words[:40])


def _name_words(name: str) -> list[str]:
    """A name's words in order, singular, filler and numbers left out."""
    return [w for w in (singular(w) for w in plain_words(name)) if w not in FILLER and not w.isdigit()]


class AliasIndex:
    """The curated alias table (pipeline/vocab/aliases.json), indexed to
    find the concept a record's name stands for.

    A name is a concept's when its key is one of the concept's names
    ("Use cold packs" -> cold pack -> Ice pack), or when it holds one of them
    word for word and its other words add nothing that makes a different
    thing: generic words, and for treatments the table's ignore_words ("Wrap
    an ice pack in a towel"). A variant word ("single", "side") or two
    unrelated concepts in one name ("ice or heat") give no concept, and the
    name is matched by the fuzzy rules instead.
    """

    def __init__(self, table: AliasTable):
        self.table = table
        self.by_key: dict[tuple[str, str], str] = {}
        self.phrases: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for concept in table.concepts.values():
            for alias in (concept.label, *concept.aliases):
                key = entity_key(alias)
                for form in {key, key.replace(" ", "")}:
                    other = self.by_key.setdefault((concept.kind, form), concept.id)
                    if other != concept.id:
                        raise ValueError(f"aliases.json {table.version}: {alias!r} names both {other!r} and {concept.id!r}")
                words = tuple(_name_words(alias))
                if words:
                    self.phrases[(concept.kind, words[0])].append((words, concept.id))
        for candidates in self.phrases.values():
            candidates.sort(key=lambda pc: -len(pc[0]))

    def concept_for(self, kind: str, name: str) -> Concept | None:
        key = entity_key(name)
        concept_id = self.by_key.get((kind, key)) or self.by_key.get((kind, key.replace(" ", "")))
        if concept_id:
            return self.table.concepts[concept_id]
        words = _name_words(name)
        found: list[str] = []
        rest: list[str] = []
        position = 0
        while position < len(words):
            for phrase, cid in self.phrases.get((kind, words[position]), ()):
                if tuple(words[position:position + len(phrase)]) == phrase:
                    found.append(cid)
                    position += len(phrase)
                    break
            else:
                rest.append(words[position])
                position += 1
        if not found:
            return None
        allowed = GENERIC_WORDS | (self.table.ignore_words if kind == "treatment" else frozenset())
        if any(w in VARIANT_WORDS or w not in allowed for w in rest):
            return None
        distinct = set(found)
        for cid in distinct:  # the narrowest, when the others are its wider terms ("ibuprofen, an NSAID")
            wider = {c.id for c in self.table.broader_chain(cid)}
            if distinct - {cid} <= wider:
                return self.table.concepts[cid]
        return None


class EntityIndex:
    """Entities known so far, and the rules that match a record to one.

    A record whose name the alias table knows joins that concept's entity.
    Otherwise it joins an entity with the same key; else one whose text it
    shares word for word (a renamed paragraph); else the first entity of its
    kind and category that ``same_entity`` accepts; else it founds a new one.
    """

    def __init__(self, aliases: AliasIndex | None = None) -> None:
        self.aliases = aliases if aliases is not None else AliasIndex(load_aliases())
        self.entities: dict[str, list[Entity]] = {"treatment": [], "exercise": []}
        self.by_key: dict[tuple[str, str], Entity] = {}
        self.by_text: dict[tuple[str, str], Entity] = {}
        self.by_concept: dict[str, Entity] = {}
        self.next_id = 1

    def add(self, entity: Entity) -> None:
        self.entities[entity.kind].append(entity)
        self.by_key.setdefault((entity.kind, entity.key), entity)
        if len(entity.text_key.split()) >= 12:
            self.by_text.setdefault((entity.kind, entity.text_key), entity)
        if entity.concept:
            self.by_concept.setdefault(entity.concept, entity)
        self.next_id = max(self.next_id, entity.id + 1)

    def match(self, kind: str, name: str, text: str, category: str | None) -> tuple[Entity, bool]:
        """The entity for a record, and whether it was created for it."""
        key = entity_key(name)
        tkey = text_key(text or "", name)
        concept = self.aliases.concept_for(kind, name)
        entity = None
        if concept is not None:
            entity = self.by_concept.get(concept.id)
            if entity is None and len(tkey.split()) >= 12:
                # The same paragraph already founded an entity under a name the table does not know ("See a
                # doctor if it gets worse"): it is this concept's, and now goes by the concept's name.
                same_text = self.by_text.get((kind, tkey))
                if same_text is not None and same_text.concept is None:
                    same_text.concept, same_text.label = concept.id, concept.label
                    self.by_concept[concept.id] = same_text
                    entity = same_text
            if entity is None:
                entity = Entity(self.next_id, kind, entity_key(concept.label), concept.category or category, Counter(),
                                tkey, concept.id, concept.label)
                self.add(entity)
                entity.names[name] += 1
                return entity, True
        if entity is None:
            entity = self.by_key.get((kind, key))
        if entity is None and len(tkey.split()) >= 12:
            entity = self.by_text.get((kind, tkey))
        if entity is None:
            for candidate in self.entities[kind]:
                if (kind == "exercise" or candidate.category == category) and same_entity(candidate.key, key):
                    entity = candidate
                    break
        created = entity is None
        if entity is None:
            entity = Entity(self.next_id, kind, key, category, Counter(), tkey)
            self.add(entity)
        self.by_key.setdefault((kind, key), entity)
        if len(tkey.split()) >= 12:
            self.by_text.setdefault((kind, tkey), entity)
        entity.names[name] += 1
        return entity, created


def worth_an_entity(name: str) -> bool:
    """Junk that extraction kept without marking it unsure still makes no
    entity: a name needs letters, and a name of sentence length is a
    sentence, not a thing."""
    words = plain_words(name)
    return any(ch.isalpha() for ch in name or "") and 0 < len(words) <= 14


def run_entities(db: sqlite_utils.Database, rebuild: bool = False) -> dict:
    """Give every trusted treatment and exercise without one an entity; refresh
    names, counts and vocabulary links.

    Records extraction marked ``unsure`` never get an entity. A new version
    of the alias table rebuilds every entity, so that old merges do not
    outlive the table that made them.
    """
    started = time.monotonic()
    conn = db.conn
    table = load_aliases()
    aliases = AliasIndex(table)
    stored = conn.execute("SELECT value FROM meta WHERE key = 'alias_table_version'").fetchone()
    rebuild = rebuild or (stored is not None and stored[0] != table.version)
    with dbmod.transaction(db):
        if rebuild:
            conn.execute("UPDATE treatments SET entity_id = NULL")
            conn.execute("UPDATE exercises SET entity_id = NULL")
            conn.execute("DELETE FROM entity_links")
            conn.execute("DELETE FROM entities")
        conn.execute("UPDATE treatments SET entity_id = NULL WHERE unsure = 1 AND entity_id IS NOT NULL")
        conn.execute("UPDATE exercises SET entity_id = NULL WHERE unsure = 1 AND entity_id IS NOT NULL")
        index = EntityIndex(aliases)
        for row in conn.execute("SELECT id, kind, key, category, aliases, text_key, concept FROM entities ORDER BY id"):
            concept = table.concepts.get(row[6]) if row[6] else None
            index.add(Entity(row[0], row[1], row[2], row[3], Counter(json.loads(row[4] or "{}")), row[5] or "",
                             concept.id if concept else None, concept.label if concept else None))
        assigned = created = skipped = 0
        for kind, table_name, category_column in (("treatment", "treatments", "category"), ("exercise", "exercises", "NULL")):
            rows = conn.execute(
                f"SELECT id, name, text, {category_column} FROM {table_name} WHERE entity_id IS NULL AND unsure = 0 "
                "ORDER BY id").fetchall()
            for record_id, name, text, category in rows:
                if not worth_an_entity(name):
                    skipped += 1
                    continue
                entity, new = index.match(kind, name, text, category)
                if new:
                    conn.execute(
                        "INSERT INTO entities(id, kind, key, canonical_name, category, aliases, text_key, concept) "
                        "VALUES (?,?,?,?,?,?,?,?)",
                        (entity.id, kind, entity.key, entity.label or name, entity.category, "{}", entity.text_key,
                         entity.concept))
                    created += 1
                conn.execute(f"UPDATE {table_name} SET entity_id = ? WHERE id = ?", (entity.id, record_id))
                assigned += 1
        # Names, counts and sources are recomputed from the records: always exact.
        for kind_entities in index.entities.values():
            for entity in kind_entities:
                canonical = sorted(entity.names.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))
                name = entity.label or (canonical[0][0] if canonical else None)
                conn.execute("UPDATE entities SET aliases = ?, canonical_name = COALESCE(?, canonical_name), concept = ? "
                             "WHERE id = ?", (json.dumps(dict(entity.names), ensure_ascii=False), name, entity.concept,
                                              entity.id))
        # Copies of an article cite nothing twice: only originals are counted.
        conn.execute("""
            UPDATE entities SET
              article_count = (SELECT count(DISTINCT article_url) FROM (
                  SELECT article_url, entity_id FROM treatments UNION ALL SELECT article_url, entity_id FROM exercises
              ) r WHERE r.entity_id = entities.id AND r.article_url NOT IN (
                  SELECT url FROM article_clusters WHERE duplicate_of IS NOT NULL)),
              source_count = (SELECT count(DISTINCT a.source) FROM (
                  SELECT article_url, entity_id FROM treatments UNION ALL SELECT article_url, entity_id FROM exercises
              ) r JOIN articles a ON a.url = r.article_url WHERE r.entity_id = entities.id)""")
        conn.execute("DELETE FROM entity_links WHERE entity_id NOT IN (SELECT entity_id FROM treatments WHERE entity_id "
                     "IS NOT NULL UNION SELECT entity_id FROM exercises WHERE entity_id IS NOT NULL)")
        conn.execute("DELETE FROM entities WHERE id NOT IN (SELECT entity_id FROM treatments WHERE entity_id IS NOT NULL "
                     "UNION SELECT entity_id FROM exercises WHERE entity_id IS NOT NULL)")
        links = write_entity_links(conn, table)
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('alias_table_version', ?)", (table.version,))
    total = conn.execute("SELECT count(*) FROM entities").fetchone()[0]
    return {"records_assigned": assigned, "entities_created": created, "entities": total,
            "unsure_or_junk_skipped": skipped + conn.execute(
                "SELECT (SELECT count(*) FROM treatments WHERE unsure = 1) + "
                "(SELECT count(*) FROM exercises WHERE unsure = 1)").fetchone()[0],
            "vocabulary_links": links, "seconds": round(time.monotonic() - started, 2)}


def write_entity_links(conn, table: AliasTable) -> int:
    """entity_links from each entity's concept: what it is in the alias
    table, its wider terms, and its place in exercise vocabularies."""
    conn.execute("DELETE FROM entity_links")
    source = f"pipeline/vocab/aliases.json {table.version}"
    rows = []
    for entity_id, concept_id in conn.execute("SELECT id, concept FROM entities WHERE concept IS NOT NULL").fetchall():
        concept = table.concepts.get(concept_id)
        if concept is None:
            continue
        rows.append((entity_id, "same_as", "aliases", concept.id, concept.label, source))
        for wider in table.broader_chain(concept.id):
            rows.append((entity_id, "broader", "aliases", wider.id, wider.label, source))
        for link in concept.links:
            rows.append((entity_id, "same_as", link["vocabulary"], link["id"], concept.label,
                         f"{source}; {VOCABULARY_SOURCES.get(link['vocabulary'], link['vocabulary'])}"))
    conn.executemany("INSERT OR REPLACE INTO entity_links(entity_id, relation, vocabulary, code, label, source) "
                     "VALUES (?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


VOCABULARY_SOURCES = {
    "free-exercise-db": "free-exercise-db by yuhonas, exercises/<id>.json (public domain, Unlicense)",
}


def run_conditions(db: sqlite_utils.Database) -> dict:
    """The conditions table: every condition articles name, its curated
    concept and body region, and its ICD-10-CM code where one fits."""
    from pipeline.vocab import condition_concept, condition_region, icd10cm_link

    started = time.monotonic()
    conn = db.conn
    counts = conn.execute(
        "SELECT condition, count(*) FROM articles WHERE condition IS NOT NULL AND condition != '' AND url NOT IN "
        "(SELECT url FROM article_clusters WHERE duplicate_of IS NOT NULL) GROUP BY condition").fetchall()
    rows = []
    for name, count in counts:
        concept = condition_concept(name)
        link = icd10cm_link(name)
        rows.append((name, concept.id if concept else None, concept.label if concept else name,
                     condition_region(name), link.code if link else None, link.title if link else None,
                     link.match if link else None, link.source if link else None, count))
    with dbmod.transaction(db):
        conn.execute("DELETE FROM conditions")
        conn.executemany("INSERT INTO conditions(name, concept, label, body_region, icd10cm_code, icd10cm_title, match, "
                         "source, article_count) VALUES (?,?,?,?,?,?,?,?,?)", rows)
    return {"conditions": len(rows), "with_icd10cm": sum(1 for r in rows if r[4]),
            "seconds": round(time.monotonic() - started, 2)}


def run_dedupe(db: sqlite_utils.Database, priorities: dict[str, int] | None = None, rebuild: bool = False) -> dict:
    """Both halves of the stage, and the condition codes; returns one summary."""
    articles = run_dedupe_articles(db, priorities, rebuild)
    entities = run_entities(db, rebuild)
    conditions = run_conditions(db)
    return {"articles": articles, "entities": entities, "conditions": conditions}

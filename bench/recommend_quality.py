"""Recommendation quality and build time.

    python bench/recommend_quality.py [--articles 600] [--sizes 10000,100000]

Quality: the demo site (its articles extracted, deduplicated and curated in
a real database) with the sites' own related links of a random fifth of the
articles held out. For those articles, recall@5 and nDCG@5 of the held-out
links in our blended list, against a similarity-only list and a
popularity-only list built from the same remaining data.

Speed: time to build every list for generated corpora of 10,000 and 100,000
articles (conditions, entities and editor links drawn at random), which the
candidate narrowing keeps far from quadratic.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.recommend import Article, build_recommendations, load_corpus, ndcg_at  # noqa: E402


def demo_database(articles: int, folder: str):
    from pipeline.crawl import CrawlOptions, crawl
    from pipeline.curate import run_curate
    from pipeline.db import open_db
    from pipeline.dedupe import run_dedupe
    from pipeline.demo.server import ServerThread, site_handler
    from pipeline.demo.site import DemoSite
    from pipeline.extract.stage import run_extract
    from pipeline.sources import parse_config

    with ServerThread(site_handler(DemoSite(articles))) as server:
        config = parse_config(f'sources:\n  - name: demo\n    allow_private_addresses: true\n    start_urls: ["{server.url}/"]\n'
                              f'    sitemaps: ["{server.url}/sitemap.xml"]\n    max_pages: {articles * 2}\n')
        database = open_db(Path(folder) / "rec.db")
        crawl(database, config, options=CrawlOptions(polite=False))
    run_extract(database, config)
    run_dedupe(database)
    run_curate(database)
    return database


def evaluate(articles, links, held_out: set[str]) -> dict[str, tuple[float, float]]:
    truth: dict[str, set[str]] = {}
    for src, dst in links:
        if src in held_out:
            truth.setdefault(src, set()).add(dst)
    contenders = {
        "blended (ours)": {},
        "similarity only": {"direct": 0, "reverse": 0, "two_hop": 0, "popular": 0},
        "popularity only": {"direct": 0, "reverse": 0, "two_hop": 0, "similar": 0},
    }
    results = {}
    for name, weights in contenders.items():
        lists = build_recommendations(articles, links, k=5, hide_links_from=held_out, weights=weights)
        recalls, ndcgs = [], []
        for url, relevant in truth.items():
            ranked = [r["url"] for r in lists.get(url, [])]
            recalls.append(len(set(ranked[:5]) & relevant) / min(5, len(relevant)))
            ndcgs.append(ndcg_at(ranked, relevant, 5))
        results[name] = (statistics.mean(recalls), statistics.mean(ndcgs))
    return results


def generated(n: int, seed: int = 3) -> tuple[list[Article], list[tuple[str, str]]]:
    rng = random.Random(seed)
    conditions = [f"condition {i}" for i in range(max(20, n // 50))]
    entities = [(i, f"thing {i}") for i in range(max(50, n // 20))]
    articles = []
    for i in range(n):
        condition = rng.choice(conditions)
        words = " ".join(rng.choice(["relief", "pain", "guide", "exercises", "tips", "home", "fast", "daily"])
                         for _ in range(4))
        articles.append(Article(f"https://site{i % 7}.test/a/{i}", f"{condition} {words}", condition, f"site{i % 7}",
                                None, rng.sample(entities, rng.randint(3, 8))))
    by_condition: dict[str, list[int]] = {}
    for i, a in enumerate(articles):
        by_condition.setdefault(a.condition, []).append(i)
    links = []
    for i, a in enumerate(articles):
        same = by_condition[a.condition]
        for j in rng.sample(same, min(3, len(same))) + [rng.randrange(n)]:
            if j != i:
                links.append((a.url, articles[j].url))
    return articles, links


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = demo_database(args.articles, folder)
        articles, links = load_corpus(database)
    sources = sorted({src for src, _ in links})
    held_out = set(random.Random(11).sample(sources, len(sources) // 5))
    print(f"demo site: {len(articles)} curated articles, {len(links)} editor links; "
          f"the links of {len(held_out)} articles held out\n")
    print(f"{'contender':<18} {'recall@5':>9} {'nDCG@5':>8}")
    for name, (recall, ndcg) in evaluate(articles, links, held_out).items():
        print(f"{name:<18} {recall:>9.3f} {ndcg:>8.3f}")
    print(f"\n{'articles':>9} {'build s':>9}  (every list, k=5)")
    for n in [int(x) for x in args.sizes.split(",")]:
        corpus, corpus_links = generated(n)
        started = time.perf_counter()
        build_recommendations(corpus, corpus_links, k=5)
        print(f"{n:>9} {time.perf_counter() - started:>9.1f}")


if __name__ == "__main__":
    main()

"""The recommend stage's judgement of related blocks, relevance, diversity and
reasons: on real databases of the demo site (topical and random blocks) and
on small hand-made corpora where each rule can be seen to bite."""

import json

import numpy as np
import pytest

from pipeline.crawl import crawl
from pipeline.curate import run_curate
from pipeline.dedupe import run_dedupe
from pipeline.demo.server import site_handler
from pipeline.demo.site import DemoSite
from pipeline.extract.stage import run_extract
from pipeline.recommend import (Article, BlockUse, Corpus, EvidenceKind, Link, Recommender, build_recommendations,
                                judge_blocks, run_recommend)


def _pipeline(database, config):
    crawl(database, config)
    run_extract(database, config)
    run_dedupe(database)
    run_curate(database)
    return run_recommend(database)


def _true_condition(site, base, url):
    return site.article(site.by_path[url[len(base):]]).condition


@pytest.fixture
def random_site():
    return DemoSite(96, related="random")


def test_random_blocks_are_not_trusted_and_lists_stay_on_topic(serve, random_site, make_config, database):
    server = serve(site_handler(random_site))
    _, config = make_config(server.url)
    summary = _pipeline(database, config)
    blocks = {r["block"]: r for r in database["related_blocks"].rows}
    assert blocks["What Others Are Reading Right Now."]["judged_as"] == "untrusted"
    assert blocks["What Others Are Reading Right Now."]["weight"] == 0
    # Pages without a block: the extractor reads the sitewide "Popular" sidebar, which is popularity.
    assert blocks["Popular"]["judged_as"] == "popular" and blocks["Popular"]["sitewide"] == 1.0
    assert summary["trusted_editor_links"] == 0
    rows = list(database.conn.execute("SELECT article_url, recommended_url, reason, reason_kind, evidence FROM recommendations"))
    assert rows and not any(r[3] == "editors" or "editors" in r[2] for r in rows)
    same = [_true_condition(random_site, server.url, a) == _true_condition(random_site, server.url, b)
            for a, b, *_ in rows]
    assert sum(same) / len(same) >= 0.8  # 6 articles per condition: lists of 5 can all be on it
    popular = [json.loads(r[4]) for r in rows if r[3] == "popular"]
    assert all(e[0]["text"] == "popular on Health Guide" for e in popular)


def test_topical_blocks_are_trusted_as_editors(pipeline_with_blocks):
    database = pipeline_with_blocks
    (block,) = [r for r in database["related_blocks"].rows if r["block"].startswith("What Others")]
    assert block["judged_as"] == "editorial" and block["topical"] > block["topical_baseline"] + 0.3
    reasons = [r[0] for r in database.conn.execute("SELECT reason FROM recommendations WHERE reason_kind = 'editors'")]
    assert reasons and all(r.startswith("editors of Health Guide link these") for r in reasons)


@pytest.fixture
def pipeline_with_blocks(demo_server, make_config, database):
    _, config = make_config(demo_server.url)
    _pipeline(database, config)
    return database


def _corpus(conditions, titles=None, regions=None, sites=None):
    return [Article(f"https://{(sites or {}).get(i, 'x')}.org/{i}", (titles or {}).get(i, f"Article {i}"), c,
                    (sites or {}).get(i, "X"), "", [(i % 3, f"thing {i % 3}")], (regions or {}).get(i),
                    (sites or {}).get(i, "X"))
            for i, c in enumerate(conditions)]


def test_relevance_first_then_the_rest():
    # Editors link the first article to five others on other conditions; three articles share its condition.
    conditions = ["sciatica", "sciatica", "sciatica", "sciatica"] + ["insomnia", "migraine attacks"] * 4
    articles = _corpus(conditions)
    links = [Link(articles[0].url, articles[j].url, "Related") for j in range(4, 9)]
    top = build_recommendations(articles, links, k=5)[articles[0].url]
    assert [r["relevant"] for r in top] == [True, True, True, False, False]
    assert all(r["reason"].startswith("same condition: sciatica") for r in top[:3])


def test_same_region_counts_as_relevant_and_says_so():
    # "low back pain" has no article on its condition besides itself, but "sciatica" sits in the lower back.
    articles = _corpus(["low back pain", "sciatica", "sciatica", "insomnia", "insomnia", "a stiff neck"])
    top = build_recommendations(articles, [], k=3)[articles[0].url]
    assert {r["url"] for r in top[:2]} == {articles[1].url, articles[2].url}
    assert "same body region: lower back" in top[0]["reason"]
    assert top[0]["reason_kind"] == EvidenceKind.SAME_REGION.value


def test_condition_synonyms_are_one_condition():
    articles = _corpus(["lower back pain", "low back pain", "knee osteoarthritis"])
    top = build_recommendations(articles, [], k=1)[articles[0].url][0]
    assert top["url"] == articles[1].url and top["reason"].startswith("same condition: lower back pain")


def test_never_the_same_title_or_a_near_copy():
    signature = np.arange(128, dtype=np.uint32)
    copy = signature.copy()
    copy[:40] += 1  # 88 of 128 values shared: a near-copy (estimated Jaccard 0.69)
    stranger = signature + 1000
    articles = _corpus(["sciatica"] * 6, titles={1: "Article 0", 3: "Twin", 4: "Twin"})
    for article, sig in zip(articles, [signature, stranger, copy, stranger + 7, stranger + 9, stranger + 11]):
        article.signature = sig
    top = build_recommendations(articles, [], k=5)[articles[0].url]
    urls = [r["url"] for r in top]
    assert articles[1].url not in urls  # another article with this one's title
    assert articles[2].url not in urls  # a near-copy of it
    assert [r["title"] for r in top].count("Twin") == 1  # two articles with one title: one of them
    assert len(urls) == 2


def test_diversity_across_sites_after_relevance():
    conditions = ["sciatica"] * 9
    sites = {i: ("a" if i < 6 else "b") for i in range(9)}
    articles = _corpus(conditions, sites=sites)
    top = build_recommendations(articles, [], k=4)[articles[0].url]
    assert {r["url"].split("/")[2] for r in top} == {"a.org", "b.org"}


def test_block_judgement_popular_label_and_sitewide_targets():
    articles = _corpus(["sciatica", "insomnia", "migraine attacks", "a stiff neck"] * 10)
    n = len(articles)
    sidebar = [Link(articles[i].url, articles[j].url, "Most popular") for i in range(n) for j in (1, 2) if i != j]
    sitewide = [Link(articles[i].url, articles[j].url, "Related") for i in range(n) for j in (5, 6) if i != j]
    topical = [Link(articles[i].url, articles[(i + 4) % n].url, "See also") for i in range(n)]
    judged = judge_blocks(Corpus(articles, sidebar + sitewide + topical))
    assert judged[("X", "Most popular")].judged_as is BlockUse.POPULAR
    assert judged[("X", "Related")].judged_as is BlockUse.POPULAR and judged[("X", "Related")].sitewide == 1.0
    see_also = judged[("X", "See also")]
    assert see_also.judged_as is BlockUse.EDITORIAL and see_also.topical == 1.0 and see_also.weight > 0.5
    recommender = Recommender(articles, sidebar + sitewide + topical)
    top = recommender.list_for(0, 5)
    assert any(r["url"] == articles[4].url and r["reason_kind"] == "editors" for r in top)
    assert all("direct" not in r["signals"] for r in top if r["url"] in (articles[1].url, articles[5].url))


def test_random_block_gets_no_weight():
    import random

    rng = random.Random(5)
    articles = _corpus([c for c in ["sciatica", "insomnia", "migraine attacks", "a stiff neck", "shin splints"] * 20])
    links = [Link(a.url, articles[rng.randrange(len(articles))].url, "Related") for a in articles for _ in range(4)]
    judged = judge_blocks(Corpus(articles, links))[("X", "Related")]
    assert judged.judged_as is BlockUse.UNTRUSTED and judged.weight == 0
    assert abs(judged.topical - judged.topical_baseline) < 0.15


def test_evidence_names_shared_entities_by_their_recognised_names():
    articles = [Article("https://x.org/0", "A", "sciatica", "X", "", [(1, "Ice pack"), (2, "Child's pose")]),
                Article("https://x.org/1", "B", "insomnia", "X", "", [(1, "Ice pack"), (2, "Child's pose")]),
                Article("https://x.org/2", "C", "migraine attacks", "X", "", [(3, "Yoga")])]
    top = build_recommendations(articles, [], k=1)[articles[0].url][0]
    assert top["url"] == articles[1].url
    assert {"kind": "shared", "text": "also covers: ice pack, child's pose"} in top["evidence"]

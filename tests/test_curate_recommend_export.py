"""Curation and recommendations over a real database of the demo site (the export: test_export.py)."""

import json

import pytest

from pipeline.crawl import crawl
from pipeline.curate import CurationRules, Exclusion, Rule, first_failed_rule, run_curate
from pipeline.dedupe import run_dedupe
from pipeline.errors import ConfigError
from pipeline.extract.stage import run_extract
from pipeline.recommend import Article, build_recommendations, load_pageviews, most_read, ndcg_at, run_recommend



@pytest.fixture
def pipeline_db(demo_server, make_config, database):
    """The demo site crawled, extracted, deduplicated, curated and recommended."""
    _, config = make_config(demo_server.url)
    crawl(database, config)
    run_extract(database, config)
    run_dedupe(database)
    run_curate(database)
    run_recommend(database)
    return database


def test_curation_rules_in_order():
    rules = CurationRules(min_words=100, languages=("en",))
    good = {"url": "u", "language": "en", "word_count": 300, "treatment_count": 2, "exercise_count": 0}
    assert first_failed_rule(good, rules) is None
    assert first_failed_rule({**good, "duplicate_of": "v"}, rules) == Exclusion(Rule.DUPLICATE, "of v")
    assert first_failed_rule({**good, "treatment_count": 0}, rules) == Exclusion(Rule.NO_ITEMS)
    assert first_failed_rule({**good, "language": None}, rules) == Exclusion(Rule.NO_LANGUAGE)
    assert first_failed_rule({**good, "language": "de"}, rules) == Exclusion(Rule.LANGUAGE, "de is not in en")
    assert first_failed_rule({**good, "word_count": 50}, rules) == Exclusion(Rule.TOO_SHORT, "50 words < 100")
    # Only a confirmed removal or a permanent move takes a page's article out; a failed fetch does not.
    assert first_failed_rule({**good, "page_outcome": "failed", "page_status": 503}, rules) is None
    assert first_failed_rule({**good, "page_outcome": "blocked"}, rules) is None
    assert first_failed_rule({**good, "page_outcome": "redirect", "page_status": 302}, rules) is None
    assert first_failed_rule({**good, "page_outcome": "removed", "page_detail": "HTTP 404 on 2 runs in a row"},
                             rules) == Exclusion(Rule.REMOVED, "HTTP 404 on 2 runs in a row")
    assert first_failed_rule({**good, "page_outcome": "redirect", "page_status": 301, "page_target": "w"},
                             rules) == Exclusion(Rule.MOVED, "to w")


def test_curation_settings_are_validated():
    assert CurationRules.from_settings({"curate": {"min_words": 10, "languages": ["EN"]}}).languages == ("en",)
    with pytest.raises(ConfigError, match="settings.curate: unknown key 'min_word'"):
        CurationRules.from_settings({"curate": {"min_word": 10}}, "s.yaml")
    with pytest.raises(ConfigError, match="key 'min_words'"):
        CurationRules.from_settings({"curate": {"min_words": -1}}, "s.yaml")


def test_curated_set_excludes_duplicates_with_their_rule(pipeline_db, demo_site):
    rows = {r["url"]: r for r in pipeline_db["curation"].rows}
    copies = [r for u, r in rows.items() if "/print/" in u or "/partners/" in u]
    assert copies and all(not r["included"] and r["excluded_by"] == "duplicate" and r["detail"].startswith("of http")
                          for r in copies)
    assert pipeline_db.conn.execute("SELECT count(*) FROM curated_articles").fetchone()[0] == demo_site.n


def test_recommendations_are_never_self_duplicate_or_uncurated(pipeline_db):
    curated = {r[0] for r in pipeline_db.conn.execute("SELECT url FROM curated_articles")}
    lists = {}
    for row in pipeline_db["recommendations"].rows:
        lists.setdefault(row["article_url"], []).append(row)
    assert set(lists) == curated
    for url, items in lists.items():
        assert [i["rank"] for i in items] == list(range(1, 6))
        targets = [i["recommended_url"] for i in items]
        assert url not in targets and len(set(targets)) == len(targets)
        assert set(targets) <= curated
        assert all(i["reason"] for i in items)
        # Relevant items (same condition or body region) first; scores fall within each tier.
        relevant = [any(e["kind"] in ("same_condition", "same_region") for e in json.loads(i["evidence"])) for i in items]
        assert relevant == sorted(relevant, reverse=True)
        for tier in (True, False):
            scores = [i["score"] for i, r in zip(items, relevant) if r is tier]
            assert scores == sorted(scores, reverse=True)


def test_editor_links_come_first_with_a_readable_reason(pipeline_db, demo_server, demo_site):
    base = demo_server.url
    article = demo_site.article(3)
    editors = {base + demo_site.article(j).path for j in demo_site.related_for(3)}
    rows = list(pipeline_db.conn.execute(
        "SELECT recommended_url, reason FROM recommendations WHERE article_url = ? ORDER BY rank", (base + article.path,)))
    assert rows[0][0] in editors and "editors of Health Guide link these" in rows[0][1]


def _articles(n, condition=lambda i: "back pain"):
    return [Article(f"https://x.org/{i}", f"Article {i}", condition(i), "X", "", [(i % 3, f"thing {i % 3}")])
            for i in range(n)]


def test_diversity_mixes_conditions_after_relevance():
    # Three back pain articles besides the first: the list takes them first (relevance), then mixes the
    # other conditions rather than filling up with one of them (diversity).
    conditions = ["back pain"] * 4 + ["neck pain"] * 4 + ["insomnia"] * 4
    articles = _articles(12, condition=lambda i: conditions[i])
    links = [("https://x.org/0", f"https://x.org/{j}") for j in range(1, 12)]
    lists = build_recommendations(articles, links, k=5)
    chosen = [articles[int(r["url"].rsplit("/", 1)[1])].condition for r in lists["https://x.org/0"]]
    assert chosen[:3] == ["back pain"] * 3 and set(chosen[3:]) == {"neck pain", "insomnia"}


def test_hidden_links_are_not_used():
    articles = _articles(6)
    links = [("https://x.org/0", "https://x.org/5")]
    shown = {r["url"]: r for r in build_recommendations(articles, links, k=5)["https://x.org/0"]}
    hidden = build_recommendations(articles, links, k=5, hide_links_from={"https://x.org/0"})["https://x.org/0"]
    assert "direct" in shown["https://x.org/5"]["signals"]
    assert all("direct" not in r["signals"] for r in hidden)


def test_pageviews_files(tmp_path):
    csv_file = tmp_path / "views.csv"
    csv_file.write_text("url,count\nhttps://x.org/a?utm_source=n,10\nhttps://x.org/b,3\n")
    assert load_pageviews(str(csv_file)) == {"https://x.org/a": 10, "https://x.org/b": 3}
    events = tmp_path / "events.jsonl"
    events.write_text('{"url": "https://x.org/a"}\n{"url": "https://x.org/a"}\n{"url": "https://x.org/b", "count": 5}\n')
    assert load_pageviews(str(events)) == {"https://x.org/a": 2, "https://x.org/b": 5}
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"url": "https://x.org/a"}\nnot json\n')
    with pytest.raises(ConfigError, match="bad.jsonl: line 2"):
        load_pageviews(str(bad))


def test_most_read_prefers_real_readership():
    articles = _articles(4)
    links = [("https://x.org/1", "https://x.org/2"), ("https://x.org/3", "https://x.org/2")]
    assert most_read(articles, links)[0]["url"] == "https://x.org/2"
    top = most_read(articles, links, {"https://x.org/3": 50})
    assert top[0]["url"] == "https://x.org/3" and top[0]["reason"] == "50 page views"


def test_ndcg():
    assert ndcg_at(["a", "b"], {"a", "b"}) == pytest.approx(1.0)
    assert ndcg_at(["c", "a"], {"a"}) == pytest.approx(0.6309, abs=1e-3)

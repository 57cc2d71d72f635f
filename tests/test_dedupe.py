"""Dedupe: signatures, LSH, clusters and entities, on real databases and real pages."""

import numpy as np
import pytest

from pipeline import dedupe
from pipeline.crawl import crawl
from pipeline.dedupe import (EntityIndex, entity_key, jaccard, minhash, run_dedupe, same_entity, shingles,
                             signatures_for, text_hash)
from pipeline.extract import extract_page
from pipeline.extract.stage import run_extract

from conftest import CORPUS, needs_shared

WORDS = ("rest ice stretch back neck pain muscle doctor heat spine knee hip walk sleep water posture "
         "gentle daily week relief swelling joint calf hamstring shoulder core strength balance").split()


def text(seed: int, n: int = 400) -> str:
    rng = np.random.default_rng(seed)
    return " ".join(rng.choice(WORDS, n)) + f" unique{seed}"


def test_text_hash_ignores_case_punctuation_and_spacing():
    assert text_hash("Rest, then ICE   the knee!") == text_hash("rest then ice the knee")
    assert text_hash("rest then ice the knee") != text_hash("rest then heat the knee")


def test_batch_signatures_equal_one_by_one():
    texts = [text(i) for i in range(40)] + ["", "two words", "exactly five words right here"]
    assert (signatures_for(texts) == minhash([shingles(t) for t in texts])).all()


def test_signatures_are_stable_across_processes():
    import subprocess
    import sys

    code = "from pipeline.dedupe import signatures_for; print(signatures_for(['back pain gets better with rest and time'])[0][:8].tolist())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONHASHSEED": "123"})
    assert out.stdout.strip() == str(signatures_for(["back pain gets better with rest and time"])[0][:8].tolist())


def test_minhash_estimates_jaccard():
    base = text(1, 1000).split()
    edited = list(base)
    rng = np.random.default_rng(0)
    for k in rng.choice(len(edited), 40, replace=False):
        edited[k] = "changed"
    a, b = shingles(" ".join(base)), shingles(" ".join(edited))
    sa, sb = minhash([a, b])
    assert abs(dedupe.estimated_jaccard(sa, sb) - jaccard(a, b)) < 0.12


def test_lsh_finds_near_copies_and_not_strangers():
    texts = [text(i) for i in range(300)]
    copy = texts[10].split()
    copy[50] = "different"
    texts.append(" ".join(copy))
    signatures = signatures_for(texts)
    pairs = dedupe.candidate_pairs(dedupe.band_keys(signatures))
    assert (10, 300) in pairs
    verified = [(i, j) for i, j in pairs if jaccard(shingles(texts[i]), shingles(texts[j])) >= 0.8]
    assert verified == [(10, 300)]
    # Two new documents that copy each other are found by an incremental query.
    texts.append(" ".join(copy[:-1] + ["tail"]))
    signatures = signatures_for(texts)
    assert (300, 301) in dedupe.candidate_pairs(dedupe.band_keys(signatures), query=np.array([300, 301]))
    # Incremental: only pairs involving the query are returned.
    only_new = dedupe.candidate_pairs(dedupe.band_keys(signatures), query=np.array([300]))
    assert (10, 300) in only_new and all(300 in p for p in only_new)


def test_demo_planted_copies_are_clustered(demo_server, demo_site, make_config, database):
    _, config = make_config(demo_server.url)
    crawl(database, config)
    run_extract(database, config)
    summary = run_dedupe(database, {"site": 5})
    base = demo_server.url
    planted = {tuple(sorted((base + a, base + b))) for a, b, _ in demo_site.planted_duplicates()}
    found = {tuple(sorted((r["url_a"], r["url_b"]))) for r in database["duplicate_pairs"].rows}
    assert found == planted
    kinds = {r["url_b"] if "/print/" in r["url_b"] else r["url_a"]: r["kind"] for r in database["duplicate_pairs"].rows}
    assert all(kind == "exact" for url, kind in kinds.items() if "/print/" in url)
    # The representative is the original: copies hold the same lists, and only the
    # original names itself as canonical.
    for row in database["article_clusters"].rows:
        if row["duplicate_of"]:
            assert "/print/" in row["url"] or "/partners/" in row["url"]
            assert row["similarity"] >= 0.8
    assert summary["articles"]["duplicates"] == len(planted)


def test_incremental_run_equals_rebuild(demo_server, make_config, database):
    _, config = make_config(demo_server.url)
    crawl(database, config)
    run_extract(database, config)
    first = run_dedupe(database)
    second = run_dedupe(database)
    assert second["articles"]["signed"] == 0 and second["entities"]["records_assigned"] == 0

    def snapshot():
        return (sorted(tuple(r.values()) for r in database["duplicate_pairs"].rows),
                sorted((r["url"], r["representative"]) for r in database["article_clusters"].rows),
                sorted((r["canonical_name"], r["article_count"]) for r in database["entities"].rows))

    before = snapshot()
    rebuilt = run_dedupe(database, rebuild=True)
    assert snapshot() == before
    assert rebuilt["articles"]["signed"] == first["articles"]["signed"]


def test_representative_rules():
    priorities = {"a": 0, "b": 10}
    articles = [
        {"url": "https://a.org/x", "source": "a", "treatment_count": 5, "exercise_count": 2, "word_count": 900},
        {"url": "https://b.org/x", "source": "b", "treatment_count": 1, "exercise_count": 0, "word_count": 300},
    ]
    best = min(articles, key=lambda a: dedupe.representative_key(a, priorities))
    assert best["source"] == "b"  # source priority first
    best = min(articles, key=lambda a: dedupe.representative_key(a, {}))
    assert best["source"] == "a"  # then the most complete record


@pytest.mark.parametrize("a, b", [
    ("Use a heating pad", "Heating pads"), ("Apply heat with a heating pad", "Use a heating pad"),
    ("Cat-cow stretch", "Cat cow stretches"), ("Child's pose", "Childs pose"), ("Push-ups", "Pushups"),
])
def test_same_entity(a, b):
    assert same_entity(entity_key(a), entity_key(b))


@pytest.mark.parametrize("a, b", [
    ("Apply heat", "Apply ice"), ("Use a heating pad", "Use an ice pack"), ("Side plank", "Plank"),
    ("Burpee pull-ups", "Pull-ups"), ("Single knee-to-chest stretch", "Knee-to-chest stretch"),
    ("Hamstring stretch", "Hip flexor stretch"), ("Wall sit", "Wall angels"),
])
def test_different_entities(a, b):
    assert not same_entity(entity_key(a), entity_key(b))


def test_entity_index_merges_renamed_paragraphs():
    index = EntityIndex()
    body = "Kneel on all fours with your hands under your shoulders and arch your back up like a cat then let it sink"
    first, created = index.match("exercise", "Cat-cow stretch", "Cat-cow stretch. " + body, None)
    second, created_again = index.match("exercise", "Hump and sag technique", body, None)
    assert created and not created_again and first is second


def test_entities_in_database_link_records(demo_server, make_config, database):
    _, config = make_config(demo_server.url)
    crawl(database, config)
    run_extract(database, config)
    run_dedupe(database)
    unlinked = database.conn.execute("SELECT count(*) FROM treatments WHERE entity_id IS NULL").fetchone()[0]
    assert unlinked == 0
    heat = [r for r in database["entities"].rows if r["category"] == "heat"]
    cold = [r for r in database["entities"].rows if r["category"] == "cold"]
    assert heat and cold and not {r["id"] for r in heat} & {r["id"] for r in cold}
    for entity in database["entities"].rows:
        (count,) = database.conn.execute(
            "SELECT count(DISTINCT article_url) FROM (SELECT article_url, entity_id FROM treatments UNION ALL "
            "SELECT article_url, entity_id FROM exercises) WHERE entity_id = ? AND article_url NOT IN "
            "(SELECT url FROM article_clusters WHERE duplicate_of IS NOT NULL)", (entity["id"],)).fetchone()
        assert count == entity["article_count"]
    assert database.conn.execute("PRAGMA foreign_key_check").fetchall() == []


@needs_shared(CORPUS)
def test_real_same_article_captures_are_duplicates_and_retellings_are_not():
    def body(name):
        return extract_page((CORPUS / f"{name}.html").read_bytes(), f"https://example.org/{name}")["body"]

    for a, b in [("espn__michael-vick-practice", "espn__michael-vick-practice--copy2"),
                 ("lifehacker__stop-buying-crap", "lifehacker__stop-buying-crap--comments-loaded"),
                 ("bevvy__irish-coffee-2018", "bevvy__irish-coffee-2019")]:
        assert jaccard(shingles(body(a)), shingles(body(b))) >= 0.8, (a, b)
    stories = ["livescience__feather-duvet-lung", "forbes__feather-duvet-lung", "gizmodo__feather-duvet-lung"]
    sets = [shingles(body(n)) for n in stories]
    assert all(jaccard(x, y) < 0.3 for i, x in enumerate(sets) for y in sets[i + 1:])

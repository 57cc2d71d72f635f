"""The curated vocabularies (pipeline/vocab/) and the entities built with
them: synonyms merged, wider terms linked not merged, unsure records left
out, conditions linked to ICD-10-CM codes from the offline package."""

import json
from itertools import combinations
from pathlib import Path

import pytest

from pipeline import db as dbmod
from pipeline.dedupe import AliasIndex, EntityIndex, run_conditions, run_entities
from pipeline.vocab import (AliasTable, body_region_of, condition_key, condition_named_in, icd10cm_link, load_aliases,
                            load_conditions, normalise_region, same_region)

ROOT = Path(__file__).resolve().parent.parent


def test_every_curated_code_is_in_icd10cm_with_its_official_title():
    from pipeline.vocab import _icd

    cm = _icd()
    concepts = {c.id: c for c in load_conditions().by_alias.values()}
    assert len(concepts) >= 30
    for concept in concepts.values():
        if concept.code is None:
            continue
        assert cm.is_valid_item(concept.code), concept
        assert concept.title == cm.get_description(concept.code), concept
        link = icd10cm_link(concept.aliases[0])
        assert link.code == concept.code and link.title == concept.title
        assert "simple-icd-10-cm" in link.source and link.match in ("exact", "close")


def test_conditions_without_a_table_entry_link_only_by_an_exact_title():
    assert icd10cm_link("Gout").code == "M10" and icd10cm_link("Gout").match == "title"
    assert icd10cm_link("shin splints") is None  # in the table on purpose without a code: none fits
    assert icd10cm_link("feeling a bit off") is None


def test_a_headline_names_a_condition_by_its_longest_alias():
    assert condition_named_in("Best Office Chairs for Back Pain Relief") == "back pain"
    assert condition_named_in("How to Ease Lower Back Pain at Work") == "lower back pain"  # not "back pain"
    assert condition_named_in("Stress fractures in runners") == "stress fractures"  # not "stress"
    assert condition_named_in("Mindfulness Lowers Stress in Anxiety Disorder") == "anxiety disorder"
    assert condition_named_in("Alzheimer's Disease: What to Know") == "alzheimer's disease"
    assert condition_key(condition_named_in("How to beat the flu")) == condition_key("influenza")
    assert condition_named_in("How to Get Rid of Head Lice Fast") == "head lice"
    assert condition_named_in("Sonnenbrand: Was hilft?") == "sonnenbrand"
    assert condition_key(condition_named_in("Pink Eye in Children")) == condition_key("conjunctivitis")
    assert condition_named_in("Cold Brew at Home") is None  # not_in_headlines
    assert condition_named_in("How to Repot a Fern") is None and condition_named_in(None) is None


def test_condition_synonyms_share_a_key():
    assert condition_key("lower back pain") == condition_key("Low back pain") == condition_key("lumbago")
    assert condition_key("a stiff neck") == condition_key("neck pain")
    assert condition_key("sciatica") != condition_key("lower back pain")
    assert condition_key("something new") == "something new"


def test_body_regions():
    assert body_region_of("How To Treat Runner's Knee at Home") == "knee"
    assert body_region_of("Relief for Upper Back Stiffness") == "upper back"
    assert body_region_of("Get Back to Running After a Break") is None
    assert body_region_of(None, "", "Ischias: was hilft?") == "lower back"
    assert normalise_region("Lumbar") == "lower back" and normalise_region("KNEE") == "knee"
    assert same_region("back", "lower back") and same_region("lower back", "lower back")
    assert not same_region("lower back", "upper back") and not same_region(None, "knee")


def test_alias_table_is_consistent():
    table = load_aliases()
    AliasIndex(table)  # raises if one name belongs to two concepts
    assert all(w in table.concepts for c in table.concepts.values() for w in c.broader)
    assert {c.kind for c in table.concepts.values()} == {"treatment", "exercise"}
    links = [link for c in table.concepts.values() for link in c.links]
    assert links and all(link["vocabulary"] == "free-exercise-db" and link["id"] for link in links)


def test_one_name_for_two_concepts_is_refused():
    table = load_aliases()
    ice, heat = table.concepts["ice-pack"], table.concepts["heating-pad"]
    broken = AliasTable("test", {"ice-pack": ice, "heating-pad": heat.__class__(**{**heat.__dict__, "aliases": ("ice pack",)})},
                        frozenset())
    with pytest.raises(ValueError, match="names both"):
        AliasIndex(broken)


def _entity(index, kind, name, category=None):
    return index.match(kind, name, "", category)[0]


def test_synonyms_merge_and_wider_terms_do_not():
    index = EntityIndex()
    ice = [_entity(index, "treatment", n, "cold") for n in
           ("Apply an ice pack", "Cold compress", "Use cold packs", "Wrap an ice pack in a towel")]
    assert len({e.id for e in ice}) == 1 and ice[0].label == "Ice pack"
    ibuprofen = _entity(index, "treatment", "Take ibuprofen for pain", "medication")
    naproxen = _entity(index, "treatment", "Aleve", "medication")
    nsaid = _entity(index, "treatment", "Anti-inflammatory medicine", "medication")
    assert len({ibuprofen.id, naproxen.id, nsaid.id}) == 3
    table = load_aliases()
    assert [c.id for c in table.broader_chain(ibuprofen.concept)] == ["nsaid", "pain-reliever"]
    # A variant is not the exercise, and two concepts in one name are neither.
    knee = _entity(index, "exercise", "Knees to chest")
    single = _entity(index, "exercise", "Single knee-to-chest stretch")
    assert knee.concept == "knee-to-chest" and single.concept is None and single.id != knee.id
    assert index.aliases.concept_for("treatment", "Ice or heat") is None
    assert index.aliases.concept_for("exercise", "Neck stretch") is None  # body words never ignored for exercises


def test_a_known_name_adopts_the_entity_its_paragraph_founded():
    index = EntityIndex()
    text = "Get medical help if the pain is severe, lasts more than a few weeks, or comes with fever or numbness."
    first = _entity_with_text(index, "See a doctor if it gets worse", text)
    assert first.concept is None
    second = _entity_with_text(index, "Talk to your doctor", text)
    assert second is first and first.concept == "doctor" and first.label == "See a doctor"
    # A paragraph shared with another concept's entity does not merge two concepts.
    pills = "A nonsteroidal anti-inflammatory drug such as ibuprofen or naproxen eases pain and swelling when taken"
    otc = _entity_with_text(index, "Take an over-the-counter pain reliever", pills)
    nsaid = _entity_with_text(index, "Try anti-inflammatory medicine", pills)
    assert otc.concept == "pain-reliever" and nsaid.concept == "nsaid" and otc is not nsaid


def _entity_with_text(index, name, text):
    return index.match("treatment", name, text, "professional care")[0]


def test_entity_sample_merges_at_precision_one():
    sample = json.loads((ROOT / "bench" / "entity_sample.json").read_text())
    assert sum(len(g["names"]) for g in sample["groups"]) >= 200
    index = EntityIndex()
    assigned = [(g, _entity(index, group["kind"], name, group.get("category")).id)
                for g, group in enumerate(sample["groups"]) for name in group["names"]]
    merged = [(a, b) for a, b in combinations(assigned, 2) if a[1] == b[1]]
    gold = [(a, b) for a, b in combinations(assigned, 2) if a[0] == b[0]]
    assert all(a[0] == b[0] for a, b in merged)  # precision 1.0
    assert sum(a[0] == b[0] for a, b in merged) / len(gold) >= 0.9


@pytest.fixture
def items_db(database):
    conn = database.conn
    conn.execute("INSERT INTO sources(name) VALUES ('s')")
    for n, condition in enumerate(["lower back pain", "sciatica", "gout", "feeling off"]):
        url = f"https://s.org/{n}"
        conn.execute("INSERT INTO pages(url, source, outcome, first_seen_at, fetched_at) VALUES (?, 's', 'ok', 'x', 'x')", (url,))
        conn.execute("INSERT INTO articles(url, source, title, condition) VALUES (?, 's', ?, ?)", (url, f"T{n}", condition))
    rows = [("https://s.org/0", 1, "Apply an ice pack", 0), ("https://s.org/1", 1, "Cold compress", 0),
            ("https://s.org/2", 1, "Take ibuprofen", 0), ("https://s.org/3", 1, "Subscribe to our newsletter", 1),
            ("https://s.org/0", 2, "Heating pads", 0)]
    conn.executemany("INSERT INTO treatments(article_url, position, name, category, unsure) VALUES (?, ?, ?, 'other', ?)", rows)
    conn.execute("INSERT INTO exercises(article_url, position, name, unsure) VALUES ('https://s.org/0', 1, 'Planks', 0)")
    return database


def test_entities_in_the_database(items_db):
    summary = run_entities(items_db)
    conn = items_db.conn
    unsure = conn.execute("SELECT entity_id FROM treatments WHERE unsure = 1").fetchall()
    assert unsure == [(None,)]
    assert conn.execute("SELECT count(*) FROM entities WHERE canonical_name LIKE '%newsletter%'").fetchone()[0] == 0
    ice = conn.execute("SELECT id, canonical_name, article_count FROM entities WHERE concept = 'ice-pack'").fetchall()
    assert ice and ice[0][1:] == ("Ice pack", 2)
    links = {(r[0], r[1], r[2]) for r in conn.execute(
        "SELECT e.concept, l.relation, l.code FROM entity_links l JOIN entities e ON e.id = l.entity_id")}
    assert ("ibuprofen", "broader", "nsaid") in links and ("ice-pack", "broader", "cold-therapy") in links
    assert ("plank", "same_as", "Plank") in links  # free-exercise-db
    source = conn.execute("SELECT source FROM entity_links WHERE vocabulary = 'free-exercise-db'").fetchone()[0]
    assert "public domain" in source
    assert summary["unsure_or_junk_skipped"] == 1
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_new_alias_table_version_rebuilds_entities(items_db):
    run_entities(items_db)
    conn = items_db.conn
    conn.execute("UPDATE meta SET value = 'older' WHERE key = 'alias_table_version'")
    conn.execute("UPDATE entities SET canonical_name = 'stale' WHERE concept = 'ice-pack'")
    run_entities(items_db)
    assert conn.execute("SELECT count(*) FROM entities WHERE canonical_name = 'stale'").fetchone()[0] == 0
    assert conn.execute("SELECT value FROM meta WHERE key = 'alias_table_version'").fetchone()[0] == load_aliases().version


def test_conditions_table_links_icd10cm(items_db):
    summary = run_conditions(items_db)
    rows = {r["name"]: r for r in items_db["conditions"].rows}
    assert rows["lower back pain"]["icd10cm_code"] == "M54.5" and rows["lower back pain"]["body_region"] == "lower back"
    assert rows["sciatica"]["icd10cm_title"] == "Sciatica"
    assert rows["gout"]["icd10cm_code"] == "M10" and rows["gout"]["match"] == "title"
    assert rows["feeling off"]["icd10cm_code"] is None
    assert summary == {**summary, "conditions": 4, "with_icd10cm": 3}


def test_old_database_gains_the_new_columns(tmp_path):
    import sqlite3

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE entities (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, canonical_name TEXT NOT NULL, "
                 "key TEXT NOT NULL, category TEXT, aliases TEXT, text_key TEXT, article_count INTEGER NOT NULL DEFAULT 0, "
                 "source_count INTEGER NOT NULL DEFAULT 0)")
    conn.close()
    database = dbmod.open_db(path)
    assert "concept" in {r[1] for r in database.conn.execute("PRAGMA table_info(entities)")}
    database.close()

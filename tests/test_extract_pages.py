"""Table-driven tests from saved pages: each tests/pages/NAME.json names a page
of ../shared/corpus and what extraction must yield from it (treatments and
exercises with their facts, matched as LABELING.md says: one to one, no
item missing, none extra). One page per way of marking a list up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.extract import extract_page
from pipeline.extract.evaluation import match_names

from conftest import SHARED, needs_shared

CASES = sorted(Path(__file__).with_name("pages").glob("*.json"))


@needs_shared(SHARED / "corpus")
@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_saved_page(case):
    expected = json.loads(case.read_text())
    record = extract_page((SHARED / "corpus" / expected["page"]).read_bytes(), expected["url"], site_rules=False)
    assert record["status"] == "article", record["reason"]
    got = [t["name"] for t in record["treatments"]]
    matched = match_names(got, expected["treatments"])
    assert len(matched) == len(expected["treatments"]) == len(got), (got, expected["treatments"])
    got = [e["name"] for e in record["exercises"]]
    want = [e["name"] for e in expected["exercises"]]
    matched = match_names(got, want)
    assert len(matched) == len(want) == len(got), (got, want)
    for i, j in matched:
        for fact in ("hold_seconds", "reps", "sets"):
            assert record["exercises"][i][fact] == expected["exercises"][j][fact], (want[j], fact)
    for item in record["treatments"] + record["exercises"]:
        assert item["section_kind"] in ("treatments", "exercises")
        assert 0.0 <= item["confidence"] <= 1.0

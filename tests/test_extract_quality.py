"""Extraction quality on the hand-labelled real pages, leave-one-site-out.

The floors sit just under what the extractor reaches today (bench/extract_quality.py
prints the figures and the goals); a change that makes extraction worse on
sites it was not tuned for fails here. The shipped model must be exactly what
training on these pages gives.
"""

from __future__ import annotations

import pytest

from pipeline.extract import training
from pipeline.extract.evaluation import changed_pages, goals, load_labelled_pages, page_errors, totals
from pipeline.extract.scoring import MODEL_PATH

from conftest import SHARED, needs_shared

CORPUS = SHARED / "corpus"


@pytest.fixture(scope="module")
def pages():
    return load_labelled_pages(CORPUS)


@pytest.fixture(scope="module")
def rows(pages):
    return training.group_rows(pages)


@pytest.fixture(scope="module")
def loso(pages, rows):
    return training.leave_one_site_out(pages, rows)


@needs_shared(CORPUS / "labels-real-2025.json")
def test_both_label_files_are_read(pages):
    assert {p.set_name for p in pages} == {"real", "real-2025"}
    assert len(pages) >= 115
    assert len({p.site for p in pages}) >= 100


@needs_shared(CORPUS / "labels-real-2025.json")
def test_leave_one_site_out_floors(loso):
    both = totals(loso)
    assert both.both.f1 >= 0.865, both.both.line()
    assert both.both.precision >= 0.91, both.both.line()
    assert both.treatments.f1 >= 0.85, both.treatments.line()
    assert both.exercises.f1 >= 0.905, both.exercises.line()
    assert both.facts >= 0.95, (both.facts_agree, both.facts_total)
    assert both.negative_items <= 5
    assert both.related.f1 >= 0.83, both.related.line()


@needs_shared(CORPUS / "labels-real-2025.json")
def test_goals_are_judged_on_unrounded_figures(loso):
    """The benchmark's last lines: each goal, met or not, on the figure
    itself. An F1 printed as 0.85 that is 0.8499 is not met."""
    t = totals(loso)
    judged = {goal.name: goal for goal in goals(t, True)}
    assert judged["both F1 >= 0.85"].value == t.both.f1
    assert judged["both F1 >= 0.85"].met == (t.both.f1 >= 0.85)
    assert judged["items from negative pages <= 5"].met == (t.negative_items <= 5)
    from pipeline.extract.evaluation import Counts, Totals

    near = Totals(treatments=Counts(237, 25, 60))  # F1 0.848: printed to two decimals, 0.85
    assert f"{near.both.f1:.2f}" == "0.85"
    assert not goals(near, False)[0].met and not goals(near, False)[-1].met
    assert goals(near, False)[0].line().endswith("NOT MET")


@needs_shared(CORPUS / "labels-real-2025.json")
def test_older_pages_of_real(loso):
    """The 75 pages of real/ (19 advice, 56 negatives), the older layouts:
    FAQs whose questions are bold lines, unclosed tags, plan tables."""
    older = totals([s for s in loso if s.page.set_name == "real"])
    assert older.both.f1 >= 0.85, older.both.line()
    assert older.negative_items == 0


@needs_shared(CORPUS / "labels-real-2025.json")
def test_sites_nobody_tuned_for(loso):
    """The 2025-26 pages: 40 sites, the set the issue measured at F1 0.21."""
    recent = totals([s for s in loso if s.page.set_name == "real-2025"])
    assert recent.both.f1 >= 0.87, recent.both.line()
    assert recent.treatments.f1 >= 0.86, recent.treatments.line()
    assert recent.related.f1 >= 0.86, recent.related.line()


@needs_shared(CORPUS / "labels-real-2025.json")
def test_shipped_model_is_what_training_gives(pages, rows):
    """Training is reproducible, and model.json is not stale: the same pages
    and labels give the committed file byte for byte."""
    assert training.model_payload(pages, rows, CORPUS) == MODEL_PATH.read_text()


@needs_shared(CORPUS / "labels-real-2025.json")
def test_a_change_is_read_page_by_page(loso, tmp_path):
    """bench/extract_quality.py --save / --compare: a run's errors survive a
    JSON round trip, a run compared with itself changes nothing, and a page
    whose wrong item went away and whose label went missing is named with both."""
    import json

    before = page_errors(loso)
    saved = tmp_path / "errors.json"
    saved.write_text(json.dumps(before, ensure_ascii=False))
    assert json.loads(saved.read_text()) == before
    assert changed_pages(before, before) == []
    page, errors = next((p, e) for p, e in before.items() if e["extra treatments"] and not e["missing treatments"])
    after = json.loads(saved.read_text())
    after[page]["extra treatments"] = errors["extra treatments"][1:]
    after[page]["missing treatments"] = ["Ice the knee"]
    assert changed_pages(before, after) == [
        f"  {page}",
        "      treatments now missed: ['Ice the knee']",
        f"      treatments no longer wrong: {errors['extra treatments'][:1]}"]


"""The probe pages (tests/probes/FAMILY/NAME.html with its NAME.json):
synthetic pages in the markup of sites nobody tuned for, their expected
items written from LABELING.md before the extractor first ran on them (see
tests/probes/README.md). Each family keeps a floor just under what it reads
now, so a change that loses a shape shows here; the pages a rule was
written for must stay exact. ``bench/extract_probes.py --verbose`` prints
what each page misses."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract import extract_page
from pipeline.extract.evaluation import load_probes, probe_totals, score_probe

PROBES = Path(__file__).with_name("probes")

# family: (F1 of treatments+exercises, precision, facts, related F1, items from negative pages at most)
FLOORS = {
    "cms2": (0.97, 0.98, 0.97, 0.98, 0),
    "fr_es": (0.96, 0.98, 0.98, 0.98, 0),
    "programs": (0.95, 0.97, 0.95, 0.97, 0),
    "shapes": (0.94, 0.97, 0.99, 0.97, 0),
    "guides": (0.97, 0.98, 0.88, 0.95, 0),
    "topics": (0.95, 0.99, 0.95, 0.92, 0),
    "markup": (0.98, 0.99, 0.93, 0.86, 0),
    "conditions": (0.89, 0.94, 0.92, 0.91, 0),
    "fitness": (0.94, 0.95, 0.92, 0.93, 0),
    "multilingual": (0.91, 0.99, 0.86, 0.92, 0),
    "negatives": (0.79, 0.94, 0.99, 0.91, 0),
    "news": (0.92, 0.94, 0.96, 0.89, 0),
    "steps": (0.90, 0.90, 0.88, 0.85, 0),
    "wellbeing": (0.88, 0.94, 0.93, 0.94, 0),
    "builders": (0.90, 0.96, 0.96, 0.90, 0),
    # The sixth round (first read on 2.47), as mended in 2.48-2.49.
    "leaflets": (0.90, 0.96, 0.95, 0.98, 0),
    "blogs": (0.93, 0.99, 0.93, 0.92, 0),
    "apps": (0.89, 0.93, 0.85, 0.96, 0),
    "regional": (0.92, 0.99, 0.86, 0.93, 0),
    # The seventh round (first read on 2.57), as mended in 2.58. Three
    # negative pages still give items: a baby-names listicle's "5 tips", a
    # pregnancy calendar's numbered weeks and an injury-news roundup's
    # fantasy tips (see tests/probes/README.md).
    "ageing": (0.89, 0.95, 0.94, 0.86, 0),
    "family": (0.89, 0.95, 0.85, 0.87, 10),
    "sports": (0.83, 0.92, 0.88, 0.90, 4),
    "workplace": (0.84, 0.92, 0.91, 0.87, 0),
    # The eighth round (first read on 2.61), as mended in 2.62. Negative
    # items left: a crisis-line directory's "Call 999" and a pre-operative
    # page's "Your medicines" (see tests/probes/README.md).
    "lifestyle": (0.91, 0.97, 0.93, 0.88, 0),
    "mental": (0.94, 0.95, 0.83, 0.85, 4),
    "primary": (0.86, 0.98, 0.88, 0.88, 0),
    # (rehab's facts went 0.95 to 0.93 in 2.64: a video's chapters name six
    # exercises whose doses are spoken only in its transcript.)
    "rehab": (0.83, 0.94, 0.92, 0.85, 4),
    # The ninth round (first read on 2.67), as mended in 2.68-2.69.
    "global": (0.84, 0.85, 0.88, 0.82, 0),
    "media": (0.83, 0.99, 0.88, 0.88, 0),
    "medicines": (0.86, 0.89, 0.72, 0.92, 0),
    "youth": (0.84, 0.97, 0.84, 0.84, 4),
    # The tenth round (first read on 2.70), as mended in 2.71-2.74 (and 2.80:
    # referral steps). Negative items left: support-group and pain-scale
    # pages, a lymphoedema closure notice (see tests/probes/README.md).
    "longterm": (0.95, 0.95, 0.89, 0.93, 0),
    "outdoor": (0.91, 0.94, 0.94, 0.89, 0),
    "pain": (0.92, 0.94, 0.89, 0.96, 0),
    "wellness": (0.94, 0.93, 0.89, 0.92, 0),
    # The eleventh round (first read on 2.74), as mended in 2.75-2.79.
    "skin": (0.92, 0.99, 0.88, 0.91, 0),
    "europe": (0.90, 0.92, 0.88, 0.94, 0),
    "digestive": (0.88, 0.94, 0.84, 0.96, 0),
    "pregnancy": (0.89, 0.94, 0.92, 0.95, 0),
    # The twelfth round (first read on 2.79): strength mended in 2.80 (day
    # plans, permalinks, dose labels), the negatives in 2.81; heart, senses
    # and sleep otherwise not mended.
    "heart": (0.96, 0.98, 0.93, 0.91, 0),
    "senses": (0.89, 0.93, 0.81, 0.92, 0),
    "strength": (0.89, 0.91, 0.83, 0.90, 0),
    "sleep": (0.93, 0.97, 0.88, 0.84, 0),
    # The thirteenth round (first read on 2.83): its negative pages mended
    # (2.84), one bones table (2.85), a mens card header and timetable
    # (2.86), "séance" and "renforcement" (2.87); the rest is for the next
    # session to mend from.
    "bones": (0.86, 0.87, 0.93, 0.91, 0),
    "cancer": (0.88, 0.92, 0.93, 0.90, 0),
    "mens": (0.92, 0.96, 0.87, 0.96, 0),
    "respiratory": (0.91, 0.95, 0.90, 0.89, 0),
}

# Pages a rule of extraction 2.14 was written for ...
EXACT = [
    "programs/senior-balance",          # a run of movement headings keeps its step lists as their text
    "fr_es/es_cervicalgia_ejercicios_fisio",  # movements sorted under kinds are the items
    "shapes/when-to-see-doctor-headache",  # related teaser cards with short titles
    "fr_es/fr_cervicales_faq_vidalis",
    # ... and of extraction 2.15: article shapes that are not one list
    "shapes/checklist-sleep",           # a printable checklist's form is kept
    "shapes/tabs-gout",                 # headings that label their own lists are sections
    "shapes/decision-cough",            # the reader's cases ("If you have ...") over their actions
    "shapes/dos-donts-sunburn",         # "Do" / "Don't" columns read by the heading above
    "shapes/infographic-heat-exhaustion",  # signs named only as the case veto nothing
    "shapes/myth-fact-back-pain",       # one "What to do instead:" per section
    "shapes/slideshow-hand-arthritis",  # captions holding headings
    "shapes/quiz-bone-health",          # key takeaways that instruct
    "programs/chair-exercises",         # related links named by article slugs
    # ... and of 2.16: exercise programmes and related blocks
    "programs/rotator-cuff-protocol",   # a table headed Exercise | Sets | Reps | Hold
    "programs/de-knie-tep-heimprogramm",  # ... and Übung | Sätze | Wiederholungen
    "programs/de-beckenboden-rueckbildung",  # a plan line doses movements the vocabulary does not know
    "programs/plan-wide-knee",          # (scoring: an open item excuses only what nothing expected took)
    "cms2/hidden-duplicate-carpal-tunnel",  # "Related conditions" cards
    "programs/kids-exercises",          # cards that link their article three times
    # ... and of 2.17
    "programs/de-gleichgewicht-senioren",  # balance and falls in German are health; "Sicherheitstipps" are tips
    "programs/video-chapters-neck",     # a video's chapters: no timestamps, no "Chapters" / "Transcript" run
    "programs/exercise-of-the-week-dead-bug",  # "How to do it" on a page about one movement
    "programs/yoga-back-pain",          # HowTo steps repeating "Child's Pose (Balasana)"
    "cms2/tailwind-div-headings-hamstring",  # headings set in utility classes
    "cms2/ghost-casper-plantar-fasciitis",   # "Other ways to ease heel pain" are treatments
    # ... and of 2.18
    "fr_es/es_fascitis_plantar_vivirmejor",  # names counted without "de la", "con"
    "fr_es/es_tendinitis_codo_cuidatemas",
    "fr_es/fr_entorse_cheville_etapes",      # "Les bons réflexes" over "Glace", "Repos", "Élévation"
    # ... and of 2.19, on the third round
    "markup/keycap-emoji-newsletter-sleep",  # an emoji before a bold lead-in
    "markup/table-rowspan-low-back-programme",  # two header rows, row spans, note rows; card name parts
    "topics/toddler-constipation",
    # ... and of 2.20
    "markup/jsonld-howto-ankle-sprain",  # step cards named one level down; "exercise__name"
    "markup/slick-clones-dry-eyes",     # a carousel's clones
    "markup/wc-tip-cards-knee-osteoarthritis",  # a web component's title slot
    # ... and of 2.22
    "topics/neg-pharmacy-nasal-spray",  # a product page gives nothing
    "topics/teething-dos-donts",        # the other column of a do-and-don't pair
    "topics/jet-lag-timeline",          # a plan's phases are no items
    # ... and of 2.23
    "guides/acid-reflux-numbered-h2-tips",  # a table headed "Medication"
    "guides/bppv-vertigo-home-exercises",   # "Everyday tips" after a run of movements
    # ... and of 2.24-2.25
    "markup/neg-react-news-knee-exercise-trial",  # what a study's participants did
    "shapes/neg-drug-recall",           # a recall notice
    "cms2/neg-framer-hep-product-landing",  # a software product's landing page
    "topics/tmj-jaw-exercises",         # dosed movements keep their run beside a section of tips
    # ... and of 2.26
    "markup/nuxt-data-v-achilles",      # a utility heading beside its kicker
    # ... and of 2.28, on the fourth round
    "fitness/kettlebell-complex-numbered-bold",  # a workout inside the page's sections
    "fitness/prenatal-pilates-number-words",     # moves to leave out
    "fitness/desk-neck-stretches-figcaptions",   # tip headings on a stretching page
    # ... and of 2.33-2.35
    "multilingual/es-resfriado-remedios-caseros",  # a list split by an ad slot
    "programs/breathing-copd",
    "negatives/neg-cosmetics-how-to-apply-foundation",  # looks and money are no health
    "negatives/neg-money-listicle-grocery-bill",
    "negatives/neg-affiliate-best-massage-guns-2026",  # a product's directions on a roundup
    "conditions/neg-haemorrhoid-clinic-service-prices",  # 2.36: a clinic's care process
    # ... and of 2.38-2.42, on the fifth round
    "news/menopause-joint-pain-expert-panel-cards",      # an expert panel named by its tips
    "news/neg-sponsored-recovery-essentials-roundup",    # products that say how to use them
    "steps/strength-dumbbell-mini-tables-per-exercise",  # exercise cards keep their steps as text
    "steps/wall-angel-single-exercise-six-steps",        # one movement's steps under its headline
    "steps/neg-book-first-physio-appointment-how-to",    # a service's how-to
    "builders/neg-dental-hygiene-whitening-prices-divi",  # price lists and a visit's steps
    "builders/knee-friendly-legs-trainer-elementor-flip-boxes",  # a flip box's overlay layer
]


def _scores(family: str):
    return [score_probe(name, expected, extract_page(html, expected["url"]))
            for name, expected, html in load_probes(PROBES / family)]


@pytest.mark.parametrize("family", sorted(FLOORS))
def test_probe_family_keeps_its_floor(family):
    scores = _scores(family)
    assert len(scores) >= 25
    t = probe_totals(scores)
    f1, precision, facts, related, negative = FLOORS[family]
    assert t.both.f1 >= f1, [(s.name, s.missing, s.extra) for s in scores if not s.exact]
    assert t.both.precision >= precision
    assert t.facts >= facts
    assert t.related.f1 >= related
    assert t.negative_items <= negative


def test_every_family_has_a_floor():
    assert sorted(p.name for p in PROBES.iterdir() if p.is_dir()) == sorted(FLOORS)


@pytest.mark.parametrize("page", EXACT)
def test_probe_page_read_exactly(page):
    """Its items, or its related links, as the rule was written for: no
    more, no fewer."""
    family, name = page.split("/")
    [(_, expected, html)] = [p for p in load_probes(PROBES / family) if p[0] == name]
    score = score_probe(name, expected, extract_page(html, expected["url"]))
    kinds = ("related",) if "related" in page_rule(page) else ("treatments", "exercises")
    assert not any(score.missing.get(k) or score.extra.get(k) for k in kinds), (score.missing, score.extra)


def page_rule(page: str) -> str:
    return {"shapes/when-to-see-doctor-headache": "related", "fr_es/fr_cervicales_faq_vidalis": "related",
            "programs/chair-exercises": "related", "cms2/hidden-duplicate-carpal-tunnel": "related",
            "programs/kids-exercises": "related"}.get(page, "")


def test_the_probe_bench_prints_each_family():
    """The command the README names, as pasted."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "bench/extract_probes.py", "--verbose", "cms2"], cwd=PROBES.parent.parent,
                         capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["family", "pages", "exact"]
    assert lines[1].split()[:2] == ["cms2", str(len(load_probes(PROBES / "cms2")))]
    assert any(line.startswith("    ") for line in lines[2:])  # a page not read exactly, with what it misses


def test_an_open_item_excuses_only_what_nothing_expected_took():
    """A prediction is matched to the expected items first: "Glute bridges"
    is a hit, not dropped for its likeness to an open "Single-leg bridges";
    a prediction only the open item matches counts neither way."""
    expected = {"kind": "health-advice", "treatments": [], "ambiguous": ["Single-leg bridges"],
                "exercises": [{"name": "Glute bridges", "reps": 12}]}
    record = {"treatments": [], "related": [],
              "exercises": [{"name": "Glute bridges", "reps": 12}, {"name": "Single-leg bridge"},
                            {"name": "Wall sit"}]}
    score = score_probe("p", expected, record)
    assert (score.exercises.tp, score.exercises.fp, score.exercises.fn) == (1, 1, 0)
    assert score.extra["exercises"] == ["Wall sit"] and score.facts_agree == 1

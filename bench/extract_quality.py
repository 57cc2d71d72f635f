"""Extraction quality on the hand-labelled real pages, scored as LABELING.md says.

    python bench/extract_quality.py [--verbose] [--save ERRORS.json] [--compare ERRORS.json]

Reads ../shared/corpus/labels-real.json and labels-real-2025.json (pages from
../shared/corpus/real and real-2025, never copied) and the seed fixture.
Prints, per label set and per language:

- precision, recall and F1 of treatments, exercises and both, and of the
  related links, over all items of all pages;
- agreement of hold_seconds, reps and sets on matched exercises;
- items extracted from negative pages;
- a 95 % bootstrap interval of the leave-one-site-out F1 over the sites, so
  that a change is read against how much the figure moves with the sample;

first **leave-one-site-out** (each site's pages extracted by a scorer trained
without that site: the figure that counts), then with the shipped scorer
(trained on all of them: in-sample, for comparison only). Per-site rules are
off throughout: the figures are the generic extractor's. Last, whether the
seed fixture still comes out exactly as expected, and the goals.

``--save`` writes each page's leave-one-site-out errors (missed and extra
treatments, exercises, related links) to a JSON file; ``--compare`` reads
such a file from an earlier run and prints the pages whose errors changed.
Save before a change, compare after it: that is how a change is judged,
since one page's list crossing the bar moves the totals by a point.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.extract import extract_page, training  # noqa: E402
from pipeline.extract.evaluation import (changed_pages, error_lines, goals, load_labelled_pages, page_errors,  # noqa: E402
                                        site_bootstrap, totals)

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
GOALS = "goals: both F1 >= 0.85 with precision >= 0.90, <= 5 items from negative pages, facts >= 0.90, related F1 >= 0.80"



def table(title: str, scores: list) -> None:
    print(f"\n{title}")
    print(f"  {'slice':<16}{'pages':>6}  {'treatments P/R/F1':<19}{'exercises P/R/F1':<19}{'both P/R/F1':<19}"
          f"{'related P/R/F1':<19}{'facts':>7}{'neg items':>10}")
    slices = [("both sets", scores)]
    for set_name in ("real", "real-2025"):
        slices.append((set_name, [s for s in scores if s.page.set_name == set_name]))
    for language in sorted({s.language or "?" for s in scores}):
        slices.append((f"language {language}", [s for s in scores if (s.language or "?") == language]))
    for name, chosen in slices:
        t = totals(chosen)

        def prf(c):
            return f"{c.precision:.2f}/{c.recall:.2f}/{c.f1:.2f}".ljust(19)
        print(f"  {name:<16}{t.pages:>6}  {prf(t.treatments)}{prf(t.exercises)}{prf(t.both)}{prf(t.related)}"
              f"{t.facts:>7.2f}{t.negative_items:>10}")
    t = totals(scores)
    print(f"  counts (both sets): treatments tp {t.treatments.tp} fp {t.treatments.fp} fn {t.treatments.fn}; "
          f"exercises tp {t.exercises.tp} fp {t.exercises.fp} fn {t.exercises.fn}; "
          f"facts {t.facts_agree}/{t.facts_total}")


def fixture_exact() -> bool | None:
    expected_path = SHARED / "fixtures" / "back-muscle-spasms.expected.json"
    if not expected_path.exists():
        return None
    expected = json.loads(expected_path.read_text())
    record = extract_page((SHARED / "fixtures" / "back-muscle-spasms.html").read_bytes(), expected["canonical_url"])
    return ([(t["position"], t["name"]) for t in record["treatments"]] ==
            [(t["position"], t["name"]) for t in expected["treatments"]]
            and [(e["name"], e["hold_seconds"]) for e in record["exercises"]] ==
            [(e["name"], e["hold_seconds"]) for e in expected["exercises"]]
            and [r["title"] for r in record["related"]] == [r["title"] for r in expected["related"]])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", "-v", action="store_true", help="per page: what was missed and what was extra")
    parser.add_argument("--save", type=Path, metavar="FILE", help="write each page's errors to FILE (JSON)")
    parser.add_argument("--compare", type=Path, metavar="FILE",
                        help="print the pages whose errors differ from those saved in FILE")
    args = parser.parse_args()
    pages = load_labelled_pages(CORPUS)
    if not pages:
        print(f"{CORPUS} holds no labelled pages: nothing to measure")
        return 0
    print(f"{len(pages)} labelled pages from {len({p.site for p in pages})} sites "
          f"({sum(p.negative for p in pages)} negative)")
    rows = training.group_rows(pages)
    loso = training.leave_one_site_out(pages, rows)
    table("leave-one-site-out (the figure that counts)", loso)
    low, high = site_bootstrap(loso)
    print(f"  both F1, 95 % interval over sites (bootstrap, 1,000 draws): {low:.2f} to {high:.2f}")
    table("shipped scorer, trained on these pages (in-sample, for comparison)", training.shipped_scores(pages))
    if args.verbose:
        print("\n".join(error_lines(loso)))
    errors = page_errors(loso)
    if args.compare:
        changes = changed_pages(json.loads(args.compare.read_text()), errors)
        print(f"\npages whose errors changed since {args.compare}: {sum(1 for line in changes if not line.startswith('      '))}")
        print("\n".join(changes))
    if args.save:
        args.save.write_text(json.dumps(errors, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"\nerrors of {len(errors)} pages written to {args.save}")
    fixture = fixture_exact()
    print(f"\nseed fixture exact: {fixture}")
    print(GOALS)
    print("\n".join(goal.line() for goal in goals(totals(loso), fixture)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

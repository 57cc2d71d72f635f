"""Train the extractor's group scorer on the hand-labelled pages and measure it
leave-one-site-out (see pipeline/extract/training.py for how).

    python scripts/train_extract_model.py            # leave-one-site-out figures
    python scripts/train_extract_model.py --write    # ... and write pipeline/extract/model.json
    python scripts/train_extract_model.py -v         # ... and what each page missed or added

Reads ``../shared/corpus`` (both label files; the pages are read from there,
never copied). The same pages and labels give the same model.json, byte for
byte (a test checks the committed file against a fresh training).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.extract import training  # noqa: E402
from pipeline.extract.evaluation import error_lines, load_labelled_pages, totals  # noqa: E402
from pipeline.extract.scoring import MODEL_PATH  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def report(title: str, scores: list) -> None:
    print(f"\n{title}")
    for set_name in ("real", "real-2025", None):
        t = totals([s for s in scores if set_name is None or s.page.set_name == set_name])
        print(f"  [{set_name or 'both sets'}] {t.pages} pages")
        print(f"    treatments  {t.treatments.line()}")
        print(f"    exercises   {t.exercises.line()}")
        print(f"    both        {t.both.line()}")
        print(f"    facts agree {t.facts_agree}/{t.facts_total} = {t.facts:.2f}   items from negative pages "
              f"{t.negative_items}   related {t.related.line()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="write pipeline/extract/model.json")
    parser.add_argument("--verbose", "-v", action="store_true", help="per page: what was missed and what was extra")
    parser.add_argument("-C", type=float, default=training.C, help=f"inverse regularisation (default {training.C})")
    parser.add_argument("--threshold", type=float, default=training.THRESHOLD,
                        help=f"acceptance threshold (default {training.THRESHOLD})")
    args = parser.parse_args()
    pages = load_labelled_pages(CORPUS)
    if not pages:
        print(f"no labelled pages under {CORPUS}")
        return 1
    rows = training.group_rows(pages)
    print(f"{len(pages)} pages from {len({p.site for p in pages})} sites; {len(rows)} candidate groups, "
          f"{sum(r['positive'] for r in rows)} positive")
    scores = training.leave_one_site_out(pages, rows, args.C, args.threshold)
    report("leave-one-site-out (each site extracted by a model trained without it)", scores)
    if args.verbose:
        worst = sorted(scores, key=lambda s: -(s.treatments.fp + s.exercises.fp))[:12]
        print("\n  most false items: " + ", ".join(f"{s.page.site}:{s.treatments.fp + s.exercises.fp}" for s in worst))
        worst = sorted(scores, key=lambda s: -(s.treatments.fn + s.exercises.fn))[:12]
        print("  most missed items: " + ", ".join(f"{s.page.site}:{s.treatments.fn + s.exercises.fn}" for s in worst))
        print("\n".join(error_lines(scores)))
    if args.write:
        MODEL_PATH.write_text(training.model_payload(pages, rows, CORPUS, args.C, args.threshold))
        print(f"\nwrote {MODEL_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

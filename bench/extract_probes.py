"""Extraction on the probe pages: synthetic pages in the markup of sites
nobody tuned for, by family (tests/probes/FAMILY/NAME.html with NAME.json).

    python bench/extract_probes.py [--verbose] [--root DIR] [FAMILY ...]

Prints, per family: pages, pages read exactly, treatments+exercises
precision, recall and F1, facts agreement, related links P/R, items from
negative pages; ``--verbose`` lists each page that is not read exactly and
what it missed or added. ``--root`` reads families from another folder (a
new round of probe pages, scored before any rule is mended on them).

The rules were mended on these pages after they were written, so the
figures show what the rules read, not how well they generalise: that is
``bench/extract_quality.py``'s leave-one-site-out figure on the labelled
pages. What a family scored *before* any mending is in tests/probes/README.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.extract import extract_page  # noqa: E402
from pipeline.extract.evaluation import load_probes, probe_totals, score_probe  # noqa: E402

PROBES = ROOT / "tests" / "probes"


def families(root: Path = PROBES) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.is_dir())


def score_family(family: str, root: Path = PROBES):
    return [score_probe(name, expected, extract_page(html, expected["url"]))
            for name, expected, html in load_probes(root / family)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--root", type=Path, default=PROBES, help="the folder of families (default: tests/probes)")
    parser.add_argument("family", nargs="*")
    args = parser.parse_args()
    print(f"{'family':<12} {'pages':>5} {'exact':>5}  {'both P/R/F1':<16} {'facts':>11}  {'related P/R':<11} neg items")
    for family in args.family or families(args.root):
        scores = score_family(family, args.root)
        t = probe_totals(scores)
        b, r = t.both, t.related
        exact = sum(score.exact for score in scores)
        print(f"{family:<12} {t.pages:>5} {exact:>5}  {b.precision:.2f}/{b.recall:.2f}/{b.f1:.2f}   "
              f"{t.facts:.2f} ({t.facts_total:>3})  {r.precision:.2f}/{r.recall:.2f}   {t.negative_items:>5}")
        if args.verbose:
            for score in scores:
                if not score.exact:
                    gaps = {f"{k} missed": v for k, v in score.missing.items() if v}
                    gaps.update({f"{k} extra": v for k, v in score.extra.items() if v})
                    facts = f" facts {score.facts_agree}/{score.facts_total}" if score.facts_agree < score.facts_total else ""
                    print(f"    {score.name}{facts} neg={score.negative_items} {gaps}")


if __name__ == "__main__":
    main()

"""Train the extractor's group scorer on the hand-labelled pages, and measure it
leave-one-site-out.

    python scripts/train_extract_model.py            # LOSO figures only
    python scripts/train_extract_model.py --write    # ... and write pipeline/extract/model.json

Reads ``../shared/corpus`` (both label files; the pages are read from there,
never copied). Every candidate group of every labelled page gets the
features of :func:`pipeline.extract.scoring.group_features`; a group is a
positive example when at least half of its items match labelled treatments
or exercises (LABELING.md's name matching). A logistic regression is fitted
on standardised features. Training is deterministic: the same pages and
labels give the same file, byte for byte.

The figure that counts is leave-one-site-out: for each site, a model is
trained on every other site and the site's pages are extracted with it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.extract import Prepared, extract_page, prepare_page  # noqa: E402
from pipeline.extract.evaluation import (LabelledPage, load_labelled_pages, match_names, score_page,  # noqa: E402
                                         totals)
from pipeline.extract.scoring import MODEL_PATH, SIGNS, Model, Scorer, page_features  # noqa: E402
from pipeline.extract.sections import scored_groups  # noqa: E402
from pipeline.fetch import decode_html  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
C = 0.1              # inverse regularisation strength
POSITIVE_SHARE = 0.5  # share of a group's items that must be labelled items
THRESHOLD = 0.6      # probability from which a group is accepted
PAGE_C = 0.3
PAGE_THRESHOLD = 0.5


def group_rows(pages: list[LabelledPage]) -> tuple[list[dict], list[dict]]:
    """One row per candidate group (its page, site, features and label), and
    one per page that reaches the scorer (is it advice with items to find)."""
    rows = []
    page_rows = []
    for page_index, page in enumerate(pages):
        html = decode_html(page.path.read_bytes())[0]
        prepared = prepare_page(html, page.url)
        if not isinstance(prepared, Prepared):
            continue
        labels = [x if isinstance(x, str) else x["name"] for x in page.label["treatments"] + page.label["exercises"]]
        groups = scored_groups(prepared.flow, prepared.page, prepared.json_ld)
        page_rows.append({"page": page_index, "site": page.site, "positive": bool(labels),
                          "features": page_features(prepared.page, groups)})
        for group in groups:
            matched = match_names([item.name for item in group.items], labels) if labels else []
            share = len(matched) / len(group.items)
            rows.append({"page": page_index, "site": page.site, "features": group.features,
                         "positive": share >= POSITIVE_SHARE, "how": group.how, "n": len(group.items)})
    return rows, page_rows


def fit(rows: list[dict], c: float = C, threshold: float = THRESHOLD, per_page: bool = True) -> Model:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    names = sorted(name for name in rows[0]["features"] if name != "bias")
    x = np.array([[row["features"][name] for name in names] for row in rows], dtype=float)
    y = np.array([row["positive"] for row in rows], dtype=int)
    # Every page weighs the same, however many candidate groups it has.
    counts = defaultdict(int)
    for row in rows:
        counts[row["page"]] += 1
    weights = np.array([1.0 / counts[row["page"]] ** 0.5 if per_page else 1.0 for row in rows])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    coef, intercept = fit_signed((x - mean) / scale, y, weights, [SIGNS.get(name, 0) for name in names], c)
    return Model(names, [round(float(v), 6) for v in mean], [round(float(v), 6) for v in scale],
                 [round(float(v), 6) for v in coef], round(float(intercept), 6), threshold)


def fit_signed(x, y, sample_weight, signs: list[int], c: float):
    """L2-regularised logistic regression whose weights keep the given signs
    (+1: at least 0, -1: at most 0, 0: free), classes balanced as
    scikit-learn's class_weight="balanced" does; L-BFGS-B from scipy."""
    import numpy as np
    from scipy.optimize import minimize

    positive = y.sum()
    class_weight = np.where(y == 1, len(y) / (2 * max(positive, 1)), len(y) / (2 * max(len(y) - positive, 1)))
    w = sample_weight * class_weight
    target = np.where(y == 1, 1.0, -1.0)

    def loss(theta):
        coef, b = theta[:-1], theta[-1]
        z = x @ coef + b
        margin = target * z
        value = np.sum(w * np.logaddexp(0.0, -margin)) + 0.5 / c * np.dot(coef, coef)
        grad_z = -w * target / (1.0 + np.exp(margin))
        return value, np.append(x.T @ grad_z + coef / c, grad_z.sum())

    bounds = [(0.0, None) if s > 0 else (None, 0.0) if s < 0 else (None, None) for s in signs] + [(None, None)]
    result = minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=bounds,
                      options={"maxiter": 5000})
    return result.x[:-1], result.x[-1]


def evaluate(pages: list[LabelledPage], models: dict[str, Scorer | None]) -> list:
    """Extract each page with its site's model (None: the shipped one)."""
    scores = []
    for page in pages:
        record = extract_page(page.path.read_bytes(), page.url, model=models.get(page.site))
        scores.append(score_page(page, record))
    return scores


def report(title: str, scores: list) -> None:
    print(f"\n{title}")
    for set_name in ("real", "real-2025", None):
        chosen = [s for s in scores if set_name is None or s.page.set_name == set_name]
        t = totals(chosen)
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
    parser.add_argument("-C", type=float, default=C, help=f"inverse regularisation strength (default {C})")
    parser.add_argument("--threshold", type=float, default=THRESHOLD, help=f"acceptance threshold (default {THRESHOLD})")
    parser.add_argument("--page-model", action="store_true", help="also gate pages with a page model")
    parser.add_argument("--page-C", type=float, default=PAGE_C, help=f"the page model's C (default {PAGE_C})")
    parser.add_argument("--page-threshold", type=float, default=PAGE_THRESHOLD,
                        help=f"the page model's threshold (default {PAGE_THRESHOLD})")
    args = parser.parse_args()
    pages = load_labelled_pages(CORPUS)
    if not pages:
        print(f"no labelled pages under {CORPUS}")
        return 1
    rows, page_rows = group_rows(pages)
    sites = sorted({page.site for page in pages})
    print(f"{len(pages)} pages from {len(sites)} sites; {len(rows)} candidate groups, "
          f"{sum(r['positive'] for r in rows)} positive")
    loso_models = {}
    for site in sites:
        train = [row for row in rows if row["site"] != site]
        page_train = [row for row in page_rows if row["site"] != site]
        loso_models[site] = Scorer(fit(train, args.C, args.threshold),
                                   fit(page_train, args.page_C, args.page_threshold, per_page=False)
                                   if args.page_model else None)
    scores = evaluate(pages, loso_models)
    report("leave-one-site-out (each site extracted by a model trained without it)", scores)
    if args.verbose:
        worst = sorted(scores, key=lambda s: -(s.treatments.fp + s.exercises.fp))[:12]
        print("\n  most false items: " + ", ".join(f"{s.page.file.split('__')[0]}:{s.treatments.fp + s.exercises.fp}"
                                               for s in worst))
        worst = sorted(scores, key=lambda s: -(s.treatments.fn + s.exercises.fn))[:12]
        print("  most missed items: " + ", ".join(f"{s.page.file.split('__')[0]}:{s.treatments.fn + s.exercises.fn}"
                                                for s in worst))
        for score in scores:
            if any(score.missing[k] or score.extra[k] for k in ("treatments", "exercises")):
                print(f"  {score.page.set_name}/{score.page.file}{' NEG' if score.page.negative else ''}")
                for key in ("treatments", "exercises"):
                    if score.missing[key]:
                        print(f"      missing {key}: {score.missing[key][:8]}")
                    if score.extra[key]:
                        print(f"      extra {key}: {score.extra[key][:8]}")
    model = fit(rows, args.C, args.threshold)
    page_model = fit(page_rows, args.page_C, args.page_threshold, per_page=False)
    if args.write:
        digest = hashlib.sha256()
        for name in ("labels-real.json", "labels-real-2025.json"):
            path = CORPUS / name
            if path.exists():
                digest.update(path.read_bytes())
        payload = {"about": "Group scorer of pipeline/extract/scoring.py, written by scripts/train_extract_model.py",
                   "trained_on": {"pages": len(pages), "sites": len(sites), "groups": len(rows),
                                  "labels_sha256": digest.hexdigest()},
                   "group": model.to_json()}
        if args.page_model:
            payload["page"] = page_model.to_json()
        MODEL_PATH.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n")
        print(f"\nwrote {MODEL_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

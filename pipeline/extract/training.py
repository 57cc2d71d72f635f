"""Training the group scorer on hand-labelled pages, and measuring it
leave-one-site-out.

Used by ``scripts/train_extract_model.py`` (which writes ``model.json``),
``bench/extract_quality.py`` and the quality tests, so all three train and
count the same way.

- Every candidate group of every labelled page gets the features of
  :func:`pipeline.extract.scoring.group_features`; a group is a positive
  example when at least half of its items match labelled treatments or
  exercises (LABELING.md's name matching).
- The model is a logistic regression on standardised features whose
  weights keep the signs the labelling rules give them
  (:data:`pipeline.extract.scoring.SIGNS`), L2-regularised, classes
  balanced, each page weighing the same however many lists it holds.
  Fitting is deterministic: the same pages give the same model, byte for byte.
- The figure that counts is leave-one-site-out: for each site, a model is
  trained on every other site and that site's pages are extracted with it,
  without per-site rules.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path

from pipeline.extract import Prepared, extract_page, prepare_page
from pipeline.extract.evaluation import LABEL_FILES, LabelledPage, PageScore, match_names, score_page
from pipeline.extract.scoring import SIGNS, Model
from pipeline.extract.sections import scored_groups

C = 0.03               # inverse regularisation strength (chosen leave-one-site-out among 0.01-0.3)
THRESHOLD = 0.6        # probability from which a group is accepted (chosen the same way among 0.45-0.7)
POSITIVE_SHARE = 0.5   # share of a group's items that must be labelled items for it to count as a list of them


def group_rows(pages: list[LabelledPage]) -> list[dict]:
    """One row per candidate group: its page, site, features and whether it is a labelled list."""
    from pipeline.decoding import decode_html

    rows = []
    for page_index, page in enumerate(pages):
        prepared = prepare_page(decode_html(page.path.read_bytes())[0], page.url)
        if not isinstance(prepared, Prepared):
            continue
        labels = [x if isinstance(x, str) else x["name"] for x in page.label["treatments"] + page.label["exercises"]]
        for group in scored_groups(prepared.flow, prepared.page, prepared.json_ld):
            if group.how in ("schedule", "exercise-steps"):
                # A plan table's workouts and one exercise's steps are taken
                # on their own word (RULE_READINGS) and were never in the
                # model's data. (Workouts of the day and HowTo steps are: the
                # model learned what exercises look like from them.)
                continue
            if any(item.section is not None for item in group.items):
                # Movements gathered across their kinds' headings: the same
                # items as the kinds' own runs, which are rows already;
                # counting them twice tilted the model on unrelated pages.
                continue
            matched = match_names([item.name for item in group.items], labels) if labels else []
            rows.append({"page": page_index, "site": page.site, "features": group.features,
                         "positive": len(matched) / len(group.items) >= POSITIVE_SHARE})
    return rows


def fit(rows: list[dict], c: float = C, threshold: float = THRESHOLD) -> Model:
    """The scorer fitted on ``rows`` (see the module's docstring)."""
    import numpy as np

    names = sorted(name for name in rows[0]["features"] if name != "bias")
    x = np.array([[row["features"][name] for name in names] for row in rows], dtype=float)
    y = np.array([row["positive"] for row in rows], dtype=int)
    counts: dict[int, int] = defaultdict(int)
    for row in rows:
        counts[row["page"]] += 1
    weights = np.array([1.0 / counts[row["page"]] ** 0.5 for row in rows])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    coef, intercept = fit_signed((x - mean) / scale, y, weights, [SIGNS.get(name, 0) for name in names], c)
    return Model(names, [round(float(v), 6) for v in mean], [round(float(v), 6) for v in scale],
                 [round(float(v), 6) for v in coef], round(float(intercept), 6), threshold)


def fit_signed(x, y, sample_weight, signs: list[int], c: float):
    """L2-regularised logistic regression whose weights keep the given signs
    (+1: at least 0, -1: at most 0, 0: free), classes balanced as
    scikit-learn's ``class_weight="balanced"`` does; L-BFGS-B from scipy."""
    import numpy as np
    from scipy.optimize import minimize

    positive = y.sum()
    class_weight = np.where(y == 1, len(y) / (2 * max(positive, 1)), len(y) / (2 * max(len(y) - positive, 1)))
    w = sample_weight * class_weight
    target = np.where(y == 1, 1.0, -1.0)

    def loss(theta):
        coef, b = theta[:-1], theta[-1]
        margin = target * (x @ coef + b)
        value = np.sum(w * np.logaddexp(0.0, -margin)) + 0.5 / c * np.dot(coef, coef)
        grad_z = -w * target / (1.0 + np.exp(margin))
        return value, np.append(x.T @ grad_z + coef / c, grad_z.sum())

    bounds = [(0.0, None) if s > 0 else (None, 0.0) if s < 0 else (None, None) for s in signs] + [(None, None)]
    result = minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=bounds,
                      options={"maxiter": 5000})
    return result.x[:-1], result.x[-1]


def leave_one_site_out(pages: list[LabelledPage], rows: list[dict] | None = None, c: float = C,
                       threshold: float = THRESHOLD) -> list[PageScore]:
    """Each page extracted by a model trained without its site, then scored."""
    rows = group_rows(pages) if rows is None else rows
    models = {site: fit([row for row in rows if row["site"] != site], c, threshold)
              for site in sorted({page.site for page in pages})}
    return [score_page(page, extract_page(page.path.read_bytes(), page.url, model=models[page.site],
                                          site_rules=False))
            for page in pages]


def shipped_scores(pages: list[LabelledPage]) -> list[PageScore]:
    """Each page extracted with the shipped model (trained on all of them: an in-sample figure)."""
    return [score_page(page, extract_page(page.path.read_bytes(), page.url, site_rules=False)) for page in pages]


def model_payload(pages: list[LabelledPage], rows: list[dict], corpus: Path, c: float = C,
                  threshold: float = THRESHOLD) -> str:
    """The text of model.json: the fitted model and what it was trained on."""
    digest = hashlib.sha256()
    for file_name in LABEL_FILES.values():
        path = corpus / file_name
        if path.exists():
            digest.update(path.read_bytes())
    payload = {"about": "Group scorer of pipeline/extract/scoring.py, written by scripts/train_extract_model.py",
               "trained_on": {"pages": len(pages), "sites": len({p.site for p in pages}), "groups": len(rows),
                              "labels_sha256": digest.hexdigest()},
               "group": fit(rows, c, threshold).to_json()}
    return json.dumps(payload, indent=1, sort_keys=True) + "\n"

"""Extraction quality on hand-labelled real pages and on pages that must yield nothing.

    python bench/extract_quality.py [--verbose]

Reads ../shared/corpus/labels-dev.json (treatment names, exercises with hold
and reps, related-link titles) and the canonical fixture, extracts each page
and prints precision, recall and F1 of treatment and exercise names (fuzzy
name match), hold_seconds and reps accuracy on matched exercises,
related-link recall, and how many pages of the corpus's non-health sections
(how-to, recipes, other negatives in SOURCES.md) yield any treatment or
exercise at all (goal: none).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.extract import extract_page  # noqa: E402
from pipeline.sources import load_config  # noqa: E402

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "real"
NAME_MATCH = 85


def normalise(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name.lower()).split())


def match_names(predicted: list[str], expected: list[str]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching of names whose fuzzy score reaches NAME_MATCH."""
    pairs = []
    for i, p in enumerate(predicted):
        for j, e in enumerate(expected):
            score = max(fuzz.ratio(normalise(p), normalise(e)), fuzz.token_sort_ratio(normalise(p), normalise(e)))
            if score >= NAME_MATCH:
                pairs.append((score, i, j))
    used_p, used_e, matched = set(), set(), []
    for score, i, j in sorted(pairs, reverse=True):
        if i not in used_p and j not in used_e:
            used_p.add(i)
            used_e.add(j)
            matched.append((i, j))
    return matched


def original_urls(path_md: Path) -> dict[str, str]:
    """file -> its original URL, from SOURCES.md (for per-site rules)."""
    urls = {}
    for line in path_md.read_text().splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 4 and cells[1].startswith("`") and cells[3].startswith("http"):
            urls[cells[1].strip("`")] = cells[3]
    return urls


def sections(path_md: Path) -> dict[str, str]:
    """file -> section heading of SOURCES.md."""
    result, section = {}, ""
    for line in path_md.read_text().splitlines():
        if line.startswith("## "):
            section = line[3:]
        match = re.match(r"\| `([^`]+\.html)`", line)
        if match:
            result[match.group(1)] = section
    return result


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"{CORPUS} is absent: nothing to measure")
        return 0
    labels = json.loads((SHARED / "corpus" / "labels-dev.json").read_text())
    fixture = json.loads((SHARED / "fixtures" / "back-muscle-spasms.expected.json").read_text())
    urls = original_urls(CORPUS / "SOURCES.md")
    config = load_config(ROOT / "sources.yaml")

    def rules_for(url: str) -> dict:
        source = config.source_for_url(url)
        return source.extract if source else {}

    pages = [(CORPUS / name, urls.get(name, "https://example.org/" + name), label) for name, label in labels.items()]
    pages.append((SHARED / "fixtures" / "back-muscle-spasms.html", fixture["canonical_url"], {
        "treatments": [t["name"] for t in fixture["treatments"]],
        "exercises": [{"name": e["name"], "hold_seconds": e["hold_seconds"], "reps": None} for e in fixture["exercises"]],
        "related_links": [r["title"] for r in fixture["related"]],
    }))
    totals = {"t": [0, 0, 0], "e": [0, 0, 0]}
    hold_ok = hold_n = reps_ok = reps_n = 0
    related_found = related_total = 0
    print(f"{'page':<48} {'treat P/R':>10} {'exer P/R':>10} {'related':>8}")
    for path, url, label in pages:
        record = extract_page(path.read_bytes(), url, rules_for(url))
        for key, short in (("treatments", "t"), ("exercises", "e")):
            predicted = [x["name"] for x in record[key]]
            expected = [x if isinstance(x, str) else x["name"] for x in label[key]]
            matched = match_names(predicted, expected)
            totals[short][0] += len(matched)
            totals[short][1] += len(predicted) - len(matched)
            totals[short][2] += len(expected) - len(matched)
            if key == "exercises":
                for i, j in matched:
                    hold_n += 1
                    hold_ok += record[key][i]["hold_seconds"] == label[key][j].get("hold_seconds")
                    reps_n += 1
                    reps_ok += record[key][i]["reps"] == label[key][j].get("reps")
            if args.verbose:
                missing = [expected[j] for j in range(len(expected)) if j not in {m[1] for m in matched}]
                extra = [predicted[i] for i in range(len(predicted)) if i not in {m[0] for m in matched}]
                if missing or extra:
                    print(f"    {key}: missing {missing}\n    {key}: extra {extra}")
        expected_related = label.get("related_links", [])
        found = match_names([r["title"] for r in record["related"]], expected_related)
        related_found += len(found)
        related_total += len(expected_related)
        tp_t = len(match_names([x["name"] for x in record["treatments"]], label["treatments"]))
        tp_e = len(match_names([x["name"] for x in record["exercises"]], [x["name"] for x in label["exercises"]]))
        print(f"{path.name[:48]:<48} {tp_t:>3}/{len(record['treatments']):<2}/{len(label['treatments']):<2}  "
              f"{tp_e:>3}/{len(record['exercises']):<2}/{len(label['exercises']):<2} "
              f"{len(found):>3}/{len(expected_related):<3}")
    print()
    for short, name in (("t", "treatments"), ("e", "exercises")):
        p, r, f = prf(*totals[short])
        print(f"{name:<11} precision {p:.2f}  recall {r:.2f}  F1 {f:.2f}   (tp {totals[short][0]}, fp {totals[short][1]}, fn {totals[short][2]})")
    all_tp = totals["t"][0] + totals["e"][0]
    p, r, f = prf(all_tp, totals["t"][1] + totals["e"][1], totals["t"][2] + totals["e"][2])
    print(f"{'both':<11} precision {p:.2f}  recall {r:.2f}  F1 {f:.2f}")
    print(f"hold_seconds accuracy on matched exercises: {hold_ok}/{hold_n}; reps accuracy: {reps_ok}/{reps_n}")
    print(f"related-link recall: {related_found}/{related_total} = {related_found / max(related_total, 1):.2f}")

    negatives = {name: section for name, section in sections(CORPUS / "SOURCES.md").items()
                 if not section.startswith(("Health / medical", "Fitness"))}
    false_pages = []
    for name, section in sorted(negatives.items()):
        url = urls.get(name, "https://example.org/" + name)
        record = extract_page((CORPUS / name).read_bytes(), url, rules_for(url))
        n = len(record["treatments"]) + len(record["exercises"])
        if n:
            false_pages.append((name, n, [x["name"] for x in record["treatments"] + record["exercises"]][:4]))
    print(f"non-health pages (how-to, recipes, news and other negatives): {len(negatives)}; "
          f"yielding treatments or exercises: {len(false_pages)}")
    for name, n, examples in false_pages:
        print(f"    {name}: {n} {examples}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

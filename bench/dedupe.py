"""Dedupe quality and speed, against datasketch in the same run.

    python bench/dedupe.py [--sizes 10000,100000] [--skip-datasketch]

Quality:
- the demo site's planted copies (print pages: exact) and near-copies
  (partner pages), which the generator lists;
- the same-article and same-story groups of ../shared/corpus/real/SOURCES.md,
  compared on extracted main text;
- generated articles with planted edits at known true Jaccard: precision and
  recall for pairs whose true Jaccard is at least 0.8;
- entity merges on the labelled sample bench/entity_sample.json.

Speed, at each size, in child processes (so peak memory is each one's own):
our signatures + LSH candidates + exact verification, against datasketch's
MinHash (128 permutations, update_batch) and MinHashLSH (threshold 0.5)
build and query on the same texts; and an incremental run that adds 1 % new
articles to an existing index against a rebuild.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from pipeline import dedupe  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "real"


# -- generated articles ---------------------------------------------------------


def generate(n: int, seed: int = 5) -> tuple[list[str], list[tuple[int, int]]]:
    """n texts; about 3 % of them are edited copies of an earlier text, at
    edit rates spread so that their true Jaccard falls on both sides of 0.8."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(20000)]
    weights = [1 / (i + 1) ** 0.9 for i in range(len(vocab))]
    texts: list[str] = []
    planted: list[tuple[int, int]] = []
    while len(texts) < n:
        if texts and rng.random() < 0.03:
            source = rng.randrange(len(texts))
            words = texts[source].split()
            rate = rng.choice([0.0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08])
            edited = []
            for w in words:
                r = rng.random()
                if r < rate / 2:
                    edited.append(rng.choice(vocab))  # substitution
                elif r < rate:
                    continue  # deletion
                else:
                    edited.append(w)
            planted.append((source, len(texts)))
            texts.append(" ".join(edited))
        else:
            length = rng.randint(250, 600)
            texts.append(" ".join(rng.choices(vocab, weights, k=length)))
    return texts, planted


def true_pairs(texts: list[str], planted, shingle_sets) -> set[tuple[int, int]]:
    """Pairs whose exact Jaccard is at least 0.8 (planted copies, transitively)."""
    groups: dict[int, set[int]] = {}
    # shingle_sets: index -> sorted hashes, for every text in a planted pair
    for a, b in planted:
        group = groups.get(a, {a}) | groups.get(b, {b})
        for m in group:
            groups[m] = group
    result = set()
    for group in {id(g): g for g in groups.values()}.values():
        for a, b in combinations(sorted(group), 2):
            if dedupe.jaccard(shingle_sets[a], shingle_sets[b]) >= 0.8:
                result.add((a, b))
    return result


def verified_pairs(texts, signatures, query=None, keys=None) -> set[tuple[int, int]]:
    """LSH candidates verified by exact Jaccard; shingles only for candidates."""
    keys = dedupe.band_keys(signatures) if keys is None else keys
    cache: dict[int, np.ndarray] = {}
    found = set()
    for i, j in dedupe.candidate_pairs(keys, query):
        if dedupe.estimated_jaccard(signatures[i], signatures[j]) < 0.5:
            continue
        for k in (i, j):
            if k not in cache:
                cache[k] = dedupe.shingles(texts[k])
        if dedupe.jaccard(cache[i], cache[j]) >= 0.8:
            found.add((i, j))
    return found


def ours_pairs(shingle_sets, signatures, query=None) -> set[tuple[int, int]]:
    keys = dedupe.band_keys(signatures)
    found = set()
    for i, j in dedupe.candidate_pairs(keys, query):
        if dedupe.estimated_jaccard(signatures[i], signatures[j]) < 0.5:
            continue
        if dedupe.jaccard(shingle_sets[i], shingle_sets[j]) >= 0.8:
            found.add((i, j))
    return found


# -- children (speed and memory) ------------------------------------------------------


def rss_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")  # resets VmHWM to the current RSS
    except OSError:
        pass


def child(mode: str, n: int) -> dict:
    texts, planted = generate(n)
    reset_peak()
    base = rss_mb()
    started = time.perf_counter()
    if mode == "ours":
        signatures = dedupe.signatures_for(texts)
        build = time.perf_counter() - started
        found = verified_pairs(texts, signatures)
        total = time.perf_counter() - started
        peak = peak_mb() - base
        # Incremental: the last 1 % arrives in a later run and is compared with everything.
        # The earlier run's band keys are state it keeps (as the database keeps signatures).
        k = max(1, n // 100)
        old_keys = dedupe.band_keys(signatures[:-k])
        started = time.perf_counter()
        new_sigs = dedupe.signatures_for(texts[-k:])
        all_sigs = np.concatenate([signatures[:-k], new_sigs])
        keys = np.concatenate([old_keys, dedupe.band_keys(new_sigs)])
        verified_pairs(texts, all_sigs, query=np.arange(n - k, n), keys=keys)
        incremental = time.perf_counter() - started
        sets = {i: dedupe.shingles(texts[i]) for pair in planted for i in pair}
        truth = true_pairs(texts, planted, sets)
        tp = len(found & truth)
        return {"build": build, "total": total, "peak_mb": peak, "tp": tp, "fp": len(found - truth),
                "fn": len(truth - found), "incremental": incremental}
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    hashes = []
    for i, text in enumerate(texts):
        words = text.split()
        grams = [" ".join(words[k:k + 5]).encode() for k in range(max(1, len(words) - 4))]
        m = MinHash(num_perm=128)
        m.update_batch(grams)
        lsh.insert(i, m)
        hashes.append(m)
    build = time.perf_counter() - started
    for i, m in enumerate(hashes):
        lsh.query(m)
    total = time.perf_counter() - started
    return {"build": build, "total": total, "peak_mb": peak_mb() - base}


def run_child(mode: str, n: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, "--n", str(n)], capture_output=True, text=True,
                         timeout=7200)
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- quality on pages ----------------------------------------------------------------


def demo_quality() -> None:
    from pipeline.demo.site import DemoSite
    from pipeline.extract import extract_page

    site = DemoSite(1000)
    base = "http://demo.test"
    paths = site.article_paths()
    planted = site.planted_duplicates()
    paths += [copy for _, copy, _ in planted]
    texts = []
    for path in paths:
        page = site.render(path, base).body
        texts.append(extract_page(page, base + path)["body"])
    sets = [dedupe.shingles(t) for t in texts]
    found = ours_pairs(sets, dedupe.minhash(sets))
    index = {p: i for i, p in enumerate(paths)}
    truth = {tuple(sorted((index[a], index[b]))) for a, b, _ in planted}
    hashes = [dedupe.text_hash(t) for t in texts]
    exact_pairs = {p for p in found if hashes[p[0]] == hashes[p[1]]}
    tp = len(found & truth)
    print(f"demo site (1000 articles + {len(planted)} planted copies): found {len(found)} pairs, "
          f"{len(exact_pairs)} exact; precision {tp / max(len(found), 1):.3f}, recall {tp / len(truth):.3f}")


def corpus_quality() -> None:
    from pipeline.extract import extract_page

    if not CORPUS.exists():
        return
    same = [("lifehacker__stop-buying-crap", "lifehacker__stop-buying-crap--comments-loaded"),
            ("espn__michael-vick-practice", "espn__michael-vick-practice--copy2"),
            ("rian__japanese-rally-nuclear", "snacktory__tokyo-protest-nuclear"),
            ("aolnews__marines-makeover--snacktory", "aolnews__marines-makeover--goose3"),
            ("allrecipes__moscow-mule-2021", "allrecipes__moscow-mule-2023"),
            ("bevvy__irish-coffee-2018", "bevvy__irish-coffee-2019")]
    stories = [["livescience__feather-duvet-lung", "forbes__feather-duvet-lung", "gizmodo__feather-duvet-lung",
                "msn__duvet-medical-mystery"],
               ["smithsonianmag__plague-cases-china", "nypost__hunter-bubonic-plague-rabbit",
                "express__bubonic-plague-china", "thesun__hunter-bubonic-plague-rabbit"],
               ["techcrunch__wework-investigation", "venturebeat__wework-investigation"],
               ["billboard__doobie-brothers-tour", "rollingstone__doobie-brothers-tour",
                "cleveland__doobie-brothers-reunite"]]
    names = sorted({n for pair in same for n in pair} | {n for group in stories for n in group})
    bodies = {n: extract_page((CORPUS / f"{n}.html").read_bytes(), f"https://example.org/{n}")["body"] for n in names}
    sets = {n: dedupe.shingles(b) for n, b in bodies.items()}
    order = list(names)
    signatures = dedupe.minhash([sets[n] for n in order])
    found = {(order[i], order[j]) for i, j in ours_pairs([sets[n] for n in order], signatures)}
    found |= {(b, a) for a, b in found}
    print("\nreal same-article pairs (main-text Jaccard, flagged as duplicate?):")
    for a, b in same:
        j = dedupe.jaccard(sets[a], sets[b])
        print(f"  {a[:34]:<34} ~ {b[:38]:<38} J={j:.2f}  {'duplicate' if (a, b) in found else '-'}")
    false = [(a, b) for group in stories for a, b in combinations(group, 2) if (a, b) in found]
    print(f"same story by different publishers: {sum(len(list(combinations(g, 2))) for g in stories)} pairs, "
          f"flagged as duplicates: {len(false)} (must be 0)")


def entity_quality() -> None:
    from recommend_quality import merge_figures  # bench/recommend_quality.py: the full entity figures

    sample = json.loads((Path(__file__).parent / "entity_sample.json").read_text())
    merged, correct, gold, wrong = merge_figures(sample["groups"])
    print(f"\nentity merges on bench/entity_sample.json ({sum(len(g['names']) for g in sample['groups'])} names, "
          f"{len(sample['groups'])} gold groups): precision {correct / max(merged, 1):.3f} ({correct}/{merged} merged "
          f"pairs), recall {correct / max(gold, 1):.3f} with the alias table")
    for a, b in wrong:
        print(f"  wrongly merged: {a!r} + {b!r}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--skip-datasketch", action="store_true")
    parser.add_argument("--child")
    parser.add_argument("--n", type=int)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.n)))
        return
    demo_quality()
    corpus_quality()
    entity_quality()
    print(f"\n{'articles':>9}  {'contender':<26} {'build s':>8} {'build+query s':>14} {'peak MB':>8}   quality (true J >= 0.8)")
    for n in [int(s) for s in args.sizes.split(",")]:
        ours = run_child("ours", n)
        theirs = {"error": "skipped"} if args.skip_datasketch else run_child("datasketch", n)
        p = ours["tp"] / max(ours["tp"] + ours["fp"], 1)
        r = ours["tp"] / max(ours["tp"] + ours["fn"], 1)
        print(f"{n:>9}  {'ours (numpy MinHash+LSH)':<26} {ours['build']:>8.1f} {ours['total']:>14.1f} {ours['peak_mb']:>8.0f}"
              f"   precision {p:.3f} recall {r:.3f}")
        if "error" in theirs:
            print(f"{n:>9}  {'datasketch':<26} ({theirs['error']})")
        else:
            print(f"{n:>9}  {'datasketch MinHashLSH':<26} {theirs['build']:>8.1f} {theirs['total']:>14.1f} {theirs['peak_mb']:>8.0f}")
            print(f"{'':>9}  datasketch / ours: build+query {theirs['total'] / ours['total']:.1f}x slower, "
                  f"memory {theirs['peak_mb'] / max(ours['peak_mb'], 1):.1f}x")
        print(f"{'':>9}  incremental run adding 1 %: {ours['incremental']:.2f} s = "
              f"{100 * ours['incremental'] / ours['total']:.1f} % of a rebuild")


if __name__ == "__main__":
    main()

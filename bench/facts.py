"""Dosage grammar speed: µs per call, ours against the facts functions it replaced, same run.

    python bench/facts.py [--texts 300] [--passes 7] [--baseline 9404594]

Texts: exercise descriptions of about 300 characters built from sentences
written for this bench (a movement described without numbers, then a dose
in English, German, French or Spanish, sometimes none), the same kinds of
text the extractor passes for every exercise it finds; and 200 KB hostile
strings (repeated digits, "hold " * 40000, nested ranges...).

"ours" is ``parse_dosage(text, name).as_record()``, everything the extractor
stores for an exercise; "old" is what the extractor called before, the
four functions ``hold_range``, ``reps``, ``sets`` and ``rest_seconds`` of
pipeline/extract/facts.py at the baseline commit, read with ``git show``.
Caches are emptied before every pass, since each extracted item is new
text. Figures are CPU time of this process (other work on a shared
machine does not count), the best pass; the ratio is ours / old.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.extract import facts  # noqa: E402

BASELINE = "9404594"  # main before the dosage grammar

MOVEMENTS = [
    "Lie on your back with your knees bent and your feet flat on the floor, hip-width apart.",
    "Stand tall with your feet shoulder-width apart and your arms relaxed at your sides.",
    "Kneel on all fours with your hands under your shoulders and your knees under your hips.",
    "Sit on the edge of a chair, back straight, and place both hands on your thighs.",
    "Tighten your stomach muscles and slowly lift your hips until your body forms a straight line.",
    "Keep your back flat and your neck long while you move, and breathe out as you lift.",
    "Legen Sie sich auf den Rücken, winkeln Sie die Beine an und stellen Sie die Füße auf.",
    "Allongez-vous sur le dos, genoux pliés, pieds à plat sur le sol.",
    "Túmbate boca arriba con las rodillas dobladas y los pies apoyados en el suelo.",
]
DOSES = [
    "Hold for {h} seconds, then relax. Repeat {r} times.",
    "Keep the stretch for {h} seconds and switch sides.",
    "Do {s} sets of {r} reps, resting {t} seconds between sets.",
    "Aim for {s}-{s2} sets of {r}-{r2} repetitions, {f} times a week.",
    "Pause for 2 seconds at the top, then lower slowly. Complete {s} sets of eight.",
    "Walk for {m} minutes a day, most days of the week.",
    "Stay here for half a minute, breathing slowly, and repeat on the other side.",
    "Halten Sie die Position {h} Sekunden und machen Sie drei Sätze zu je zehn Wiederholungen.",
    "Maintenez {h} secondes, puis faites {s} séries de {r} répétitions de chaque côté.",
    "Mantén la postura {h} segundos y haz entre {r} y {r2} repeticiones por lado.",
    "Repeat as often as feels comfortable.",
    "",
]
NAMES = ["Glute bridge", "Cat-cow stretch", "Wall sit", "20 Squats", "Bird dog", "Knee to chest", "Plank"]
HOSTILE = {"digits": "1 " * 100_000, "hold ": "hold " * 40_000, "nested ranges": "1-2-3-4-" * 25_000,
           "seconds": "1 seconds " * 20_000, "sets of": "3 sets of " * 20_000, "one long number": "9" * 200_000}


def typical_texts(count: int) -> list[tuple[str, str]]:
    """(text, name) pairs of about 300 characters, the same every run."""
    rng = random.Random(0)
    pairs = []
    for _ in range(count):
        dose = rng.choice(DOSES).format(h=rng.choice([5, 10, 20, 30, 60]), r=rng.choice([8, 10, 12, 15]),
                                        r2=rng.choice([12, 15, 20]), s=rng.choice([2, 3]), s2=4,
                                        t=rng.choice([30, 60, 90]), f=rng.choice([2, 3]), m=rng.choice([10, 20, 30]))
        text = " ".join(rng.sample(MOVEMENTS, 3)) + " " + dose
        pairs.append((text[:360], rng.choice(NAMES)))
    return pairs


def old_facts(rev: str) -> types.ModuleType | None:
    """pipeline/extract/facts.py as it was at ``rev``, or None when git cannot show it."""
    try:
        source = subprocess.run(["git", "show", f"{rev}:pipeline/extract/facts.py"], cwd=ROOT, check=True,
                                capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"(no baseline: git show {rev} failed: {getattr(error, 'stderr', error)!s})".strip())
        return None
    module = types.ModuleType("facts_baseline")
    exec(compile(source, f"facts@{rev}", "exec"), module.__dict__)
    return module


def ours(text: str, name: str) -> dict:
    return facts.parse_dosage(text, name).as_record()


def make_old(module):
    def old(text: str, name: str) -> tuple:
        return module.hold_range(text), module.reps(text, name), module.sets(text), module.rest_seconds(text)
    return old


def clear_caches(old_module) -> None:
    facts._read_cached.cache_clear()
    if old_module is not None:
        old_module.normalise_numbers.cache_clear()


def best_pass(fn, pairs, passes: int, old_module) -> float:
    """Best-of-``passes`` µs per call over all pairs, caches emptied before each pass."""
    best = float("inf")
    for _ in range(passes):
        clear_caches(old_module)
        started = time.process_time()
        for text, name in pairs:
            fn(text, name)
        best = min(best, (time.process_time() - started) / len(pairs))
    return best * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=300)
    parser.add_argument("--passes", type=int, default=7)
    parser.add_argument("--baseline", default=BASELINE, help="commit whose facts.py is the baseline")
    args = parser.parse_args()
    module = old_facts(args.baseline)
    old = make_old(module) if module else None
    pairs = typical_texts(args.texts)
    plain = [(MOVEMENTS[i % len(MOVEMENTS)] + " " + MOVEMENTS[(i + 3) % len(MOVEMENTS)], "") for i in range(args.texts)]
    print(f"{len(pairs)} exercise texts, median {sorted(len(t) for t, _ in pairs)[len(pairs) // 2]} characters; "
          f"baseline: facts.py at {args.baseline}")
    print(f"{'':34}{'ours µs':>10}{'old µs':>10}{'ours/old':>10}")
    for label, texts in (("typical exercise text", pairs), ("text without a number", plain)):
        # interleave ours and old so a burst of load hits both
        new_us, old_us = [], []
        for _ in range(3):
            new_us.append(best_pass(ours, texts, max(1, args.passes // 3), module))
            if old:
                old_us.append(best_pass(old, texts, max(1, args.passes // 3), module))
        n, o = min(new_us), (min(old_us) if old_us else None)
        print(f"  {label:<32}{n:10.1f}" + (f"{o:10.1f}{n / o:10.2f}x" if o else ""))
    found_new = sum(bool(facts.parse_dosage(t, n).facts) for t, n in pairs)
    found_old = sum(any(v not in (None, (None, None)) for v in old(t, n)) for t, n in pairs) if old else None
    print(f"  texts with any fact found: ours {found_new}/{len(pairs)}"
          + (f", old {found_old}/{len(pairs)}" if old else ""))
    print(f"\n200 KB hostile strings (ms per call; text past {facts.MAX_CHARS:,} characters is not read):")
    for label, text in HOSTILE.items():
        clear_caches(module)
        started = time.process_time()
        ours(text, "")
        n = (time.process_time() - started) * 1000
        line = f"  {label:<32}{n:10.1f}"
        if old:
            started = time.process_time()
            old(text, "")
            o = (time.process_time() - started) * 1000
            line += f"{o:10.1f}{n / o:10.2f}x"
        print(line)


if __name__ == "__main__":
    main()

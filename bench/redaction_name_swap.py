"""How far redaction carries to names nobody tuned on: the sets' own sentences, names swapped.

Every single-word name labelled in tests/data/eval/redaction/*.jsonl (654 of them, the
comments as their writers wrote them) is replaced, wherever it appears in its comment, by a
name drawn at random from a pool, and the share of swapped names fully removed is printed:

- listed: the first names redaction.py knows (FIRST_NAMES);
- word_names: names that are also words (bench/data/name_swap_pools.json);
- unlisted: first names of Faker's other locales that no list holds (same file).

The sentences have been read while tuning, the names in the two fixed pools mostly not: this
is a diagnostic of name knowledge and position rules, not a holdout. Run from the repository
root: ``python bench/redaction_name_swap.py [--seed N] [--show-misses]``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv=None) -> int:
    from feedback.analysis import redaction
    from feedback.analysis.redaction import redact_many

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    fixed = json.loads((ROOT / "bench" / "data" / "name_swap_pools.json").read_text(encoding="utf-8"))
    pools = {"listed": sorted(n for n in redaction.FIRST_NAMES if re.fullmatch(r"[A-Z][a-z]{2,}", n)),
             "word_names": fixed["word_names"], "unlisted": fixed["unlisted"]}
    items = []
    for path in sorted((ROOT / "tests" / "data" / "eval" / "redaction").glob("*.jsonl")):
        items += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    frames = []
    for item in items:
        for pii in item["pii"]:
            name = pii["text"]
            if pii["kind"] in ("child_name", "adult_name") and re.fullmatch(r"[A-Z][a-z]+", name) and not any(
                    name.lower() in other["text"].lower() for other in item["pii"] if other is not pii):
                frames.append((item["text"], name))
    rng = random.Random(args.seed)
    print(f"{len(frames)} names in their writers' sentences, seed {args.seed}")
    for pool, names in pools.items():
        texts, swapped = [], []
        for text, name in frames:
            new = rng.choice(names)
            texts.append(re.sub(rf"(?<![\w-]){name}(?![\w-])", new, text))
            swapped.append(new)
        removed = 0
        for text, new, result in zip(texts, swapped, redact_many(texts)):
            covered = {i for s in result.spans for i in range(s.start, s.end)}
            where = [m.span() for m in re.finditer(rf"(?<![\w-]){new}(?![\w-])", text)]
            ok = all(all(i in covered for i in range(a, b)) for a, b in where)
            removed += ok
            if not ok and args.show_misses:
                print(f"      {result.text}")
        print(f"  {pool:<12}{removed}/{len(texts)} = {removed / len(texts):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

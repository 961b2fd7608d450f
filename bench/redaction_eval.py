"""Precision and recall of redaction per kind on the labelled redaction cases.

tests/data/redaction_cases.jsonl is the development set the rules were written against;
tests/data/redaction_holdout.jsonl was written afterwards and never tuned on.

Run from the repository root: ``python bench/redaction_eval.py``. A found span counts as
correct when it overlaps an expected span of the same kind; each expected span is matched
at most once. ``--show-errors`` lists misses and false alarms.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from feedback.analysis.redaction import PLACEHOLDERS, redact  # noqa: E402

CASE_FILES = {
    "development set": ROOT / "tests" / "data" / "redaction_cases.jsonl",
    "holdout set": ROOT / "tests" / "data" / "redaction_holdout.jsonl",
}


def evaluate(cases, show_errors=False):
    true_pos, false_pos, false_neg = Counter(), Counter(), Counter()
    for case in cases:
        found = redact(case["text"], case.get("extra_names", ())).spans
        unmatched = list(case["expected"])
        for span in found:
            match = next((e for e in unmatched if e["kind"] == span.kind
                          and span.start < e["end"] and e["start"] < span.end), None)
            if match:
                unmatched.remove(match)
                true_pos[span.kind] += 1
            else:
                false_pos[span.kind] += 1
                if show_errors:
                    print(f"false alarm {span.kind}: {case['text'][span.start:span.end]!r} in {case['text']!r}")
        for missed in unmatched:
            false_neg[missed["kind"]] += 1
            if show_errors:
                print(f"missed {missed['kind']}: {missed['value']!r} in {case['text']!r}")
    return true_pos, false_pos, false_neg


def report(title, cases, tp, fp, fn):
    negatives = sum(1 for c in cases if not c["expected"])
    print(f"{title}: {len(cases)} cases ({negatives} with no personal details)")
    print(f"{'kind':<16}{'expected':>9}{'found':>7}{'precision':>11}{'recall':>8}")
    for kind in (*PLACEHOLDERS, "overall"):
        t = sum(tp.values()) if kind == "overall" else tp[kind]
        f_p = sum(fp.values()) if kind == "overall" else fp[kind]
        f_n = sum(fn.values()) if kind == "overall" else fn[kind]
        if kind != "overall" and not t + f_p + f_n:
            continue
        precision = t / (t + f_p) if t + f_p else 1.0
        recall = t / (t + f_n) if t + f_n else 1.0
        print(f"{kind:<16}{t + f_n:>9}{t + f_p:>7}{precision:>11.3f}{recall:>8.3f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args(argv)
    for title, path in CASE_FILES.items():
        if not path.exists():
            print(f"skipping {title}: {path} not found")
            continue
        cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        report(title, cases, *evaluate(cases, args.show_errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Leave one writer's set out: how the safeguarding triage does on each evaluation set when the
model was trained without it.

For each set under tests/data/eval/safeguarding/ the model is trained on the examples
(feedback/analysis/data/safeguarding_examples.jsonl) less any comment of that set, plus, with
``--with-sets``, every other set; then the set is read by the rules and that model. Prints
plain and indirect recall and idiom false flags per set, and with ``--kinds`` whether each
false flag came from a rule or the model.

    python scripts/safeguarding_leave_one_out.py               # the examples only
    python scripts/safeguarding_leave_one_out.py --with-sets   # plus every other set
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from feedback.analysis import safeguarding as sg  # noqa: E402

EVAL = ROOT / "tests" / "data" / "eval" / "safeguarding"
SETS = ("dev", "dev_extra", "dev_extra2", "dev_extra3", "holdout", "holdout_b", "holdout_c", "holdout_d")


def load(name: str) -> list[dict]:
    return [json.loads(line) for line in (EVAL / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def key(text: str) -> str:
    return " ".join(sg.normalise(text)[0].split())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--with-sets", action="store_true", help="train on every other set as well")
    parser.add_argument("--kinds", action="store_true", help="print each missed disclosure, and each idiom false flag and what made it")
    parser.add_argument("--only", help="one set")
    args = parser.parse_args(argv)
    sets = {name: load(name) for name in SETS}
    base = sg.training_rows()
    print(f"{'set':<12}{'plain':>12}{'indirect':>12}{'idiom ff':>12}{'by rule':>9}{'by model':>9}")
    for name in (args.only,) if args.only else SETS:
        held = {key(item["text"]) for item in sets[name]}
        rows = [r for r in base if key(r["text"]) not in held]
        if args.with_sets:
            rows += [{"text": i["text"], "label": i["label"], "category": i.get("category")}
                     for other, items in sets.items() if other != name for i in items if key(i["text"]) not in held]
        model = sg.train_model(rows)
        sg._model = lambda model=model: model
        sg._word_features.cache_clear()
        results = sg.assess_many([i["text"] for i in sets[name]])
        count = Counter()
        for item, result in zip(sets[name], results):
            count[item["style"], result.flagged] += 1
            if args.kinds and item["label"] == "disclosure" and not result.flagged:
                print(f"    MISSED {item['category']}: {item['text']}")
            if item["style"] == "idiom" and result.flagged:
                by_model = all(e.rule.startswith("model") for e in result.evidence)
                count["model" if by_model else "rule"] += 1
                if args.kinds:
                    print(f"    {'MODEL' if by_model else 'RULE '} {item['text']}  <- {[e.rule for e in result.evidence]}")
        def rate(style):
            n = count[style, True] + count[style, False]
            return f"{count[style, True]}/{n}" if n else "-"
        print(f"{name:<12}{rate('plain'):>12}{rate('indirect'):>12}{rate('idiom'):>12}{count['rule']:>9}{count['model']:>9}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

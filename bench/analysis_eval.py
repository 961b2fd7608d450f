"""Text analysis measured on comments written by people who had not read the code.

The sets are in tests/data/eval/<set>/{dev,holdout}.jsonl, labelled by the rules in
tests/data/eval/RULES-<set>.md. The development sets may be read and tuned on; a holdout
set never is: this script prints only its figures, never its items or errors. The first
four holdouts (holdout, holdout_b, holdout_c, holdout_d) became development data on
2026-12-01 after they had been measured (see their PROVENANCE files), so their errors are
shown too, and so did redaction's holdout_e (``FORMER_HOLDOUTS_OF``); any other split
(the other sets' holdout_e, holdout_f and later) stays blind.

Run from the repository root::

    python bench/analysis_eval.py                 # every set, every split file present
    python bench/analysis_eval.py --only safeguarding --split dev --show-errors
    python bench/analysis_eval.py --only sentiment_themes --split holdout_b

Every split file of a set is reported: dev and holdout first, then any other
(tests/data/eval/<set>/<name>.jsonl: dev_extra, dev_check, holdout_b...); ``--split NAME``
reports one. Errors are shown only for development splits (names starting "dev", and the
former holdouts in ``FORMER_HOLDOUTS``).

For each set it prints:

- sentiment: accuracy and macro-F1 of our analyser against raw TextBlob and VADER (each
  labelled with the same ±0.05 thresholds), and of the communication part of a comment;
- redaction: span recall per kind (a personal detail counts as removed only when every one
  of its characters, in every place it appears, is inside a redacted span), the share of
  comments with every detail removed, and the words wrongly removed: the share of ordinary
  words of comments with no personal detail that redaction took out;
- safeguarding: recall per category and per style (plain, indirect), precision, and the
  false-flag rate on idioms and on ordinary comments;
- themes: precision, recall and F1 per theme, macro-F1, and comments given no theme.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EVAL = ROOT / "tests" / "data" / "eval"
SETS = ("safeguarding", "redaction", "sentiment_themes")
SPLITS = ("dev", "holdout")  # first, in this order; then any other split file present
#: Holdouts that became development data on 2026-12-01, after being measured.
FORMER_HOLDOUTS = ("holdout", "holdout_b", "holdout_c", "holdout_d")
#: Holdouts that became development data of one set only: redaction's holdout_e, after its
#: last blind measurement (2026-12-01); the other sets' holdout_e stay blind.
FORMER_HOLDOUTS_OF = {"redaction": ("holdout_e",)}


def splits_of(name: str) -> list[str]:
    """Every split file of a set: dev and holdout first, then the rest (dev_extra, holdout_b...)."""
    present = sorted(path.stem for path in (EVAL / name).glob("*.jsonl"))
    return [s for s in SPLITS if s in present] + [s for s in present if s not in SPLITS]
LABELS = ("negative", "neutral", "positive")
_WORD = re.compile(r"\w+", re.UNICODE)


def load(name: str, split: str) -> list[dict] | None:
    path = EVAL / name / f"{split}.jsonl"
    if not path.exists():
        return None
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def macro_f1(gold: list[str], predicted: list[str], labels=LABELS) -> float:
    scores = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, predicted))
        fp = sum(p == label != g for g, p in zip(gold, predicted))
        fn = sum(g == label != p for g, p in zip(gold, predicted))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0)
    return sum(scores) / len(scores)


def label_of(polarity: float) -> str:
    return "positive" if polarity >= 0.05 else "negative" if polarity <= -0.05 else "neutral"


# Sentiment and themes

def sentiment_themes(items: list[dict], show_errors: bool, split: str = "") -> None:
    from textblob import TextBlob

    from feedback.analysis import analyse_sentiment, match_themes
    from feedback.analysis.sentiment import communication_sentiment

    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
        vader = SentimentIntensityAnalyzer()
    except ImportError:  # a dev dependency
        vader = None
    from feedback.analysis.sentiment import MODEL_PATH, rule_sentiment

    gold = [item["sentiment"] for item in items]
    ours = [analyse_sentiment(item["text"]).label for item in items]
    blob = [label_of(TextBlob(item["text"]).sentiment.polarity) for item in items]
    rows = [("ours", ours), ("ours, rules without the model", [rule_sentiment(item["text"]).label for item in items]),
            ("TextBlob", blob)]
    trained_on = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["trained_on"]
    if split and f"{split}.jsonl" in trained_on.replace(",", " ").split():
        print(f"  (the sentiment model was trained on {split}.jsonl: 'ours' is in-sample here; cross-validated "
              "figures: python scripts/train_sentiment_model.py --cv-only)")
    if vader:
        rows.append(("VADER", [label_of(vader.polarity_scores(item["text"])["compound"]) for item in items]))
    print(f"  sentiment ({len(items)} comments){'':<14}accuracy  macro-F1")
    for name, predicted in rows:
        accuracy = sum(g == p for g, p in zip(gold, predicted)) / len(items)
        print(f"    {name:<36}{accuracy:>8.3f}{macro_f1(gold, predicted):>10.3f}")
    with_comm = [item for item in items if item.get("communication_sentiment")]
    if with_comm:
        comm_gold = [item["communication_sentiment"] for item in with_comm]
        comm_ours = [(communication_sentiment(item["text"]) or analyse_sentiment(item["text"])).label for item in with_comm]
        accuracy = sum(g == p for g, p in zip(comm_gold, comm_ours)) / len(with_comm)
        print(f"    {f'communication part ({len(with_comm)})':<36}{accuracy:>8.3f}{macro_f1(comm_gold, comm_ours):>10.3f}")
    phenomena = Counter(tag for item in items for tag in item.get("phenomena", ()))
    right = Counter(tag for item, p in zip(items, ours) for tag in item.get("phenomena", ()) if p == item["sentiment"])
    print("    right by phenomenon: " + ", ".join(f"{tag} {right[tag]}/{n}" for tag, n in sorted(phenomena.items())))
    if show_errors:
        for item, p in zip(items, ours):
            if p != item["sentiment"]:
                print(f"      [{item['sentiment']} read as {p}] {item['text']}")

    names = sorted({theme for item in items for theme in item["themes"]})
    tp, fp, fn = Counter(), Counter(), Counter()
    none_given = 0
    errors = []
    for item in items:
        found = {m.name for m in match_themes(item["text"])}
        none_given += not found
        expected = set(item["themes"])
        for name in found | expected:
            if name in found and name in expected:
                tp[name] += 1
            elif name in found:
                fp[name] += 1
            else:
                fn[name] += 1
        if found != expected:
            errors.append((item["text"], sorted(expected - found), sorted(found - expected)))
    print(f"  themes ({len(items)} comments, {sum(not i['themes'] for i in items)} labelled with none; "
          f"{none_given} given none)")
    print(f"    {'theme':<42}{'n':>4}{'precision':>11}{'recall':>8}{'F1':>7}")
    f1s = []
    for name in names:
        precision = tp[name] / (tp[name] + fp[name]) if tp[name] + fp[name] else 1.0
        recall = tp[name] / (tp[name] + fn[name]) if tp[name] + fn[name] else 1.0
        f1 = 2 * tp[name] / (2 * tp[name] + fp[name] + fn[name]) if tp[name] + fp[name] + fn[name] else 1.0
        f1s.append(f1)
        print(f"    {name:<42}{tp[name] + fn[name]:>4}{precision:>11.3f}{recall:>8.3f}{f1:>7.3f}")
    print(f"    macro-F1 {sum(f1s) / len(f1s):.3f}")
    if show_errors:
        for text, missed, extra in errors:
            print(f"      missed {missed} extra {extra}: {text}")


# Redaction

def _occurrences(text: str, fragment: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(fragment), text)]


def redaction(items: list[dict], show_errors: bool, redact=None) -> None:
    """``redact``: a function text -> RedactionResult-like object with ``spans`` (start,
    end); ours by default (bench/redaction_compare.py passes others)."""
    if redact is None:
        from feedback.analysis import redact

    found_kind, total_kind = Counter(), Counter()
    clean_comments = fully = 0
    words = removed_words = 0
    for item in items:
        result = redact(item["text"])
        covered = set()
        for span in result.spans:
            covered.update(range(span.start, span.end))
        all_removed = True
        for pii in item["pii"]:
            for start, end in _occurrences(item["text"], pii["text"]) or [(0, 0)]:
                total_kind[pii["kind"]] += 1
                if end > start and all(i in covered for i in range(start, end)):
                    found_kind[pii["kind"]] += 1
                else:
                    all_removed = False
                    if show_errors:
                        print(f"      missed {pii['kind']} {pii['text']!r}: {result.text}")
        fully += all_removed
        if not item["pii"]:
            clean_comments += 1
            for word in _WORD.finditer(item["text"]):
                words += 1
                if any(i in covered for i in range(word.start(), word.end())):
                    removed_words += 1
                    if show_errors:
                        print(f"      removed {word.group()!r}: {result.text}")
    print(f"  redaction ({len(items)} comments, {clean_comments} with no personal detail)")
    print(f"    {'kind':<16}{'details':>8}{'removed':>9}{'recall':>8}")
    for kind in sorted(total_kind):
        print(f"    {kind:<16}{total_kind[kind]:>8}{found_kind[kind]:>9}{found_kind[kind] / total_kind[kind]:>8.3f}")
    names = ("child_name", "adult_name")
    name_total = sum(total_kind[k] for k in names)
    if name_total:
        print(f"    {'people (names)':<16}{name_total:>8}{sum(found_kind[k] for k in names):>9}"
              f"{sum(found_kind[k] for k in names) / name_total:>8.3f}")
    total = sum(total_kind.values())
    print(f"    {'all kinds':<16}{total:>8}{sum(found_kind.values()):>9}{sum(found_kind.values()) / max(total, 1):>8.3f}")
    print(f"    comments with every detail removed: {fully}/{len(items)}")
    print(f"    words wrongly removed from clean comments: {removed_words}/{words} "
          f"= {100 * removed_words / max(words, 1):.1f}%")


# Safeguarding

def safeguarding(items: list[dict], show_errors: bool) -> None:
    from feedback.analysis import assess_safeguarding

    by_category, by_style, by_writer = defaultdict(Counter), defaultdict(Counter), defaultdict(Counter)
    flagged_total = flagged_right = 0
    for item in items:
        result = assess_safeguarding(item["text"])
        disclosure = item["label"] == "disclosure"
        flagged_total += result.flagged
        flagged_right += result.flagged and disclosure
        by_style[item["style"]][result.flagged] += 1
        if disclosure:
            by_category[item["category"]][result.flagged] += 1
            by_writer[item.get("writer", "?")][result.flagged] += 1
        if show_errors and result.flagged != disclosure:
            what = "missed " + item["category"] if disclosure else f"false flag ({item['style']})"
            print(f"      {what}: {item['text']}  <- {list(result.matches) if result.flagged else ''}")
    print(f"  safeguarding ({len(items)} comments, {sum(i['label'] == 'disclosure' for i in items)} disclosures)")
    print(f"    {'category':<26}{'n':>4}{'caught':>8}{'recall':>8}")
    for category in sorted(by_category):
        c = by_category[category]
        print(f"    {category:<26}{c[True] + c[False]:>4}{c[True]:>8}{c[True] / (c[True] + c[False]):>8.3f}")
    disclosures = sum(c[True] + c[False] for c in by_category.values())
    caught = sum(c[True] for c in by_category.values())
    for style in ("plain", "indirect"):
        c = by_style[style]
        if c:
            print(f"    recall, {style:<16}{c[True] + c[False]:>6}{c[True]:>8}{c[True] / (c[True] + c[False]):>8.3f}")
    for writer, c in sorted(by_writer.items()):
        print(f"    recall, {writer:<16}{c[True] + c[False]:>6}{c[True]:>8}{c[True] / (c[True] + c[False]):>8.3f}")
    print(f"    recall, all disclosures  {disclosures:>4}{caught:>8}{caught / max(disclosures, 1):>8.3f}")
    print(f"    precision {flagged_right / max(flagged_total, 1):.3f} ({flagged_right} of {flagged_total} flags)")
    for style in ("idiom", "ordinary"):
        c = by_style[style]
        if c:
            print(f"    false flags, {style:<12}{c[True]}/{c[True] + c[False]} = {c[True] / (c[True] + c[False]):.3f}")


RUNNERS = {"safeguarding": safeguarding, "redaction": redaction, "sentiment_themes": sentiment_themes}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=SETS)
    parser.add_argument("--split", help="one split file by name: dev, holdout, holdout_b, dev_extra...")
    parser.add_argument("--show-errors", action="store_true", help="development splits only (dev*, and the former holdouts)")
    args = parser.parse_args(argv)
    for name in (args.only,) if args.only else SETS:
        for split in (args.split,) if args.split else splits_of(name):
            items = load(name, split)
            if items is None:
                print(f"{name} {split}: not there yet")
                continue
            print(f"{name} {split}")
            # A holdout is never looked into: figures only.
            show = args.show_errors and (split.startswith("dev") or split in FORMER_HOLDOUTS
                                         or split in FORMER_HOLDOUTS_OF.get(name, ()))
            RUNNERS[name](items, show, split) if name == "sentiment_themes" else RUNNERS[name](items, show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

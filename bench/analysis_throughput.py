"""Throughput and memory of the full comment pipeline on one core.

Run from the repository root: ``python bench/analysis_throughput.py [--n 10000]``.
Comments come from tests/data/service_feedback.csv, varied so that no two are identical
(prefixes, suffixes and personal details that redaction must find).
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from feedback.analysis import analyse_comment, analysis_to_dict  # noqa: E402

PREFIXES = ("", "To be honest, ", "Overall ", "My son Jack says ", "As a parent carer, ",
            "Since 2023 ", "In Norfolk ")
SUFFIXES = ("", " Call me on 07700 900123.", " Thanks.", " Email jo@example.com.",
            " We live at NR1 3AB.", " This paperwork is killing me.", " Nothing has changed")


def comments(n: int) -> list[str]:
    with (ROOT / "tests" / "data" / "service_feedback.csv").open(newline="", encoding="utf-8") as handle:
        base = [row["text"] for row in csv.DictReader(handle)]
    return [
        f"{PREFIXES[i % len(PREFIXES)]}{base[i % len(base)]}{SUFFIXES[(i // len(base)) % len(SUFFIXES)]}"
        for i in range(n)
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args(argv)
    texts = comments(args.n)

    analyse_comment("warm-up: compile the regular expressions and load the lexicons")
    start = time.perf_counter()
    for text in texts:
        analyse_comment(text)
    elapsed = time.perf_counter() - start
    print(f"analyse_comment: {args.n} comments in {elapsed:.2f} s = {args.n / elapsed:,.0f} comments/s (one core)")

    start = time.perf_counter()
    lines = [json.dumps(analysis_to_dict(analyse_comment(text))) for text in texts]
    elapsed = time.perf_counter() - start
    print(f"analyse + JSON lines: {len(lines)} lines in {elapsed:.2f} s")

    tracemalloc.start()
    for text in texts[:2000]:
        analyse_comment(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak traced Python memory while analysing 2,000 comments (after warm-up): {peak / 1e3:.0f} kB")
    print(f"max resident set size of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

    # End to end in a fresh interpreter: start-up, imports, reading lines, writing JSON.
    source = "\n".join(texts)
    script = (
        "import sys, json; sys.path.insert(0, %r)\n"
        "from feedback.analysis import analyse_comment, analysis_to_dict\n"
        "out = [json.dumps(analysis_to_dict(analyse_comment(l))) for l in sys.stdin.read().splitlines()]\n"
        "sys.stdout.write(str(len(out)))\n" % str(ROOT)
    )
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script], input=source, capture_output=True,
                          text=True, check=True)
    elapsed = time.perf_counter() - start
    print(f"fresh process, {done.stdout} lines read from stdin to JSON: {elapsed:.2f} s including start-up")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

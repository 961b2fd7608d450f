"""Throughput and memory of the comment pipeline, as `flask analyse-text` runs it.

Run from the repository root: ``python bench/analysis_throughput.py [--n 10000]``.

Comments are real sentences: the UCI review lines (../shared/data/uci-sentences beside the checkout, or
--uci DIR) and the development comments of tests/data/eval (families' own wording, with
names, schools and phone numbers), cycled to --n lines. The end-to-end figure is the CLI
itself in a fresh process (its CPU seconds are reported too: on a machine shared with other
work, wall time mostly measures waiting for a core): start-up, loading the named-entity model, reading stdin,
writing one JSON object a line; its peak memory is the child's maximum resident set size.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from feedback.analysis import analyse_comments, analysis_to_dict  # noqa: E402

# shared/ beside the checkout (or beside the folder of worktrees)
UCI = next((p for p in (ROOT.parent / "shared" / "data" / "uci-sentences",
                        ROOT.parent.parent / "shared" / "data" / "uci-sentences") if p.exists()),
           ROOT.parent / "shared" / "data" / "uci-sentences")


def comments(n: int, uci: Path) -> list[str]:
    base = []
    for name in ("amazon_cells_labelled.txt", "imdb_labelled.txt", "yelp_labelled.txt"):
        path = uci / name
        if path.exists():
            base += [line.rsplit("\t", 1)[0].strip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    for path in sorted((ROOT / "tests" / "data" / "eval").glob("*/dev.jsonl")):
        base += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not base:
        print(f"(no review sentences at {uci}: development comments only)")
    base = [b for b in base if b]
    return [base[i % len(base)] for i in range(n)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--uci", type=Path, default=UCI)
    args = parser.parse_args(argv)
    texts = comments(args.n, args.uci)
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} comments, {words / len(texts):.1f} words each on average")

    list(analyse_comments(["warm-up: load the model, compile the patterns, Sarah"]))
    start, cpu = time.perf_counter(), time.process_time()
    lines = [json.dumps(analysis_to_dict(a), ensure_ascii=False) for a in analyse_comments(texts)]
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"in process, analyse_comments + JSON: {len(lines)} comments in {elapsed:.2f} s wall, {cpu:.2f} s CPU "
          f"= {len(lines) / elapsed:,.0f} comments/s (wall)")
    print(f"max resident set size of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

    env = {**os.environ, "FLASK_APP": "feedback"}
    env.setdefault("DATABASE_URL", "sqlite:///:memory:")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "feedback", "analyse-text"], input="\n".join(texts) + "\n",
                          capture_output=True, text=True, cwd=ROOT, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode:
        print(done.stderr[-2000:])
        return 1
    out = done.stdout.splitlines()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"flask analyse-text, fresh process: {len(out)} lines in {elapsed:.2f} s wall, "
          f"{usage.ru_utime + usage.ru_stime:.2f} s CPU, including start-up and model load; "
          f"peak memory {usage.ru_maxrss / 1024:.0f} MB")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
          "(CPU seconds are what one quiet core would take; wall time counts waiting for a core)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Are the analysis outputs unchanged? For speed-only changes to the pipeline or the CLI.

Run from the repository root, once on the code before a change and once after:

    python bench/analysis_outputs.py --save /tmp/before.jsonl
    python bench/analysis_outputs.py --compare /tmp/before.jsonl

The input is every comment of every evaluation set in tests/data/eval except a blind
holdout (any holdout split not yet in analysis_eval.FORMER_HOLDOUTS: holdout_f now), 2,000 UCI review lines (../shared/data/uci-sentences, if present) and a few odd
lines (empty, spaces only, non-ASCII digits, a very long line). It runs the real
`flask analyse-text --include-text` in a fresh process (two workers, as by default on two
cores) and compares its output byte for byte; it prints the SHA-256 of the output and the
first line that differs, if any.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis_eval import FORMER_HOLDOUTS  # noqa: E402  (the one list of holdouts that became development data)
UCI = next((p for p in (ROOT.parent / "shared" / "data" / "uci-sentences",
                        ROOT.parent.parent / "shared" / "data" / "uci-sentences") if p.exists()),
           ROOT.parent / "shared" / "data" / "uci-sentences")

ODD_LINES = [
    "", "   ", "\t", "Ring me on ０７７００ ９００１２３ please", "é", "[name] [school]",
    "Oluwaseun's mum rang 07700900123 and emailed jane dot doe at gmail dot com",
    " ".join(["The school never rang back and my son Will was upset."] * 60),
]


def comments(uci: Path) -> list[str]:
    texts = []
    for path in sorted((ROOT / "tests" / "data" / "eval").glob("*/*.jsonl")):
        if path.stem.startswith("holdout") and path.stem not in FORMER_HOLDOUTS:
            continue  # a blind holdout is never read
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for name in ("amazon_cells_labelled.txt", "imdb_labelled.txt"):
        if (uci / name).exists():
            texts += [line.rsplit("\t", 1)[0] for line in
                      (uci / name).read_text(encoding="utf-8", errors="replace").splitlines()]
    # One comment a line: a line break inside a comment would make two.
    return [t.replace("\r", " ").replace("\n", " ") for t in texts] + ODD_LINES


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--save", type=Path, help="write the output here")
    parser.add_argument("--compare", type=Path, help="compare the output with this earlier one")
    parser.add_argument("--uci", type=Path, default=UCI)
    parser.add_argument("--workers", default="2")
    args = parser.parse_args(argv)
    texts = comments(args.uci)
    env = {**os.environ, "FLASK_APP": "feedback"}
    env.setdefault("DATABASE_URL", "sqlite:///:memory:")
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "feedback", "analyse-text", "--include-text",
                           "--workers", args.workers],
                          input="\n".join(texts) + "\n", capture_output=True, text=True, cwd=ROOT, env=env)
    if done.returncode:
        print(done.stderr[-3000:])
        return 1
    output = done.stdout
    lines = output.splitlines()
    print(f"{len(texts)} comments in, {len(lines)} lines out, sha256 {hashlib.sha256(output.encode()).hexdigest()}")
    if len(lines) != len(texts):
        print("the number of lines out differs from the number in")
        return 1
    if args.save:
        args.save.write_text(output, encoding="utf-8")
    if args.compare:
        before = args.compare.read_text(encoding="utf-8")
        if before == output:
            print(f"identical to {args.compare}, byte for byte")
            return 0
        old = before.splitlines()
        first = next((i for i, (a, b) in enumerate(zip(old, lines)) if a != b), min(len(old), len(lines)))
        print(f"DIFFERENT from {args.compare}: {len(old)} lines there, first difference at line {first + 1}")
        for label, side in (("before", old), ("now", lines)):
            print(f"{label}: {side[first][:600] if first < len(side) else '(no line)'}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

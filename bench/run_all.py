"""Run every benchmark in bench/ and print their figures (`make bench`)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = ["signin_throughput.py", "survey_throughput.py", "sentiment_eval.py", "redaction_eval.py", "analysis_throughput.py", "results_scale.py"]

failed = False
for name in BENCHES:
    script = HERE / name
    if not script.exists():
        continue
    print(f"\n=== {name} ===", flush=True)
    failed |= subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode != 0
sys.exit(1 if failed else 0)

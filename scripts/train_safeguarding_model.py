"""Write the safeguarding model's weights (feedback/analysis/data/safeguarding_model.npz).

The model is trained exactly as ``feedback.analysis.safeguarding.train_model`` trains it, on
feedback/analysis/data/safeguarding_examples.jsonl; the file holds plain arrays (vocabularies,
IDF weights, coefficients) and the fingerprint of the examples and scikit-learn version it
was trained with. Run it after changing the examples or upgrading scikit-learn: until then the
stored weights are ignored and every process trains the model itself when it starts.

    python scripts/train_safeguarding_model.py

Deterministic: the same examples and scikit-learn give the same weights.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from feedback.analysis.safeguarding import MODEL_PATH, model_arrays, train_model  # noqa: E402


def main() -> int:
    np.savez_compressed(MODEL_PATH, **model_arrays(train_model()))
    data = MODEL_PATH.read_bytes()
    print(f"{MODEL_PATH.relative_to(ROOT)}: {len(data):,} bytes, SHA-256 {hashlib.sha256(data).hexdigest()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

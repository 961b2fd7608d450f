"""TextBlob without the parts of NLTK that need scikit-learn and SciPy.

TextBlob imports all of NLTK, and NLTK imports scikit-learn (with SciPy and pandas) and
SciPy's statistics for a few extras of its own (``SklearnClassifier``, ``fisher_exact``,
a transition parser), each inside ``try: ... except ImportError``. The analysis uses none
of them, and importing them costs about 1.5 CPU seconds in every process that starts
(`flask analyse-text`, a job worker). So while TextBlob is first imported, those two
libraries are reported as absent, and NLTK leaves its extras out; afterwards they import as
usual (the theme discovery and the training scripts use scikit-learn). If either is
already imported, nothing is held back.
"""

from __future__ import annotations

import importlib.abc
import sys

_HELD_BACK = ("sklearn", "scipy")


class _HoldBack(importlib.abc.MetaPathFinder):
    def __init__(self, names):
        self.names = names

    def find_spec(self, fullname, path=None, target=None):
        if fullname.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"{fullname} is not imported with TextBlob", name=fullname)
        return None


def import_textblob() -> None:
    if "textblob" in sys.modules:
        return
    names = tuple(n for n in _HELD_BACK if n not in sys.modules)
    finder = _HoldBack(names)
    sys.meta_path.insert(0, finder)
    try:
        import textblob.en  # noqa: F401
        import textblob.sentiments  # noqa: F401
    finally:
        sys.meta_path.remove(finder)

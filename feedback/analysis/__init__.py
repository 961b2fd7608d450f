"""Pure text analytics for feedback: strings and numbers in, frozen dataclasses out.

No Flask, no database: the app's jobs and CLI call these and store the results.
"""

from ._imports import import_textblob

import_textblob()  # before sentiment.py imports it: see _imports.py


from .indicator import (
    IndicatorResult,
    IndicatorSettings,
    WaveChange,
    communication_quality,
    compare_waves,
    trend_flag,
    wilson_interval,
)
from .pipeline import CommentAnalysis, FlagReason, analyse_comment, analyse_comments, analysis_to_dict
from .redaction import RedactedSpan, RedactionResult, redact, redact_many
from .safeguarding import SafeguardingResult, assess_many, assess_safeguarding
from .sentiment import (
    ANALYSER_VERSION,
    SentimentResult,
    ServiceFeedbackAnalyzer,
    analyse_sentiment,
    communication_sentiment,
)
from .themes import (
    SEED_TAXONOMY,
    EmergingTheme,
    ThemeDefinition,
    ThemeMatch,
    discover_emerging_themes,
    match_themes,
)

__all__ = [
    "ANALYSER_VERSION", "SEED_TAXONOMY", "CommentAnalysis", "EmergingTheme", "FlagReason", "IndicatorResult",
    "IndicatorSettings", "RedactedSpan", "RedactionResult", "SafeguardingResult",
    "SentimentResult", "ServiceFeedbackAnalyzer", "ThemeDefinition", "ThemeMatch",
    "WaveChange", "analyse_comment", "analyse_comments", "analyse_sentiment",
    "analysis_to_dict", "assess_many", "assess_safeguarding", "communication_quality", "compare_waves",
    "communication_sentiment", "discover_emerging_themes", "match_themes", "redact", "redact_many", "trend_flag", "wilson_interval",
]

"""Behaviour of the service-feedback sentiment analyser."""

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from textblob import TextBlob

from feedback.analysis.sentiment import (
    ANALYSER_VERSION,
    SentimentResult,
    ServiceFeedbackAnalyzer,
    analyse_sentiment,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "service_feedback.csv"


def label(text):
    return analyse_sentiment(text).label


@pytest.mark.parametrize("text", [
    "The caseworker never replied to my emails",
    "No one got back to me after the meeting.",
    "I was not listened to.",
    "We keep being passed around between teams.",
    "I have to chase them for everything.",
    "Still waiting for the plan after 9 months.",
    "I had to fight for every bit of support.",
    "I felt completely unheard.",
])
def test_unanswered_and_ignored_families_are_negative(text):
    assert label(text) == "negative"


@pytest.mark.parametrize("text", [
    "I was kept informed at every stage.",
    "For once I felt listened to.",
    "The team were really supportive.",
    "She always rings back the same day.",
    "I never had to chase anything.",
    "No complaints at all.",
    "Can't fault the transport team.",
])
def test_being_listened_to_and_kept_informed_is_positive(text):
    assert label(text) == "positive"


@pytest.mark.parametrize("text", [
    "We applied for an assessment in January.",
    "He goes to a special school with a resource base.",
    "Our social worker is from the children with disabilities team.",
    "N/A",
    "",
])
def test_plain_facts_are_neutral(text):
    assert label(text) == "neutral"


def test_textblob_alone_misses_the_complaint_that_we_catch():
    text = "The caseworker never replied to my emails"
    assert TextBlob(text).sentiment.polarity == 0.0
    assert analyse_sentiment(text).polarity < -0.05


def test_the_clause_after_but_decides_a_mixed_comment():
    assert label("The school is great but we have had no reply from the caseworker.") == "negative"
    assert label("The wait for OT was long but the therapist has been fantastic.") == "positive"


def test_although_clause_is_a_concession():
    assert label("Although the social worker means well, we still have no respite.") == "negative"


def test_negation_flips_praise():
    assert analyse_sentiment("The staff were helpful.").polarity > 0
    assert analyse_sentiment("The staff were not helpful.").polarity < 0


def test_intensifiers_strengthen_and_diminishers_soften():
    plain = analyse_sentiment("The caseworker was supportive.").polarity
    very = analyse_sentiment("The caseworker was very supportive.").polarity
    bit = analyse_sentiment("The caseworker was a bit supportive.").polarity
    assert bit < plain < very


def test_sarcastic_opener_is_turned_against_the_service():
    result = analyse_sentiment("Oh brilliant, another automated email. Six weeks and counting.")
    assert result.label == "negative"
    assert any("sarcastic" in phrase for phrase, _ in result.explanation)


def test_explanation_names_the_phrases_that_moved_the_score():
    result = analyse_sentiment("The school is lovely but the caseworker never replied.")
    phrases = dict(result.explanation)
    assert phrases["never replied"] < 0
    assert phrases["lovely"] > 0
    assert sum(phrases.values()) == pytest.approx(result.polarity, abs=0.01)


def test_analyser_plugs_into_textblob():
    result = TextBlob("Nobody listens to parents.", analyzer=ServiceFeedbackAnalyzer()).sentiment
    assert isinstance(result, SentimentResult)
    assert result.label == "negative"


def test_version_is_recorded():
    assert ANALYSER_VERSION


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_bounded_polarity_and_a_known_label(text):
    result = analyse_sentiment(text)
    assert -1.0 <= result.polarity <= 1.0
    assert result.label in {"negative", "neutral", "positive"}


def _accuracy(split):
    with DATA.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["split"] == split]
    ours = sum(label(r["text"]) == r["label"] for r in rows) / len(rows)
    raw = 0
    for r in rows:
        p = TextBlob(r["text"]).sentiment.polarity
        raw += ("positive" if p >= 0.05 else "negative" if p <= -0.05 else "neutral") == r["label"]
    return ours, raw / len(rows)


@pytest.mark.parametrize("split,floor", [("dev", 0.85), ("holdout", 0.75)])
def test_labelled_service_feedback_is_scored_well_above_raw_textblob(split, floor):
    ours, raw = _accuracy(split)
    assert ours >= floor
    assert ours - raw >= 0.15

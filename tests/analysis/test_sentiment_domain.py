"""Sentiment 1.3 on the kinds of SEND comment raw TextBlob gets wrong: sarcasm and irony,
complaints stated as facts and broken promises, "thanks for nothing", comparatives that
deny anything better or worse, and mixed comments whose communication part the CQI reads.
The sentences are written for these tests, not taken from the evaluation sets."""

import hashlib
import json
from pathlib import Path

import pytest

from feedback.analysis.sentiment import (
    ANALYSER_VERSION,
    MODEL_PATH,
    MODEL_SHA256,
    analyse_sentiment,
    communication_sentiment,
    model_tokens,
    normalise,
    word_vector,
)

ROOT = Path(__file__).resolve().parents[2]


def label(text):
    return analyse_sentiment(text).label


@pytest.mark.parametrize("text", [
    "Fantastic. The taxi forgot her again and nobody rang to say.",
    "Oh wonderful, the assessment has been moved to next spring.",
    "Good luck getting through to the duty team before lunch.",
    "Must be a world record, four caseworkers in one term.",
    "Would it kill them to answer one email?",
    "Well done everyone, the review paperwork came after the review.",
    "The annual review was a triumph, if by triumph you mean nobody turned up.",
    "I'm sure the next reorganisation will sort everything out.",
])
def test_sarcasm_is_read_by_what_it_means(text):
    assert label(text) == "negative"


@pytest.mark.parametrize("text", [
    "They said someone would visit before half term. Nobody did.",
    "We were promised a decision by June. It's now November.",
    "He was meant to have weekly OT and he's had none since the spring.",
    "Speech therapy stopped in year 4 and never restarted.",
    "The panel meets monthly and our case has been deferred three times.",
    "Waited fourteen months for the sleep clinic.",
])
def test_complaints_stated_as_facts_are_negative(text):
    assert label(text) == "negative"


@pytest.mark.parametrize("text", ["Thanks for nothing.", "cheers for absolutely nothing", "Thank you all for nothing again"])
def test_thanks_for_nothing_is_negative(text):
    assert label(text) == "negative"


@pytest.mark.parametrize("text,expected", [
    ("Honestly it couldn't be worse.", "negative"),
    ("Nothing could be worse than last term.", "negative"),
    ("Things can't get any worse for us.", "negative"),
    ("Couldn't have asked for a better keyworker.", "positive"),
    ("The new school couldn't be better for him.", "positive"),
    ("We couldn't have been treated better at the clinic.", "positive"),
    ("Couldn't ask for more from his teachers.", "positive"),
])
def test_comparatives_that_deny_anything_beyond(text, expected):
    assert label(text) == expected


def test_a_mixed_comment_reports_its_communication_side_apart():
    text = "His new class teacher is wonderful with him but the council never answers my emails."
    communication = communication_sentiment(text)
    assert communication is not None and communication.label == "negative"
    assert communication_sentiment("The sensory room is wonderful.") is None


@pytest.mark.parametrize("text", [
    "The speech therapist was great and she got him talking.",
    "We're really pleased with the support from the college.",
    "Thank you for sorting the transport so quickly.",
])
def test_plain_praise_stays_positive(text):
    assert label(text) == "positive"


@pytest.mark.parametrize("text", [
    "He has an EHCP and is in year 9.",
    "When is the next coffee morning?",
    "Nothing to add.",
])
def test_plain_facts_and_questions_stay_neutral(text):
    assert label(text) == "neutral"


@pytest.mark.parametrize("text", [
    "Fantastic. The taxi forgot her again and nobody rang to say.",
    "The school is lovely but the caseworker never replied.",
    "We couldn't have been treated better at the clinic.",
    "ok",
])
def test_every_result_says_why_and_its_reasons_add_up(text):
    result = analyse_sentiment(text)
    assert result.explanation
    assert sum(v for _, v in result.explanation) == pytest.approx(result.polarity, abs=0.02)
    # The label follows the polarity's band, so the CQI and the label never disagree.
    assert result.label == ("positive" if result.polarity >= 0.05 else "negative" if result.polarity <= -0.05
                            else "neutral")


def test_sarcasm_is_explained_as_such():
    result = analyse_sentiment("Superb. Another six weeks to wait for a reply.")
    assert result.label == "negative"
    assert any("ironic" in phrase or "sarcastic" in phrase for phrase, _ in result.explanation)


def test_text_speak_is_read_as_the_words_it_stands_for():
    assert normalise("rlly helpfull thx") == "really helpful thanks"
    assert normalise("N/A") == "N/A"  # a lone letter is left alone
    assert label("the TA is rlly gud with him") == "positive"


def test_the_model_in_use_is_the_one_recorded_and_reads_tfidf_as_scikit_learn_does():
    body = MODEL_PATH.read_bytes()
    assert hashlib.sha256(body).hexdigest() == MODEL_SHA256
    assert MODEL_SHA256[:12] in ANALYSER_VERSION
    assert MODEL_SHA256 in (ROOT / "docs" / "analysis.md").read_text(encoding="utf-8")
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = ["the taxi was late again", "the taxi driver was lovely", "late again and again"]
    vectorizer = TfidfVectorizer(analyzer=lambda t: t, sublinear_tf=True).fit([model_tokens(d) for d in docs])
    ours = word_vector(model_tokens(docs[2]), vectorizer.vocabulary_, vectorizer.idf_)
    theirs = vectorizer.transform([model_tokens(docs[2])])
    assert {j: pytest.approx(theirs[0, j]) for j in theirs.indices} == ours


def test_comments_the_model_never_saw_are_scored_well_above_raw_textblob():
    """dev_check.jsonl is written apart and never trained on (see PROVENANCE-dev.md)."""
    from textblob import TextBlob

    path = ROOT / "tests" / "data" / "eval" / "sentiment_themes" / "dev_check.jsonl"
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    ours = sum(label(i["text"]) == i["sentiment"] for i in items) / len(items)
    raw = sum(("positive" if p >= 0.05 else "negative" if p <= -0.05 else "neutral") == i["sentiment"]
              for i in items for p in [TextBlob(i["text"]).sentiment.polarity]) / len(items)
    assert ours >= 0.75 and ours - raw >= 0.3


def test_a_misspelt_opinion_word_is_read_as_meant_but_real_words_stay():
    assert normalise("the staff were brillant, the form was usless") == "the staff were brilliant, the form was useless"
    assert normalise("I felt lonely. The parent carer forum helped.") == "I felt lonely. The parent carer forum helped."
    assert label("the caseworker was rediculous") == "negative"

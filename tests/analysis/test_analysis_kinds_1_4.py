"""Kinds of failure fixed in analyser 1.4 (sentiment), and in theme matching and
safeguarding at the same time.

Every sentence here is new: none is a line of the benchmark files, and each was read wrongly
by the code before these changes (checked when they were written). They test the kind of
construction, so each kind has a sentence unlike the comments it was found in.
"""

import pytest

from feedback.analysis import analyse_sentiment, assess_safeguarding, match_themes


def label(text):
    return analyse_sentiment(text).label


def themes(text):
    return {m.name for m in match_themes(text)}


# --- sentiment ---

@pytest.mark.parametrize("text", [
    # praise that names its limit
    "The speech therapist is lovely but we only see her once a term.",
    "Respite is brilliant when it actually happens.",
    "The caseworker is friendly, the paperwork less so.",
    "The SENCo is kind, the rest of the staff not so much",
    # sarcasm: praise at both ends with only facts between; an ironic opener whose own praise
    # made the rest look content
    "Great, the portal logged me out again halfway through the form. Very user friendly.",
    "Lovely to find out about the cuts from the local paper.",
    # complaints stated as facts: two dates, a promise and the years since, a system failing
    pytest.param("Requested the assessment on 4th March. Heard back on 20th October.", marks=pytest.mark.xfail(reason="analyser 1.5: the retrained model outweighs the cue here (see docs/analysis.md, 1.5)", strict=True)),
    "We were promised a keyworker at the start of year 7. She is in year 9.",
    "The website freezes every time I try to upload his report.",
    # "couldn't be more" keeps the sign of what follows
    "Couldn't be more disappointed with how the panel treated us.",
])
def test_complaints_of_these_kinds_are_negative(text):
    assert label(text) == "negative"


@pytest.mark.parametrize("text", [
    "I could not be more thankful to the sensory team.",
    # harm that stopped is praise
    "Nobody has teased him since he moved classes.",
    # the past, then the present: the present is the point
    "Our first social worker never rang back. The new one is fab.",
])
def test_praise_of_these_kinds_is_positive(text):
    assert label(text) == "positive"


def test_an_answer_that_is_no_answer_is_neutral():
    assert label("Not sure yet, it's only been a week.") == "neutral"


def test_the_explanation_names_the_limit_that_made_praise_a_complaint():
    result = analyse_sentiment("The speech therapist is lovely but we only see her once a term.")
    assert result.label == "negative"
    assert any("only" in phrase and weight < 0 for phrase, weight in result.explanation)


# --- themes ---

@pytest.mark.parametrize("text", [
    "The nurse at the clinic didn't rush us and let him go at his own pace",
    "They told me it was just a phase and sent us away",
])
def test_being_listened_to_as_families_say_it(text):
    assert "Being listened to and staff attitude" in themes(text)


def test_a_bare_place_or_the_sen_team_alone_is_not_a_school_or_ehcp_comment():
    assert "School place and provision" not in themes("Got a place on the woodwork course")
    found = themes("The SEN team rang back within a day")
    assert "Communication" in found and "EHCP process and timeliness" not in found


def test_travelling_on_my_own_is_not_being_left_out():
    assert "Inclusion, bullying and exclusion" not in themes("I travel to college on my own now")
    assert "Inclusion, bullying and exclusion" in themes("He eats on his own every lunchtime")


def test_getting_hold_of_someone_is_communication():
    assert "Communication" in themes("Getting hold of anyone in the team is impossible")


# --- safeguarding ---

@pytest.mark.parametrize("text", [
    "The new taxi has restraint straps for his wheelchair",
    "In my opinion the council's silence is a kind of neglect",
    "Ringing the duty desk on a Friday afternoon is suicide, forty minutes on hold",
])
def test_figures_of_speech_of_these_kinds_are_not_flagged(text):
    assert not assess_safeguarding(text).flagged


@pytest.mark.parametrize("text", [
    "After the talk about abuse at school she told her teacher her uncle hurts her",
    "The straps on his chair were fine but staff restrained him on the floor for an hour",
    "He said he wants to kill himself",
])
def test_disclosures_beside_those_words_are_still_flagged(text):
    assert assess_safeguarding(text).flagged

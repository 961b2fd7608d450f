"""The pure results build (feedback/results/build.py), without an app or a database: counts
written by hand in, the typed result out, as a reader of a release would see it."""

from collections import Counter

import pytest

from feedback.results.build import Result, build, nothing_released
from feedback.results.counts import QuestionCounts, Row, WaveCounts
from feedback.results.disclosure import THRESHOLD

AGREE = QuestionCounts(
    id=1, position=1, text="Did we listen?", kind="yes_no", dimensions=("communication",),
    rows=(Row("yes", "Yes"), Row("no", "No"), Row("dont_know", "Don't know", True), Row("__blank__", "No answer", True)),
    parts="single", positive=frozenset({"yes"}), indicator=True)


def atom(locality="Norwich", respondent="parent_carer", channel="online", month="2026-11", language="en"):
    return (locality, respondent, channel, month, language)


def counts_of(people: list[tuple[tuple, str | None]], question: QuestionCounts = AGREE) -> WaveCounts:
    """Counts of a wave where each person (atom, answer or None) answered one question."""
    sizes = Counter(a for a, _ in people)
    answers = Counter((question.id, value, a) for a, value in people if value is not None)
    respondents = Counter(a for a, value in people if value not in (None, "dont_know"))
    return WaveCounts(questions=(question,), sizes=dict(sizes), answers=dict(answers),
                      indicator_respondents=dict(respondents))


def whole_wave(result: Result, question: QuestionCounts = AGREE) -> dict:
    return {row.key: n for row, n in zip(question.rows, result.views["all"].questions[question.id])}


def test_a_wave_with_fewer_responses_than_the_threshold_shows_nothing():
    result = build(counts_of([(atom(), "yes")] * (THRESHOLD - 1)), survey_id=7).result
    assert result.withheld and result.n is None and result.views == {} and result.questions == ()


def test_a_small_count_is_hidden_and_large_ones_are_shown():
    people = [(atom(), "yes")] * 30 + [(atom(), "no")] * 2 + [(atom(), None)] * 8
    result = build(counts_of(people), survey_id=7, threshold=THRESHOLD + 1).result
    cells = whole_wave(result)
    assert not result.withheld and result.n == 40
    assert cells["no"] is None, "a count of 2 is hidden"
    assert cells["yes"] is not None and cells["yes"] >= 30


def test_small_groups_are_combined_and_each_published_group_has_its_view():
    people = ([(atom("Norwich"), "yes")] * 20 + [(atom("Breckland"), "yes")] * 15 + [(atom("Broadland"), "no")] * 6
              + [(atom("Great Yarmouth"), "no")] * 5)
    result = build(counts_of(people), survey_id=7, breakdown_min=10).result
    locality = result.dimension("locality")
    other = next(g for g in locality.groups if g.label == "Other localities (combined)")
    assert set(other.members) == {"Broadland", "Great Yarmouth"} and other.size == 11
    assert [g.label for g in locality.groups] == ["Breckland", "Norwich", "Other localities (combined)"]
    assert result.views[f"locality:{other.key}"].n == 11 and result.views["locality:Norwich"].n == 20


def test_the_indicator_is_withheld_below_ten_answers_and_shown_above():
    few = build(counts_of([(atom(), "yes")] * 6 + [(atom(), "no")] * 2), survey_id=7).result
    assert few.views["all"].cqi.value is None and few.views["all"].cqi.withheld == "fewer_than_10"
    many = build(counts_of([(atom(), "yes")] * 30 + [(atom(), "no")] * 10), survey_id=7).result
    cqi = many.views["all"].cqi
    assert cqi.withheld is None and cqi.low <= cqi.value <= cqi.high and cqi.band is not None


def test_a_result_survives_being_stored_as_json():
    import json

    people = [(atom(month=m), "yes" if i % 3 else "no") for i, m in enumerate(["2026-10", "2026-11"] * 20)]
    result = build(counts_of(people), survey_id=7, computed_at="2026-12-01T10:00:00+00:00").result
    stored = json.loads(json.dumps(result.to_dict()))
    assert Result.from_dict(stored) == result
    assert stored["views"]["all"]["questions"]["1"] == list(result.views["all"].questions[1])


def test_a_release_stored_by_older_rules_still_reads():
    """Releases made before the typed result (no threshold, groups without members, no
    version dimension) are shown until the next release replaces them."""
    old = {"version": "results-3", "survey_id": 3, "computed_at": "2026-05-01T09:00:00+00:00", "n": 12,
           "withheld": False,
           "dimensions": [{"key": "locality", "label": "Locality", "groups": [{"key": "Norwich", "label": "Norwich",
                                                                               "size": 12}]}],
           "questions": [{"id": 4, "position": 1, "text": "Q", "kind": "yes_no",
                          "rows": [{"key": "yes", "label": "Yes", "special": False}]}],
           "themes": [{"id": 2, "name": "Communication"}],
           "views": {"all": {"key": "all", "n": 12, "profile": {"locality": [12]}, "questions": {"4": [12]},
                             "themes": {"2": {"comments": None, "negative": None, "neutral": None, "positive": None}},
                             "cqi": {"value": None, "low": None, "high": None, "band": None,
                                     "withheld": "fewer_than_10"}}}}
    result = Result.from_dict(old)
    assert result.threshold is None and result.release is None
    assert result.views["all"].questions[4] == (12,) and result.themes[0].name == "Communication"
    assert result.views["all"].themes[2].comments is None and result.views["all"].cqi.withheld == "fewer_than_10"


@pytest.mark.parametrize("threshold", [THRESHOLD + 1, THRESHOLD + 3])
def test_the_threshold_of_the_build_is_what_readers_are_told(threshold):
    people = [(atom(), "yes")] * 30 + [(atom(), "no")] * 10
    result = build(counts_of(people), survey_id=7, threshold=threshold).result
    assert result.threshold == threshold
    assert nothing_released(7).to_dict()["withheld"] is True

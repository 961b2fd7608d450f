"""The communication-quality indicator (CQI), method v1.1."""

import pytest
from hypothesis import assume, given, strategies as st

from feedback.analysis.indicator import (
    IndicatorSettings,
    communication_quality,
    compare_waves,
    trend_flag,
    wilson_interval,
)

polarities = st.lists(st.floats(-1, 1, allow_nan=False), max_size=30)


def test_closed_answers_only():
    result = communication_quality(positive=30, total=40, n_respondents=40)
    assert result.value == 75.0
    assert result.band == "good"
    assert result.p_text is None
    assert result.low < 75 < result.high
    assert result.method_version == "cqi-v1.1"


def test_free_text_is_blended_seventy_thirty():
    # P_closed = 0.5, P_text = mean((1+1)/2, (0+1)/2) = 0.75 -> 100 * (0.35 + 0.225)
    result = communication_quality(50, 100, text_polarities=[1.0, 0.0], n_respondents=100)
    assert result.value == 57.5
    assert result.band == "fair"
    assert result.p_text == 0.75


def test_wilson_interval_matches_the_textbook_value():
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-4)
    assert high == pytest.approx(0.9433, abs=1e-4)


def test_fewer_than_ten_respondents_is_suppressed():
    result = communication_quality(9, 9, n_respondents=9)
    assert result.suppressed
    assert result.value is None and result.band is None


def test_bands():
    assert communication_quality(49, 100, n_respondents=100).band == "needs action"
    assert communication_quality(50, 100, n_respondents=100).band == "fair"
    assert communication_quality(75, 100, n_respondents=100).band == "good"


def test_settings_change_weights_threshold_and_bands():
    custom = IndicatorSettings(closed_weight=0.5, text_weight=0.5, min_respondents=5, good_from=90)
    result = communication_quality(6, 6, text_polarities=[-1.0], n_respondents=5, settings=custom)
    assert result.value == 50.0
    assert result.band == "fair"


def test_invalid_counts_are_refused():
    with pytest.raises(ValueError):
        communication_quality(5, 4, n_respondents=20)


def test_change_is_significant_only_when_intervals_do_not_overlap():
    before = communication_quality(40, 100, n_respondents=100)
    small = communication_quality(45, 100, n_respondents=100)
    big = communication_quality(80, 100, n_respondents=100)
    assert compare_waves(before, small).intervals_overlap
    assert not compare_waves(before, small).significant
    change = compare_waves(before, big)
    assert change.delta == 40.0 and change.significant


def test_no_change_is_called_against_a_suppressed_wave():
    change = compare_waves(communication_quality(1, 2, n_respondents=2),
                           communication_quality(80, 100, n_respondents=100))
    assert change.delta is None and not change.significant


def test_trend_needs_five_waves_moving_one_way():
    assert trend_flag([50, 52, 55, 60, 61]) == "rising"
    assert trend_flag([70, 65, 60, 58, 50, 45]) == "falling"
    assert trend_flag([50, 52, 55, 60]) is None
    assert trend_flag([50, 52, 51, 60, 61]) is None
    assert trend_flag([50, 52, None, 60, 61]) is None


@given(st.integers(0, 500), st.integers(0, 500), polarities, st.integers(0, 1000))
def test_value_and_interval_stay_within_zero_and_a_hundred(a, b, texts, n):
    positive, total = min(a, b), max(a, b)
    result = communication_quality(positive, total, texts, n)
    if not result.suppressed:
        assert 0 <= result.low <= result.value <= result.high <= 100


@given(st.integers(0, 499), st.integers(1, 500), polarities, st.integers(10, 1000))
def test_more_positive_answers_never_lower_the_score(positive, total, texts, n):
    assume(positive < total)
    lower = communication_quality(positive, total, texts, n)
    higher = communication_quality(positive + 1, total, texts, n)
    assert higher.value >= lower.value
    assert higher.low >= lower.low and higher.high >= lower.high


@given(st.integers(0, 100), polarities, st.integers(0, 9))
def test_always_suppressed_below_the_threshold(total, texts, n):
    assert communication_quality(total // 2, total, texts, n).suppressed

"""Redaction of personal details from free text."""

import json
from pathlib import Path

import pytest

from feedback.analysis.redaction import nhs_checksum_ok, redact

CASES = [
    json.loads(line)
    for line in (Path(__file__).resolve().parents[1] / "data" / "redaction_cases.jsonl")
    .read_text(encoding="utf-8").splitlines() if line.strip()
]


def test_labelled_set_is_large_with_negatives():
    assert len(CASES) >= 120
    assert sum(1 for c in CASES if not c["expected"]) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_labelled_cases_are_redacted_as_expected(case):
    result = redact(case["text"], case.get("extra_names", ()))
    found = sorted((s.kind, case["text"][s.start:s.end]) for s in result.spans)
    assert found == sorted((e["kind"], e["value"]) for e in case["expected"])


def test_placeholders_replace_each_kind():
    text = ("Email jo@example.com, ring 07700 900123, NHS 943 476 5919, NR1 3AB, "
            "DOB 01/02/2014, see www.example.org, my son Jack")
    assert redact(text).text == (
        "Email [email], ring [phone], NHS [nhs number], [postcode], "
        "DOB [date of birth], see [link], my son [name]"
    )


def test_counts_by_kind():
    result = redact("Call 07700 900123 or 01603 223344, ask for Sophie")
    assert result.counts == {"phone": 2, "name": 1}


def test_ordinary_capitalised_words_are_left_alone():
    text = "Will the SENCo in Norfolk reply in May? Hope so. Grace period is over."
    assert redact(text).text == text


def test_staff_configured_names_are_redacted_case_insensitively():
    result = redact("Oakfield primary excluded him", extra_names=["Oakfield Primary"])
    assert result.text == "[name] excluded him"


def test_nhs_checksum():
    assert nhs_checksum_ok("9434765919")
    assert not nhs_checksum_ok("9434765918")


def test_spaced_nhs_pattern_is_redacted_even_with_a_bad_check_digit():
    assert redact("number 943 476 5918").text == "number [nhs number]"


def test_unspaced_ten_digits_need_a_checksum_or_a_cue():
    assert redact("order 1234567890 arrived").text == "order 1234567890 arrived"
    assert redact("NHS number 1234567890").text == "NHS number [nhs number]"


def test_meeting_dates_stay_but_birth_dates_go():
    assert redact("The meeting on 12/03/2024 was cancelled").text == "The meeting on 12/03/2024 was cancelled"
    assert redact("He was born on 12/03/2014").text == "He was born on [date of birth]"


def test_spans_point_into_the_original_text():
    text = "Ask Mrs Patel on 07700 900123"
    spans = redact(text).spans
    assert [(text[s.start:s.end], s.kind) for s in spans] == [("Mrs Patel", "name"), ("07700 900123", "phone")]


def test_empty_text():
    assert redact("").text == ""
    assert redact(None).spans == ()

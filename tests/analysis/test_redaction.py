"""Redaction of personal details from free text."""

import json
from pathlib import Path

import pytest

from feedback.analysis.redaction import nhs_checksum_ok, redact, redact_many

CASES = [
    json.loads(line)
    for line in (Path(__file__).resolve().parents[1] / "data" / "redaction_cases.jsonl")
    .read_text(encoding="utf-8").splitlines() if line.strip()
]


def test_labelled_set_is_large_with_negatives():
    assert len(CASES) >= 120
    assert sum(1 for c in CASES if not c["expected"]) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_labelled_details_are_removed(case):
    result = redact(case["text"], case.get("extra_names", ()))
    removed = {i for s in result.spans for i in range(s.start, s.end)}
    for expected in case["expected"]:
        assert set(range(expected["start"], expected["end"])) <= removed, expected["value"]
        assert expected["value"] not in result.text


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
    result = redact("our SENCo Gwendolyn-Ann rang", extra_names=["gwendolyn-ann"])
    assert result.text == "our SENCo [name] rang"


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


@pytest.mark.parametrize("text,gone", [
    ("my son jayden is 8. jayden cant cope", ["jayden"]),
    ("Zuzanna Wójcik starts in September", ["Zuzanna Wójcik"]),
    ("our SALT Jess Morley is great", ["Jess Morley"]),
    ("ring the office and ask for Sue", ["Sue"]),
    ("He goes to Hethersett High and St Mary's primary before that", ["Hethersett High", "St Mary's primary"]),
    ("we live at 14 Gurney Road, NR2 4TT", ["14 Gurney Road", "NR2 4TT"]),
    ("email jane dot doe at gmail dot com", ["jane dot doe at gmail dot com"]),
    ("call 0 7 7 0 0 9 0 0 1 2 3 after 4", ["0 7 7 0 0 9 0 0 1 2 3"]),
    ("call ０７７００ ９００１２３", ["０７７００ ９００１２３"]),
    ("his UPN is A123456789012 and case ref EHC/2023/0456", ["A123456789012", "EHC/2023/0456"]),
    ("Gary said no. gary always says no", ["Gary", "gary"]),
    ("insta @sen_mum_norfolk", ["@sen_mum_norfolk"]),
])
def test_personal_details_the_outside_evaluation_found_missed(text, gone):
    redacted = redact(text).text
    for detail in gone:
        assert detail not in redacted


@pytest.mark.parametrize("text", [
    "We live in Thorpe St Andrew and go to the Queen Elizabeth Hospital",
    "He watches Thomas the Tank Engine and Peppa Pig",
    "The Local Offer website is impossible to use",
    "CAMHS and SENDIASS were helpful at the Norfolk and Norwich",
])
def test_public_places_and_characters_stay(text):
    assert redact(text).text == text


def test_many_comments_at_once_match_one_at_a_time():
    texts = ["my daughter Grace is 9", "", "Dr Raman at Cromer Academy", "nothing personal here"]
    assert [r.text for r in redact_many(texts)] == [redact(t).text for t in texts]


def test_a_fragment_of_the_original_is_shown_redacted():
    text = "stepdad gary hits her"
    result = redact(text)
    assert result.fragment(text, 0, len(text)) == result.text
    assert "gary" not in result.fragment(text, 0, 12)

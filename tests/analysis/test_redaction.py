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


# Each kind of miss and wrong removal found when the first two holdouts became development
# data, tried on new sentences.
@pytest.mark.parametrize("text, gone", [
    # a name that is also a word, where a name stands
    ("The minibus collects Rose at 8 and drops her home by 4", ["Rose"]),
    ("Faith (my youngest) starts nursery soon", ["Faith"]),
    ("Dawn misses her sister when she stays at respite", ["Dawn"]),
    # names with a role or a title written around them
    ("Ngozi Eze, mum of two, would like a call back", ["Ngozi Eze"]),
    ("Brother Anselm at the chapel was kind to him", ["Brother Anselm"]),
    ("the TA miss olivia is off sick again", ["miss olivia"]),
    ("uncle Tendai picks him up on Fridays", ["Tendai"]),
    ("Kerry Ward, mum of Jess", ["Kerry Ward", "Jess"]),
    ("her PA Zainab takes her swimming", ["Zainab"]),
    ("Everyone calls him TJ for short. tj is 8", ["TJ", "tj"]),
    # names in lower case, hyphenated, or found a word at a time
    ("lily-may loves the trampoline park. lily may is 6", ["lily-may", "lily may"]),
    ("my son oluwadamilare adeyemi needs a new EHCP", ["oluwadamilare adeyemi"]),
    ("Kestutis (7) and Dovile (4) both need speech therapy", ["Kestutis", "Dovile"]),
    # contact details and numbers written oddly
    ("reply to ben dot carter 22 at gmail dot com please", ["ben dot carter 22 at gmail dot com"]),
    ("write to b r o o k 5 at outlook dot com", ["b r o o k 5 at outlook dot com"]),
    ("mail me: dinolover at hotmail.co.uk", ["dinolover at hotmail.co.uk"]),
    ("phone 01508 four four one two three nine after 6", ["01508 four four one two three nine"]),
    ("mobile 079OO 9OO 321 any time", ["079OO 9OO 321"]),
    ("his UPN is H 8012 3456 7890 on the form", ["H 8012 3456 7890"]),
    ("the postcode is NR14 7 DX", ["NR14 7 DX"]),
    ("post goes to Unit 4, Mill House, Station Road now", ["Unit 4, Mill House, Station Road"]),
    ("we are at Ashdown Court, 11 Brick Kiln Lane", ["Ashdown Court, 11 Brick Kiln Lane"]),
    ("my roblox username is dino_max_09 if you need it", ["dino_max_09"]),
    ("she is on insta as jess.draws_22 on instagram", ["jess.draws_22"]),
    # settings named by what is said around them
    ("Her school is St Clement of Rome and they are lovely", ["St Clement of Rome"]),
    ("he started at Oakwood Park in September", ["Oakwood Park"]),
    ("she goes to Hempnall school and loves it", ["Hempnall school"]),
    ("in reception at Taverham Prep and settling", ["Taverham Prep"]),
    # an address's house number, flat or first words written before the part a pattern
    # knows, a direction after the street; a birthday given as the age reached on a date;
    # a date of birth just before a school; a phone number in groups with slashes
    ("post it to 14 Bramble Cottages, Mill Lane please", ["14 Bramble", "Bramble Cottages", "Mill Lane"]),
    ("we moved to Flat 3, Kestrel House, 22 Station Road", ["Flat 3", "Kestrel House", "22 Station Road"]),
    ("letters to Old Forge Barn, The Street, Hethersett", ["Old Forge Barn", "Forge Barn"]),
    ("send it to 9 Cromer Road North", ["9 Cromer Road North", "North"]),
    ("he turns 9 on 14th March and still no plan", ["14th March"]),
    ("child born 4/11/13 Mulbarton Primary", ["4/11/13", "13 Mulbarton"]),
    ("ring 01603 / 224 / 918 after six", ["01603 / 224 / 918", "224 / 918"]),
])
def test_names_and_details_in_the_forms_the_development_holdouts_showed(text, gone):
    redacted = redact(text).text
    for detail in gone:
        assert detail not in redacted, redacted


@pytest.mark.parametrize("text", [
    "The tribunal hearing is on 3 June at 2.15 in Norwich",
    "We rated the holiday club 9/10",
    "Summer is the hardest time of year for him",
    "The Duke of Edinburgh award at school was brilliant",
    "The helpline was kind and the carer rang back",
    "Melatonin helps him sleep most nights",
    "he was on Buxton Ward for a week",
    "Could the school send the minutes?",
    "We went to forest school and Sunday school",
    "We have been assessed for short breaks twice",
    "the transport coordinator's phone is always off",
    # places named after a saint or a person, and characters children name
    "St Peter's in Hingham has a lovely toddler group",
    "Nelson's Monument was on the Youth Forum walk",
    "Jarrold's cafe is quiet on Monday mornings",
    "He watches Mr Bean and reads Horrid Henry",
])
def test_ordinary_words_the_development_holdouts_showed_stay(text):
    assert redact(text).text == text


# Kinds of failure met in at least two writers' sets (round 2 of issue 11), in new wording.
@pytest.mark.parametrize("text, gone", [
    ("they both need transport to Mill Field school, mum says", "Mill Field"),
    ("both boys go to the Yare Valley Oak Tree school now", "Yare Valley Oak Tree"),
    ("post it to 14 Duke of York Road please", "Duke of York Road"),
    ("we are in flat 3 Prince of Orange Court", "Orange Court"),
])
def test_schools_and_streets_named_by_their_structure_go(text, gone):
    assert gone not in redact(text).text


@pytest.mark.parametrize("text", [
    "The headteacher and the SENCO met us together",
    "She is scared of the hoover and the blender",
])
def test_lower_case_things_after_an_article_stay(text):
    assert redact(text).text == text


# Round 3 of issue 11: kinds of failure met in at least two writers' sets (holdout to
# holdout_e), tested in wording none of the sets uses. What a non-lead reads is the redacted
# text of the comment and the JSON line of `flask analyse-text`.
def _seen_by_staff(text: str) -> str:
    from feedback.analysis import analyse_comment, analysis_to_dict

    return analysis_to_dict(analyse_comment(text))["redacted"]


@pytest.mark.parametrize("text, name", [
    # a listed character that is one first name, with no other character beside it
    ("The consultant discharged Elsa before the scan came back", "Elsa"),
    # first names wordfreq counts often, which the old lists left out
    ("Walter has waited two years for speech therapy", "Walter"),
    ("the keyworker was off so Becky rang back the same day", "Becky"),
    ("Audrey's taxi never came on Monday", "Audrey"),
    # names that are also words, standing as names
    ("Violet starts at the new school in September", "Violet"),
    ("Pearl's hearing aids came back from repair broken", "Pearl"),
    ("Deacon has been out of school since March", "Deacon"),
    ("my daughter olive is 7 and non verbal", "olive"),
    ("Winter is struggling with the noise at lunch", "Winter"),
    # a family title goes with the name, as "Mrs" does
    ("Grandad Ray does the school run on Fridays", "Grandad Ray"),
    # a possessive before a role is a cue
    ("Leo's escort is Bez and he is brilliant with him", "Bez"),
    # names no list holds, standing alone in the sentence
    ("the nurse noticed Ekon wasn't eating at lunch", "Ekon"),
    ("thank you for making Ifeoluwa feel so welcome", "Ifeoluwa"),
    ("Oghenekaro (year 8) still has no transport", "Oghenekaro"),
    ("please send the forms by post - Nkechi", "Nkechi"),
])
def test_names_of_the_kinds_new_writers_use_are_gone_from_what_staff_see(text, name):
    seen = _seen_by_staff(text)
    assert name not in seen and "[name]" in seen, seen


@pytest.mark.parametrize("text", [
    "We watched Mario and Sonic all weekend",
    "my dad will ring the school tomorrow",
    "his mum may ring you about the forms",
    "Winter is coming and the bus is still late",
    "Olive oil and a victory for common sense at the panel",
    "She has Williams syndrome and her friend has Turner syndrome",
    "the Makaton group in Wroxham is brilliant, the Beccles one less so",
    "Mickey Mouse is the only thing he will watch",
])
def test_characters_words_and_places_beside_those_names_stay(text):
    assert _seen_by_staff(text) == text


def test_a_town_after_a_street_address_stays_and_the_address_goes():
    seen = _seen_by_staff("our new address is 4 Mill Road, Acle, NR13 3AA please update it")
    assert "Mill Road" not in seen and "NR13" not in seen and "Acle" in seen, seen


def test_a_name_that_is_a_word_before_a_bracket_at_the_start_goes():
    seen = _seen_by_staff("Fern (year 9) has been out of school since half term")
    assert "Fern" not in seen and seen.startswith("[name] (year 9)"), seen

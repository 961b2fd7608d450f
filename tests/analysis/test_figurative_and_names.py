"""Figurative words of harm are not flagged, while disclosures around them still are; names
of every kind are removed, and ordinary capitalised words stay."""

import pytest

from feedback.analysis.redaction import redact
from feedback.analysis.safeguarding import assess_safeguarding


@pytest.mark.parametrize("text", [
    "my lad absolutely murdered his brother at Fifa last night, 6-0",
    "he keeps getting killed on fortnite and then rages at the telly",
    "we got hit with another bill for the taxi even though they never turned up",
    "he got hit for six in cricket and was buzzing",
    "the staff had us in stitches at the talent show",
    "my mates kill me, always making me laugh at lunch",
    "he attacked his homework with real energy for once",
    "our complaint was about abuse of the panel process not about the staff",
    "they stabbed us in the back by changing the placement at the last minute",
    "its suicide trying to park outside the clinic",
])
def test_figurative_harm_words_are_not_flagged(text):
    result = assess_safeguarding(text)
    assert not result.flagged, result.evidence


@pytest.mark.parametrize("text", [
    "he lost at fifa and then punched me in the face",
    "these forms are killing me and he has started giving away his things",
    "my son has been hitting his sister when he loses at the game",
    "two staff held him on the floor in the corridor until he stopped screaming",
    "i have saved up my tablets in a sock in my drawer",
])
def test_disclosures_next_to_games_or_idioms_are_still_flagged(text):
    assert assess_safeguarding(text).flagged


def test_a_model_flag_names_content_words_not_function_words():
    result = assess_safeguarding("he's been sharing his passwords with a man he met who sends him vouchers")
    assert result.flagged
    for evidence in result.evidence:
        if evidence.rule.startswith("model"):
            named = evidence.rule.split(":", 1)[1]
            assert not {w.strip() for w in named.split(",")} & {"my", "at", "the", "and", "he", "his", "me"}


@pytest.mark.parametrize("text,name", [
    ("mia-rose has been on the waiting list for a year", "mia-rose"),
    ("Amara-Jade's TA moved schools and nobody told us", "Amara-Jade"),
    ("my daughter eliška has been out of school since may", "eliška"),
    ("Kids name is Junior, hes 6", "Junior"),
    ("Thank you to Jo and the whole team", "Jo"),
    ("The last one, Dean Ashby, never answered", "Dean"),
    ("sorcha and aoife are twins", "aoife"),
    ("my son Hunter was excluded again, hunter is only 7", "hunter"),
])
def test_names_of_every_kind_are_removed(text, name):
    result = redact(text)
    assert name not in result.text, result.text


def test_a_possessive_name_is_removed_whole_and_reads_as_a_possessive():
    result = redact("Zainab's mum and I set up the group")
    assert result.text.startswith("[name]'s mum")
    assert result.spans[0].start == 0 and result.spans[0].end == len("Zainab's")


@pytest.mark.parametrize("text", [
    "Dr Who is on every Saturday and he won't miss it",
    "Victoria Park in the summer holidays was busy",
    "Marvel films are his thing, Iron Man especially, and Lego Star Wars",
    "We moved to Aylsham for the new house",
    "Grace period for the application was extended",
])
def test_ordinary_capitalised_words_stay(text):
    assert redact(text).text == text


@pytest.mark.parametrize("text,detail,kind", [
    ("my number O77OO 9OO123 is best", "O77OO 9OO123", "phone"),
    ("contact: 0l632 960001", "0l632 960001", "phone"),
    ("we live at Rose Cottage, Mill Lane", "Rose Cottage, Mill Lane", "address"),
    ("Apartment 4, The Maltings", "Apartment 4, The Maltings", "address"),
    ("he lives at Manor Farm", "Manor Farm", "address"),
])
def test_contact_details_in_odd_forms_are_removed(text, detail, kind):
    result = redact(text)
    start = text.index(detail)
    assert any(s.kind == kind and s.start <= start and start + len(detail) <= s.end for s in result.spans), result.spans


def test_letters_inside_words_are_not_read_as_digits():
    assert redact("Room 1O1 at 10am, I lost 10 lbs").text == "Room 1O1 at 10am, I lost 10 lbs"


def test_analyse_text_of_one_batch_runs_in_process(monkeypatch):
    from feedback.analysis import parallel

    class NoFork:
        @staticmethod
        def get_all_start_methods():
            return ["fork"]

        @staticmethod
        def get_context(*args):
            raise AssertionError("a process was forked for one batch")

    monkeypatch.setattr(parallel, "multiprocessing", NoFork)
    lines = list(parallel.analyse_to_json_lines(["Mrs Okafor never rang back"], workers=2))
    assert len(lines) == 1 and "Okafor" not in lines[0]

"""Staff build surveys: details, every question kind, the bank, routing, waves, life cycle."""

import pytest
from markupsafe import escape
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import BankQuestion, Question, Role, Survey, SurveyStatus
from feedback.surveys import services
from feedback.surveys.bank import ensure_question_bank

from .conftest import csrf_token, make_user
from .survey_factories import EVERY_KIND, make_co_designed_survey, make_survey


def test_staff_create_a_survey_through_the_form(client, auth):
    auth.sign_in_as(Role.STAFF)
    page = client.get("/manage/surveys/new")
    response = client.post("/manage/surveys/new", data={
        "title": "Preparing for adulthood", "purpose": "How well we plan the move to adult services.",
        "audience": "young_people", "service_area": "Transition", "wave_label": "Spring 2027",
        "opens_on": ["1", "3", "2027"], "closes_on": ["30", "4", "2027"], "estimated_minutes": "5",
        "anonymous": "y", "privacy_text": "Anonymous.", "retention_days": "730", "csrf_token": csrf_token(page.text),
    })
    assert response.status_code == 302
    survey = db.session.scalar(select(Survey))
    assert survey.title == "Preparing for adulthood" and survey.status == SurveyStatus.DRAFT
    assert survey.opens_at.date().isoformat() == "2027-03-01"
    assert "Preparing for adulthood" in client.get(response.headers["Location"]).text


def test_survey_form_errors_are_shown_by_each_field_and_input_is_kept(client, auth):
    auth.sign_in_as(Role.STAFF)
    page = client.get("/manage/surveys/new")
    response = client.post("/manage/surveys/new", data={
        "title": "Kept title", "opens_on": ["31", "2", "2027"], "closes_on": ["1", "", "2027"],
        "estimated_minutes": "500", "csrf_token": csrf_token(page.text),
    })
    text = response.text
    assert "There is a problem" in text
    assert "The date must be a real date" in text
    assert "The date must include a month" in text
    assert "Minutes must be between 1 and 120" in text
    assert "Say what the survey is for" in text
    assert 'value="Kept title"' in text
    assert db.session.scalar(select(Survey)) is None


def test_closing_date_must_follow_opening_date(client, auth):
    auth.sign_in_as(Role.STAFF)
    page = client.get("/manage/surveys/new")
    response = client.post("/manage/surveys/new", data={
        "title": "T", "purpose": "P", "audience": "both", "service_area": "S", "wave_label": "W",
        "opens_on": ["2", "3", "2027"], "closes_on": ["1", "3", "2027"], "estimated_minutes": "5",
        "privacy_text": "P", "retention_days": "730", "csrf_token": csrf_token(page.text),
    })
    assert "The closing date must be after the opening date" in response.text


@pytest.mark.parametrize("spec", EVERY_KIND, ids=[s["kind"] for s in EVERY_KIND])
def test_staff_add_every_kind_of_question_through_the_form(client, auth, spec):
    staff = auth.sign_in_as(Role.STAFF)
    survey = make_survey(staff, questions=[])
    url = f"/manage/surveys/{survey.id}/questions/new"
    page = client.get(url + f"?kind={spec['kind']}")
    data = {"kind": spec["kind"], "text": spec["text"], "page": "1", "csrf_token": csrf_token(page.text),
            f"settings_{spec['kind']}-options": "\n".join(spec.get("options", [])),
            "dimensions": spec.get("dimensions", [])}
    if spec.get("required"):
        data["required"] = "y"
    response = client.post(url, data=data)
    assert response.status_code == 302, response.text
    question = db.session.scalar(select(Question))
    assert question.kind == spec["kind"] and question.text == spec["text"]
    assert question.options == spec.get("options", [])
    assert spec["text"] in client.get(f"/manage/surveys/{survey.id}").text


def test_choice_questions_need_two_different_options(client, auth):
    staff = auth.sign_in_as(Role.STAFF)
    survey = make_survey(staff, questions=[])
    url = f"/manage/surveys/{survey.id}/questions/new"
    token = csrf_token(client.get(url).text)
    response = client.post(url, data={"kind": "single_choice", "text": "Q", "page": "1",
                                      "settings_single_choice-options": "Only one", "csrf_token": token})
    assert "Enter at least 2 options" in response.text
    response = client.post(url, data={"kind": "multi_choice", "text": "Q", "page": "1",
                                      "settings_multi_choice-options": "A\nA", "csrf_token": token})
    assert "Each of the options must be different" in response.text
    # Without options at all, a single-choice question cannot be saved either.
    response = client.post(url, data={"kind": "single_choice", "text": "Q", "page": "1", "csrf_token": token})
    assert response.status_code == 200 and "Enter at least 2 options" in response.text
    assert db.session.scalar(select(Question)) is None


def test_staff_reorder_and_remove_questions(client, auth):
    staff = auth.sign_in_as(Role.STAFF)
    survey = make_survey(staff)
    first, second = survey.questions[0], survey.questions[1]
    first_text = first.text
    token = csrf_token(client.get(f"/manage/surveys/{survey.id}").text)
    client.post(f"/manage/surveys/{survey.id}/questions/{second.id}/up", data={"csrf_token": token})
    db.session.expire_all()
    assert [q.text for q in sorted(survey.questions, key=lambda q: q.position)][:2] == [second.text, first.text]
    client.post(f"/manage/surveys/{survey.id}/questions/{first.id}/delete", data={"csrf_token": token})
    db.session.expire_all()
    assert first_text not in [q.text for q in survey.questions]
    assert sorted(q.position for q in survey.questions) == list(range(1, len(EVERY_KIND)))


def test_routing_offers_earlier_answers_only(client, auth):
    staff = auth.sign_in_as(Role.STAFF)
    survey = make_survey(staff)
    yes_no = next(q for q in survey.questions if q.kind == "yes_no")
    later = next(q for q in survey.questions if q.kind == "number")
    page = client.get(f"/manage/surveys/{survey.id}/questions/{later.id}/edit")
    assert f'value="{yes_no.id}:no"' in page.text
    page = client.get(f"/manage/surveys/{survey.id}/questions/{survey.questions[0].id}/edit")
    assert f'value="{yes_no.id}:no"' not in page.text


def test_question_bank_is_seeded_and_adding_keeps_the_link(client, auth):
    staff = auth.sign_in_as(Role.STAFF)
    survey = make_survey(staff, questions=[])
    page = client.get(f"/manage/surveys/{survey.id}/bank")
    for text in ("I know who to contact about my child's EHCP", "I am kept informed about progress",
                 "I feel listened to", "Information is easy to understand", "I get a reply within a reasonable time"):
        assert str(escape(text)) in page.text
    bank = db.session.scalar(select(BankQuestion).where(BankQuestion.text == "I feel listened to"))
    client.post(f"/manage/surveys/{survey.id}/bank", data={"questions": [bank.id], "page": "1", "csrf_token": csrf_token(page.text)})
    question = db.session.scalar(select(Question))
    assert question.bank_question_id == bank.id and "communication" in question.dimensions


def test_question_bank_seeding_is_idempotent(app):
    ensure_question_bank()
    ensure_question_bank()
    texts = list(db.session.scalars(select(BankQuestion.text)))
    assert len(texts) == len(set(texts)) >= 5


def test_a_new_wave_has_the_same_questions_routing_and_partners(app):
    survey, forum, lead, staff = make_co_designed_survey()
    number = next(q for q in survey.questions if q.kind == "number")
    yes_no = next(q for q in survey.questions if q.kind == "yes_no")
    services.update_question(number, staff, show_when={"match": "all", "conditions": [
        {"question": yes_no.id, "values": ["no"]}]})
    wave = services.new_wave(survey, staff, "Spring 2027", survey.opens_at, survey.closes_at)
    assert wave.series_key == survey.series_key and wave.wave_number == 2
    assert [q.text for q in wave.questions] == [q.text for q in survey.questions]
    copied = next(q for q in wave.questions if q.kind == "number")
    source = next(q for q in wave.questions if q.id == copied.show_when["conditions"][0]["question"])
    assert source.text == yes_no.text and source.survey_id == wave.id
    assert [p.organisation_id for p in wave.partners] == [forum.id]
    assert wave.status == SurveyStatus.CO_DESIGN and wave.slug != survey.slug


def test_open_needs_every_sign_off_or_a_recorded_reason(app):
    survey, forum, lead, staff = make_co_designed_survey()
    with pytest.raises(services.NotAllSignedOff):
        services.open_survey(survey, staff)
    services.open_survey(survey, staff, override_reason="Ofsted deadline; forum agreed by phone")
    assert survey.status == SurveyStatus.OPEN
    assert any("Ofsted deadline" in e.description for e in survey.events)


def test_life_cycle_transitions_are_checked(app):
    staff = make_user(Role.STAFF)
    survey = make_survey(staff)
    with pytest.raises(services.InvalidTransition):
        services.close_survey(survey, staff)
    with pytest.raises(services.InvalidTransition):
        services.send_for_co_design(survey, staff)  # no partners yet
    services.open_survey(survey, staff, override_reason="No partners for this one")
    with pytest.raises(services.NotEditable):
        services.add_question(survey, staff, kind="yes_no", text="Late question", page=1)
    services.close_survey(survey, staff)
    services.archive_survey(survey, staff)
    assert survey.status == SurveyStatus.ARCHIVED


def test_staff_get_a_short_link_and_qr_codes_for_an_open_survey(client, auth):
    staff = auth.sign_in_as(Role.STAFF)
    survey = make_survey(staff)
    services.open_survey(survey, staff, override_reason="test")
    page = client.get(f"/manage/surveys/{survey.id}")
    assert f"/s/{survey.short_code}" in page.text
    png = client.get(f"/manage/surveys/{survey.id}/qr.png")
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    svg = client.get(f"/manage/surveys/{survey.id}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    assert client.get(f"/s/{survey.short_code}").headers["Location"] == f"/surveys/{survey.slug}"


def test_draft_surveys_are_not_public(client):
    survey = make_survey()
    assert client.get(f"/surveys/{survey.slug}").status_code == 404
    assert client.get(f"/s/{survey.short_code}").status_code == 404

"""Families answer surveys: page by page, routing, check answers, save and resume,
submit exactly once, closed surveys, assisted entry."""

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from feedback.extensions import db
from feedback.models import Response, ResponseStatus, Role
from feedback.models.base import utcnow
from feedback.responses import services
from feedback.surveys import services as survey_services

from .conftest import csrf_token, make_user
from .survey_factories import make_open_survey


class Family:
    """A family answering a survey through the pages, as a browser would."""

    def __init__(self, client, survey):
        self.client, self.survey = client, survey
        self.questions = {q.kind: q for q in survey.questions}

    def field(self, kind):
        return f"q{self.questions[kind].id}"

    def start(self):
        page = self.client.get(f"/surveys/{self.survey.slug}")
        return self.client.post(f"/surveys/{self.survey.slug}", data={"csrf_token": csrf_token(page.text)})

    def answer(self, number, data, **extra):
        url = f"/surveys/{self.survey.slug}/pages/{number}"
        page = self.client.get(url)
        return self.client.post(url, data={**data, "csrf_token": csrf_token(page.text), **extra})

    def save_on(self, number, data):
        """Answer a page with "Save and come back later": the code is on the page it redirects to."""
        saving = self.answer(number, data, save="1")
        assert saving.status_code == 302 and saving.headers["Location"].endswith("/saved")
        return self.client.get(saving.headers["Location"])

    def answer_everything(self):
        self.start()
        self.answer(1, {self.field("single_choice"): "Email", self.field("multi_choice"): ["CAMHS", "Transport"]})
        self.answer(2, {self.field("likert5"): "agree", self.field("yes_no"): "no"})
        self.answer(3, {self.field("number"): "4", self.field("rating"): "7"})
        self.answer(4, {self.field("date"): ["3", "9", "2026"], self.field("free_text"): "More phone updates please"})
        page = self.client.get(f"/surveys/{self.survey.slug}/about-you")
        return self.client.post(f"/surveys/{self.survey.slug}/about-you", data={
            "respondent_type": "parent_carer", "locality": "Norwich", "child_age_band": "11-15",
            "consent_to_quote": "y", "csrf_token": csrf_token(page.text)})

    def submit(self):
        page = self.client.get(f"/surveys/{self.survey.slug}/check")
        return self.client.post(f"/surveys/{self.survey.slug}/submit", data={"csrf_token": csrf_token(page.text)})


@pytest.fixture
def survey(app):
    return make_open_survey()


@pytest.fixture
def family(client, survey):
    return Family(client, survey)


def test_start_page_says_what_it_is_for_how_long_and_how_answers_are_used(client, survey):
    page = client.get(f"/surveys/{survey.slug}").text
    assert "Tell us how we keep in touch." in page
    assert "about 5 minutes, over 4 short pages" in page
    assert "Your answers are anonymous." in page
    assert "If a child or young person is at risk" in page


def test_family_answers_every_kind_and_gets_a_reference(client, family, survey):
    assert family.answer_everything().headers["Location"].endswith("/check")
    check = client.get(f"/surveys/{survey.slug}/check").text
    for shown in ("Email", "CAMHS, Transport", "Agree", "No", "4", "7", "3 September 2026",
                  "More phone updates please", "A parent or carer", "Norwich", "Yes, anonymously"):
        assert shown in check, shown
    response = family.submit()
    assert response.headers["Location"].endswith("/confirmation")
    confirmation = client.get(response.headers["Location"]).text
    reference = re.search(r"FB-[A-Z0-9]{8}", confirmation).group(0)
    stored = db.session.scalar(select(Response).where(Response.reference == reference))
    assert stored.status == ResponseStatus.SUBMITTED and stored.locality == "Norwich" and stored.consent_to_quote
    values = sorted(a.value for a in stored.answers)
    assert values == sorted(["Email", "CAMHS", "Transport", "agree", "no", "4", "7", "2026-09-03", "More phone updates please"])


def test_missing_required_answer_shows_error_summary_and_keeps_other_answers(client, family, survey):
    family.start()
    response = family.answer(1, {family.field("multi_choice"): ["CAMHS"]})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Select an answer to ‘How do you prefer to hear from us?’" in response.text
    assert 'value="CAMHS" checked' in response.text
    assert "<title>Error:" in response.text


@pytest.mark.parametrize("kind, value, message", [
    ("number", "lots", "must be a number"),
    ("number", "99", "must be 50 or less"),
    ("number", "nan", "must be a number"),
    ("free_text", "x" * 301, "must be 300 characters or fewer"),
])
def test_invalid_answers_get_clear_messages(client, family, kind, value, message):
    family.answer_everything()
    page = 3 if kind == "number" else 4
    response = family.answer(page, {family.field(kind): value, family.field("likert5"): "agree"})
    assert message in response.text


def test_impossible_date_is_refused(client, family):
    family.answer_everything()
    response = family.answer(4, {family.field("date"): ["31", "2", "2026"]})
    assert "‘When did you last contact us?’ must be a real date" in response.text


def test_routing_skips_a_question_when_the_earlier_answer_does_not_match(client, survey):
    staff = make_user(Role.STAFF)
    survey = make_open_survey(staff, title="Routing", questions=[
        dict(kind="yes_no", text="Did you get a reply?", page=1, required=True),
        dict(kind="number", text="How many times did you chase?", page=2),
        dict(kind="free_text", text="Anything else?", page=3),
    ])
    yes_no, number = survey.questions[0], survey.questions[1]
    db.session.execute(db.update(type(number)).where(type(number).id == number.id)
                       .values(show_when={"match": "all", "conditions": [{"question": yes_no.id, "values": ["no"]}]}))
    db.session.commit()
    family = Family(client, survey)
    family.start()
    response = family.answer(1, {f"q{yes_no.id}": "yes"})
    assert response.headers["Location"].endswith("/pages/3")
    response = family.answer(1, {f"q{yes_no.id}": "no"})
    assert response.headers["Location"].endswith("/pages/2")


def test_routing_drops_answers_to_questions_that_are_later_skipped(client):
    staff = make_user(Role.STAFF)
    survey = make_open_survey(staff, title="Routing", questions=[
        dict(kind="yes_no", text="Did you get a reply?", page=1, required=True),
        dict(kind="number", text="How many times did you chase?", page=2),
    ])
    yes_no, number = survey.questions
    number.show_when = {"match": "all", "conditions": [{"question": yes_no.id, "values": ["no"]}]}
    db.session.commit()
    family = Family(client, survey)
    family.start()
    family.answer(1, {f"q{yes_no.id}": "no"})
    family.answer(2, {f"q{number.id}": "3"})
    family.answer(1, {f"q{yes_no.id}": "yes"})
    family.submit()
    stored = db.session.scalar(select(Response).where(Response.status == ResponseStatus.SUBMITTED))
    assert [a.value for a in stored.answers] == ["yes"]


def test_change_link_returns_to_check_answers(client, family, survey):
    family.answer_everything()
    response = family.answer(2, {family.field("likert5"): "strongly_agree", family.field("yes_no"): "no"}, )
    url = f"/surveys/{survey.slug}/pages/2?change=1"
    page = client.get(url)
    assert f'href="/surveys/{survey.slug}/check"' in page.text  # back link
    response = client.post(url, data={family.field("likert5"): "disagree", family.field("yes_no"): "yes",
                                      "csrf_token": csrf_token(page.text)})
    assert response.headers["Location"].endswith("/check")
    assert "Disagree" in client.get(f"/surveys/{survey.slug}/check").text


def test_family_saves_and_resumes_with_the_code_on_another_device(app, client, family, survey):
    family.start()
    family.answer(1, {family.field("single_choice"): "Letter"})
    saved = family.save_on(2, {family.field("likert5"): "agree", family.field("yes_no"): "yes"})
    code = re.search(r"(?<![\w-])[A-Z0-9]{4}-[A-Z0-9]{4}(?![\w-])", saved.text).group(0)
    assert "90 days" in saved.text
    other_device = app.test_client()
    page = other_device.get("/resume")
    response = other_device.post("/resume", data={"code": code.lower().replace("-", " "), "csrf_token": csrf_token(page.text)})
    # Back to the page where the family saved.
    assert response.headers["Location"].endswith("/pages/2")
    page = other_device.get(response.headers["Location"])
    assert 'value="agree" checked' in page.text
    page = other_device.get(f"/surveys/{survey.slug}/pages/1")
    assert 'value="Letter" checked' in page.text


def test_resume_link_works_and_wrong_code_gets_a_message(app, client, family):
    family.start()
    family.answer(1, {family.field("single_choice"): "Phone"})
    saved = family.save_on(2, {family.field("likert5"): "agree", family.field("yes_no"): "yes"})
    link = re.search(r'href="https?://[^/]+(/resume/[A-Z0-9-]+)"', saved.text).group(1)
    other = app.test_client()
    confirm = other.get(link)
    assert confirm.status_code == 200 and "Continue with the saved answers" in confirm.text
    resumed = other.post(link, data={"csrf_token": csrf_token(confirm.text)})
    assert resumed.status_code == 302 and resumed.headers["Location"].endswith("/pages/2")
    other = app.test_client()
    page = other.get("/resume")
    response = other.post("/resume", data={"code": "ABCD-EFGH", "csrf_token": csrf_token(page.text)})
    assert "We could not find saved answers for that code" in response.text


def test_expired_resume_code_does_not_work(app, client, family):
    family.start()
    saved = family.save_on(1, {family.field("single_choice"): "Phone"})
    code = re.search(r"(?<![\w-])[A-Z0-9]{4}-[A-Z0-9]{4}(?![\w-])", saved.text).group(0)
    response = db.session.scalar(select(Response))
    response.resume_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(services.ResumeCodeNotFound):
        services.find_by_resume_code(code)


def test_submitting_twice_with_the_same_form_stores_one_response(client, family, survey):
    family.answer_everything()
    page = client.get(f"/surveys/{survey.slug}/check")
    token = csrf_token(page.text)
    first = client.post(f"/surveys/{survey.slug}/submit", data={"csrf_token": token})
    second = client.post(f"/surveys/{survey.slug}/submit", data={"csrf_token": token})
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Response).where(Response.status == "submitted")) == 1
    references = {re.search(r"FB-[A-Z0-9]{8}", client.get(r.headers["Location"]).text).group(0) for r in (first, second)}
    assert len(references) == 1


def test_simultaneous_submits_of_one_response_store_it_once(app, survey):
    response = services.start_response(survey)
    answered = survey.questions[0]
    services.save_page(response, [answered], {answered.id: "Email"})
    response_id = response.id  # read here: the test's own session must not be shared with threads
    references, errors = [], []

    def submit():
        with app.app_context():
            try:
                references.append(services.submit_response(response_id))
            except Exception as error:  # a lost race must never become an error
                errors.append(error)

    threads = [threading.Thread(target=submit) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(set(references)) == 1


def test_many_families_submitting_at_once_are_all_stored(app, survey, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serialises writers; concurrency is checked on PostgreSQL")
    single = survey.questions[0]
    free_text = next(q for q in survey.questions if q.kind == "free_text")
    ids = []
    for n in range(20):
        response = services.start_response(survey)
        services.save_page(response, [single, free_text], {single.id: "Email", free_text.id: f"Comment {n}"})
        ids.append(response.id)
    barrier = threading.Barrier(20)
    references, errors = [], []

    def submit(response_id):
        with app.app_context():
            barrier.wait()
            try:
                references.append(services.submit_response(response_id))
            except Exception as error:
                errors.append(error)

    threads = [threading.Thread(target=submit, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(set(references)) == 20
    db.session.expire_all()
    stored = db.session.scalars(select(Response).where(Response.status == ResponseStatus.SUBMITTED)).all()
    assert len(stored) == 20
    assert all(len(r.answers) == 2 for r in stored)


def test_submission_after_close_gets_a_clear_message(client, family, survey):
    family.answer_everything()
    token = csrf_token(client.get(f"/surveys/{survey.slug}/check").text)
    survey.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.post(f"/surveys/{survey.slug}/submit", data={"csrf_token": token})
    assert response.status_code == 410
    assert "This survey is closed" in response.text
    assert db.session.scalar(select(func.count()).select_from(Response).where(Response.status == "submitted")) == 0


def test_closed_survey_start_page_says_so(client, survey):
    survey_services.close_survey(survey, make_user(Role.STAFF))
    response = client.get(f"/surveys/{survey.slug}")
    assert response.status_code == 410 and "This survey is closed" in response.text


def test_honeypot_filled_in_stores_nothing(client, survey):
    page = client.get(f"/surveys/{survey.slug}")
    client.post(f"/surveys/{survey.slug}", data={"website": "http://spam.example", "csrf_token": csrf_token(page.text)})
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_free_text_pages_remind_people_not_to_include_names(client, family, survey):
    family.answer_everything()
    page = client.get(f"/surveys/{survey.slug}/pages/4").text
    assert "Please do not include names" in page and "call 999" in page


def test_staff_enter_a_phone_reply_through_the_same_questions(client, auth, survey):
    staff = auth.sign_in_as(Role.STAFF)
    page = client.get(f"/manage/surveys/{survey.id}/enter")
    response = client.post(f"/manage/surveys/{survey.id}/enter", data={"channel": "phone", "csrf_token": csrf_token(page.text)})
    assert response.headers["Location"].endswith("/pages/1")
    assert "Entering a phone reply" in client.get(response.headers["Location"]).text
    family = Family(client, survey)
    family.answer(1, {family.field("single_choice"): "Phone"})
    family.answer(2, {family.field("likert5"): "disagree", family.field("yes_no"): "no"})
    family.answer(3, {})
    family.answer(4, {})
    page = client.get(f"/surveys/{survey.slug}/about-you")
    client.post(f"/surveys/{survey.slug}/about-you", data={"csrf_token": csrf_token(page.text)})
    confirmation = client.get(family.submit().headers["Location"]).text
    assert "Enter another reply" in confirmation
    stored = db.session.scalar(select(Response).where(Response.status == "submitted"))
    assert stored.channel == "phone" and stored.entered_by_id == staff.id


def test_starting_is_rate_limited(client, survey):
    page = client.get(f"/surveys/{survey.slug}")
    token = csrf_token(page.text)
    statuses = {client.post(f"/surveys/{survey.slug}", data={"csrf_token": token}).status_code for _ in range(31)}
    assert 429 in statuses


def checked_options(html: str) -> set[str]:
    return set(re.findall(r'value="([^"]+)"\s+checked', html))


def test_question_pages_are_shared_between_families_but_show_each_their_own_answers(app, survey):
    """Pages are reused between visitors: each must still see only their own answers, with a
    CSRF token that works for their session and a CSP nonce that matches the header."""
    first, second = Family(app.test_client(), survey), Family(app.test_client(), survey)
    url = f"/surveys/{survey.slug}/pages/1"
    tokens = set()
    for family, way in ((first, "Email"), (second, "Phone")):
        family.start()
        blank = family.client.get(url)
        assert checked_options(blank.text) == set()
        nonce = re.search(r"'nonce-([^']+)'", blank.headers["Content-Security-Policy"]).group(1)
        assert f'nonce="{nonce}"' in blank.text
        tokens.add(csrf_token(blank.text))
        saved = family.client.post(url, data={family.field("single_choice"): way, "csrf_token": csrf_token(blank.text)})
        assert saved.status_code == 302
    assert len(tokens) == 2
    assert checked_options(first.client.get(url).text) == {"Email"}
    assert checked_options(second.client.get(url).text) == {"Phone"}
    # A visitor with no response of their own is sent to the start page, not shown a page.
    assert app.test_client().get(url).headers["Location"].endswith(f"/surveys/{survey.slug}")


def test_staff_entering_a_reply_never_get_a_page_made_for_a_family(client, auth, survey):
    family = Family(app_client := client.application.test_client(), survey)
    family.start()
    url = f"/surveys/{survey.slug}/pages/1"
    assert "Entering a" not in app_client.get(url).text
    auth.sign_in_as(Role.STAFF)
    page = client.get(f"/manage/surveys/{survey.id}/enter")
    client.post(f"/manage/surveys/{survey.id}/enter", data={"channel": "paper", "csrf_token": csrf_token(page.text)})
    staff_page = client.get(url).text
    assert "Entering a paper reply" in staff_page and "Sign out" in staff_page


def test_start_page_says_continue_only_to_a_family_with_answers_in_progress(app, survey):
    returning, new = Family(app.test_client(), survey), app.test_client()
    returning.start()
    assert "Continue your answers" in returning.client.get(f"/surveys/{survey.slug}").text
    page = new.get(f"/surveys/{survey.slug}").text
    assert "Start now" in page and "Continue your answers" not in page
    assert csrf_token(page) != csrf_token(returning.client.get(f"/surveys/{survey.slug}").text)

"""Routing real surveys need: conditions over several answers, skipping to a page, ending
early; set up by staff without JavaScript, checked, shown in the preview, and kept when a
family changes an answer from check answers."""

from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from feedback.extensions import db
from feedback.responses import services as responses
from feedback.models import Answer, PageRoute, Question, Response, ResponseStatus, Role
from feedback.surveys import services
from feedback.surveys.routing import Rule, RoutingError, check_route, plan_pages, rule_from_choices

from .conftest import csrf_token, make_user
from .survey_factories import make_co_designed_survey, make_open_survey, make_survey

SEND = ["EHC plan", "SEN support", "Neither"]
QUESTIONS = [
    dict(kind="yes_no", text="Does your child have a diagnosis?", page=1, required=True),
    dict(kind="single_choice", text="What support does your child have?", page=2, options=SEND, required=True),
    dict(kind="free_text", text="Tell us about the support plan", page=3),
    dict(kind="free_text", text="Anything else?", page=4),
]


def q(id, page, show_when=None):
    return SimpleNamespace(id=id, page=page, show_when=show_when)


def pages(plan):
    return [p.number for p in plan]


# The rules themselves (no app)

def test_all_needs_every_answer_and_any_needs_one():
    both = rule_from_choices("all", ["3:yes", "5:EHC plan"])
    either = rule_from_choices("any", ["2:A", "2:B"])
    assert both.holds({3: [("yes", None)], 5: [("EHC plan", None)]})
    assert not both.holds({3: [("yes", None)], 5: [("SEN support", None)]})
    assert either.holds({2: [("B", None)]}) and not either.holds({2: [("C", None)]})
    # Two answers to one question are alternatives even under "all": "Q2 is A or B".
    assert rule_from_choices("all", ["2:A", "2:B"]).holds({2: [("A", None)]})


def test_routes_skip_pages_end_early_and_only_answers_on_the_path_count():
    questions = [q(1, 1), q(2, 2), q(3, 3), q(4, 4, {"match": "all", "conditions": [{"question": 2, "values": ["x"]}]})]
    skip = Rule("all", rule_from_choices("all", ["1:yes"]).conditions, page=1, goto_page=3)
    end = Rule("all", rule_from_choices("all", ["3:stop"]).conditions, page=3, goto_page=None)
    assert pages(plan_pages(questions, [skip, end], {})) == [1, 2, 3]
    # Page 2 is skipped, so its old answer "x" neither shows question 4 nor counts.
    answers = {1: [("yes", None)], 2: [("x", None)]}
    assert pages(plan_pages(questions, [skip, end], answers)) == [1, 3]
    assert pages(plan_pages(questions, [skip, end], {**answers, 1: [("no", None)]})) == [1, 2, 3, 4]
    assert pages(plan_pages(questions, [skip, end], {1: [("yes", None)], 3: [("stop", None)]})) == [1, 3]


def test_a_route_can_only_go_forward_and_read_answers_so_far():
    where = {1: 1, 2: 2, 3: 3}
    with pytest.raises(RoutingError, match="later page"):
        check_route(Rule("all", rule_from_choices("all", ["1:yes"]).conditions, page=2, goto_page=1), where)
    with pytest.raises(RoutingError, match="later page"):
        check_route(Rule("all", rule_from_choices("all", ["1:yes"]).conditions, page=2, goto_page=2), where)
    with pytest.raises(RoutingError, match="later question"):
        check_route(Rule("all", rule_from_choices("all", ["3:yes"]).conditions, page=2, goto_page=None), where)
    check_route(Rule("all", rule_from_choices("all", ["2:yes"]).conditions, page=2, goto_page=3), where)


# The builder

def source_ids(survey):
    by_text = {question.text: question for question in survey.questions}
    return by_text[QUESTIONS[0]["text"]], by_text[QUESTIONS[1]["text"]]


def test_a_question_cannot_depend_on_its_own_or_a_later_page(app):
    staff = make_user(Role.STAFF)
    survey = make_survey(staff, questions=QUESTIONS)
    diagnosis, support = source_ids(survey)
    same_page = {"match": "all", "conditions": [{"question": support.id, "values": ["EHC plan"]}]}
    with pytest.raises(services.SurveyError, match="earlier page"):
        services.add_question(survey, staff, kind="free_text", text="Which plan?", page=2, show_when=same_page)
    db.session.rollback()
    assert "Which plan?" not in [question.text for question in survey.questions]


def test_staff_add_a_route_on_the_page_builder_and_the_preview_says_it_in_words(client, auth):
    survey, forum, lead, staff = make_co_designed_survey()
    survey = make_survey(staff, questions=QUESTIONS, title="Support plans")
    diagnosis, support = source_ids(survey)
    auth.sign_in(staff.email)
    url = f"/manage/surveys/{survey.id}/pages/2/routes"
    page = client.get(url)
    assert page.status_code == 200 and "Go to page 4" in page.text and "Go to page 1" not in page.text
    saved = client.post(url, data={"csrf_token": csrf_token(page.text), "answers": [
        f"{diagnosis.id}:yes", f"{support.id}:EHC plan"], "match": "all", "goto": "4"})
    assert saved.status_code == 302
    words = "If you answered ‘Yes’ to question 1 and ‘EHC plan’ to question 2, go to page 4."
    assert words in client.get(url).text
    assert words in client.get(f"/manage/surveys/{survey.id}").text
    services.invite_partner(survey, staff, forum)
    services.send_for_co_design(survey, staff)
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/account").text)})
    auth.sign_in(lead.email)
    preview = client.get(f"/co-design/{survey.id}")
    assert preview.status_code == 200 and words in preview.text


def test_a_crafted_route_backwards_or_on_a_later_question_is_refused_by_its_field(client, auth):
    staff = make_user(Role.STAFF)
    survey = make_survey(staff, questions=QUESTIONS)
    diagnosis, support = source_ids(survey)
    auth.sign_in(staff.email)
    url = f"/manage/surveys/{survey.id}/pages/1/routes"
    token = csrf_token(client.get(url).text)
    backwards = client.post(url, data={"csrf_token": token, "answers": [f"{diagnosis.id}:yes"], "match": "all",
                                       "goto": "1"})
    later = client.post(url, data={"csrf_token": token, "answers": [f"{support.id}:EHC plan"], "match": "all",
                                   "goto": "3"})
    for refused in (backwards, later):
        assert refused.status_code == 200 and "govuk-error-message" in refused.text
    assert db.session.scalar(select(PageRoute.id)) is None


# Families

class Family:
    def __init__(self, client, survey):
        self.client, self.slug = client, survey.slug

    def start(self):
        page = self.client.get(f"/surveys/{self.slug}")
        self.client.post(f"/surveys/{self.slug}", data={"csrf_token": csrf_token(page.text)})

    def answer(self, number, data, change=False):
        url = f"/surveys/{self.slug}/pages/{number}" + ("?change=1" if change else "")
        page = self.client.get(url)
        assert page.status_code == 200, page.status_code
        sent = self.client.post(url, data={**data, "csrf_token": csrf_token(page.text)})
        assert sent.status_code == 302, sent.text
        return sent.headers["Location"]

    def about_you(self):
        page = self.client.get(f"/surveys/{self.slug}/about-you")
        self.client.post(f"/surveys/{self.slug}/about-you", data={"csrf_token": csrf_token(page.text)})


def routed_survey():
    staff = make_user(Role.STAFF)
    survey = make_survey(staff, questions=QUESTIONS, title="Routed")
    diagnosis, support = source_ids(survey)
    services.add_route(survey, staff, 1, rule_from_choices("all", [f"{diagnosis.id}:no"]), None)
    services.add_route(survey, staff, 2, rule_from_choices("all", [f"{diagnosis.id}:yes", f"{support.id}:EHC plan"]), 4)
    services.open_survey(survey, staff, override_reason="Testing without partners")
    return survey, diagnosis, support


def test_a_family_is_routed_and_a_changed_answer_asks_what_became_relevant(client):
    survey, diagnosis, support = routed_survey()
    plan_question = next(question for question in survey.questions if question.page == 3)
    last = next(question for question in survey.questions if question.page == 4)
    family = Family(client, survey)
    family.start()
    # "No": the survey ends early, straight to the last steps.
    assert family.answer(1, {f"q{diagnosis.id}": "no"}).endswith("/about-you")
    family.about_you()
    check = client.get(f"/surveys/{survey.slug}/check").text
    assert "What support does your child have?" not in check
    # From check answers, "Yes": page 2 is newly relevant and asked next.
    assert family.answer(1, {f"q{diagnosis.id}": "yes"}, change=True).endswith("/pages/2?change=1")
    # "SEN support": pages 3 and 4 are asked too, then back to check answers.
    assert family.answer(2, {f"q{support.id}": "SEN support"}, change=True).endswith("/pages/3?change=1")
    assert family.answer(3, {f"q{plan_question.id}": "A plan we wrote together"}, change=True).endswith("/pages/4?change=1")
    assert family.answer(4, {f"q{last.id}": "Thank you"}, change=True).endswith("/check")
    # Changing to "EHC plan" routes past page 3: its answer is no longer relevant.
    assert family.answer(2, {f"q{support.id}": "EHC plan"}, change=True).endswith("/check")
    check = client.get(f"/surveys/{survey.slug}/check").text
    assert "Tell us about the support plan" not in check
    client.post(f"/surveys/{survey.slug}/submit", data={"csrf_token": csrf_token(check)})
    response = db.session.scalar(select(Response).where(Response.status == ResponseStatus.SUBMITTED))
    assert sorted(a.value for a in response.answers) == ["EHC plan", "Thank you", "yes"]


def test_a_new_wave_keeps_its_routing_pointing_at_its_own_questions(app):
    survey, diagnosis, support = routed_survey()
    staff = make_user(Role.STAFF)
    services.close_survey(survey, staff)
    wave = services.new_wave(survey, staff, "Spring 2027", survey.opens_at, survey.closes_at)
    ids = {question.id for question in wave.questions}
    assert [(r.page, r.goto_page) for r in wave.routes] == [(1, None), (2, 4)]
    assert all(c["question"] in ids for r in wave.routes for c in r.conditions)


def test_deleting_a_question_takes_it_out_of_routing(app):
    staff = make_user(Role.STAFF)
    survey = make_survey(staff, questions=QUESTIONS)
    diagnosis, support = source_ids(survey)
    services.add_route(survey, staff, 1, rule_from_choices("all", [f"{diagnosis.id}:no"]), 3)
    services.delete_question(diagnosis, staff)
    assert survey.routes == []


def test_simple_routing_stored_before_is_migrated(app):
    """A question shown only for one earlier answer (the old columns) keeps its routing, and
    nothing stored with the questions is lost on the way."""
    survey = make_open_survey(questions=QUESTIONS[:3])
    response = responses.start_response(survey)
    responses.save_page(response, survey.questions[:1], {survey.questions[0].id: "no"})
    diagnosis, support = (question.id for question in source_ids(survey))
    condition = {"match": "all", "conditions": [{"question": diagnosis, "values": ["no"]}]}
    db.session.execute(sa.update(Question).where(Question.id == support).values(show_when=condition))
    db.session.commit()
    db.session.remove()
    downgrade(revision="0015_evidence")  # the revision before routing's
    with db.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT show_if_question_id, show_if_value FROM question WHERE id = :id"),
                                  {"id": support}).one() == (diagnosis, "no")
    upgrade()
    assert db.session.get(Question, support).show_when == condition
    # Copying the question table (SQLite) kept every answer: no cascade ran.
    assert db.session.scalars(select(Answer.value)).all() == ["no"]

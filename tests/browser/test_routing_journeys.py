"""Routing in a real browser, axe-core on the builder's pages at 320 px: staff add a route
that ends the survey early and a question shown only for some answers; a family without
JavaScript who answers "No" goes straight to the last steps."""

from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Role, Survey, User
from feedback.surveys import services

from ..survey_factories import make_survey
from .conftest import follow
from .test_survey_journeys import sign_in

QUESTIONS = [
    dict(kind="yes_no", text="Does your child have a diagnosis?", page=1, required=True),
    dict(kind="single_choice", text="What support does your child have?", page=2,
         options=["EHC plan", "SEN support", "Neither"]),
    dict(kind="free_text", text="Tell us about the support plan", page=3),
]


def test_staff_route_a_survey_and_a_family_is_routed_without_javascript(page, no_js_page, live_app, live_url,
                                                                        live_user, axe):
    email, password = live_user(Role.STAFF)
    with live_app.app_context():
        staff = db.session.scalar(select(User).where(User.email == email))
        survey = make_survey(staff, questions=QUESTIONS, title="Support plans")
        survey_id, slug = survey.id, survey.slug
        plan_id = next(q.id for q in survey.questions if q.page == 3)
    sign_in(page, live_url, email, password)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_url}/manage/surveys/{survey_id}")
    follow(page.get_by_role("link", name="Routing after page 1"))
    axe.check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_label("Question 1, ‘Does your child have a diagnosis?’: ‘No’").check()
    page.get_by_label("Then").select_option("end")
    follow(page.get_by_role("button", name="Add route"))
    assert page.get_by_text("If you answered ‘No’ to question 1, go to the end of the survey.").is_visible()
    axe.check(page)
    page.goto(f"{live_url}/manage/surveys/{survey_id}/questions/{plan_id}/edit")
    page.get_by_label("Question 2, ‘What support does your child have?’: ‘EHC plan’").check()
    page.get_by_label("Question 2, ‘What support does your child have?’: ‘SEN support’").check()
    axe.check(page)
    follow(page.get_by_role("button", name="Save question"))
    assert page.get_by_text("Answer this only if you answered ‘EHC plan’ or ‘SEN support’ to question 2.").is_visible()
    with live_app.app_context():
        services.open_survey(db.session.get(Survey, survey_id), None, override_reason="Testing without partners")

    family = no_js_page
    family.goto(f"{live_url}/surveys/{slug}")
    follow(family.get_by_role("button", name="Start now"))
    family.get_by_label("No").check()
    follow(family.get_by_role("button", name="Continue"))
    assert "/about-you" in family.url

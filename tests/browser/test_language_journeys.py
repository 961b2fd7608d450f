"""Families answer a survey in Welsh and in Easy Read on a 390 px phone screen, without
JavaScript and with it (axe-core, region included, on every page of the run with it);
staff pages for versions are checked too."""

import io

import pytest
from PIL import Image
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import EASY_READ, Response, Role
from feedback.surveys import translations

from ..conftest import PASSWORD, make_user
from ..survey_factories import make_open_survey
from .conftest import follow

QUESTIONS = [
    dict(kind="single_choice", text="How do you prefer to hear from us?", options=["Email", "Phone"], page=1, required=True),
    dict(kind="likert5", text="I feel listened to", page=1, required=True),
    dict(kind="free_text", text="What would make things better?", page=2),
]
PHONE = {"width": 390, "height": 844}


def picture() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 60), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def survey(live_app):
    """An open wave with a complete Welsh version and an Easy Read version with pictures."""
    with live_app.app_context():
        staff = make_user(Role.STAFF, email="languages-staff@example.org")
        survey = make_open_survey(staff, questions=QUESTIONS, title="Keeping in touch")
        choice, likert, free = survey.questions
        translations.save_version(survey, "cy", "Cadw mewn cysylltiad", "Dywedwch wrthym sut rydym yn cadw mewn cysylltiad.", {
            choice.id: {"text": "Sut hoffech chi glywed gennym ni?", "options": {"Email": "E-bost", "Phone": "Ffôn"}},
            likert.id: {"text": "Rwy'n teimlo bod rhywun yn gwrando arnaf"},
            free.id: {"text": "Beth fyddai'n gwneud pethau'n well?"},
        }, staff)
        translations.save_version(survey, EASY_READ, "Tell us how we talk to you", "", {
            choice.id: {"text": "How do you like us to talk to you?", "options": {"Email": "Email", "Phone": "Phone call"}},
            likert.id: {"text": "We listen to you", "options": {"agree": "Yes, you listen"}},
            free.id: {"text": "What can we do better?"},
        }, staff)
        choice = survey.questions[0]
        translations.set_picture(survey, choice, None, picture(), "A phone and a letter", staff)
        translations.set_picture(survey, choice, "Phone", picture(), "A phone", staff)
        return {"slug": survey.slug, "id": survey.id, "staff": staff.email}


@pytest.fixture(params=[False, True], ids=["without-js", "with-js"])
def phone(browser, axe, request):
    """A 390 px phone, without JavaScript and with it; axe needs JavaScript, so it checks
    the pages of the run with it (the same pages, as nothing on them depends on scripts)."""
    context = browser.new_context(java_script_enabled=request.param, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(30_000)  # submitting runs the answers' analysis on this shared machine
    yield page, (axe.check if request.param else (lambda page: None))
    context.close()


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def stored_language(live_app, survey_id):
    with live_app.app_context():
        return db.session.scalars(select(Response.language).where(Response.survey_id == survey_id,
                                                                  Response.status == "submitted")).all()


def test_a_family_answers_in_welsh_on_a_phone_without_javascript(phone, live_app, live_url, survey):
    page, check = phone
    page.goto(f"{live_url}/surveys/{survey['slug']}")
    check(page)
    # The switch is plain links; Welsh is named in Welsh.
    follow(page.get_by_role("link", name="Cymraeg"))
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("heading", name="Cadw mewn cysylltiad").is_visible()
    assert page.get_by_text("drafftio gan beiriant").is_visible()
    check(page)
    no_sideways_scroll(page)
    assert page.get_by_role("radio", name="Cymraeg (Welsh)").is_checked()
    follow(page.get_by_role("button", name="Dechrau nawr"))

    assert page.get_by_text("Sut hoffech chi glywed gennym ni?").is_visible()
    follow(page.get_by_role("button", name="Parhau"))  # nothing chosen: errors in Welsh
    assert page.get_by_text("Dewiswch ateb i ‘Sut hoffech chi glywed gennym ni?’").first.is_visible()
    check(page)
    page.get_by_role("radio", name="E-bost").check()
    page.get_by_role("radio", name="Cytuno", exact=True).check()
    check(page)
    no_sideways_scroll(page)
    follow(page.get_by_role("button", name="Parhau"))

    assert page.get_by_label("Beth fyddai'n gwneud pethau'n well? (dewisol)").is_visible()
    follow(page.get_by_role("button", name="Parhau"))
    assert page.get_by_role("heading", name="Amdanoch chi (dewisol)").is_visible()
    check(page)
    follow(page.get_by_role("button", name="Parhau"))

    assert page.get_by_role("heading", name="Gwiriwch eich atebion cyn eu hanfon").is_visible()
    assert page.get_by_text("E-bost").first.is_visible()
    check(page)
    no_sideways_scroll(page)
    follow(page.get_by_role("button", name="Anfon eich atebion"))
    assert page.get_by_text("Mae eich atebion wedi'u hanfon").is_visible()
    check(page)
    assert "cy" in stored_language(live_app, survey["id"])


def test_a_family_answers_in_easy_read_on_a_phone_without_javascript(phone, live_app, live_url, survey):
    page, check = phone
    page.goto(f"{live_url}/surveys/{survey['slug']}?lang=en")
    page.get_by_role("radio", name="Easy Read").check()
    follow(page.get_by_role("button", name="Start now"))

    # One question a page, large text, with its picture and alt text.
    assert page.get_by_role("heading", name="How do you like us to talk to you?").is_visible()
    assert page.get_by_text("We listen to you").count() == 0
    assert page.locator("body.app-easy-read").count() == 1
    assert page.get_by_role("img", name="A phone and a letter").is_visible()
    assert page.get_by_role("img", name="A phone", exact=True).is_visible()
    check(page)
    no_sideways_scroll(page)
    page.get_by_role("radio", name="Phone call").check()
    follow(page.get_by_role("button", name="Continue"))

    # The five-point scale: a face beside each answer, and the words that say what it means.
    assert page.get_by_role("heading", name="We listen to you").is_visible()
    assert page.locator(".app-smiley").count() == 5
    check(page)
    no_sideways_scroll(page)
    page.get_by_role("radio", name="Yes, you listen").check()
    follow(page.get_by_role("button", name="Continue"))

    follow(page.get_by_role("button", name="Continue"))  # the free text is optional
    follow(page.get_by_role("button", name="Continue"))  # about you
    assert page.get_by_text("Phone call").is_visible()
    check(page)
    follow(page.get_by_role("button", name="Submit your answers"))
    assert page.get_by_text("Your answers have been sent").is_visible()
    assert EASY_READ in stored_language(live_app, survey["id"])


def test_staff_pages_for_versions_pass_axe(page, live_url, survey, axe):
    page.goto(live_url + "/sign-in")
    page.get_by_label("Email address").fill(survey["staff"])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    follow(page.get_by_role("button", name="Sign in"))
    page.goto(f"{live_url}/manage/surveys/{survey['id']}/versions")
    assert page.get_by_role("link", name="Easy Read", exact=True).is_visible()
    axe.check(page)
    follow(page.get_by_role("link", name="Easy Read", exact=True))
    assert page.get_by_role("heading", name="Easy Read version").is_visible()
    axe.check(page)
    page.goto(f"{live_url}/manage/surveys/{survey['id']}/versions/cy")
    axe.check(page)
    page.goto(f"{live_url}/co-design/{survey['id']}/easy-read")
    axe.check(page)

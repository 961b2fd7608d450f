"""The newer question kinds in a real browser, axe-core on every page: staff build a grid
in the question builder (only its own settings revealed), and a family answers a drop-down
list, "Other (please specify)", a grid and a ranking, mistakes first, with and without
JavaScript."""

import pytest

from feedback.models import Role
from feedback.surveys import services

from ..conftest import make_user
from ..survey_factories import make_survey
from ..test_question_kinds import NEW_KINDS
from .conftest import follow
from .test_survey_journeys import sign_in


def test_staff_build_a_grid_with_its_own_settings(page, live_app, live_url, live_user, axe):
    email, password = live_user(Role.STAFF)
    with live_app.app_context():
        survey_id = make_survey(make_user(Role.STAFF), questions=[]).id
    sign_in(page, live_url, email, password)
    page.goto(f"{live_url}/manage/surveys/{survey_id}/questions/new")
    axe.check(page)  # first the kind
    page.get_by_label("Grid (several statements on one scale)").check()
    follow(page.get_by_role("button", name="Continue"))
    axe.check(page)
    assert page.locator("#settings_grid-options").is_visible()
    assert page.locator("#settings_number-min_value").count() == 0  # no other kind's settings
    page.get_by_label("Question", exact=True).fill("How clear is each of these?")
    follow(page.get_by_role("button", name="Save question"))
    assert "Enter at least 2 statements, one on each line" in page.content()
    axe.check(page)
    page.locator("#settings_grid-options").fill("Letters\nEmails")
    page.locator("#settings_grid-scale").fill("Clear\nNot clear")
    follow(page.get_by_role("button", name="Save question"))
    assert "Question added" in page.content()


@pytest.fixture
def new_kinds_survey(live_app):
    with live_app.app_context():
        staff = make_user(Role.STAFF)
        survey = make_survey(staff, questions=NEW_KINDS, title=f"New kinds {staff.id}")
        services.open_survey(survey, staff, override_reason="Browser test")
        return survey.slug, {q.text: q.id for q in survey.questions}


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_family_answers_the_new_kinds(browser, live_url, new_kinds_survey, axe, javascript):
    slug, ids = new_kinds_survey
    single, multi = ids["How do you prefer to hear from us?"], ids["Which services have you used?"]
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    check = axe.check if javascript else (lambda page: None)  # axe needs JavaScript to run
    page.goto(f"{live_url}/surveys/{slug}")
    follow(page.get_by_role("button", name="Start now"))
    check(page)

    # Page 1: a drop-down list, and "Other" without saying what it is.
    page.get_by_label("Which area team supports you?").select_option("East")
    page.get_by_role("group", name="How do you prefer to hear from us?").get_by_label("Other", exact=True).check()
    assert page.locator(f"#q{single}-other").is_visible()  # a box under the options, with or without JavaScript
    follow(page.get_by_role("button", name="Continue"))
    assert "Enter what your other answer is" in page.content()
    check(page)
    page.locator(f"#q{single}-other").fill("Through the school")
    group = page.get_by_role("group", name="Which services have you used? (optional)")
    group.get_by_label("CAMHS").check()
    group.get_by_label("Other", exact=True).check()
    page.locator(f"#q{multi}-other").fill("Portage")
    follow(page.get_by_role("button", name="Continue"))

    # Page 2: a grid, one statement left out.
    check(page)
    page.get_by_role("group", name="Letters").get_by_label("Very clear").check()
    page.get_by_role("group", name="Phone calls").get_by_label("Quite clear").check()
    follow(page.get_by_role("button", name="Continue"))
    assert "Select an answer for ‘Emails’" in page.content()
    check(page)
    assert page.get_by_role("group", name="Letters").get_by_label("Very clear").is_checked()
    page.get_by_role("group", name="Emails").get_by_label("Not clear").check()
    follow(page.get_by_role("button", name="Continue"))

    # Page 3: a ranking, two options given the same number.
    check(page)
    page.get_by_label("A quick reply").select_option("2")
    page.get_by_label("A named contact").select_option("1")
    page.get_by_label("Clear letters").select_option("1")
    follow(page.get_by_role("button", name="Continue"))
    assert "‘Clear letters’ has the same number as ‘A named contact’" in page.content()
    check(page)
    page.get_by_label("Clear letters").select_option("3")
    follow(page.get_by_role("button", name="Continue"))

    follow(page.get_by_role("button", name="Continue"))  # about you: nothing to add
    check(page)
    summary = page.locator(".govuk-summary-list").first.inner_text()
    for shown in ("East", "Other: Through the school", "CAMHS, Other: Portage",
                  "Letters: Very clear; Emails: Not clear; Phone calls: Quite clear",
                  "1. A named contact; 2. A quick reply; 3. Clear letters"):
        assert shown in summary, shown
    page.set_default_timeout(60_000)  # submitting analyses the words typed for "Other"
    follow(page.get_by_role("button", name="Submit your answers"))
    check(page)
    context.close()

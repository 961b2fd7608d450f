"""The survey journey in a real browser, axe-core on every page: staff build a survey with
every kind of question, partners co-design and sign off, it opens, and a family answers
it (with a mistake, a save and resume on another device, a change) with and without JavaScript."""

import re

import pytest

from feedback.extensions import db
from feedback.models import ContactRequest, Role, Survey
from feedback.surveys import services
from feedback.surveys.kinds import KINDS

from ..conftest import make_organisation, make_user
from ..survey_factories import make_survey
from .conftest import follow

QUESTIONS = {
    "single_choice": ("How do you prefer to hear from us?", "Email\nPhone\nLetter"),
    "multi_choice": ("Which services have you used?", "CAMHS\nShort breaks\nTransport"),
    "likert5": ("I feel listened to", ""),
    "yes_no": ("Did you get a reply?", ""),
    "rating": ("Rate communication overall", ""),
    "number": ("How many times did you chase?", ""),
    "date": ("When did you last contact us?", ""),
    "free_text": ("What would make things better?", ""),
}


def sign_in(page, live_url, email, password):
    page.goto(live_url + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    follow(page.get_by_role("button", name="Sign in"))


def test_staff_build_partners_co_design_and_sign_off_and_the_survey_opens(browser, page, live_app, live_url, live_user, axe):
    staff_email, password = live_user(Role.STAFF)
    with live_app.app_context():
        forum = make_organisation("Family Voice Norfolk", "parent_carer_forum")
        youth = make_organisation("Norfolk Youth Forum", "youth_forum")
        forum_lead = make_user(Role.FORUM_MEMBER, organisation=forum, membership="lead", display_name="Fran Forum").email
        youth_lead = make_user(Role.YOUTH_MEMBER, organisation=youth, membership="lead", display_name="Jay").email

    sign_in(page, live_url, staff_email, password)
    follow(page.get_by_role("link", name="Surveys").first)
    axe.check(page)
    follow(page.get_by_role("button", name="Create a survey"))
    axe.check(page)
    page.get_by_label("Title").fill("How we keep in touch")
    page.get_by_label("What the survey is for").fill("Tell us how well we keep you informed.")
    page.get_by_label("Parent carers and young people").check()
    page.get_by_label("Service area").fill("EHCP")
    page.get_by_label("Wave").fill("Winter 2026")
    for legend, (day, month, year) in (("Opening date", ("1", "11", "2026")), ("Closing date", ("1", "3", "2030"))):
        group = page.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(day)
        group.get_by_label("Month").fill(month)
        group.get_by_label("Year").fill(year)
    page.get_by_label("How many minutes it takes").fill("5")
    page.get_by_label("Privacy information").fill("Anonymous. Kept for 2 years.")
    follow(page.get_by_role("button", name="Save survey"))
    assert "Survey created" in page.content()
    axe.check(page)
    overview = page.url

    for kind, (text, options) in QUESTIONS.items():
        page.goto(overview)
        follow(page.get_by_role("link", name=KINDS[kind].label.lower(), exact=True))
        if kind == "single_choice":
            follow(page.get_by_role("button", name="Save question"))
            assert "Enter the question" in page.content()
            axe.check(page)
        page.get_by_label("Question", exact=True).fill(text)
        if options:  # the settings of the chosen kind, shown under it
            page.locator(f"#settings_{kind}-options").fill(options)
        if kind in ("likert5", "yes_no"):
            page.get_by_label("Communication").check()
        page.get_by_label("Page", exact=True).fill(str(list(QUESTIONS).index(kind) // 2 + 1))
        follow(page.get_by_role("button", name="Save question"))
        assert "Question added" in page.content(), kind
    axe.check(page)
    follow(page.get_by_role("link", name="add from the question bank"))
    axe.check(page)
    page.goto(overview)
    for partner in ("Family Voice Norfolk", "Norfolk Youth Forum"):
        page.get_by_label("Partner group").select_option(label=partner)
        follow(page.get_by_role("button", name="Invite to co-design"))
    follow(page.get_by_role("button", name="Send for co-design"))
    assert "Sent to partners for co-design" in page.content()
    axe.check(page)
    survey_id = int(re.search(r"/manage/surveys/(\d+)", overview).group(1))

    lead_context = browser.new_context()
    lead = lead_context.new_page()
    sign_in(lead, live_url, forum_lead, "correct horse battery staple")
    follow(lead.get_by_role("link", name="Co-design"))
    axe.check(lead)
    follow(lead.get_by_role("link", name=re.compile("How we keep in touch")))
    axe.check(lead)
    follow(lead.get_by_role("link", name="Comment on ‘I feel listened to’"))
    axe.check(lead)
    lead.get_by_label("Your comment").fill("Could we say who is listening?")
    follow(lead.get_by_role("button", name="Add comment"))
    for question, wording in (("I feel listened to", "I feel the SEND team listens to me"),
                              ("Did you get a reply?", "Did anyone get back to you?")):
        follow(lead.get_by_role("link", name=f"Suggest new wording for ‘{question}’"))
        axe.check(lead)
        lead.get_by_label("Suggested wording").fill(wording)
        follow(lead.get_by_role("button", name="Suggest this wording"))
    assert "Waiting" in lead.content()
    # A new option for a choice question.
    follow(lead.get_by_role("link", name="Suggest a change to the options of ‘How do you prefer to hear from us?’"))
    axe.check(lead)
    lead.get_by_label("A new option").check()
    lead.get_by_label("Suggested wording for the option").fill("Text message")
    follow(lead.get_by_role("button", name="Suggest this option"))
    assert "adding the option ‘Text message’" in lead.content()
    # The whole journey as families will see it, page by page, axe on each.
    follow(lead.get_by_role("link", name="Preview the English version"))
    for _ in range(12):
        axe.check(lead)
        assert "Nothing you enter is saved" in lead.content()
        if "End of the preview" in lead.content():
            break
        follow(lead.locator("form[method=get] button[type=submit], form[method=get] input[type=submit]").first)
    assert "End of the preview" in lead.content()
    follow(lead.get_by_role("link", name="Back to co-design to comment or suggest changes"))

    page.goto(overview)
    follow(page.get_by_role("button", name="Accept suggestion ‘I feel the SEND team listens to me’"))
    assert "Suggestion accepted" in page.content()
    follow(page.get_by_role("link", name="Decline suggestion ‘Did anyone get back to you?’"))
    axe.check(page)
    page.get_by_label("Reason for declining").fill("We need the same wording as last year to compare")
    follow(page.get_by_role("button", name="Decline suggestion"))
    axe.check(page)

    for email in (forum_lead, youth_lead):
        context = browser.new_context()
        partner = context.new_page()
        sign_in(partner, live_url, email, "correct horse battery staple")
        partner.goto(f"{live_url}/co-design/{survey_id}")
        assert "We need the same wording as last year" in partner.content()
        follow(partner.get_by_role("button", name=re.compile("^Sign off for")))
        assert "You have signed off" in partner.content()
        axe.check(partner)
        context.close()
    lead_context.close()

    page.goto(overview)
    assert "Every partner has signed off" in page.content()
    follow(page.get_by_role("button", name="Open the survey"))
    assert "The survey is open" in page.content()
    axe.check(page)
    follow(page.get_by_role("button", name="Co-design history"))
    assert "signed off for Family Voice Norfolk" in page.content()
    axe.check(page)
    with live_app.app_context():
        survey = db.session.get(Survey, survey_id)
        assert survey.status == "open"
        assert "I feel the SEND team listens to me" in [q.text for q in survey.questions]


@pytest.fixture
def open_survey_slug(live_app):
    with live_app.app_context():
        staff = make_user(Role.STAFF)
        forum = make_organisation(f"Forum {staff.id}", "parent_carer_forum")
        make_user(Role.FORUM_MEMBER, organisation=forum, membership="lead")
        survey = make_survey(staff, title=f"Keeping in touch {staff.id}")
        services.invite_partner(survey, staff, forum)
        services.send_for_co_design(survey, staff)
        services.open_survey(survey, staff, override_reason="Browser test")
        return survey.slug


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_family_answers_every_kind_saves_resumes_changes_and_submits(browser, live_url, open_survey_slug, axe, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    check = axe.check if javascript else (lambda page: None)  # axe needs JavaScript to run
    page.goto(f"{live_url}/surveys/{open_survey_slug}")
    check(page)
    follow(page.get_by_role("button", name="Start now"))

    # Page 1: choices. Skip the required one to see the error.
    page.get_by_label("CAMHS").check()
    follow(page.get_by_role("button", name="Continue"))
    assert "There is a problem" in page.content()
    assert "Select an answer to ‘How do you prefer to hear from us?’" in page.content()
    assert page.get_by_label("CAMHS").is_checked()
    check(page)
    page.get_by_label("Email").check()
    follow(page.get_by_role("button", name="Continue"))
    check(page)
    page.get_by_label("Agree", exact=True).check()
    page.get_by_role("group", name="Did you get a reply?").get_by_label("No").check()
    follow(page.get_by_role("button", name="Save and come back later"))
    check(page)
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", page.locator(".govuk-panel").inner_text()).group(0)
    context.close()

    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    if javascript:  # the link asks first (and axe checks that page)
        page.goto(f"{live_url}/resume/{code}")
        check(page)
        assert "Only continue if you saved these answers yourself" in page.content()
        follow(page.get_by_role("button", name="Continue with the saved answers"))
    else:  # typing the code opens the answers at once
        page.goto(f"{live_url}/resume")
        page.get_by_label("Continue your saved answers").fill(code)
        follow(page.get_by_role("button", name="Continue"))
    # Back on the page where the answers were saved.
    assert "/pages/2" in page.url and page.get_by_label("Agree", exact=True).is_checked()
    follow(page.get_by_role("button", name="Continue"))
    page.get_by_label("How many times did you chase?").fill("lots")
    page.get_by_label("7", exact=True).check()
    follow(page.get_by_role("button", name="Continue"))
    assert "must be a number" in page.content()
    check(page)
    page.get_by_label("How many times did you chase?").fill("4")
    follow(page.get_by_role("button", name="Continue"))
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("9")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("What would make things better?").fill("Phone updates every month")
    check(page)
    follow(page.get_by_role("button", name="Continue"))
    check(page)
    page.get_by_label("A parent or carer").check()
    page.get_by_label("Which area of Norfolk do you live in?").select_option("Norwich")
    page.get_by_label("Yes, you can quote what I wrote").check()
    follow(page.get_by_role("button", name="Continue"))
    check(page)
    summary = page.locator(".govuk-summary-list").first.inner_text()
    for shown in ("Email", "CAMHS", "Agree", "4", "7", "3 September 2026", "Phone updates every month"):
        assert shown in summary
    follow(page.get_by_role("link", name="Change I feel listened to"))
    page.get_by_label("Strongly agree").check()
    follow(page.get_by_role("button", name="Continue"))
    assert page.url.endswith("/check")
    assert "Strongly agree" in page.locator(".govuk-summary-list").first.inner_text()
    follow(page.get_by_role("button", name="Submit your answers"))
    check(page)
    assert re.search(r"FB-[A-Z0-9]{8}", page.locator(".govuk-panel").inner_text())

    # Asking to be contacted, with a mistake first.
    follow(page.get_by_role("link", name="ask us to contact you"))
    check(page)
    follow(page.get_by_role("button", name="Send"))
    assert "Enter your name" in page.content()
    check(page)
    page.get_by_label("Your name").fill("Sam Parent")
    page.get_by_label("Phone number").fill("01632 960 001")
    follow(page.get_by_role("button", name="Send"))
    assert "We have your details" in page.content()
    check(page)
    context.close()


def test_staff_read_contact_requests_and_mark_one_contacted(live_app, page, live_url, live_user, open_survey_slug, axe):
    with live_app.app_context():
        survey = db.session.scalar(db.select(Survey).where(Survey.slug == open_survey_slug))
        db.session.add(ContactRequest(survey_id=survey.id, name="Ali Parent", email="ali@example.org",
                                      about="Travel to college", reference="FB-ABCD2345"))
        db.session.commit()
    email, password = live_user(Role.STAFF)
    sign_in(page, live_url, email, password)
    follow(page.get_by_role("link", name="Contact requests"))
    assert "Ali Parent" in page.content() and "ali@example.org" in page.content()
    axe.check(page)
    follow(page.get_by_role("button", name=re.compile(r"Mark as contacted\W+Ali Parent")))
    assert "The request is marked as contacted" in page.content() and "Contacted: 1" in page.content()
    axe.check(page)

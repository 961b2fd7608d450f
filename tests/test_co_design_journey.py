"""Co-design partners go through the whole journey as families will see it, in every
version, and propose new or changed options as well as new wording."""

from feedback.extensions import db
from feedback.models import Question, Response, Role, SurveyEvent, WordingSuggestion
from feedback.surveys import services, translations
from feedback.surveys.translations import EASY_READ

from .conftest import csrf_token, make_organisation, make_user
from .survey_factories import make_co_designed_survey


def _walk(client, start_url):
    """Follow the preview from its start page to its end by the forms' own actions;
    returns the pages seen (url, html)."""
    seen, url = [], start_url
    for _ in range(30):
        page = client.get(url)
        assert page.status_code == 200, url
        seen.append((url, page.text))
        if url.endswith("/end"):  # the end page, in whatever language
            return seen
        action = page.text.split('<form method="get" action="', 1)[1].split('"', 1)[0]
        url = action.replace("&amp;", "&")
    raise AssertionError("the preview did not end")


def test_partner_walks_the_whole_journey_and_nothing_is_saved(client, auth):
    survey, forum, lead, staff = make_co_designed_survey()
    auth.sign_in(lead.email)
    co_design = client.get(f"/co-design/{survey.id}")
    assert f"/co-design/{survey.id}/preview/en/" in co_design.text

    seen = _walk(client, f"/co-design/{survey.id}/preview/en/")
    start, *pages, about, end = seen
    # The start page as families get it: time, closing date, privacy text, the partners.
    assert "It takes about 5 minutes" in start[1] and "The survey closes on" in start[1]
    assert "Your answers are anonymous." in start[1] and "How we use your answers" in start[1]
    assert "Nothing you enter is saved" in start[1]
    # Every question, on the pages families get, then About you.
    shown = "".join(html for _, html in pages)
    for question in survey.questions:
        assert question.text in shown
    assert len(pages) == len({q.page for q in survey.questions})
    assert "About you" in about[1] and "Which area of Norfolk" in about[1]
    # No save-and-come-back, no CSRF token, and no response was started.
    for _, html in seen[:-1]:
        form = html.split('<form method="get"', 1)[1].split("</form>", 1)[0]
        assert 'name="save"' not in form and 'name="csrf_token"' not in form
    assert db.session.query(Response).count() == 0


def test_preview_of_a_welsh_and_an_easy_read_version(client, auth):
    survey, forum, lead, staff = make_co_designed_survey()
    first = survey.questions[0]
    translations.save_version(survey, "cy", "Cadw mewn cysylltiad", "Dywedwch wrthym sut rydym yn cadw mewn cysylltiad.",
                              {first.id: {"text": "Sut hoffech chi glywed gennym ni?",
                                          "options": {"Email": "E-bost", "Phone": "Ffôn", "Letter": "Llythyr"}}}, staff)
    translations.save_version(survey, EASY_READ, "Tell us how we talk to you", "",
                              {q.id: {"text": f"Easy words {q.id}"} for q in survey.questions}, staff)
    auth.sign_in(lead.email)
    co_design = client.get(f"/co-design/{survey.id}").text
    assert f"/co-design/{survey.id}/preview/cy/" in co_design and f"/co-design/{survey.id}/preview/{EASY_READ}/" in co_design
    assert "not finished" in co_design  # the Welsh version words one question of eight

    welsh = _walk(client, f"/co-design/{survey.id}/preview/cy/")
    assert "Cadw mewn cysylltiad" in welsh[0][1] and 'lang="cy"' in welsh[0][1]
    assert "Diwedd y rhagolwg" in welsh[-1][1]  # the interface is in Welsh too
    assert "Sut hoffech chi glywed gennym ni?" in welsh[1][1] and "E-bost" in welsh[1][1]

    easy = _walk(client, f"/co-design/{survey.id}/preview/{EASY_READ}/")
    pages = [html for url, html in easy if "/pages/" in url]
    assert len(pages) == len(survey.questions)  # Easy Read: one question on each page
    assert all("app-easy-read" in html for html in pages)
    assert "Easy words" in pages[0]


def test_only_partners_and_staff_can_preview(client, auth):
    survey, *_ = make_co_designed_survey()
    outsider = make_user(Role.FORUM_MEMBER, organisation=make_organisation("SENsational Families", "parent_group"))
    auth.sign_in(outsider.email)
    assert client.get(f"/co-design/{survey.id}/preview/en/").status_code == 403
    assert client.get(f"/co-design/{survey.id}/preview/en/pages/1").status_code == 403
    auth.sign_out()
    assert client.get(f"/co-design/{survey.id}/preview/en/").status_code in (302, 401)
    staff = make_user(Role.STAFF)
    auth.sign_in(staff.email)
    assert client.get(f"/co-design/{survey.id}/preview/en/pages/1").status_code == 200
    assert client.get(f"/co-design/{survey.id}/preview/xx/").status_code == 404
    assert client.get(f"/co-design/{survey.id}/preview/en/pages/99").status_code == 404


def _suggest_option(client, survey, question, option, text):
    page = client.get(f"/co-design/{survey.id}/questions/{question.id}/suggest-option")
    return client.post(f"/co-design/{survey.id}/questions/{question.id}/suggest-option",
                       data={"option": option, "suggested_text": text, "reason": "Families say it this way",
                             "csrf_token": csrf_token(page.text)}, follow_redirects=True)


def test_partner_proposes_a_new_option_and_a_changed_option_and_staff_accept(client, auth):
    survey, forum, lead, staff = make_co_designed_survey()
    choice = survey.questions[0]  # Email, Phone, Letter
    auth.sign_in(lead.email)
    assert "Suggest a change to the options" in client.get(f"/co-design/{survey.id}").text
    page = _suggest_option(client, survey, choice, "__new__", "Text message")
    assert "Your suggestion has been sent" in page.text
    _suggest_option(client, survey, choice, "Letter", "Letter in the post")
    page = client.get(f"/co-design/{survey.id}").text
    assert "adding the option ‘Text message’" in page and "rewording the option ‘Letter’" in page

    auth.sign_out()
    auth.sign_in(staff.email)
    overview = client.get(f"/manage/surveys/{survey.id}")
    for suggestion in db.session.query(WordingSuggestion).order_by(WordingSuggestion.id):
        client.post(f"/manage/surveys/{survey.id}/suggestions/{suggestion.id}/accept",
                    data={"csrf_token": csrf_token(overview.text)})
    db.session.expire_all()
    assert db.session.get(Question, choice.id).options == ["Email", "Phone", "Letter in the post", "Text message"]
    assert db.session.get(Question, choice.id).credited_organisation_id == forum.id
    history = [e.description for e in db.session.query(SurveyEvent).filter_by(survey_id=survey.id)]
    assert any("Accepted adding the option ‘Text message’" in line and "credited to Family Voice Norfolk" in line
               for line in history)
    # Families now see the new options.
    auth.sign_out()
    auth.sign_in(lead.email)
    preview = client.get(f"/co-design/{survey.id}/preview/en/pages/1").text
    assert "Text message" in preview and "Letter in the post" in preview


def test_option_suggestions_are_checked_by_the_field(client, auth):
    survey, forum, lead, staff = make_co_designed_survey()
    choice, likert = survey.questions[0], survey.questions[2]
    auth.sign_in(lead.email)
    page = _suggest_option(client, survey, choice, "__new__", "Phone")
    assert "The question already has that option" in page.text and 'govuk-error-message' in page.text
    page = _suggest_option(client, survey, choice, "Fax", "Carrier pigeon")
    assert "govuk-error-summary" in page.text  # not one of the choices
    page = _suggest_option(client, survey, choice, "", "")
    assert "Select the option to change, or a new option" in page.text
    assert "Enter the option’s wording" in page.text
    assert db.session.query(WordingSuggestion).count() == 0
    # A scale's points are not the survey's own options.
    assert client.get(f"/co-design/{survey.id}/questions/{likert.id}/suggest-option").status_code == 404


def test_an_option_changed_since_the_suggestion_is_refused(client, auth):
    survey, forum, lead, staff = make_co_designed_survey()
    choice = survey.questions[0]
    suggestion = services.suggest_option(survey, lead, choice, "Letter", "Letter in the post", "")
    choice.options = ["Email", "Phone", "Post"]
    db.session.commit()
    auth.sign_in(staff.email)
    overview = client.get(f"/manage/surveys/{survey.id}")
    page = client.post(f"/manage/surveys/{survey.id}/suggestions/{suggestion.id}/accept",
                       data={"csrf_token": csrf_token(overview.text)}, follow_redirects=True)
    assert "That option has changed since it was suggested" in page.text
    db.session.expire_all()
    assert db.session.get(Question, choice.id).options == ["Email", "Phone", "Post"]
    assert db.session.get(WordingSuggestion, suggestion.id).status == "pending"

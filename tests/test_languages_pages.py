"""Pages beyond the answering journey follow the language chosen: each role opens a sample of
its pages with ?lang=cy and reads them in Welsh, with <html lang="cy">."""

import html
import re
from datetime import datetime, timezone

import pytest

from feedback.extensions import db
from feedback.ideas import services as ideas
from feedback.models import Role
from feedback.safeguarding import services as safeguarding

from .conftest import make_user
from .survey_factories import make_co_designed_survey


def welsh_page(client, path, present, absent):
    """Open `path`: it is a page in Welsh (200, `<html lang="cy">`) showing every one of
    `present` and none of `absent`; returns its text."""
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    assert re.search(r'<html lang="cy"', page.text), path
    text = html.unescape(page.text)
    for words in present:
        assert words in text, (path, words)
    for words in absent:
        assert words not in text, (path, words)
    return text


def published_idea():
    author = make_user(Role.YOUTH_MEMBER, display_name="Riley")
    idea = ideas.submit_idea(author, "Quiet rooms in school", "Lunch is too loud.", "Something else")
    ideas.publish_idea(idea, make_user(Role.STAFF))
    return idea


# (who signs in, the page, English it showed, the Welsh it shows now)
PAGES = [
    (Role.YOUTH_MEMBER, "/ideas", "Put forward an idea", "Cyflwyno syniad"),
    (Role.YOUTH_MEMBER, "/ideas/new", "Help with putting an idea forward (easy read)",
     "Help gyda chyflwyno syniad (hawdd ei ddarllen)"),
    (Role.YOUTH_MEMBER, "/ideas/mine", "You have not put forward any ideas yet.",
     "Nid ydych wedi cyflwyno unrhyw syniadau eto."),
    (Role.YOUTH_MEMBER, "/ideas/{idea}", "Support this idea", "Cefnogi'r syniad hwn"),
    (Role.STAFF, "/ideas/moderation", "Check ideas and comments", "Gwirio syniadau a sylwadau"),
    (Role.STAFF, "/ideas/summary", "Time to be heard", "Amser i gael eich clywed"),
    (None, "/sign-in", "I have forgotten my password", "Rwyf wedi anghofio fy nghyfrinair"),
    (None, "/reset-password", "Send reset link", "Anfon dolen ailosod"),
    (Role.FORUM_MEMBER, "/account", "Change your password", "Newid eich cyfrinair"),
    (Role.STAFF, "/account", "Two-factor authentication", "Dilysu dau gam"),
    (Role.STAFF, "/manage/comments", "All surveys", "Pob arolwg"),
    (Role.STAFF, "/manage/themes", "Theme taxonomy", "Tacsonomeg themâu"),
    (Role.STAFF, "/safeguarding", "Safeguarding queue", "Ciw diogelu"),
    (Role.ADMIN, "/admin/users", "Invite someone", "Gwahodd rhywun"),
    (Role.ADMIN, "/admin/users/invite", "Create invitation", "Creu gwahoddiad"),
    (Role.ADMIN, "/admin/organisations", "Add an organisation", "Ychwanegu sefydliad"),
    (Role.STAFF, "/manage/api-tokens/", "Create token", "Creu tocyn"),
    (Role.STAFF, "/manage/webhooks/", "Register endpoint", "Cofrestru pwynt terfyn"),
]


@pytest.mark.parametrize("role, path, english, welsh", PAGES, ids=[f"{p[0]}:{p[1]}" for p in PAGES])
def test_a_page_is_in_welsh_when_welsh_is_chosen(client, auth, role, path, english, welsh):
    idea = published_idea()
    if role is not None:
        auth.sign_in_as(role)
    url = path.format(idea=idea.id)
    page = client.get(f"{url}?lang=cy")
    assert page.status_code == 200, page.text
    assert re.search(r'<html lang="cy"', page.text)
    assert welsh in html.unescape(page.text) and english not in html.unescape(page.text)
    # The same page in English still says it in English.
    again = client.get(f"{url}?lang=en")
    assert english in again.text and re.search(r'<html lang="en"', again.text)


def test_an_error_by_the_field_is_in_the_language_chosen(client, auth):
    from .conftest import csrf_token

    auth.sign_in_as(Role.YOUTH_MEMBER)
    page = client.get("/ideas/new?lang=cy")
    sent = client.post("/ideas/new", data={"title": "x" * 101, "body": "", "category": "", "csrf_token": csrf_token(page.text)})
    shown = html.unescape(sent.text)
    assert "Rhaid i'r teitl fod yn 100 nod neu lai" in shown
    assert "Dywedwch wrthym beth yw eich syniad" in shown


def test_co_design_partners_read_their_pages_in_welsh(client, auth):
    survey, forum, lead, staff = make_co_designed_survey()
    auth.sign_in(lead.email)
    listing = html.unescape(client.get("/co-design/?lang=cy").text)
    assert "Arolygon i'w cyd-ddylunio" in listing and "Surveys to co-design" not in listing
    page = client.get(f"/co-design/{survey.id}")
    assert re.search(r'<html lang="cy"', page.text)
    text = html.unescape(page.text)
    assert "Yr arolwg fel y bydd teuluoedd yn ei weld" in text and "The survey as families will see it" not in text
    assert f"Cymeradwyo ar ran {forum.name}" in text
    question = survey.questions[0]
    comment = html.unescape(client.get(f"/co-design/{survey.id}/comments?question={question.id}").text)
    assert "Rhoi sylw ar gwestiwn" in comment


def test_an_admin_reads_the_data_request_pages_in_welsh(client, auth):
    make_user(Role.YOUTH_MEMBER, email="asks@example.org")
    auth.sign_in_as(Role.ADMIN)
    page = client.get("/admin/privacy/?lang=cy")
    assert page.status_code == 200 and re.search(r'<html lang="cy"', page.text)
    text = html.unescape(page.text)
    assert "Cyfeiriad e-bost y person sy'n gwneud y cais" in text and "Find their data" not in text


@safeguarding.register_source("language_note", "Survey answer")
def _note_text(note_id):
    return safeguarding.SourceText("My dad hits me when I get home.", "/somewhere", survey="Travel to school",
                                   question="Anything else?", when=datetime(2026, 11, 2, 10, 0, tzinfo=timezone.utc))


def test_a_safeguarding_lead_reads_a_flag_with_its_survey_and_question_in_welsh(client, auth):
    """Every row of the flag (survey, question, when, where) is shown, in the language chosen."""
    flag = safeguarding.flag_if_at_risk("language_note", 1, "My dad hits me when I get home.")
    db.session.commit()
    lead = make_user(Role.STAFF, safeguarding_lead=True)
    auth.sign_in(lead.email)
    page = client.get(f"/safeguarding/{flag.id}?lang=cy")
    assert page.status_code == 200 and re.search(r'<html lang="cy"', page.text)
    text = html.unescape(page.text)
    assert "Travel to school" in text and "Anything else?" in text
    assert f"Baner ddiogelu {flag.id}" in text and "Ei weld yn ei gyd-destun" in text and "Ateb arolwg" in text


def test_staff_read_evidence_results_and_the_register_in_welsh(client, auth):
    """The evidence pack and the Local Offer publication (page and PDF), a wave's results
    pages, the method page and the "You said, we did" register follow the language chosen."""
    from datetime import date, timedelta
    from types import SimpleNamespace

    from feedback.actions.services import post_update, save_action
    from feedback.evidence import reach
    from feedback.notifications import events
    from feedback.results.services import set_public

    from .test_evidence import LOCALITY, closed_wave, pdf_text

    staff = make_user(Role.STAFF)
    reach.save_cohort(staff, name="EHC plans", source="", as_of=date.today(), figures={"locality": LOCALITY})
    wave = closed_wave(staff, {"Norwich": 23, "Breckland": 3})
    set_public(wave, staff, True)
    action = save_action(staff, None, you_said="Nobody rings back", we_did="A named caseworker", due_on=None,
                         status="planned", survey_ids=[wave.id], theme_ids=[], idea_ids=[])
    post_update(staff, action, status="done", text="Every family has a caseworker", happened_on=date.today())
    events.contact_request_arrived(SimpleNamespace(survey=wave))
    db.session.commit()
    auth.sign_in(staff.email)

    def welsh(path, *present, absent=()):
        return welsh_page(client, path, present, absent)

    start, end = date.today() - timedelta(days=30), date.today() + timedelta(days=1)
    period = f"start={start.day}&start={start.month}&start={start.year}&end={end.day}&end={end.month}&end={end.year}"
    welsh(f"/evidence/pack?lang=cy&{period}", "Pecyn tystiolaeth", "Atodiad dull", "Cyrhaeddiad yn erbyn y boblogaeth SEND",
          "Wedi'i dangynrychioli", absent=("Method appendix", "Under-represented", "Reach against the SEND population"))
    document = client.get(f"/evidence/pack.pdf?{period}")
    assert document.mimetype == "application/pdf"
    text = pdf_text(document.data)
    assert "Tystiolaeth o gyd-gynhyrchu" in text and "Atodiad dull" in text and "Method appendix" not in text
    year = date.today().year
    welsh(f"/evidence/local-offer/{year}", "Cyhoeddwyd fel rhan o'r Cynnig Lleol", "Short breaks survey",
          absent=("Published as part of the Local Offer",))
    publication = pdf_text(client.get(f"/evidence/local-offer/{year}.pdf").data)
    assert "Cynnig Lleol" in publication and "Published as part of" not in publication
    welsh("/evidence/", "Log cyd-gynhyrchu", absent=("Co-production log",))
    welsh(f"/results/{wave.id}", "Dangosydd ansawdd cyfathrebu", absent=("Download these results",))
    welsh(f"/results/{wave.id}/comments", "Themâu yn yr hyn a ysgrifennodd pobl", absent=("Themes in what people wrote",))
    welsh(f"/results/{wave.id}/indicator", "Dangosydd ansawdd cyfathrebu fesul cylch",
          absent=("Communication-quality indicator by wave",))
    welsh("/results/indicator-method", "Sut rydym yn diogelu preifatrwydd ym mhob canlyniad",
          "Mae'r dangosydd yn 70% o'r cyntaf a 30% o'r ail.", absent=("How we protect privacy", "What goes into it"))
    welsh("/you-said-we-did/", "Cofnodi cam gweithredu", "Erbyn pryd", absent=("Record an action", "By when"))
    welsh(f"/you-said-we-did/{action.id}", "Newid y cam gweithredu hwn", "Every family has a caseworker",
          absent=("Change this action",))
    welsh("/notifications", "Gofynnodd teulu am gael eu cysylltu ynghylch “Short breaks survey”.",
          absent=("A family asked to be contacted",))
    # The same pages in English still say it in English.
    english = html.unescape(client.get("/results/indicator-method?lang=en").text)
    assert "How we protect privacy in all results" in english
    assert "A family asked to be contacted about “Short breaks survey”." in html.unescape(client.get("/notifications").text)


def test_the_long_csv_stays_in_english_for_analysis_tools_when_the_page_is_welsh(client):
    """docs/results.md: the long CSV keeps English titles and headings; the other downloads
    follow the reader's language."""
    from feedback.results.services import set_public

    from .test_evidence import closed_wave

    staff = make_user(Role.STAFF)
    wave = closed_wave(staff, {"Norwich": 23})
    set_public(wave, staff, True)
    client.get("/results/public?lang=cy")
    long = client.get(f"/results/public/{wave.id}/download-long.csv").text
    assert long.startswith("Table,Table title,View,Row,Column,Value,Shown or hidden")
    assert "Communication-quality indicator" in long and "Per cent" in long and "Y cant" not in long
    blocks = client.get(f"/results/public/{wave.id}/download.csv").text
    assert "Dangosydd ansawdd cyfathrebu" in blocks and "Y cant" in blocks


def test_staff_build_and_run_a_survey_in_welsh(client, auth):
    """The survey builder and survey management pages follow the language chosen: the list
    of surveys, a survey's overview, the question builder and its settings for several kinds,
    the survey's details, a new wave, its versions, routing, the bank and the history."""
    survey, forum, lead, staff = make_co_designed_survey()
    auth.sign_in(staff.email)
    base = f"/manage/surveys/{survey.id}"
    # (the page, Welsh it shows, English it showed)
    pages = [
        ("/manage/surveys/", ["Creu arolwg", "Wrthi'n cael ei gyd-ddylunio", "Ymatebion"],
         ["Create a survey", "In co-design"]),
        (base, ["Partneriaid cyd-ddylunio", "Llwybrau rhwng tudalennau", "Rhagolwg a chyd-ddylunio",
                "Cytuno (graddfa pum pwynt)", "Yn mesur: Cyfathrebu", "0 ymateb wedi'i gyflwyno."],
         ["Co-design partners", "Routing between pages", "Preview and co-design", "submitted responses"]),
        (f"{base}/questions/new", ["Pa fath o gwestiwn yw e?", "Grid (sawl datganiad ar un raddfa)"],
         ["What kind of question is it?", "Grid (several statements on one scale)"]),
        (f"{base}/questions/new?kind=single_choice", ["Un opsiwn ar bob llinell", "Cynnig ‘Arall (nodwch)’", "Cadw'r cwestiwn"],
         ["One option on each line", "Save question"]),
        (f"{base}/questions/new?kind=number", ["Rhifau cyfan yn unig", "Y rhif lleiaf a ganiateir (dewisol)"],
         ["Whole numbers only", "Smallest number allowed"]),
        (f"{base}/questions/new?kind=grid", ["Un datganiad ar bob llinell", "Graddfa"], ["One statement on each line"]),
        (f"{base}/questions/new?kind=date", ["Pa ddyddiadau y gall pobl eu rhoi?"], ["Which dates can people give?"]),
        (f"{base}/edit", ["Golygu manylion yr arolwg", "Cadw atebion am (diwrnodau)", "Dyddiad agor"],
         ["Edit survey details", "Keep answers for", "Opening date"]),
        (f"{base}/new-wave", ["Rhedeg cylch newydd", "Enw'r cylch newydd", "Creu'r cylch newydd"],
         ["Run a new wave", "Name of the new wave"]),
        (f"{base}/versions", ["Ieithoedd a Hawdd ei Ddeall", "Cynigir fersiwn i deuluoedd"], ["Questions worded"]),
        (f"{base}/pages/1/routes", ["Llwybrau ar ôl tudalen 1", "Ychwanegu llwybr", "Os atebodd y teulu…"],
         ["Routing after page 1", "Add a route"]),
        (f"{base}/bank", ["Ychwanegu cwestiynau o'r banc"], ["Add questions from the bank"]),
        (f"{base}/history", ["Hanes cyd-ddylunio", "Beth ddigwyddodd"],
         ["Co-design history", "What happened"]),
    ]
    for path, welsh, english in pages:
        welsh_page(client, path + ("&" if "?" in path else "?") + "lang=cy", welsh, english)


def test_a_refusal_and_an_error_in_the_builder_are_in_the_language_chosen(client, auth):
    """The state machine's refusal (kept in English in the model) and a builder field's error
    reach staff in Welsh."""
    from .conftest import csrf_token

    survey, forum, lead, staff = make_co_designed_survey()
    auth.sign_in(staff.email)
    overview = client.get(f"/manage/surveys/{survey.id}?lang=cy")
    opened = client.post(f"/manage/surveys/{survey.id}/open", data={"override_reason": "", "csrf_token": csrf_token(overview.text)},
                         follow_redirects=True)
    shown = html.unescape(opened.text)
    assert "Rhaid i bob partner gymeradwyo yn gyntaf, neu rhowch reswm dros agor hebddynt" in shown
    assert "Every partner must sign off first" not in shown
    builder = client.get(f"/manage/surveys/{survey.id}/questions/new?kind=single_choice")
    sent = client.post(f"/manage/surveys/{survey.id}/questions/new",
                       data={"kind": "single_choice", "text": "", "page": "1", "csrf_token": csrf_token(builder.text)})
    shown = html.unescape(sent.text)
    assert "Rhowch y cwestiwn" in shown and "Rhowch o leiaf 2 opsiwn, un ar bob llinell" in shown



def test_a_welsh_results_page_gives_each_question_summary_in_welsh(client, auth):
    """A question's summary sentence and its answers are put in the reader's language where
    the page is shown, from the English the release stored; the first reader of a new
    release reading in Welsh does not leave its labels in Welsh for everyone else."""
    from .test_evidence import closed_wave

    staff = make_user(Role.STAFF)
    wave = closed_wave(staff, {"Norwich": 23, "Breckland": 3})
    auth.sign_in(staff.email)

    def summary(lang, number):
        page = html.unescape(client.get(f"/results/{wave.id}?lang={lang}").text)
        return re.search(rf'id="question-{number}-summary">([^<]*)<', page).group(1), page

    welsh, welsh_page = summary("cy", 4)  # this reader's visit makes the wave's first release
    english, english_page = summary("en", 4)
    assert english == "0 (0%) said yes. No answer: 26."
    assert welsh == "Dywedodd 0 (0%) ie. Dim ateb: 26."
    assert summary("cy", 7)[0] == "Atebodd 0 o 26 o bobl. Dim ateb: 26."
    assert summary("en", 7)[0] == "0 of 26 people answered. No answer: 26."

    def answer_row(label, page):
        return re.search(rf"<t[hd][^>]*>\s*{label}\s*</t[hd]>", page)

    assert answer_row("Yes", english_page) and not answer_row("Ie", english_page)
    assert answer_row("Ie", welsh_page)

"""No personal name a family wrote reaches anyone who is not a safeguarding lead: not the
comment pages, the safeguarding queue and its matches, the export, the CLI or an email.
One analysis path writes a TextAnalysis for every source; a disclosure gets help at once."""

import json
import re

import pytest
from sqlalchemy import select

from feedback.comments import services
from feedback.extensions import db
from feedback.models import (
    AuditEvent,
    Role,
    SafeguardingFlag,
    TextAnalysis,
    Theme,
)
from feedback.responses import services as responses

from ..conftest import csrf_token, make_user
from ..survey_factories import make_open_survey

NAMES = ("Gary", "Oluwaseun", "Siobhán", "Zuzanna Wójcik", "Mrs Okafor")
DISCLOSURE = ("my stepdad gary hits her when mum is out. Gary says nobody will believe her. "
              "Her brother Oluwaseun and Siobhán know, and Zuzanna Wójcik at school. Mrs Okafor said to write it here")
QUESTION = [dict(kind="free_text", text="Anything else you want to tell us?", page=1, max_length=2000)]


def leaks(text: str) -> list[str]:
    """Each name, or any single word of it, that appears in ``text`` in any case."""
    found = []
    for name in NAMES:
        for word in name.replace("Mrs ", "").split():
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE):
                found.append(word)
    return found


def submit(survey, text, client=None):
    response = responses.start_response(survey)
    question = survey.questions[0]
    responses.save_page(response, [question], {question.id: text})
    responses.submit_response(response.id)
    return response


@pytest.fixture
def survey(app):
    services.seed_taxonomy()
    return make_open_survey(questions=QUESTION)


@pytest.fixture
def disclosed(survey):
    response = submit(survey, DISCLOSURE)
    flag = db.session.scalar(select(SafeguardingFlag))
    assert flag is not None and "physical_abuse" in flag.category_list
    return response


def test_the_stored_analysis_and_flag_reasons_carry_no_name(disclosed):
    analysis = db.session.scalar(select(TextAnalysis))
    assert leaks(analysis.redacted_text) == []
    assert leaks(json.dumps(analysis.explanation)) == []


def test_staff_without_safeguarding_access_see_no_name_on_any_page(client, auth, disclosed, survey):
    auth.sign_in_as(Role.STAFF)
    analysis = db.session.scalar(select(TextAnalysis))
    for url in ("/safeguarding", "/manage/comments", f"/manage/comments/{analysis.id}",
                f"/results/{survey.id}/responses.csv"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert leaks(page.text) == [], url
    flag = db.session.scalar(select(SafeguardingFlag))
    assert client.get(f"/safeguarding/{flag.id}").status_code == 403


def test_the_export_of_responses_carries_no_name(disclosed, survey):
    from feedback.results.exports import anonymised_responses

    assert leaks("".join(anonymised_responses(survey.id))) == []


def test_the_cli_prints_no_name_unless_asked_for_the_text(runner):
    plain = runner.invoke(args=["analyse-text"], input=DISCLOSURE + "\nMrs Okafor never rang back\n")
    lines = [json.loads(line) for line in plain.output.splitlines()]
    assert len(lines) == 2 and lines[0]["safeguarding"]["flagged"]
    assert lines[0]["safeguarding"]["reasons"] and lines[0]["safeguarding"]["matches"]
    assert leaks(plain.output) == []
    assert "text" not in lines[0]
    with_text = runner.invoke(args=["analyse-text", "--include-text"], input=DISCLOSURE + "\n")
    assert json.loads(with_text.output)["text"] == DISCLOSURE


def test_no_email_carries_what_a_family_wrote(app, survey):
    sent = []

    class Recorder:
        def send(self, message):
            sent.append(message)

    app.extensions["mailer"] = Recorder()
    submit(survey, DISCLOSURE)
    assert all(leaks(f"{m.subject}\n{m.body}") == [] for m in sent)


def test_a_disclosure_shows_help_on_the_confirmation_page(client, survey):
    page = _answer_in_browser(client, survey, "she's been giving away all her things and wrote a goodbye letter")
    assert 'id="disclosure-help"' in page.text
    assert "0800 1111" in page.text and "999" in page.text
    assert "Ask someone to contact you" in page.text


def test_an_ordinary_answer_gets_no_help_panel(client, survey):
    page = _answer_in_browser(client, survey, "The caseworker never rang back")
    assert "Your answers have been sent" in page.text
    assert 'id="disclosure-help"' not in page.text


def test_help_shows_even_before_the_analysis_has_run(client, app, survey, monkeypatch):
    monkeypatch.setattr("feedback.jobs.analyse_response", lambda *a, **k: 0)
    page = _answer_in_browser(client, survey, "i dont want to go home, he'll be back tonight")
    assert db.session.scalar(select(TextAnalysis)) is None
    assert 'id="disclosure-help"' in page.text


def _answer_in_browser(client, survey, text):
    """Answer the one-question survey through the pages, as a family does."""
    page = client.get(f"/surveys/{survey.slug}")
    client.post(f"/surveys/{survey.slug}", data={"csrf_token": csrf_token(page.text)})
    question = survey.questions[0]
    page = client.get(f"/surveys/{survey.slug}/pages/1")
    client.post(f"/surveys/{survey.slug}/pages/1", data={f"q{question.id}": text, "csrf_token": csrf_token(page.text)})
    page = client.get(f"/surveys/{survey.slug}/about-you")
    client.post(f"/surveys/{survey.slug}/about-you", data={
        "respondent_type": "parent_carer", "locality": "Norwich", "child_age_band": "11-15",
        "csrf_token": csrf_token(page.text)})
    page = client.get(f"/surveys/{survey.slug}/check")
    sent = client.post(f"/surveys/{survey.slug}/submit", data={"csrf_token": csrf_token(page.text)})
    assert sent.headers["Location"].endswith("/confirmation")
    return client.get(sent.headers["Location"])


def test_staff_remove_a_fragment_by_hand_audited_and_kept_through_reanalysis(client, auth, survey):
    submit(survey, "The lady at the hub with the purple hair was brilliant")
    analysis = db.session.scalar(select(TextAnalysis))
    auth.sign_in_as(Role.STAFF)
    page = client.get(f"/manage/comments/{analysis.id}")
    reply = client.post(f"/manage/comments/{analysis.id}/redact",
                        data={"redact-fragment": "with the purple hair", "csrf_token": csrf_token(page.text)})
    assert reply.status_code == 302
    db.session.refresh(analysis)
    assert "purple" not in analysis.redacted_text and "[removed]" in analysis.redacted_text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "comments.fragment_redacted"))
    assert event is not None and "purple" not in json.dumps(event.detail)
    analysis.analyser_version = "old"
    db.session.commit()
    services.analyse_stale()
    db.session.refresh(analysis)
    assert "purple" not in analysis.redacted_text


def test_words_not_in_the_comment_are_refused(client, auth, survey):
    submit(survey, "All fine")
    analysis = db.session.scalar(select(TextAnalysis))
    auth.sign_in_as(Role.STAFF)
    page = client.get(f"/manage/comments/{analysis.id}")
    client.post(f"/manage/comments/{analysis.id}/redact", data={"redact-fragment": "nowhere here", "csrf_token": csrf_token(page.text)})
    assert "Enter words exactly as they appear" in client.get(f"/manage/comments/{analysis.id}").text


def test_ideas_and_their_comments_are_analysed_with_the_current_taxonomy(app):
    from feedback.ideas import services as ideas

    services.seed_taxonomy()
    services.save_theme(None, name="Swimming", description="Pools and swimming lessons", keywords=["swimming"],
                        phrases=[], active=True)
    author = make_user(Role.YOUTH_MEMBER, display_name="Kacper")
    app.config["IDEAS_PREMODERATION"] = False
    idea = ideas.submit_idea(author, "Free swimming", "Kacper says free swimming sessions for SEND teenagers", "Something else")
    stored = db.session.scalar(select(TextAnalysis).where(TextAnalysis.source_type == "idea", TextAnalysis.source_id == idea.id))
    assert stored is not None and "Swimming" in idea.themes.split(",")
    assert "Kacper" not in stored.redacted_text and "Kacper" not in idea.public_body
    swim = db.session.scalar(select(Theme).where(Theme.name == "Swimming"))
    assert swim.id in {a.theme_id for a in stored.themes}
    comment = ideas.add_comment(idea, make_user(Role.YOUTH_MEMBER, display_name="Ama"), "I want to die, nobody listens")
    flagged = db.session.scalar(select(SafeguardingFlag).where(SafeguardingFlag.source_type == "idea_comment",
                                                               SafeguardingFlag.source_id == comment.id))
    assert flagged is not None
    assert db.session.scalar(select(TextAnalysis).where(TextAnalysis.source_type == "idea_comment")).safeguarding_flagged


def test_staff_names_are_removed_from_ideas_too(app):
    from feedback.ideas import services as ideas

    services.add_redaction_name("Hethersett Woodside")
    app.config["IDEAS_PREMODERATION"] = False
    idea = ideas.submit_idea(make_user(Role.YOUTH_MEMBER, display_name="Jo"), "Quiet room",
                             "We need a quiet room at hethersett woodside", "Something else")
    assert "hethersett" not in idea.public_body.lower()


def test_the_safeguarding_queue_shows_survey_question_and_time(client, auth, disclosed, survey):
    auth.sign_in_as(Role.STAFF)
    page = client.get("/safeguarding").text
    assert survey.title in page and QUESTION[0]["text"] in page and "Sent " in page

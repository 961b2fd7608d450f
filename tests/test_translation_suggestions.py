"""Co-design partners suggest a version's wording (a question, an answer, the title); staff
accept it, and it becomes the version's words, or decline it with a reason. The co-design
history and the co-production log credit the group, as for suggestions in English."""

import re

from sqlalchemy import select

from feedback.extensions import db
from feedback.models import QuestionTranslation, Role, SurveyEvent, SurveyTranslation, WordingSuggestion

from .conftest import csrf_token, make_user
from .survey_factories import make_co_designed_survey


def suggest(client, survey, language, part, question=None, text="", reason=""):
    url = f"/co-design/{survey.id}/versions/{language}/suggest?part={part}" + (f"&question={question}" if question else "")
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return client.post(url, data={"csrf_token": csrf_token(page.text), "suggested_text": text, "reason": reason})


def test_partners_suggest_a_versions_wording_and_staff_accept_or_decline(client, auth):
    survey, forum, lead, staff = make_co_designed_survey()
    question = survey.questions[0]  # single choice: its answers are worded too
    auth.sign_in(lead.email)
    assert "The Cymraeg (Welsh) version" in client.get(f"/co-design/{survey.id}").text
    page = client.get(f"/co-design/{survey.id}/versions/cy").text
    assert question.text in page and "Suggest wording" in page
    refused = suggest(client, survey, "cy", "text", question.id, text=" ")
    assert refused.status_code == 400 and "Enter your suggested wording" in refused.text
    suggest(client, survey, "cy", "text", question.id, text="Sut hoffech chi glywed gennym ni?", reason="Plainer Welsh")
    suggest(client, survey, "cy", "option:Email", question.id, text="E-bost")
    suggest(client, survey, "cy", "title", text="Cyfathrebu gyda’r gwasanaeth")
    assert client.get(f"/co-design/{survey.id}/versions/cy/suggest?part=option:Fax&question={question.id}").status_code == 404
    text, option, title = db.session.scalars(select(WordingSuggestion).order_by(WordingSuggestion.id)).all()
    assert (text.language, text.organisation_id, option.part, title.question_id) == ("cy", forum.id, "option:Email", None)
    auth.sign_out()

    auth.sign_in(staff.email)
    page = client.get(f"/manage/surveys/{survey.id}/versions/cy").text
    assert "Suggestions from co-design partners" in page and "Sut hoffech chi glywed gennym ni?" in page
    token = csrf_token(page)
    for accepted in (text, option):
        done = client.post(f"/manage/surveys/{survey.id}/suggestions/{accepted.id}/accept", data={"csrf_token": token})
        assert done.headers["Location"].endswith(f"/manage/surveys/{survey.id}/versions/cy#suggestions")
    decline = client.get(f"/manage/surveys/{survey.id}/suggestions/{title.id}/decline")
    client.post(f"/manage/surveys/{survey.id}/suggestions/{title.id}/decline",
                data={"csrf_token": csrf_token(decline.text), "reason": "The title stays as the forum agreed it"})
    db.session.expire_all()
    row = db.session.scalar(select(QuestionTranslation).where(QuestionTranslation.question_id == question.id,
                                                              QuestionTranslation.language == "cy"))
    assert (row.text, row.option_labels) == ("Sut hoffech chi glywed gennym ni?", {"Email": "E-bost"})
    assert question.text == "How do you prefer to hear from us?", "the English stays as it was"
    head = db.session.scalar(select(SurveyTranslation).where(SurveyTranslation.survey_id == survey.id))
    assert head.title != "Cyfathrebu gyda’r gwasanaeth"
    # The staff form shows the accepted words as the version's.
    assert 'value="E-bost"' in client.get(f"/manage/surveys/{survey.id}/versions/cy").text
    # Credited in the co-design history and the co-production log.
    events = [e.description for e in db.session.scalars(select(SurveyEvent).where(SurveyEvent.survey_id == survey.id))]
    assert any("Accepted the Cymraeg (Welsh) wording ‘E-bost’ (credited to Family Voice Norfolk)" in e for e in events)
    evidence = client.get(f"/evidence/surveys/{survey.id}").text
    assert "Suggested wording for a version" in evidence
    assert re.search(r"The Cymraeg \(Welsh\) version now reads ‘E-bost’, credited to Family Voice Norfolk", evidence)
    assert "The title stays as the forum agreed it" in evidence
    auth.sign_out()
    auth.sign_in(lead.email)
    page = client.get(f"/co-design/{survey.id}/versions/cy").text
    assert "Accepted" in page and "Declined" in page and "The title stays as the forum agreed it" in page


def test_only_the_surveys_partners_and_staff_may_suggest_a_versions_wording(client, auth):
    survey, forum, lead, staff = make_co_designed_survey()
    auth.sign_in(make_user(Role.FORUM_MEMBER).email)
    assert client.get(f"/co-design/{survey.id}/versions/cy").status_code == 403
    assert client.get(f"/co-design/{survey.id}/versions/cy/suggest?part=title").status_code == 403
    auth.sign_out()
    auth.sign_in(lead.email)
    assert client.get(f"/co-design/{survey.id}/versions/xx").status_code == 404

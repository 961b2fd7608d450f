"""Co-design: partners comment and suggest wording, staff decide, leads sign off."""

import pytest

from feedback.extensions import db
from feedback.models import Role, SurveyStatus
from feedback.surveys import services

from .conftest import csrf_token, make_organisation, make_user
from .survey_factories import make_co_designed_survey


def test_partner_member_sees_the_draft_as_families_will(client, auth):
    survey, forum, lead, staff = make_co_designed_survey()
    auth.sign_in(lead.email)
    assert survey.title in client.get("/co-design/").text
    page = client.get(f"/co-design/{survey.id}")
    assert page.status_code == 200
    for question in survey.questions:
        assert question.text in page.text
    assert 'type="radio"' in page.text and 'type="checkbox"' in page.text and "<textarea" in page.text


def test_members_of_other_groups_cannot_see_the_draft(client, auth):
    survey, *_ = make_co_designed_survey()
    other = make_organisation("SENsational Families", "parent_group")
    outsider = make_user(Role.FORUM_MEMBER, organisation=other, membership="lead")
    auth.sign_in(outsider.email)
    assert survey.title not in client.get("/co-design/").text
    assert client.get(f"/co-design/{survey.id}").status_code == 403
    assert client.get(f"/co-design/{survey.id}/history").status_code == 403


def test_forum_member_comments_and_suggests_wording(client, auth):
    survey, forum, lead, staff = make_co_designed_survey()
    question = survey.questions[2]
    auth.sign_in(lead.email)
    page = client.get(f"/co-design/{survey.id}/comments?question={question.id}")
    client.post(f"/co-design/{survey.id}/comments?question={question.id}",
                data={"body": "Parents may not know what 'listened to' means here", "csrf_token": csrf_token(page.text)})
    page = client.get(f"/co-design/{survey.id}/questions/{question.id}/suggest")
    assert f'value="{question.text}"' in page.text
    client.post(f"/co-design/{survey.id}/questions/{question.id}/suggest",
                data={"suggested_text": "I feel the SEND team listens to me", "reason": "Plainer", "csrf_token": csrf_token(page.text)})
    page = client.get(f"/co-design/{survey.id}")
    assert "Parents may not know" in page.text
    assert "I feel the SEND team listens to me" in page.text and "Waiting" in page.text


def test_empty_comment_shows_an_error(client, auth):
    survey, forum, lead, staff = make_co_designed_survey()
    auth.sign_in(lead.email)
    page = client.get(f"/co-design/{survey.id}/comments")
    response = client.post(f"/co-design/{survey.id}/comments", data={"body": " ", "csrf_token": csrf_token(page.text)})
    assert "Enter your comment" in response.text


def test_staff_accept_one_suggestion_and_decline_another_with_a_reason(client, auth):
    survey, forum, lead, staff = make_co_designed_survey()
    first, second = survey.questions[2], survey.questions[3]
    keep = services.suggest_wording(survey, lead, first, "I feel the SEND team listens to me", "")
    drop = services.suggest_wording(survey, lead, second, "Did anyone ever reply?", "")
    auth.sign_in(staff.email)
    token = csrf_token(client.get(f"/manage/surveys/{survey.id}").text)
    client.post(f"/manage/surveys/{survey.id}/suggestions/{keep.id}/accept", data={"csrf_token": token})
    page = client.get(f"/manage/surveys/{survey.id}/suggestions/{drop.id}/decline")
    response = client.post(f"/manage/surveys/{survey.id}/suggestions/{drop.id}/decline", data={"reason": "", "csrf_token": csrf_token(page.text)})
    assert "Give a reason the group can see" in response.text
    client.post(f"/manage/surveys/{survey.id}/suggestions/{drop.id}/decline",
                data={"reason": "We need the yes/no wording to compare with last year", "csrf_token": csrf_token(page.text)})
    db.session.expire_all()
    assert first.text == "I feel the SEND team listens to me"
    assert first.credited_organisation_id == forum.id
    assert second.text == "Did you get a reply?"
    auth.sign_out()
    auth.sign_in(lead.email)
    partner_page = client.get(f"/co-design/{survey.id}").text
    assert "We need the yes/no wording to compare with last year" in partner_page
    history = client.get(f"/co-design/{survey.id}/history").text
    assert "Accepted rewording" in history and "credited to Family Voice Norfolk" in history


def test_a_suggestion_is_decided_only_once(app):
    survey, forum, lead, staff = make_co_designed_survey()
    suggestion = services.suggest_wording(survey, lead, survey.questions[0], "New words", "")
    services.decline_suggestion(suggestion, staff, "No")
    with pytest.raises(services.AlreadyDecided):
        services.accept_suggestion(suggestion, staff)


def test_comments_can_be_answered_and_resolved(client, auth):
    survey, forum, lead, staff = make_co_designed_survey()
    comment = services.add_comment(survey, lead, "Can we add an easy read version?")
    auth.sign_in(staff.email)
    page = client.get(f"/co-design/{survey.id}/comments?reply_to={comment.id}")
    client.post(f"/co-design/{survey.id}/comments?reply_to={comment.id}",
                data={"body": "Yes, we will make one before it opens", "csrf_token": csrf_token(page.text)})
    client.post(f"/co-design/{survey.id}/comments/{comment.id}/resolve", data={"csrf_token": csrf_token(page.text)})
    overview = client.get(f"/manage/surveys/{survey.id}").text
    assert "Yes, we will make one before it opens" in overview and "Resolved" in overview


def test_every_partner_lead_signs_off_then_the_survey_is_ready_and_opens(client, auth):
    survey, forum, lead, staff = make_co_designed_survey()
    youth = make_organisation("Norfolk Youth Forum", "youth_forum")
    youth_lead = make_user(Role.YOUTH_MEMBER, organisation=youth, membership="lead")
    services.invite_partner(survey, staff, youth)
    member = make_user(Role.FORUM_MEMBER, organisation=forum, membership="member")
    auth.sign_in(member.email)
    page = client.get(f"/co-design/{survey.id}")
    assert "Sign off for" not in page.text
    assert client.post(f"/co-design/{survey.id}/sign-off/{forum.id}", data={"csrf_token": csrf_token(page.text)}).status_code == 403
    auth.sign_out()
    for person, organisation in ((lead, forum), (youth_lead, youth)):
        auth.sign_in(person.email)
        page = client.get(f"/co-design/{survey.id}")
        assert f"Sign off for {organisation.name}" in page.text
        client.post(f"/co-design/{survey.id}/sign-off/{organisation.id}", data={"csrf_token": csrf_token(page.text)})
        auth.sign_out()
    db.session.expire_all()
    assert survey.status == SurveyStatus.READY
    services.open_survey(survey, staff)
    start = client.get(f"/surveys/{survey.slug}").text
    assert "Designed with Family Voice Norfolk and Norfolk Youth Forum" in start


def test_editing_a_question_after_sign_off_asks_partners_again(app):
    survey, forum, lead, staff = make_co_designed_survey()
    services.sign_off(survey, lead, forum)
    assert survey.status == SurveyStatus.READY
    services.update_question(survey.questions[0], staff, text="How should we contact you?")
    assert survey.status == SurveyStatus.CO_DESIGN
    assert survey.partners[0].signed_off_at is None
    assert any(e.kind == "sign_offs_reset" for e in survey.events)


def test_a_lead_cannot_sign_off_twice(app):
    survey, forum, lead, staff = make_co_designed_survey()
    other = make_organisation("SENsational Families", "parent_group")
    services.invite_partner(survey, staff, other)
    services.sign_off(survey, lead, forum)
    with pytest.raises(services.AlreadySignedOff):
        services.sign_off(survey, lead, forum)


def test_a_suggestion_reads_as_a_sentence_with_the_quoted_words_as_written():
    from feedback.models import SuggestionTarget, WordingSuggestion

    rewording = WordingSuggestion(target=SuggestionTarget.QUESTION, original_text="how was it?",
                                  suggested_text="how did it go?")
    assert rewording.change_sentence == "Rewording ‘how was it?’ as ‘how did it go?’"
    in_welsh = WordingSuggestion(language="cy", original_text="", suggested_text="sut aeth hi?")
    assert in_welsh.change_sentence == "The wording ‘sut aeth hi?’ in the cy version"

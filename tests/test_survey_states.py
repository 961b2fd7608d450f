"""Survey states: one state machine, its refusals, the overview per state, and waves that
open and close at their dates (with a reminder to staff the day before closing)."""

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Role, Survey, SurveyEvent, SurveyStatus
from feedback.models import surveys as survey_models
from feedback.surveys import services

from .conftest import make_organisation, make_user
from .survey_factories import make_co_designed_survey, make_open_survey, make_survey

FEEDBACK = Path(__file__).resolve().parent.parent / "feedback"
NOW = datetime(2027, 3, 10, 9, 0, tzinfo=timezone.utc)


def test_survey_status_is_assigned_only_inside_the_state_machine():
    assignment = re.compile(r"\.status\s*=[^=]|setattr\([^)]*[\"']status[\"']|update\(Survey\)")
    found = []
    for path in FEEDBACK.rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if assignment.search(line):
                found.append((path.relative_to(FEEDBACK).as_posix(), line.strip()))
    on_surveys = [(path, line) for path, line in found
                  if path == "models/surveys.py" or re.search(r"(survey|wave)\w*\.status\s*=", line)]
    assert on_surveys == [("models/surveys.py", "self.status = TRANSITIONS[transition][1]")]
    # The check can fail: it sees the other models' assignments it lets through.
    assert any("suggestion.status" in line for _, line in found)


def test_every_next_step_is_a_transition_from_that_state():
    for status, steps in survey_models.NEXT_STEPS.items():
        for step in steps:
            assert status in survey_models.TRANSITIONS[step][0], (status, step)
    assert set(survey_models.NEXT_STEPS) == set(SurveyStatus)


@pytest.mark.parametrize("step, error", [
    (lambda s, u: services.send_for_co_design(s, u), survey_models.NoPartners),
    (lambda s, u: services.close_survey(s, u), survey_models.SurveyNotOpen),
    (lambda s, u: services.archive_survey(s, u), survey_models.SurveyNotClosed),
    (lambda s, u: services.open_survey(s, u), survey_models.NotAllSignedOff),
])
def test_each_refusal_has_its_own_error_and_leaves_the_draft_as_it_was(app, step, error):
    staff = make_user(Role.STAFF)
    survey = make_survey(staff)
    events = len(survey.events)
    with pytest.raises(error) as raised:
        step(survey, staff)
    assert isinstance(raised.value, services.InvalidTransition)
    db.session.rollback()
    assert survey.status == SurveyStatus.DRAFT and len(survey.events) == events


def test_a_draft_without_questions_is_not_sent_and_stays_a_draft(app):
    staff = make_user(Role.STAFF)
    survey = make_survey(staff, questions=[])
    services.invite_partner(survey, staff, make_organisation())
    with pytest.raises(survey_models.NoQuestions):
        services.send_for_co_design(survey, staff)
    assert survey.status == SurveyStatus.DRAFT


def test_an_open_survey_cannot_be_opened_again(app):
    survey = make_open_survey()
    with pytest.raises(survey_models.SurveyNotReady, match="open cannot be opened"):
        services.open_survey(survey, None, override_reason="again")


def test_sign_off_moves_to_ready_and_an_edit_or_new_partner_goes_back_to_co_design(app):
    survey, forum, lead, staff = make_co_designed_survey()
    services.sign_off(survey, lead, forum)
    assert survey.status == SurveyStatus.READY and survey.next_steps() == ("open",)
    services.update_question(survey.questions[0], staff, text="Reworded")
    assert survey.status == SurveyStatus.CO_DESIGN
    services.sign_off(survey, lead, forum)
    services.invite_partner(survey, staff, make_organisation("Norfolk Youth Forum", "youth_forum"))
    assert survey.status == SurveyStatus.CO_DESIGN


@pytest.mark.parametrize("status, shown, hidden", [
    ("draft", ["Send for co-design", "Open without every sign-off"], ["Close the survey", "Archive"]),
    ("open", ["Close the survey", "Short link"], ["Send for co-design", "Archive"]),
    ("closed", ["Archive", "Closed on"], ["Close the survey", "Open without every sign-off"]),
    ("archived", ["Archived after closing"], ["Archive<", "Close the survey"]),
])
def test_the_overview_offers_what_can_be_done_next_in_each_state(client, auth, status, shown, hidden):
    staff = auth.sign_in_as(Role.STAFF)
    survey = make_survey(staff)
    if status != "draft":
        services.open_survey(survey, staff, override_reason="Testing")
    if status in ("closed", "archived"):
        services.close_survey(survey, staff)
    if status == "archived":
        services.archive_survey(survey, staff)
    page = client.get(f"/manage/surveys/{survey.id}").get_data(as_text=True)
    for text in shown:
        assert text in page
    for text in hidden:
        assert text not in page


def test_a_ready_survey_says_when_it_opens_and_closes(client, auth):
    staff = auth.sign_in_as(Role.STAFF)
    survey, forum, lead, _ = make_co_designed_survey(staff)
    services.sign_off(survey, lead, forum)
    page = client.get(f"/manage/surveys/{survey.id}").get_data(as_text=True)
    closes = survey.closes_at.astimezone(timezone.utc).strftime("%B %Y")
    assert "opens by itself on" in page and "closes on" in page and closes in page


# Scheduled opening and closing

class Outbox:
    def __init__(self):
        self.sent = []

    def send(self, message):
        self.sent.append(message)


@pytest.fixture
def outbox(app):
    box = Outbox()
    app.extensions["mailer"] = box
    yield box
    app.extensions.pop("mailer", None)


def ready_wave(opens_at, closes_at, staff=None):
    survey, forum, lead, staff = make_co_designed_survey(staff)
    services.update_survey(survey, staff, **{name: getattr(survey, name) for name in services.SURVEY_FIELDS
                                             if name not in ("opens_at", "closes_at")},
                           opens_at=opens_at, closes_at=closes_at)
    services.sign_off(survey, lead, forum)
    assert survey.status == SurveyStatus.READY
    return survey, staff


def test_a_ready_wave_opens_at_its_opening_date_and_closes_at_its_closing_date(app, outbox):
    survey, staff = ready_wave(NOW + timedelta(hours=1), NOW + timedelta(days=5))
    assert services.open_and_close_due(NOW).opened == []
    assert survey.status == SurveyStatus.READY

    run = services.open_and_close_due(NOW + timedelta(hours=1))
    assert run.opened == [survey.id] and survey.status == SurveyStatus.OPEN
    assert services.open_and_close_due(NOW + timedelta(hours=2)).opened == []  # idempotent

    run = services.open_and_close_due(NOW + timedelta(days=5, minutes=1))
    assert run.closed == [survey.id] and survey.status == SurveyStatus.CLOSED
    assert survey.closes_at == NOW + timedelta(days=5)  # the date it closed at is kept
    again = services.open_and_close_due(NOW + timedelta(days=6))
    assert again.opened == again.closed == again.reminded == []
    kinds = [e.kind for e in db.session.scalars(select(SurveyEvent).where(SurveyEvent.survey_id == survey.id))]
    assert kinds.count("opened") == 1 and kinds.count("closed") == 1
    opened = next(e for e in survey.events if e.kind == "opened")
    assert opened.actor_id is None and "opening date" in opened.description


def test_drafts_and_waves_in_co_design_are_not_opened_by_the_schedule(app):
    staff = make_user(Role.STAFF)
    draft = make_survey(staff, opens_at=NOW - timedelta(days=1), closes_at=NOW + timedelta(days=5))
    waiting, *_ = make_co_designed_survey(staff)
    run = services.open_and_close_due(NOW)
    assert run.opened == [] and draft.status == SurveyStatus.DRAFT and waiting.status == SurveyStatus.CO_DESIGN


def test_a_ready_wave_whose_closing_date_has_passed_is_not_opened(app):
    survey, _ = ready_wave(NOW - timedelta(days=10), NOW - timedelta(days=1))
    assert services.open_and_close_due(NOW).opened == [] and survey.status == SurveyStatus.READY


def test_an_open_wave_before_its_opening_date_is_left_open(app):
    survey = make_open_survey(opens_at=NOW + timedelta(days=1), closes_at=NOW + timedelta(days=9))
    run = services.open_and_close_due(NOW)
    assert run.closed == [] and survey.status == SurveyStatus.OPEN


def test_staff_are_reminded_once_the_day_before_a_wave_closes(app, outbox):
    staff = make_user(Role.STAFF, email="owner@example.org")
    survey = make_open_survey(staff, opens_at=NOW - timedelta(days=9), closes_at=NOW + timedelta(days=2))
    assert services.open_and_close_due(NOW).reminded == [] and outbox.sent == []

    day_before = NOW + timedelta(days=1, hours=1)
    assert services.open_and_close_due(day_before).reminded == [survey.id]
    assert services.open_and_close_due(day_before + timedelta(hours=1)).reminded == []
    assert [m.to for m in outbox.sent] == ["owner@example.org"]
    assert survey.title in outbox.sent[0].subject and "closes on" in outbox.sent[0].body
    assert sum(e.kind == "closing_reminder" for e in survey.events) == 1
    services.open_and_close_due(NOW + timedelta(days=3))
    assert survey.status == SurveyStatus.CLOSED and len(outbox.sent) == 1


def test_the_reminder_goes_to_admins_when_the_wave_creator_has_left(app, outbox):
    staff = make_user(Role.STAFF)
    admin = make_user(Role.ADMIN, email="admin2@example.org")
    make_user(Role.ADMIN, email="gone@example.org", active=False)
    survey = make_open_survey(staff, opens_at=NOW - timedelta(days=9), closes_at=NOW + timedelta(hours=5))
    staff.active = False
    db.session.commit()
    services.open_and_close_due(NOW)
    assert [m.to for m in outbox.sent] == [admin.email]


def test_the_open_close_due_command_reports_what_it_did(app, runner):
    survey, _ = ready_wave(NOW - timedelta(hours=1), NOW + timedelta(days=5))
    result = runner.invoke(args=["open-close-due", "--now", "2027-03-10T09:00"])
    assert result.exit_code == 0, result.output
    assert "Opened 1, closed 0" in result.output
    db.session.expire_all()
    assert db.session.get(Survey, survey.id).status == SurveyStatus.OPEN
    assert "Opened 0, closed 0" in runner.invoke(args=["open-close-due", "--now", "2027-03-10T09:05"]).output


def test_a_wave_that_cannot_open_does_not_stop_the_others(app, outbox):
    fine, staff = ready_wave(NOW - timedelta(hours=1), NOW + timedelta(days=5))
    broken = services.new_wave(fine, staff, "Spring 2027", NOW - timedelta(hours=1), NOW + timedelta(days=5))
    for question in list(broken.questions):
        broken.questions.remove(question)  # a ready wave left without questions
    partner = broken.partners[0]
    lead = next(m.user for m in partner.organisation.memberships if m.role == "lead")
    services.sign_off(broken, lead, partner.organisation)
    assert broken.status == SurveyStatus.READY and not broken.questions
    run = services.open_and_close_due(NOW)
    assert run.opened == [fine.id]
    assert broken.status == SurveyStatus.READY and fine.status == SurveyStatus.OPEN


def test_a_mail_server_that_is_down_does_not_stop_the_run_and_the_reminder_is_not_repeated(app):
    class Down:
        def send(self, message):
            raise OSError("connection refused")

    app.extensions["mailer"] = Down()
    try:
        survey = make_open_survey(opens_at=NOW - timedelta(days=9), closes_at=NOW + timedelta(hours=3))
        closing = make_open_survey(opens_at=NOW - timedelta(days=9), closes_at=NOW - timedelta(minutes=1))
        run = services.open_and_close_due(NOW)
        assert run.reminded == [survey.id] and run.closed == [closing.id]
        assert services.open_and_close_due(NOW + timedelta(minutes=5)).reminded == []
    finally:
        app.extensions.pop("mailer", None)

"""The co-production log: for every survey and wave, which partner groups took part, when,
what they commented and suggested, what was accepted (with credit) or declined (with the
reason), sign-offs and overrides, read from the co-design records; and co-production that
happened off the platform. Groups are credited, never the people in them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import (
    Activity,
    CoDesignPartner,
    DesignComment,
    Lundy,
    Organisation,
    Stage,
    SuggestionStatus,
    Survey,
    SurveyEvent,
    SurveyParticipation,
    WordingSuggestion,
)
from ..models.evidence import activity_group
from ..surveys.translations import version_name


class EvidenceError(Exception):
    """A rule about evidence was broken; the message is safe to show (in the page's language),
    `field` the form field it is about ("" for none in particular)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


@dataclass
class Entry:
    """One dated thing a group did. `words` are the group's own words (a comment), shown on
    the log pages to staff and to that group only; the evidence pack leaves them out."""

    when: datetime | date
    group: str
    what: str
    detail: str = ""
    words: str = ""

    @property
    def day(self) -> date:
        return self.when.date() if isinstance(self.when, datetime) else self.when


@dataclass
class SurveyLog:
    survey: Survey
    stage: Stage
    stage_set_by_staff: bool
    lundy: list[Lundy]
    note: str
    groups: list[str]
    entries: list[Entry] = field(default_factory=list)
    comments: dict[str, int] = field(default_factory=dict)
    accepted: int = 0
    declined: int = 0


def visible_groups(user) -> set[int] | None:
    """Organisations whose log entries this person may see; None means all (staff)."""
    if user.is_staff:
        return None
    return {m.organisation_id for m in user.memberships}


def can_view_survey_log(user, survey: Survey) -> bool:
    groups = visible_groups(user)
    return groups is None or any(p.organisation_id in groups for p in survey.partners)


def suggested_stage(survey: Survey, comments: int, suggestions: int) -> Stage:
    """The stage the co-design records show: partners who signed the survey off decided it with
    the council; partners who commented or suggested shaped it; partners only invited were
    consulted; a survey without partners only informed."""
    if survey.partners and all(p.signed_off_at for p in survey.partners):
        return Stage.CO_PRODUCTION
    if comments or suggestions:
        return Stage.PARTICIPATION
    if survey.partners:
        return Stage.CONSULTATION
    return Stage.INFORMATION


def _in(when, start: date | None, end: date | None) -> bool:
    day = when.date() if isinstance(when, datetime) else when
    return (start is None or day >= start) and (end is None or day <= end)


def survey_log(survey: Survey, groups: set[int] | None = None, start: date | None = None,
               end: date | None = None) -> SurveyLog:
    """The log of one survey's co-design, limited to `groups` (None: every group) and to the
    period from `start` to `end` (inclusive; None: open-ended)."""

    def shown(organisation_id) -> bool:
        return groups is None or organisation_id in groups

    def made(model) -> list:
        """The survey's design comments or wording suggestions, in the order they were made."""
        return db.session.scalars(select(model).where(model.survey_id == survey.id).order_by(model.created_at)).all()

    def by_shown_groups(rows) -> list:
        return [row for row in rows if row.organisation is not None and shown(row.organisation_id)]

    entries: list[Entry] = []
    partners = [p for p in survey.partners if shown(p.organisation_id)]
    for partner in partners:
        name = partner.organisation.name
        entries.append(Entry(partner.invited_at, name, _("Invited to co-design")))
        if partner.signed_off_at:
            entries.append(Entry(partner.signed_off_at, name, _("Signed off the survey")))

    comments: dict[str, int] = {}
    all_comments = made(DesignComment)
    for comment in by_shown_groups(all_comments):
        where = _("on ‘%(question)s’", question=comment.question.text) if comment.question else _("on the survey")
        entries.append(Entry(comment.created_at, comment.organisation.name,
                             _("Replied") if comment.parent_id else _("Commented"), where, words=comment.body))
        comments[comment.organisation.name] = comments.get(comment.organisation.name, 0) + 1

    accepted = declined = 0
    all_suggestions = made(WordingSuggestion)
    for suggestion in by_shown_groups(all_suggestions):
        name = suggestion.organisation.name
        version = version_name(suggestion.language) if suggestion.language else ""
        change = (f"{version}: ‘{suggestion.suggested_text}’" if version
                  else suggestion.change_sentence)
        entries.append(Entry(suggestion.created_at, name,
                             _("Suggested wording for a version") if version else _("Suggested a change"), change))
        if suggestion.status == SuggestionStatus.ACCEPTED:
            accepted += 1
            entries.append(Entry(suggestion.decided_at or suggestion.created_at, name, _("Suggestion accepted"),
                                 _("The %(version)s version now reads ‘%(text)s’, credited to %(group)s",
                                   version=version, text=suggestion.suggested_text, group=name)
                                 if version else _("%(change)s: made, credited to %(group)s", change=change, group=name)))
        elif suggestion.status == SuggestionStatus.DECLINED:
            declined += 1
            entries.append(Entry(suggestion.decided_at or suggestion.created_at, name, _("Suggestion declined"),
                                 _("Reason given: %(reason)s", reason=suggestion.decision_reason or _("none recorded"))))

    partner_ids = {p.organisation_id for p in survey.partners}
    if groups is None or partner_ids & groups:
        overrides = db.session.scalars(
            select(SurveyEvent).where(SurveyEvent.survey_id == survey.id, SurveyEvent.kind == "override")
        ).all()
        missing = ", ".join(sorted(p.organisation.name for p in survey.partners if not p.signed_off_at)) or _("any partner")
        for event in overrides:
            entries.append(Entry(event.created_at, missing, _("Opened without sign-off"),
                                 _("Reason given: %(reason)s", reason=survey.override_reason or _("none recorded"))))

    entries = sorted((e for e in entries if _in(e.when, start, end)), key=lambda e: (e.day, e.what))
    setting = db.session.get(SurveyParticipation, survey.id)
    suggestions = sum(1 for s in all_suggestions if s.organisation_id is not None)
    if setting is not None:
        stage, lundy, note = Stage(setting.stage), [Lundy(v) for v in setting.lundy], setting.note
    else:
        stage, lundy, note = suggested_stage(survey, len(all_comments), suggestions), [], ""
    return SurveyLog(survey=survey, stage=stage, stage_set_by_staff=setting is not None, lundy=lundy, note=note,
                     groups=sorted(p.organisation.name for p in partners), entries=entries,
                     comments=comments, accepted=accepted, declined=declined)


def logged_surveys(groups: set[int] | None = None) -> list[Survey]:
    """Surveys with co-design partners (those of `groups` only, when given), newest first."""
    query = select(Survey).where(Survey.id.in_(select(CoDesignPartner.survey_id)))
    if groups is not None:
        query = query.where(Survey.id.in_(
            select(CoDesignPartner.survey_id).where(CoDesignPartner.organisation_id.in_(groups or [-1]))))
    return list(db.session.scalars(query.order_by(Survey.opens_at.desc(), Survey.title)))


def survey_logs(groups: set[int] | None = None, start: date | None = None, end: date | None = None) -> list[SurveyLog]:
    """Every survey's log; with a period, only surveys with something logged in it."""
    logs = [survey_log(s, groups, start, end) for s in logged_surveys(groups)]
    if start is not None or end is not None:
        logs = [log for log in logs if log.entries]
    return logs


def activities(groups: set[int] | None = None, start: date | None = None, end: date | None = None) -> list[Activity]:
    query = select(Activity)
    if groups is not None:
        query = query.where(Activity.id.in_(
            select(activity_group.c.activity_id).where(activity_group.c.organisation_id.in_(groups or [-1]))))
    if start is not None:
        query = query.where(Activity.happened_on >= start)
    if end is not None:
        query = query.where(Activity.happened_on <= end)
    return list(db.session.scalars(query.order_by(Activity.happened_on.desc(), Activity.id.desc())))


def group_choices() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


def save_activity(user, activity: Activity | None, *, title: str, happened_on: date, stage: str, lundy: list[str],
                  outcome: str, group_ids: list[int], survey_id: int | None = None) -> Activity:
    """Record (or change) co-production that happened off the platform, in one transaction."""
    if not group_ids:
        raise EvidenceError(_("Choose at least one group that took part"), field="groups")
    groups = list(db.session.scalars(select(Organisation).where(Organisation.id.in_(group_ids))))
    if len(groups) != len(set(group_ids)):
        raise EvidenceError(_("Choose groups from the list"), field="groups")
    if happened_on > date.today():
        raise EvidenceError(_("The date must be today or in the past"), field="happened_on")
    if activity is None:
        activity = Activity(created_by_id=user.id)
        db.session.add(activity)
    activity.title, activity.happened_on, activity.outcome = title, happened_on, outcome
    activity.stage, activity.lundy = Stage(stage).value, [Lundy(v).value for v in lundy]
    activity.groups, activity.survey_id = groups, survey_id
    db.session.commit()
    return activity


def set_participation(user, survey: Survey, *, stage: str, lundy: list[str], note: str) -> SurveyParticipation:
    setting = db.session.get(SurveyParticipation, survey.id)
    if setting is None:
        setting = SurveyParticipation(survey_id=survey.id)
        db.session.add(setting)
    setting.stage, setting.lundy, setting.note = Stage(stage).value, [Lundy(v).value for v in lundy], note
    setting.updated_by_id = user.id
    db.session.commit()
    return setting


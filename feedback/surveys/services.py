"""Survey use cases: building, co-design, sign-off and the life cycle. The only writers.

Life cycle (the state machine is `models.surveys.Survey` and its TRANSITIONS table):
draft -> co_design -> ready -> open -> closed -> archived. A survey opens only when every
co-design partner has signed off, or when staff override with a recorded reason. Editing a
question after sign-off, or inviting a partner to a ready survey, asks the partners again
(back to co_design); a new wave with partners starts in co_design. Waves open and close
at their dates through `open_and_close_due` (the `open-close-due` command).
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from ..accounts.mail import Message, get_mailer
from ..extensions import db
from ..models import (
    BankQuestion,
    CoDesignPartner,
    DesignComment,
    Invitation,
    Organisation,
    PageRoute,
    Question,
    Role,
    Survey,
    SurveyEvent,
    SurveyStatus,
    SuggestionStatus,
    SuggestionTarget,
    User,
    WordingSuggestion,
)
from ..models.base import utcnow
from ..models.surveys import (  # noqa: F401  (the domain errors, raised here and by the state machine)
    EDITABLE_STATUSES as EDITABLE,
    AlreadyDecided,
    AlreadySignedOff,
    InvalidTransition,
    NotAllSignedOff,
    NotEditable,
    NotPartnerLead,
    NotWaitingForSignOff,
    SurveyError,
)
from ..text import slugify
from ..notifications import events as partner_notices
from ..webhooks.services import emit_event
from . import routing
from .kinds import kind_of

CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def record_event(survey: Survey, actor: User | None, kind: str, description: str, organisation=None):
    db.session.add(
        SurveyEvent(survey=survey, actor=actor, kind=kind, description=description, organisation=organisation)
    )


def _unique_slug(title: str, wave_label: str) -> str:
    base = slugify(f"{title} {wave_label}", max_length=90)
    slug, n = base, 2
    while db.session.scalar(select(Survey.id).where(Survey.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _unique_short_code() -> str:
    while True:
        code = random_code(6)
        if db.session.scalar(select(Survey.id).where(Survey.short_code == code)) is None:
            return code


SURVEY_FIELDS = (
    "title", "purpose", "audience", "service_area", "wave_label", "opens_at", "closes_at",
    "anonymous", "privacy_text", "estimated_minutes", "retention_days",
)


def said(error: Exception) -> str:
    """A refusal's message in the reader's language: the state machine's and routing's are
    kept in English (N_, with their values in `params`), the services' are translated when
    raised (and come back unchanged)."""
    return _(getattr(error, "message", None) or str(error), **getattr(error, "params", {}))


def _check_dates(opens_at: datetime, closes_at: datetime):
    if closes_at <= opens_at:
        raise SurveyError(_("The closing date must be after the opening date"))


def create_survey(user: User, **fields) -> Survey:
    _check_dates(fields["opens_at"], fields["closes_at"])
    survey = Survey(
        slug=_unique_slug(fields["title"], fields["wave_label"]),
        short_code=_unique_short_code(),
        created_by=user,
        **{name: fields[name] for name in SURVEY_FIELDS},
    )
    survey.series_key = survey.slug
    db.session.add(survey)
    record_event(survey, user, "created", f"Survey created as a draft ({survey.wave_label})")
    db.session.commit()
    return survey


def update_survey(survey: Survey, user: User, **fields) -> None:
    if survey.status in (SurveyStatus.CLOSED, SurveyStatus.ARCHIVED):
        raise NotEditable(_("A closed survey cannot be changed"))
    _check_dates(fields["opens_at"], fields["closes_at"])
    for name in SURVEY_FIELDS:
        setattr(survey, name, fields[name])
    record_event(survey, user, "details_edited", "Survey details changed")
    db.session.commit()


def _require_editable(survey: Survey, message: str | None = None):
    if not survey.is_editable:
        raise NotEditable(message or _("Questions cannot be changed once a survey has opened"))


def _ask_partners_again(survey: Survey, user: User, what: str):
    """A change after any sign-off: clear sign-offs so every partner checks again."""
    signed = [p for p in survey.partners if p.signed_off_at is not None]
    if not signed:
        return
    for partner in signed:
        partner.signed_off_at = None
        partner.signed_off_by = None
    survey.ask_partners_again()
    record_event(survey, user, "sign_offs_reset", f"Partners asked to sign off again after: {what}")
    partner_notices.sign_off_cleared(survey, [p.organisation for p in signed], what)


QUESTION_FIELDS = (
    "kind", "text", "hint", "required", "options", "allow_dont_know", "allow_prefer_not",
    "max_length", "min_value", "max_value", "settings", "dimensions", "page", "show_when",
)


def _pages(survey: Survey, leaving_out: Question | None = None) -> dict[int, int]:
    return {q.id: q.page for q in survey.questions if q is not leaving_out and q.id is not None}


def _check_show_when(survey: Survey, question: Question | None, fields: dict) -> None:
    """Routing is checked before anything is written: a refusal is a SurveyError to show."""
    if "show_when" not in fields:
        return
    page = fields.get("page", question.page if question is not None else 1)
    try:
        routing.check_show_when(routing.Rule.read(fields["show_when"]), page, _pages(survey, question))
    except routing.RoutingError as error:
        raise SurveyError(said(error)) from None


def add_question(survey: Survey, user: User, **fields) -> Question:
    _require_editable(survey)
    _check_show_when(survey, None, fields)
    position = (max((q.position for q in survey.questions), default=0)) + 1
    question = Question(position=position, **{name: fields.get(name) for name in QUESTION_FIELDS if name in fields})
    survey.questions.append(question)
    record_event(survey, user, "question_added", f"Question added: ‘{question.text}’")
    _ask_partners_again(survey, user, f"question ‘{question.text}’ was added")
    db.session.commit()
    return question


def update_question(question: Question, user: User, **fields) -> None:
    survey = question.survey
    _require_editable(survey)
    _check_show_when(survey, question, fields)
    before = question.text
    for name in QUESTION_FIELDS:
        if name in fields:
            setattr(question, name, fields[name])
    description = (
        f"Question reworded from ‘{before}’ to ‘{question.text}’" if before != question.text
        else f"Question ‘{question.text}’ edited"
    )
    record_event(survey, user, "question_edited", description)
    _ask_partners_again(survey, user, description)
    db.session.commit()


def delete_question(question: Question, user: User) -> None:
    survey = question.survey
    _require_editable(survey)
    for other in survey.questions:
        other.show_when = routing.without_question(other.show_when, question.id)
    for route in list(survey.routes):
        route.conditions = (routing.without_question({"match": route.match, "conditions": route.conditions},
                                                     question.id) or {}).get("conditions", [])
        if not route.conditions:
            survey.routes.remove(route)
    survey.questions.remove(question)
    _renumber(survey)
    record_event(survey, user, "question_deleted", f"Question removed: ‘{question.text}’")
    _ask_partners_again(survey, user, f"question ‘{question.text}’ was removed")
    db.session.commit()


def _renumber(survey: Survey):
    for position, question in enumerate(sorted(survey.questions, key=lambda q: q.position), start=1):
        question.position = position


def move_question(question: Question, user: User, direction: int) -> None:
    survey = question.survey
    _require_editable(survey)
    ordered = sorted(survey.questions, key=lambda q: q.position)
    index = ordered.index(question)
    target = index + direction
    if not 0 <= target < len(ordered):
        return
    other = ordered[target]
    question.position, other.position = other.position, question.position
    # A question moved above its routing source would never be shown: keep pages in order.
    if direction < 0 and question.page > other.page:
        question.page = other.page
    if direction > 0 and question.page < other.page:
        question.page = other.page
    record_event(survey, user, "question_moved", f"Question ‘{question.text}’ moved {'up' if direction < 0 else 'down'}")
    _ask_partners_again(survey, user, "questions were reordered")
    db.session.commit()


def question_numbers(survey: Survey) -> dict[int, int]:
    """Each question's number as families see it (1, 2, 3, ... in survey order)."""
    return {q.id: n for n, q in enumerate(sorted(survey.questions, key=lambda q: q.position), start=1)}


@dataclass(frozen=True)
class RoutingText:
    """Routing in words, as the preview and the paper version show it."""

    questions: dict[int, str]  # question id -> "Answer this only if ..."
    routes: dict[int, str]  # route id -> "If you answered ..., go to page 5."
    after_page: dict[int, list[str]]  # page -> its routes' words, in order


def describe_routing(survey: Survey) -> RoutingText:
    numbers = question_numbers(survey)
    labels = {q.id: dict(kind_of(q).answer_choices(q)) for q in survey.questions}
    questions = {q.id: routing.describe(rule, numbers, labels, _)
                 for q in survey.questions if (rule := routing.Rule.read(q.show_when)) is not None}
    routes, after_page = {}, {}
    for route in survey.routes:
        rule = routing.Rule.read({"match": route.match, "conditions": route.conditions}, route.page, route.goto_page)
        if rule is not None:
            routes[route.id] = routing.describe(rule, numbers, labels, _)
            after_page.setdefault(route.page, []).append(routes[route.id])
    return RoutingText(questions, routes, after_page)


def add_route(survey: Survey, user: User, page: int, rule: routing.Rule | None, goto_page: int | None) -> PageRoute:
    """A route after `page`, tried after the page's earlier routes; checked (forward only,
    no later questions) before it is stored."""
    _require_editable(survey)
    if rule is None:
        raise SurveyError(_("Choose at least one answer that leads to this route"))
    rule = routing.Rule(rule.match, rule.conditions, page, goto_page)
    pages = _pages(survey)
    if page not in pages.values():
        raise SurveyError(_("There is no page %(page)s", page=page))
    if goto_page is not None and goto_page not in pages.values():
        raise SurveyError(_("There is no page %(page)s to go to", page=goto_page))
    try:
        routing.check_route(rule, pages)
    except routing.RoutingError as error:
        raise SurveyError(said(error)) from None
    position = max((r.position for r in survey.routes if r.page == page), default=0) + 1
    route = PageRoute(page=page, position=position, goto_page=goto_page, **rule.stored())
    survey.routes.append(route)
    where = "the end" if goto_page is None else f"page {goto_page}"
    record_event(survey, user, "route_added", f"Route added after page {page} to {where}")
    _ask_partners_again(survey, user, f"a route was added after page {page}")
    db.session.commit()
    return route


def delete_route(route: PageRoute, user: User) -> None:
    survey = route.survey
    _require_editable(survey)
    survey.routes.remove(route)
    record_event(survey, user, "route_deleted", f"Route after page {route.page} removed")
    _ask_partners_again(survey, user, f"a route after page {route.page} was removed")
    db.session.commit()


def add_from_bank(survey: Survey, user: User, bank_question: BankQuestion, page: int) -> Question:
    question = add_question(
        survey, user,
        kind=bank_question.kind, text=bank_question.text, hint=bank_question.hint,
        options=list(bank_question.options), dimensions=list(bank_question.dimensions),
        allow_dont_know=bank_question.allow_dont_know, required=False, page=page,
    )
    question.bank_question = bank_question
    db.session.commit()
    return question


# Co-design

def invite_partner(survey: Survey, user: User, organisation: Organisation) -> None:
    _require_editable(survey, _("Partners can only be invited before the survey opens"))
    if any(p.organisation_id == organisation.id for p in survey.partners):
        raise SurveyError(_("%(group)s is already a co-design partner", group=organisation.name))
    survey.partners.append(CoDesignPartner(organisation=organisation))
    if survey.status == SurveyStatus.READY:
        survey.ask_partners_again()
    record_event(survey, user, "partner_invited", f"{organisation.name} invited to co-design", organisation)
    if survey.status in (SurveyStatus.CO_DESIGN, SurveyStatus.READY):
        partner_notices.invited(survey, [organisation])
    db.session.commit()


def remove_partner(survey: Survey, user: User, partner: CoDesignPartner) -> None:
    _require_editable(survey, "Partners can only be changed before the survey opens")
    organisation = partner.organisation
    survey.partners.remove(partner)
    record_event(survey, user, "partner_removed", f"{organisation.name} is no longer a co-design partner", organisation)
    _move_to_ready_if_all_signed(survey, user)
    db.session.commit()


def send_for_co_design(survey: Survey, user: User) -> None:
    survey.send_for_co_design()
    record_event(survey, user, "co_design_started", "Draft shared with partners for co-design")
    partner_notices.invited(survey, [p.organisation for p in survey.partners])
    db.session.commit()


def partner_organisations_of(user: User, survey: Survey) -> list[Organisation]:
    partner_ids = {p.organisation_id for p in survey.partners}
    return [m.organisation for m in user.memberships if m.organisation_id in partner_ids]


def can_co_design(user: User, survey: Survey) -> bool:
    return user.is_staff or bool(partner_organisations_of(user, survey))


def _author_organisation(user: User, survey: Survey) -> Organisation | None:
    organisations = partner_organisations_of(user, survey)
    return organisations[0] if organisations else None


def _require_co_design(survey: Survey):
    _require_editable(survey, _("Co-design has finished for this survey"))


def add_comment(survey: Survey, user: User, body: str, question: Question | None = None,
                parent: DesignComment | None = None) -> DesignComment:
    _require_co_design(survey)
    comment = DesignComment(
        survey_id=survey.id, question=question, author=user, body=body.strip(),
        organisation=_author_organisation(user, survey), parent_id=parent.id if parent else None,
    )
    db.session.add(comment)
    where = f"on ‘{question.text}’" if question else "on the survey"
    record_event(survey, user, "reply" if parent else "comment",
                 f"{'Replied' if parent else 'Commented'} {where}: “{comment.body}”", comment.organisation)
    db.session.commit()
    return comment


def resolve_comment(comment: DesignComment, user: User) -> None:
    comment.resolved_at = utcnow()
    comment.resolved_by_id = user.id
    survey = db.session.get(Survey, comment.survey_id)
    record_event(survey, user, "comment_resolved", f"Comment resolved: “{comment.body}”")
    db.session.commit()


def suggest_wording(survey: Survey, user: User, question: Question, text: str, reason: str) -> WordingSuggestion:
    _require_co_design(survey)
    suggestion = WordingSuggestion(
        survey_id=survey.id, question=question, author=user, organisation=_author_organisation(user, survey),
        original_text=question.text, suggested_text=text.strip(), reason=reason.strip(),
    )
    db.session.add(suggestion)
    record_event(survey, user, "suggestion",
                 f"Suggested rewording ‘{question.text}’ as ‘{suggestion.suggested_text}’", suggestion.organisation)
    db.session.commit()
    return suggestion


def _require_pending(suggestion: WordingSuggestion):
    if suggestion.status != SuggestionStatus.PENDING:
        raise AlreadyDecided(_("This suggestion has already been decided"))


def suggest_option(survey: Survey, user: User, question: Question, option: str | None, text: str,
                   reason: str) -> WordingSuggestion:
    """A partner proposes new wording for one of a question's options (``option``, its label
    as it is now) or, with ``option`` None, a new option."""
    _require_co_design(survey)
    if not kind_of(question).own_options:
        raise SurveyError(_("This question has no options of its own to change"))
    text = text.strip()
    if option is not None and option not in question.options:
        raise SurveyError(_("Choose one of the question’s options"))
    if text in question.options:
        raise SurveyError(_("The question already has that option"))
    target = SuggestionTarget.NEW_OPTION if option is None else SuggestionTarget.OPTION
    suggestion = WordingSuggestion(
        survey_id=survey.id, question=question, author=user, organisation=_author_organisation(user, survey),
        target=target, original_text=option or "", suggested_text=text, reason=reason.strip(),
    )
    db.session.add(suggestion)
    record_event(survey, user, "suggestion", f"Suggested {suggestion.change}", suggestion.organisation)
    db.session.commit()
    return suggestion


def _apply_suggestion(suggestion: WordingSuggestion) -> str:
    """Make the suggested change to the question; returns what changed, in words."""
    question = suggestion.question
    if suggestion.target == SuggestionTarget.QUESTION:
        question.text = suggestion.suggested_text
        return f"question reworded to ‘{question.text}’"
    options = list(question.options or [])
    if suggestion.suggested_text in options:
        raise SurveyError(_("The question already has that option"))
    if suggestion.target == SuggestionTarget.NEW_OPTION:
        options.append(suggestion.suggested_text)
        what = f"option ‘{suggestion.suggested_text}’ added"
    else:
        if suggestion.original_text not in options:
            raise SurveyError(_("That option has changed since it was suggested: decline this suggestion instead"))
        options[options.index(suggestion.original_text)] = suggestion.suggested_text
        what = f"option reworded to ‘{suggestion.suggested_text}’"
    question.options = options  # a new list, so the change is saved
    return what


def accept_suggestion(suggestion: WordingSuggestion, user: User) -> None:
    _require_pending(suggestion)
    if suggestion.language:
        raise SurveyError(_("A suggested wording of a version is accepted with the version."))
    question = suggestion.question
    survey = question.survey
    _require_editable(survey)
    what = _apply_suggestion(suggestion)
    suggestion.status = SuggestionStatus.ACCEPTED
    suggestion.decided_by_id, suggestion.decided_at = user.id, utcnow()
    question.credited_organisation = suggestion.organisation
    credit = f" (credited to {suggestion.organisation.name})" if suggestion.organisation else ""
    record_event(survey, user, "suggestion_accepted",
                 f"Accepted {suggestion.change}{credit}", suggestion.organisation)
    _ask_partners_again(survey, user, what)
    partner_notices.suggestion_decided(suggestion)
    db.session.commit()


def decline_suggestion(suggestion: WordingSuggestion, user: User, reason: str) -> None:
    _require_pending(suggestion)
    survey = suggestion.survey
    suggestion.status = SuggestionStatus.DECLINED
    suggestion.decided_by_id, suggestion.decided_at = user.id, utcnow()
    suggestion.decision_reason = reason.strip()
    declined = (f"Declined the suggested wording ‘{suggestion.suggested_text}’ of a version" if suggestion.language
                else f"Declined {suggestion.change}")
    record_event(survey, user, "suggestion_declined", f"{declined}: {suggestion.decision_reason}",
                 suggestion.organisation)
    partner_notices.suggestion_decided(suggestion)
    db.session.commit()


def _move_to_ready_if_all_signed(survey: Survey, user: User):
    if survey.status == SurveyStatus.CO_DESIGN and survey.all_signed_off:
        survey.mark_ready()
        record_event(survey, user, "ready", "Every partner has signed off: ready to open")


def sign_off(survey: Survey, user: User, organisation: Organisation) -> None:
    partner = next((p for p in survey.partners if p.organisation_id == organisation.id), None)
    if partner is None or not user.leads(organisation):
        raise NotPartnerLead(_("Only the lead of a partner group can sign off for it"))
    if not survey.can("mark_ready"):
        raise NotWaitingForSignOff(_("This survey is not waiting for sign-off"))
    if partner.signed_off_at is not None:
        raise AlreadySignedOff(_("%(group)s has already signed off", group=organisation.name))
    partner.signed_off_at, partner.signed_off_by = utcnow(), user
    record_event(survey, user, "signed_off", f"{user.display_name} signed off for {organisation.name}", organisation)
    _move_to_ready_if_all_signed(survey, user)
    db.session.commit()


def open_survey(survey: Survey, user: User | None, override_reason: str = "",
                description: str = "Survey opened to families") -> None:
    """Every opening, by staff or at the wave's opening date (`user` None), goes through here."""
    missing = [p.organisation.name for p in survey.partners if not p.signed_off_at]
    if survey.open(override_reason):
        record_event(survey, user, "override",
                     f"Opened without sign-off from {', '.join(missing) or 'any partner'}: {survey.override_reason}")
    record_event(survey, user, "opened", description)
    emit_event("wave.opened", wave_event(survey))
    db.session.commit()


def close_survey(survey: Survey, user: User | None, now: datetime | None = None,
                 description: str = "Survey closed") -> None:
    """Every closing, by staff or at the wave's closing date (`user` None), goes through here."""
    survey.close(now or utcnow())
    # The wave's invitation list (contact details) goes in the same transaction.
    db.session.execute(delete(Invitation).where(Invitation.survey_id == survey.id))
    record_event(survey, user, "closed", description)
    emit_event("wave.closed", wave_event(survey))
    db.session.commit()


def wave_event(survey: Survey) -> dict:
    """What a webhook says about a wave opening or closing (no personal data)."""
    return {"survey_id": survey.id, "series_key": survey.series_key, "wave_number": survey.wave_number,
            "wave_label": survey.wave_label, "title": survey.title, "status": survey.status,
            "opens_at": survey.opens_at.isoformat(), "closes_at": survey.closes_at.isoformat()}


def archive_survey(survey: Survey, user: User) -> None:
    survey.archive()
    record_event(survey, user, "archived", "Survey archived")
    db.session.commit()


def new_wave(survey: Survey, user: User, wave_label: str, opens_at: datetime, closes_at: datetime) -> Survey:
    """Re-run a survey with the same questions and partners, so waves compare."""
    _check_dates(opens_at, closes_at)
    latest = db.session.scalar(select(func.max(Survey.wave_number)).where(Survey.series_key == survey.series_key))
    wave = Survey(
        slug=_unique_slug(survey.title, wave_label), short_code=_unique_short_code(),
        series_key=survey.series_key, wave_number=(latest or 0) + 1, wave_label=wave_label,
        title=survey.title, purpose=survey.purpose, audience=survey.audience, service_area=survey.service_area,
        opens_at=opens_at, closes_at=closes_at, anonymous=survey.anonymous, privacy_text=survey.privacy_text,
        estimated_minutes=survey.estimated_minutes, retention_days=survey.retention_days, created_by=user,
        status=SurveyStatus.DRAFT,
    )
    db.session.add(wave)
    db.session.flush()
    copies = {}
    for question in survey.questions:
        copy = Question(**{name: getattr(question, name) for name in QUESTION_FIELDS if name != "show_when"},
                        position=question.position, bank_question_id=question.bank_question_id,
                        credited_organisation_id=question.credited_organisation_id)
        copy.options, copy.dimensions = list(question.options), list(question.dimensions)
        wave.questions.append(copy)
        copies[question.id] = copy
    db.session.flush()
    ids = {old: copy.id for old, copy in copies.items()}
    for question in survey.questions:
        copies[question.id].show_when = routing.renamed(question.show_when, ids)
    for route in survey.routes:
        wave.routes.append(PageRoute(page=route.page, position=route.position, match=route.match,
                                     goto_page=route.goto_page, conditions=routing.renamed(
                                         {"match": route.match, "conditions": route.conditions}, ids)["conditions"]))
    for partner in survey.partners:
        wave.partners.append(CoDesignPartner(organisation_id=partner.organisation_id))
    # The questions are the ones partners already shaped; they confirm the new wave again.
    if wave.partners:
        wave.ask_to_confirm_wave()
    record_event(wave, user, "new_wave", f"New wave ‘{wave_label}’ created from ‘{survey.wave_label}’")
    record_event(survey, user, "new_wave", f"Re-run as a new wave: ‘{wave_label}’")
    db.session.commit()
    return wave


# Scheduled opening and closing (`flask --app feedback open-close-due`, run by a timer)

REMINDER_BEFORE = timedelta(days=1)
LONDON = ZoneInfo("Europe/London")


@dataclass
class DueRun:
    """What one run of `open_and_close_due` did: survey ids."""

    opened: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    reminded: list[int] = field(default_factory=list)


def _locked(survey_id: int) -> Survey:
    """The survey re-read under a row lock, so two runs at once cannot both move it."""
    return db.session.get(Survey, survey_id, with_for_update=True, populate_existing=True)


def _due(*conditions) -> list[int]:
    return list(db.session.scalars(select(Survey.id).where(*conditions).order_by(Survey.id)))


def open_and_close_due(now: datetime | None = None) -> DueRun:
    """Open every ready wave whose opening date has come (and whose closing date has not),
    close every open wave whose closing date has passed, and remind staff once the day
    before a wave closes. Idempotent: running it again at once changes nothing. Each wave
    is its own transaction, through the same `open_survey` and `close_survey` as staff use."""
    now = now or utcnow()
    run = DueRun()
    for survey_id in _due(Survey.status == SurveyStatus.READY, Survey.opens_at <= now, Survey.closes_at > now):
        survey = _locked(survey_id)
        if not (survey.status == SurveyStatus.READY and survey.opens_at <= now < survey.closes_at):
            db.session.rollback()
            continue
        try:
            open_survey(survey, None, description="Survey opened at its opening date")
        except SurveyError as refusal:  # e.g. no questions: staff see it still ready; the rest go on
            db.session.rollback()
            current_app.logger.warning("Survey %s was due to open but cannot: %s", survey_id, refusal)
        else:
            run.opened.append(survey_id)
    for survey_id in _due(Survey.status == SurveyStatus.OPEN, Survey.closes_at <= now):
        survey = _locked(survey_id)
        if survey.status == SurveyStatus.OPEN and survey.closes_at <= now:
            close_survey(survey, None, now, description="Survey closed at its closing date")
            run.closed.append(survey_id)
        else:
            db.session.rollback()
    reminded = select(SurveyEvent.id).where(SurveyEvent.survey_id == Survey.id, SurveyEvent.kind == "closing_reminder")
    for survey_id in _due(Survey.status == SurveyStatus.OPEN, Survey.closes_at > now,
                          Survey.closes_at <= now + REMINDER_BEFORE, ~reminded.exists()):
        if _remind_before_closing(_locked(survey_id)):
            run.reminded.append(survey_id)
    return run


def closing_reminder_recipients(survey: Survey) -> list[User]:
    """The staff member who created the wave; every active admin if they are gone."""
    creator = survey.created_by
    if creator is not None and creator.active and creator.is_staff:
        return [creator]
    return list(db.session.scalars(
        select(User).where(User.role == Role.ADMIN, User.active.is_(True)).order_by(User.id)))


def _remind_before_closing(survey: Survey) -> bool:
    if any(e.kind == "closing_reminder" for e in survey.events) or survey.status != SurveyStatus.OPEN:
        db.session.rollback()
        return False
    recipients = closing_reminder_recipients(survey)
    closes = survey.closes_at.astimezone(LONDON).strftime("%-d %B %Y at %-I:%M%p").replace("AM", "am").replace("PM", "pm")
    record_event(survey, None, "closing_reminder",
                 f"Reminder sent to {', '.join(u.display_name for u in recipients) or 'nobody'}: closes {closes}")
    # Recorded first, so the reminder goes at most once even if sending fails.
    db.session.commit()
    service = current_app.config["SERVICE_NAME"]
    for user in recipients:
        try:
            get_mailer().send(Message(
                to=user.email,
                subject=f"{survey.title} ({survey.wave_label}) closes on {closes}",
                body=f"The survey ‘{survey.title}’ ({survey.wave_label}) closes on {closes} and then stops "
                     f"taking answers. If families still need time, change its closing date in {service} today.",
            ))
        except Exception:  # a mail server that is down must not stop waves opening and closing
            current_app.logger.exception("Closing reminder for survey %s could not be sent", survey.id)
    return True


def accepting_responses(survey: Survey, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return survey.status == SurveyStatus.OPEN and survey.opens_at <= now < survey.closes_at


def credited_partners(survey: Survey) -> list[str]:
    """The groups that signed the survey off, for "Designed with ..." (one query)."""
    return list(db.session.scalars(
        select(Organisation.name).join(CoDesignPartner, CoDesignPartner.organisation_id == Organisation.id)
        .where(CoDesignPartner.survey_id == survey.id, CoDesignPartner.signed_off_at.is_not(None))
        .order_by(CoDesignPartner.id)
    ))

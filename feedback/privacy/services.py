"""Data protection use cases: purge what has passed its retention period, and answer a
person's access or erasure request. Every one of them leaves an audit record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from ..accounts.services import _active_admins, find_user_by_email, normalise_email
from ..analysis.redaction import redact
from ..audit import record_audit
from ..comments.services import redaction_names
from ..extensions import db
from ..text import N_
from ..models import (
    AccountToken,
    Answer,
    Contact,
    ContactRequest,
    DesignComment,
    Idea,
    IdeaComment,
    IdeaSupport,
    Invitation,
    Question,
    Response,
    ResponseStatus,
    Role,
    SafeguardingFlag,
    Survey,
    TextAnalysis,
    ThemeAssignment,
    User,
    WordingSuggestion,
)
from ..models.base import utcnow
from ..models.surveys import TEXT_SLOT
from ..surveys.kinds import kind_of

ERASED_WORDS = "[removed at the author's request]"


class PrivacyError(Exception):
    """A data protection request cannot be carried out; the message says why."""


class NoSuchPerson(PrivacyError):
    pass


class LastAdminErasure(PrivacyError):
    pass


# Retention


@dataclass
class PurgeReport:
    """What purge_expired did (or, in a dry run, would do)."""

    dry_run: bool
    anonymised: dict[str, int] = field(default_factory=dict)  # survey slug -> responses anonymised
    drafts_deleted: int = 0
    tokens_deleted: int = 0
    contact_requests_deleted: int = 0

    @property
    def total_anonymised(self) -> int:
        return sum(self.anonymised.values())

    def lines(self) -> list[str]:
        verb = "Would" if self.dry_run else "Did"
        lines = [f"{verb} anonymise {count} responses to {slug} (retention period passed)"
                 for slug, count in sorted(self.anonymised.items())]
        lines.append(f"{verb} anonymise {self.total_anonymised} submitted responses in all")
        lines.append(f"{verb} delete {self.drafts_deleted} unfinished responses not touched for "
                     f"{current_app.config['RESUME_DAYS']} days")
        lines.append(f"{verb} delete {self.tokens_deleted} used or expired invitation and reset links")
        lines.append(f"{verb} delete {self.contact_requests_deleted} requests to be contacted (retention period passed)")
        return lines


def retention_ends(survey: Survey) -> datetime:
    """Answers are kept for `retention_days` after the survey closes, then anonymised."""
    return survey.closes_at + timedelta(days=survey.retention_days)


def expired_surveys(now: datetime) -> list[Survey]:
    surveys = db.session.scalars(select(Survey).where(Survey.closes_at < now)).all()
    return [s for s in surveys if retention_ends(s) <= now]


def _anonymise_responses(response_ids: list[int], names: tuple[str, ...]) -> None:
    """Free text redacted, references and resume codes dropped. Choices, localities and
    respondent types stay: they are not identifying on their own and keep results whole."""
    free_text = db.session.execute(
        select(Answer.id, Answer.value)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.response_id.in_(response_ids), Answer.slot == TEXT_SLOT)
    ).all()
    for answer_id, value in free_text:
        redacted = redact(value, names).text
        if redacted != value:
            db.session.execute(update(Answer).where(Answer.id == answer_id).values(value=redacted))
    db.session.execute(
        update(Response).where(Response.id.in_(response_ids))
        .values(reference=None, resume_code_hash=None, resume_expires_at=None)
        .execution_options(synchronize_session=False)
    )


def _delete_answer_analyses(answer_ids: list[int]) -> None:
    analyses = select(TextAnalysis.id).where(
        TextAnalysis.source_type == "answer", TextAnalysis.source_id.in_(answer_ids))
    db.session.execute(delete(ThemeAssignment).where(ThemeAssignment.analysis_id.in_(analyses)))
    db.session.execute(delete(TextAnalysis).where(
        TextAnalysis.source_type == "answer", TextAnalysis.source_id.in_(answer_ids)))
    db.session.execute(delete(SafeguardingFlag).where(
        SafeguardingFlag.source_type == "answer", SafeguardingFlag.source_id.in_(answer_ids)))


def _delete_responses(response_ids: list[int]) -> None:
    answer_ids = list(db.session.scalars(select(Answer.id).where(Answer.response_id.in_(response_ids))))
    if answer_ids:
        _delete_answer_analyses(answer_ids)
    db.session.execute(delete(Answer).where(Answer.response_id.in_(response_ids)))
    db.session.execute(delete(Response).where(Response.id.in_(response_ids)))


def purge_expired(now: datetime | None = None, dry_run: bool = False, batch_size: int = 500) -> PurgeReport:
    """Anonymise submitted responses past their survey's retention period, delete unfinished
    responses untouched for RESUME_DAYS, and old account links. Safe to run every night:
    a response is anonymised once (its reference is the marker) and each batch commits."""
    now = now or utcnow()
    report = PurgeReport(dry_run=dry_run)
    names = redaction_names()
    expired = expired_surveys(now)
    for survey in expired:
        pending = (select(Response.id).where(
            Response.survey_id == survey.id, Response.status == ResponseStatus.SUBMITTED,
            Response.reference.is_not(None)).order_by(Response.id))
        if dry_run:
            count = db.session.scalar(select(func.count()).select_from(pending.subquery()))
        else:
            count = 0
            while ids := list(db.session.scalars(pending.limit(batch_size))):
                _anonymise_responses(ids, names)
                record_audit(None, "privacy.responses_anonymised", "survey", survey.id,
                             {"responses": len(ids), "retention_days": survey.retention_days})
                db.session.commit()
                count += len(ids)
        if count:
            report.anonymised[survey.slug] = count

    stale = now - timedelta(days=current_app.config["RESUME_DAYS"])
    drafts = (select(Response.id).where(Response.status == ResponseStatus.IN_PROGRESS, Response.updated_at < stale)
              .order_by(Response.id))
    if dry_run:
        report.drafts_deleted = db.session.scalar(select(func.count()).select_from(drafts.subquery()))
    else:
        while ids := list(db.session.scalars(drafts.limit(batch_size))):
            _delete_responses(ids)
            record_audit(None, "privacy.drafts_deleted", "response", None,
                         {"responses": len(ids), "resume_days": current_app.config["RESUME_DAYS"]})
            db.session.commit()
            report.drafts_deleted += len(ids)

    # Names and contact details families gave go with the answers they were given about.
    contacts = ContactRequest.survey_id.in_([s.id for s in expired])
    if dry_run:
        report.contact_requests_deleted = db.session.scalar(
            select(func.count()).select_from(ContactRequest).where(contacts))
    elif expired:
        report.contact_requests_deleted = db.session.execute(delete(ContactRequest).where(contacts)).rowcount
        if report.contact_requests_deleted:
            record_audit(None, "privacy.contact_requests_deleted", "contact_request", None,
                         {"requests": report.contact_requests_deleted})
        db.session.commit()

    old_links = AccountToken.expires_at < now - timedelta(days=30)
    if dry_run:
        report.tokens_deleted = db.session.scalar(select(func.count()).select_from(AccountToken).where(old_links))
    else:
        report.tokens_deleted = db.session.execute(delete(AccountToken).where(old_links)).rowcount
        db.session.commit()
    for line in report.lines():
        current_app.logger.info("purge-expired: %s", line)
    return report


# Access and erasure requests


@dataclass
class PersonRecords:
    """Everything held that names or was written by one person, found by email."""

    email: str
    user: User | None
    ideas: list[Idea]
    idea_comments: list[IdeaComment]
    supports: list[IdeaSupport]
    design_comments: list[DesignComment]
    suggestions: list[WordingSuggestion]
    answers: list[Answer]  # survey answers whose words contain the email address
    contact_requests: list[ContactRequest]  # requests to be contacted given with this address
    contacts: list[Contact] = field(default_factory=list)  # on the contact list with this address
    invitations: list[Invitation] = field(default_factory=list)  # on an open wave's invitation list

    @property
    def found(self) -> bool:
        return (self.user is not None or bool(self.answers) or bool(self.contact_requests)
                or bool(self.contacts) or bool(self.invitations))

    def counts(self) -> dict[str, int]:
        # English keys (they go into the audit log), translated where they are shown.
        return {
            N_("account"): int(self.user is not None),
            N_("ideas"): len(self.ideas),
            N_("comments on ideas"): len(self.idea_comments),
            N_("ideas supported"): len(self.supports),
            N_("co-design comments"): len(self.design_comments),
            N_("wording suggestions"): len(self.suggestions),
            N_("survey answers containing the email address"): len(self.answers),
            N_("requests to be contacted"): len(self.contact_requests),
            N_("contact list entries"): len(self.contacts),
            N_("survey invitations"): len(self.invitations),
        }


def find_person(email: str) -> PersonRecords:
    """Answers to anonymous surveys are found only where the person wrote their email
    address in them; nothing else links an answer to a person."""
    email = normalise_email(email)
    user = find_user_by_email(email)
    by_user = (lambda model, column: list(db.session.scalars(
        select(model).where(column == user.id).order_by(model.id)))) if user else (lambda *_: [])
    answers = list(db.session.scalars(
        select(Answer).where(func.lower(Answer.value).contains(email, autoescape=True)).order_by(Answer.id)))
    return PersonRecords(
        email=email, user=user,
        ideas=by_user(Idea, Idea.author_id),
        idea_comments=by_user(IdeaComment, IdeaComment.author_id),
        supports=by_user(IdeaSupport, IdeaSupport.user_id),
        design_comments=by_user(DesignComment, DesignComment.author_id),
        suggestions=by_user(WordingSuggestion, WordingSuggestion.author_id),
        answers=answers,
        contact_requests=list(db.session.scalars(
            select(ContactRequest).where(ContactRequest.email == email).order_by(ContactRequest.id))),
        contacts=list(db.session.scalars(select(Contact).where(Contact.email == email).order_by(Contact.id))),
        invitations=list(db.session.scalars(
            select(Invitation).where(Invitation.email == email).order_by(Invitation.id))),
    )


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _shared_answers(reference: str | None) -> list[dict]:
    """The answers a family linked to their request by sharing their reference: once linked,
    they are that person's data too."""
    if not reference:
        return []
    answers = db.session.scalars(
        select(Answer).join(Answer.question).join(Answer.response)
        .where(Response.reference == reference).order_by(Question.page, Question.position, Answer.id)
    )
    by_question: dict = {}
    for answer in answers:
        by_question.setdefault(answer.question, []).append((answer.value, answer.number))
    # Each answer as its kind shows it back (a grid's statements, the words typed for "Other").
    return [{"question": question.text, "answer": kind_of(question).display(question, rows)}
            for question, rows in by_question.items()]


def person_data(records: PersonRecords) -> dict:
    """The subject access export: the person's own words, unredacted, as JSON-ready data."""
    user = records.user
    return {
        "request": {"email": records.email, "produced_at": utcnow().isoformat(),
                    "service": current_app.config["SERVICE_NAME"],
                    "controller": current_app.config["ORGANISATION_NAME"]},
        "account": None if user is None else {
            "email": user.email, "name": user.display_name, "role": user.role_label,
            "active": user.active, "safeguarding_lead": user.safeguarding_lead,
            "created_at": _when(user.created_at), "last_signed_in_at": _when(user.last_signed_in_at),
            "groups": [{"name": m.organisation.name, "as": m.role} for m in user.memberships],
            "two_factor_since": _when(user.two_factor.enabled_at) if user.two_factor else None,
            "identity_provider_account": None if user.oidc_identity is None else {
                "issuer": user.oidc_identity.issuer, "subject": user.oidc_identity.subject,
                "linked_at": _when(user.oidc_identity.created_at)},
        },
        "ideas": [{"id": i.id, "title": i.title, "body": i.body, "category": i.category, "status": i.status,
                   "created_at": _when(i.created_at),
                   "council_updates": [{"status": u.to_status, "text": u.text, "at": _when(u.created_at)}
                                       for u in i.updates]} for i in records.ideas],
        "comments_on_ideas": [{"idea_id": c.idea_id, "body": c.body, "status": c.status,
                               "created_at": _when(c.created_at)} for c in records.idea_comments],
        "ideas_supported": [{"idea_id": s.idea_id, "at": _when(s.created_at)} for s in records.supports],
        "co_design_comments": [{"survey_id": c.survey_id, "body": c.body, "created_at": _when(c.created_at)}
                               for c in records.design_comments],
        "wording_suggestions": [{"survey_id": s.survey_id, "original": s.original_text,
                                 "suggested": s.suggested_text, "reason": s.reason, "status": s.status,
                                 "created_at": _when(s.created_at)} for s in records.suggestions],
        "survey_answers": [{"survey": a.response.survey.title, "question": a.question.text, "answer": a.value,
                            "submitted_at": _when(a.response.submitted_at)} for a in records.answers],
        "requests_to_be_contacted": [{"survey": c.survey.title, "name": c.name, "email": c.email, "phone": c.phone,
                                      "about": c.about, "shared_reference": c.reference,
                                      "shared_answers": _shared_answers(c.reference),
                                      "asked_at": _when(c.created_at), "contacted_at": _when(c.handled_at)}
                                     for c in records.contact_requests],
        "contact_list": [{"email": c.email, "mobile": c.mobile, "as": c.audience, "new_surveys": c.wants_surveys,
                          "results": c.wants_results, "consent_given": c.consent_text,
                          "asked_at": _when(c.created_at), "confirmed_at": _when(c.confirmed_at)}
                         for c in records.contacts],
        # Only that an invitation was sent and used: nothing links it to any answers.
        "survey_invitations": [{"survey": db.session.get(Survey, i.survey_id).title, "email": i.email,
                                "mobile": i.mobile, "sent_at": _when(i.sent_at),
                                "used_on": i.used_on.isoformat() if i.used_on else None,
                                "unsubscribed": i.unsubscribed} for i in records.invitations],
    }


def record_search(records: PersonRecords, admin: User) -> None:
    record_audit(admin, "privacy.person_searched", "user", records.user.id if records.user else None,
                 {"found": records.counts()})
    db.session.commit()


def export_person(email: str, admin: User) -> dict:
    records = find_person(email)
    if not records.found:
        raise NoSuchPerson(_("We hold no account, survey answer, request to be contacted, contact list entry or invitation for this email address."))
    data = person_data(records)
    record_audit(admin, "privacy.access_exported", "user", records.user.id if records.user else None,
                 {"found": records.counts()})
    db.session.commit()
    return data


def forget_user(user_id: int) -> None:
    """Delete an account: every reference to it becomes NULL (`SET NULL`), or goes where the
    row only means something with the person (`CASCADE`: memberships, tokens, notifications).
    Done in code, whatever feature holds the reference, so that SQLite behaves as PostgreSQL.
    The one way an account is removed, for erasure requests and for youth members deleting
    their own (`feedback.ideas.services.delete_member_account`). Adds to the caller's
    transaction; the caller writes the audit record and commits."""
    db.session.flush()  # the statements below bypass the session: send its changes first
    user_table = User.__table__
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is not user_table or table is user_table:
                continue
            rule = (fk.ondelete or "").upper()
            if rule == "SET NULL":
                db.session.execute(update(table).where(fk.parent == user_id).values({fk.parent.name: None}))
            elif rule == "CASCADE":
                db.session.execute(delete(table).where(fk.parent == user_id))
            # Any other rule is left for the database to refuse: its feature must decide.
    db.session.execute(delete(User).where(User.id == user_id))
    db.session.expire_all()


def erase_person(email: str, admin: User) -> dict[str, int]:
    """Erase a person on request: their account goes, their words in ideas, comments and
    co-design are replaced, and their email address is redacted from survey answers.
    Decisions and aggregates stay (an idea's status and the council's reply are kept)."""
    records = find_person(email)
    if not records.found:
        raise NoSuchPerson(_("We hold no account, survey answer, request to be contacted, contact list entry or invitation for this email address."))
    user = records.user
    if user is not None and user.role == Role.ADMIN and user.active and _active_admins() <= 1:
        raise LastAdminErasure(_("This is the only active admin. Make someone else an admin first."))
    counts = records.counts()
    for idea in records.ideas:
        idea.title = idea.public_title = "Idea from a former Youth Forum member"
        idea.body = idea.public_body = ERASED_WORDS
    for comment in records.idea_comments:
        comment.body = comment.public_body = ERASED_WORDS
    for comment in records.design_comments:
        comment.body = ERASED_WORDS
    for suggestion in records.suggestions:
        suggestion.reason = ERASED_WORDS
    names = redaction_names()
    for answer in records.answers:
        answer.value = redact(answer.value, names).text
    answer_ids = [a.id for a in records.answers]
    source_ids = {"idea": [i.id for i in records.ideas], "idea_comment": [c.id for c in records.idea_comments],
                  "answer": answer_ids}
    for source_type, ids in source_ids.items():
        if ids:  # stored analyses hold the old words; they are rebuilt by `flask analyse`
            db.session.execute(delete(ThemeAssignment).where(ThemeAssignment.analysis_id.in_(
                select(TextAnalysis.id).where(TextAnalysis.source_type == source_type,
                                              TextAnalysis.source_id.in_(ids)))))
            db.session.execute(delete(TextAnalysis).where(
                TextAnalysis.source_type == source_type, TextAnalysis.source_id.in_(ids)))
    for request in records.contact_requests:
        db.session.delete(request)
    if records.contacts:
        contact_ids = [c.id for c in records.contacts]
        db.session.execute(update(Invitation).where(Invitation.contact_id.in_(contact_ids)).values(contact_id=None))
        db.session.execute(delete(Contact).where(Contact.id.in_(contact_ids)))
    if records.invitations:
        db.session.execute(delete(Invitation).where(Invitation.id.in_([i.id for i in records.invitations])))
    db.session.flush()
    user_id = user.id if user else None
    if user is not None:
        forget_user(user_id)
    record_audit(admin, "privacy.person_erased", "user", user_id, {"erased": counts})
    db.session.commit()
    current_app.logger.info("privacy: erasure request carried out for user %s", user_id)
    return counts

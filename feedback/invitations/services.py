"""Invitations to a wave and the consented contact list. The only writers of both.

The anonymity rule (docs/invitations.md): nothing here is ever linked to a response. Using an
invitation sets its `used_on` to today's date, in its own transaction before the response is
started, with no key or time that could be matched to the response.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from email_validator import EmailNotValidError, validate_email
from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from .. import notify, outbox
from ..surveys.services import accepting_responses
from ..extensions import db
from ..models import Contact, ContactAudience, ContactNotice, Invitation, InvitationSource, OutboxEvent, Survey, SurveyStatus
from ..models.base import utcnow
from .tokens import make_token, new_nonce, token_id, token_matches

LONDON = ZoneInfo("Europe/London")
MAX_ROWS = 5000
EMAIL_HEADERS = {"email", "email address", "e-mail", "e-mail address"}
MOBILE_HEADERS = {"mobile", "mobile number", "mobile phone", "phone", "phone number", "telephone"}
# Reminders skip anyone reminded this recently (a second click of the button sends nothing).
REMIND_GAP = timedelta(hours=20)
PENDING_DAYS = 7  # an unconfirmed sign-up to the contact list is deleted after this
CLOSED_STATUSES = (SurveyStatus.CLOSED, SurveyStatus.ARCHIVED)
# Which contacts a survey for each audience goes to.
AUDIENCE_CONTACTS = {
    "parent_carers": (ContactAudience.PARENT_CARER,),
    "young_people": (ContactAudience.YOUNG_PERSON,),
    "both": (ContactAudience.PARENT_CARER, ContactAudience.YOUNG_PERSON),
}


class InvitationError(Exception):
    """A step cannot be taken; the message is safe to show."""


# Contact details


def normalise_mobile(value: str) -> str | None:
    """A UK mobile number as 07xxxxxxxxx, or None if it is not one."""
    digits = re.sub(r"[\s().-]", "", value or "")
    if digits.startswith("+44"):
        digits = "0" + digits[3:]
    elif digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44") and len(digits) == 12:
        digits = "0" + digits[2:]
    if digits.startswith("00"):
        digits = digits[1:]
    return digits if re.fullmatch(r"07\d{9}", digits) else None


def normalise_address(value: str) -> str | None:
    """An email address as stored (lower case), or None if it is not one."""
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


# Uploading a list


@dataclass
class UploadReport:
    added: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row number in the file, reason)


def _column(headers: list[str], names: set[str]) -> int | None:
    for index, header in enumerate(headers):
        if header.strip().lower() in names:
            return index
    return None


def parse_contacts(data: bytes) -> tuple[list[tuple[int, str | None, str | None]], list[tuple[int, str]]]:
    """The rows of an uploaded CSV: ([(row, email, mobile)], [(row, reason rejected)]).
    Raises InvitationError when the file as a whole cannot be read (shown by the field)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvitationError(_("The selected file must be a CSV file saved as UTF-8")) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InvitationError(_("The selected file is empty"))
    email_at, mobile_at = _column(rows[0], EMAIL_HEADERS), _column(rows[0], MOBILE_HEADERS)
    if email_at is None and mobile_at is None:
        raise InvitationError(_("The selected file must have a first row with a column called ‘email’, "
                                "‘mobile’ or both"))
    if len(rows) - 1 > MAX_ROWS:
        raise InvitationError(_("The selected file must have %(count)s rows or fewer", count=f"{MAX_ROWS:,}"))
    accepted, rejected, seen = [], [], {}
    for number, row in enumerate(rows[1:], start=2):
        cell = (lambda at: row[at].strip() if at is not None and at < len(row) else "")
        raw_email, raw_mobile = cell(email_at), cell(mobile_at)
        if not raw_email and not raw_mobile:
            if any(c.strip() for c in row):
                rejected.append((number, _("Enter an email address or a mobile number")))
            continue
        email = normalise_address(raw_email) if raw_email else None
        mobile = normalise_mobile(raw_mobile) if raw_mobile else None
        if raw_email and email is None:
            rejected.append((number, _("Enter the email address in the correct format, like name@example.com")))
            continue
        if raw_mobile and mobile is None:
            rejected.append((number, _("Enter a UK mobile number, like 07700 900 982")))
            continue
        key = email or mobile
        if key in seen:
            rejected.append((number, _("The same person as row %(row)s", row=seen[key])))
            continue
        seen[key] = number
        accepted.append((number, email, mobile))
    return accepted, rejected


def _require_list_open(survey: Survey) -> None:
    if survey.status in CLOSED_STATUSES:
        raise InvitationError(_("This wave has closed, so its invitation list has been deleted"))


def _already_invited(survey: Survey) -> set[str]:
    rows = db.session.execute(select(Invitation.email, Invitation.mobile).where(Invitation.survey_id == survey.id))
    return {value for row in rows for value in row if value}


def upload_list(survey: Survey, data: bytes) -> UploadReport:
    """Add the people in a CSV to the wave's list, in one transaction. Rows that cannot be
    used are reported, not stored."""
    _require_list_open(survey)
    accepted, rejected = parse_contacts(data)
    known = _already_invited(survey)
    report = UploadReport(rejected=rejected)
    for number, email, mobile in accepted:
        if (email and email in known) or (mobile and mobile in known):
            report.rejected.append((number, _("Already on this wave’s list")))
            continue
        db.session.add(Invitation(survey_id=survey.id, email=email, mobile=mobile, nonce=new_nonce(),
                                  source=InvitationSource.UPLOAD))
        report.added += 1
    report.rejected.sort()
    db.session.commit()
    return report


def add_contact_list(survey: Survey) -> int:
    """Invite everyone on the contact list who confirmed, asked to hear about new surveys and
    is in the survey's audience (and is not on the list already)."""
    _require_list_open(survey)
    known = _already_invited(survey)
    contacts = db.session.scalars(select(Contact).where(
        Contact.confirmed_at.is_not(None), Contact.wants_surveys.is_(True),
        Contact.audience.in_(AUDIENCE_CONTACTS.get(survey.audience, ()))).order_by(Contact.id))
    added = 0
    for contact in contacts:
        if (contact.email and contact.email in known) or (contact.mobile and contact.mobile in known):
            continue
        db.session.add(Invitation(survey_id=survey.id, email=contact.email, mobile=contact.mobile, nonce=new_nonce(),
                                  source=InvitationSource.CONTACT_LIST, contact_id=contact.id))
        added += 1
    db.session.commit()
    return added


@dataclass
class ListSummary:
    people: int
    sent: int
    used: int
    waiting: int  # sent, not used, not unsubscribed
    unsubscribed: int


def summary(survey: Survey) -> ListSummary:
    def count(*conditions):
        return db.session.scalar(select(func.count(Invitation.id)).where(Invitation.survey_id == survey.id, *conditions))

    return ListSummary(
        people=count(), sent=count(Invitation.sent_at.is_not(None)), used=count(Invitation.used_on.is_not(None)),
        waiting=count(Invitation.sent_at.is_not(None), Invitation.used_on.is_(None), Invitation.unsubscribed.is_(False)),
        unsubscribed=count(Invitation.unsubscribed.is_(True)),
    )


def delete_list(survey_id: int) -> int:
    """Delete a wave's invitation list (in the caller's transaction): when the wave closes."""
    return db.session.execute(delete(Invitation).where(Invitation.survey_id == survey_id)).rowcount


# Sending


def absolute(endpoint: str, **values) -> str:
    """An absolute link built from BASE_URL, never from the request's Host."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def invitation_link(invitation: Invitation) -> str:
    return absolute("invitations.invited", token=make_token("invitation", invitation.id, invitation.nonce))


def unsubscribe_link(kind: str, row_id: int, nonce: str) -> str:
    return absolute("invitations.unsubscribe", kind=kind,
                    token=make_token(f"unsubscribe-{kind}", row_id, nonce))


def _closes(survey: Survey) -> str:
    return survey.closes_at.astimezone(LONDON).strftime("%-d %B %Y")


def _message(survey: Survey, invitation: Invitation, reminder: bool) -> tuple[str, str, str]:
    """(channel, subject, body) for one invitation or reminder."""
    organisation = current_app.config["ORGANISATION_NAME"]
    values = dict(title=survey.title, organisation=organisation, minutes=survey.estimated_minutes,
                  closes=_closes(survey), link=invitation_link(invitation),
                  unsubscribe=unsubscribe_link("i", invitation.id, invitation.nonce))
    if invitation.email:
        subject = (_("Reminder: have your say about ‘%(title)s’", **values) if reminder
                   else _("Have your say about ‘%(title)s’", **values))
        opening = (_("We have not heard from you yet, and your views still matter.", **values) if reminder
                   else _("%(organisation)s would like to hear what you think.", **values))
        body = "\n\n".join([
            opening,
            _("‘%(title)s’ takes about %(minutes)s minutes. Your answers are anonymous: we do not know "
              "who gave them.", **values),
            _("Answer the survey: %(link)s", **values),
            _("The link is just for you and works once. The survey closes on %(closes)s.", **values),
            _("If you do not want any more messages about this survey: %(unsubscribe)s", **values),
        ])
        return "email", subject, body
    body = (_("Reminder from %(organisation)s: have your say about ‘%(title)s’ by %(closes)s. %(link)s "
              "No more messages: %(unsubscribe)s", **values) if reminder
            else _("%(organisation)s: have your say about ‘%(title)s’ (about %(minutes)s minutes, anonymous). "
                   "%(link)s No more messages: %(unsubscribe)s", **values))
    return "sms", "", body


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    error: str = ""


# Sending is the worker's (or, without Redis, done inline after the request's commit, the way
# feedback/outbox.py does all follow-on work): staff's request records an outbox event, the
# handler sends. Each message is its own claim and commit, so a retry, a second worker or a
# second press of the button never sends anyone a second copy.
SEND_EVENTS = {False: "invitations.send", True: "invitations.remind"}
SEND_LEASE = timedelta(minutes=10)  # a claim on one message lapses after this (the worker died)


def _candidates(survey: Survey, reminder: bool, now):
    conditions = [Invitation.survey_id == survey.id, Invitation.unsubscribed.is_(False),
                  or_(Invitation.sending_at.is_(None), Invitation.sending_at < now - SEND_LEASE)]
    if reminder:
        conditions += [Invitation.sent_at.is_not(None), Invitation.used_on.is_(None),
                       or_(Invitation.reminded_at.is_(None), Invitation.reminded_at < now - REMIND_GAP)]
    else:
        conditions.append(Invitation.sent_at.is_(None))
    return conditions


def _claim(invitation_id: int, survey: Survey, reminder: bool) -> bool:
    now = utcnow()
    claimed = db.session.execute(
        update(Invitation).where(Invitation.id == invitation_id, *_candidates(survey, reminder, now))
        .values(sending_at=now).execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return bool(claimed)


def _send(survey: Survey, invitation_ids: list[int], reminder: bool) -> SendReport:
    if not accepting_responses(survey):
        raise InvitationError(_("Invitations can be sent only while the wave is open to answers"))
    report = SendReport()
    for invitation_id in invitation_ids:
        if not _claim(invitation_id, survey, reminder):
            continue  # sent (or being sent) by someone else meanwhile, used or unsubscribed
        invitation = db.session.get(Invitation, invitation_id, populate_existing=True)
        channel, subject, body = _message(survey, invitation, reminder)
        try:
            notify.send(channel, invitation.email if channel == "email" else invitation.mobile,
                        "reminder" if reminder else "invitation", subject=subject, body=body)
        except notify.NotifyError as error:
            db.session.rollback()
            db.session.execute(update(Invitation).where(Invitation.id == invitation_id).values(sending_at=None)
                               .execution_options(synchronize_session=False))
            db.session.commit()
            report.failed += 1
            report.error = str(error)
            if "cannot be sent" in report.error:  # not set up: nothing else will go either
                break
            continue
        now = utcnow()
        values = {"reminded_at": now} if reminder else {"sent_at": now}
        # One commit per message: a failure part way never sends anyone a second copy.
        db.session.execute(update(Invitation).where(Invitation.id == invitation_id).values(sending_at=None, **values)
                           .execution_options(synchronize_session=False))
        db.session.commit()
        report.sent += 1
    return report


def _waiting_ids(survey: Survey, reminder: bool) -> list[int]:
    return list(db.session.scalars(select(Invitation.id).where(*_candidates(survey, reminder, utcnow()))
                                   .order_by(Invitation.id)))


def send_invitations(survey: Survey) -> SendReport:
    """Send the invitation to everyone on the list who has not had it yet (the worker's part)."""
    return _send(survey, _waiting_ids(survey, False), reminder=False)


def send_reminders(survey: Survey) -> SendReport:
    """Remind only those sent an invitation who have not used it (nor unsubscribed)."""
    return _send(survey, _waiting_ids(survey, True), reminder=True)


def _unfinished_event(survey: Survey, reminder: bool):
    return db.session.scalar(select(OutboxEvent).where(
        OutboxEvent.kind == SEND_EVENTS[reminder], OutboxEvent.subject_id == survey.id,
        OutboxEvent.processed_at.is_(None), OutboxEvent.attempts < outbox.MAX_ATTEMPTS).order_by(OutboxEvent.id)
        .limit(1))


def queue_sending(survey: Survey, reminder: bool = False) -> int:
    """Staff asked to send the invitations (or reminders): recorded here, sent by the worker
    (inline after this commit without Redis). A press while a sending is still under way
    adds none: that one carries on (and is tried again now if it had stopped). Returns how
    many messages are to go."""
    if not accepting_responses(survey):
        raise InvitationError(_("Invitations can be sent only while the wave is open to answers"))
    event = _unfinished_event(survey, reminder)
    if event is None:
        to_go = len(_waiting_ids(survey, reminder))
        event = outbox.record(SEND_EVENTS[reminder], survey.id, total=to_go)
    else:
        to_go = event.payload.get("total", 0)
    event_id = event.id
    db.session.commit()
    outbox.dispatch([event_id])
    return to_go


def _send_handler(reminder: bool):
    def handler(event):
        survey = db.session.get(Survey, event.subject_id)
        if survey is None or not accepting_responses(survey):
            return None  # the wave closed meanwhile: its list is gone, nothing to send
        report = send_reminders(survey) if reminder else send_invitations(survey)
        if report.failed:
            # The event stays waiting with the reason (staff see it) and is tried again; the
            # messages that went are committed and are not sent twice.
            raise notify.NotifyError(_("%(failed)s could not be sent: %(error)s", failed=report.failed,
                                       error=report.error))
        return None

    return handler


outbox.handles(SEND_EVENTS[False])(_send_handler(False))
outbox.handles(SEND_EVENTS[True])(_send_handler(True))


@dataclass
class Sending:
    """How the latest sending of invitations or reminders is going, for staff."""

    reminder: bool
    total: int
    done: int
    finished: bool
    error: str


def sending_status(survey: Survey) -> list[Sending]:
    status = []
    for reminder, kind in SEND_EVENTS.items():
        event = db.session.scalar(select(OutboxEvent).where(OutboxEvent.kind == kind, OutboxEvent.subject_id == survey.id)
                                  .order_by(OutboxEvent.id.desc()).limit(1))
        if event is None:
            continue
        column = Invitation.reminded_at if reminder else Invitation.sent_at
        done = db.session.scalar(select(func.count(Invitation.id)).where(
            Invitation.survey_id == survey.id, column >= event.created_at))
        error = ""
        if event.last_error and event.processed_at is None:
            # Notify's reasons are written for staff; anything else is in the log only.
            reason = event.last_error.removeprefix("NotifyError: ") if event.last_error.startswith("NotifyError: ") else ""
            error = (_("It stopped: %(error)s. It is tried again by the worker.", error=reason.rstrip(".")) if reason
                     else _("It stopped. It is tried again by the worker."))
        status.append(Sending(reminder, event.payload.get("total", 0), done, event.processed_at is not None, error))
    return status


# News of results for the contact list

RESULTS_EVENT = "results.public"  # recorded by feedback.results when a wave's summary is made public


def _results_message(survey: Survey, contact: Contact) -> tuple[str, str, str]:
    values = dict(title=survey.title, organisation=current_app.config["ORGANISATION_NAME"],
                  link=absolute("results.public_summary", survey_id=survey.id),
                  leave=unsubscribe_link("c", contact.id, contact.nonce))
    if contact.email:
        return "email", _("The results of ‘%(title)s’ are out", **values), "\n\n".join([
            _("You asked %(organisation)s to tell you about the results of its surveys.", **values),
            _("See what families said about ‘%(title)s’, and what happens next: %(link)s", **values),
            _("To stop these messages and come off the contact list: %(leave)s", **values)])
    return "sms", "", _("%(organisation)s: the results of ‘%(title)s’ are out: %(link)s Stop messages: %(leave)s",
                        **values)


def tell_contacts_results(survey: Survey) -> SendReport:
    """Tell everyone on the contact list who asked for news of results (confirmed, in the
    wave's audience) that its results are public: once per wave each. A ContactNotice is
    written and committed before the message goes, so no retry or second worker sends it
    twice; it is taken back if the message could not go, for the next attempt."""
    report = SendReport()
    told = select(ContactNotice.contact_id).where(ContactNotice.survey_id == survey.id)
    contact_ids = list(db.session.scalars(select(Contact.id).where(
        Contact.confirmed_at.is_not(None), Contact.wants_results.is_(True),
        Contact.audience.in_(AUDIENCE_CONTACTS.get(survey.audience, ())), Contact.id.not_in(told)).order_by(Contact.id)))
    for contact_id in contact_ids:
        notice = ContactNotice(contact_id=contact_id, survey_id=survey.id)
        db.session.add(notice)
        try:
            db.session.commit()
        except IntegrityError:  # told by another worker meanwhile, or gone from the list
            db.session.rollback()
            continue
        contact = db.session.get(Contact, contact_id)
        channel, subject, body = _results_message(survey, contact)
        try:
            notify.send(channel, contact.email if channel == "email" else contact.mobile, "results_news",
                        subject=subject, body=body)
        except notify.NotifyError as error:
            db.session.rollback()
            db.session.execute(delete(ContactNotice).where(ContactNotice.contact_id == contact_id,
                                                           ContactNotice.survey_id == survey.id))
            db.session.commit()
            report.failed += 1
            report.error = str(error)
            continue
        db.session.commit()
        report.sent += 1
    return report


@outbox.handles(RESULTS_EVENT)
def _results_handler(event):
    survey = db.session.get(Survey, event.subject_id)
    if survey is None:
        return None
    report = tell_contacts_results(survey)
    if report.failed:
        raise notify.NotifyError(_("%(failed)s could not be sent: %(error)s", failed=report.failed, error=report.error))
    return None


# Using a link


def _by_token(model, purpose: str, token: str):
    """The row of `model` a link's token was made for (see tokens.py), or None."""
    parsed = token_id(token)
    if parsed is None:
        return None
    row = db.session.get(model, parsed[0])
    if row is None or not token_matches(purpose, token, row.id, row.nonce):
        return None
    return row


def find_invitation(token: str) -> Invitation | None:
    return _by_token(Invitation, "invitation", token)


def use_invitation(token: str) -> bool:
    """Mark the invitation used, on its own and at once (before any response exists): one
    conditional UPDATE, so two clicks at the same moment cannot both use it. Only the day is
    kept. Returns False when it was already used (or no longer exists)."""
    invitation = find_invitation(token)
    if invitation is None:
        return False
    invitation_id = invitation.id
    claimed = db.session.execute(
        update(Invitation).where(Invitation.id == invitation_id, Invitation.used_on.is_(None))
        .values(used_on=utcnow().date()).execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return bool(claimed)


# Unsubscribing


def find_for_unsubscribe(kind: str, token: str):
    """The invitation ("i") or contact ("c") a message's unsubscribe link names, or None."""
    return _by_token(Invitation if kind == "i" else Contact, f"unsubscribe-{kind}", token)


def unsubscribe(kind: str, token: str) -> bool:
    """No more messages: about this wave (an invitation), and off the contact list if that is
    where the invitation came from (or the link was the contact list's own)."""
    row = find_for_unsubscribe(kind, token)
    if row is None:
        return False
    contact_id = row.contact_id if kind == "i" else row.id
    if kind == "i":
        row.unsubscribed = True
    if contact_id is not None:
        _remove_contacts([contact_id])
    db.session.commit()
    return True


def _remove_contacts(contact_ids: list[int]) -> None:
    db.session.execute(update(Invitation).where(Invitation.contact_id.in_(contact_ids))
                       .values(unsubscribed=True, contact_id=None).execution_options(synchronize_session=False))
    db.session.execute(delete(Contact).where(Contact.id.in_(contact_ids)).execution_options(synchronize_session=False))


# The contact list


def consent_text(audience: str) -> str:
    """The consent wording for who is signing up, in words for their age."""
    organisation = current_app.config["ORGANISATION_NAME"]
    if audience == ContactAudience.YOUNG_PERSON:
        return _("It is OK for %(organisation)s to keep my email or phone number so they can tell me about "
                 "new surveys and what happened because of them. They will not share it, it is not joined to "
                 "my answers, and I can take myself off the list whenever I want.", organisation=organisation)
    return _("I agree that %(organisation)s can keep my contact details to tell me about new surveys and "
             "their results. My details are kept apart from any answers I give, are never shared, and I can "
             "ask for them to be removed at any time.", organisation=organisation)


def sign_up(audience: str, email: str | None, mobile: str | None, wants_surveys: bool, wants_results: bool) -> None:
    """Ask to join the list: a confirmation link is sent; nothing else happens until it is
    followed. The same reply whether or not the details are already on the list."""
    db.session.execute(delete(Contact).where(
        Contact.confirmed_at.is_(None), Contact.created_at < utcnow() - timedelta(days=PENDING_DAYS)))
    contact = Contact(audience=audience, email=normalise_address(email) if email else None,
                      mobile=normalise_mobile(mobile) if mobile else None, wants_surveys=wants_surveys,
                      wants_results=wants_results, consent_text=consent_text(audience), nonce=new_nonce())
    db.session.add(contact)
    db.session.flush()
    link = absolute("invitations.confirm_contact", token=make_token("confirm", contact.id, contact.nonce))
    leave = unsubscribe_link("c", contact.id, contact.nonce)
    values = dict(organisation=current_app.config["ORGANISATION_NAME"], link=link, leave=leave, days=PENDING_DAYS)
    if contact.email:
        notify.send("email", contact.email, "contact_confirmation",
                    subject=_("Confirm you want to hear about new surveys"),
                    body="\n\n".join([
                        _("You asked %(organisation)s to tell you about new surveys and their results.", **values),
                        _("To confirm, follow this link within %(days)s days: %(link)s", **values),
                        _("If this was not you, ignore this message and we will delete your details. "
                          "To remove them now: %(leave)s", **values)]))
    else:
        notify.send("sms", contact.mobile, "contact_confirmation",
                    body=_("%(organisation)s: to confirm you want to hear about new surveys, go to %(link)s "
                           "Not you? Ignore this. Remove: %(leave)s", **values))
    db.session.commit()


def find_pending(token: str) -> Contact | None:
    return _by_token(Contact, "confirm", token)


def confirm(token: str) -> bool:
    contact = find_pending(token)
    if contact is None:
        return False
    if contact.confirmed_at is None:
        # Anyone already confirmed with the same details is replaced, so each person is on once.
        same = [c.id for c in db.session.scalars(select(Contact).where(
            Contact.id != contact.id, Contact.confirmed_at.is_not(None),
            or_(*[col == value for col, value in ((Contact.email, contact.email), (Contact.mobile, contact.mobile))
                  if value])))]
        if same:
            _remove_contacts(same)
        contact.confirmed_at = utcnow()
    db.session.commit()
    return True


def leave_list(email: str | None, mobile: str | None) -> None:
    """Remove every entry with this email address or mobile number (the same reply either way)."""
    conditions = []
    if email and (address := normalise_address(email)):
        conditions.append(Contact.email == address)
    if mobile and (number := normalise_mobile(mobile)):
        conditions.append(Contact.mobile == number)
    if conditions:
        _remove_contacts(list(db.session.scalars(select(Contact.id).where(or_(*conditions)))))
    db.session.commit()


def contacts_for_email(email: str) -> list[Contact]:
    """For access and erasure requests (feedback.privacy)."""
    return list(db.session.scalars(select(Contact).where(Contact.email == email.strip().lower()).order_by(Contact.id)))


def invitations_for_email(email: str) -> list[Invitation]:
    return list(db.session.scalars(
        select(Invitation).where(Invitation.email == email.strip().lower()).order_by(Invitation.id)))


def contact_counts() -> dict[str, int]:
    """How many are on the list, for staff (no one's details)."""
    rows = db.session.execute(select(Contact.audience, func.count(Contact.id))
                              .where(Contact.confirmed_at.is_not(None)).group_by(Contact.audience))
    return {audience: count for audience, count in rows}

"""Families asking to be contacted after answering a survey.

A contact request is kept apart from the family's response, so answers to an anonymous
survey stay anonymous; the reference is kept only when the family chose to share their
answers. Staff see open requests and mark them done; both are audited, because the
requests hold names, contact details and the family's own words.
"""

from datetime import datetime, time, timezone

from sqlalchemy import select

from ..accounts.services import normalise_email
from ..audit import record_audit
from ..extensions import db
from ..models import ContactRequest, Response, Survey, User
from ..models.base import utcnow
from ..notifications import events as notices


def request_contact(survey: Survey, response: Response, name: str, email: str | None, phone: str | None,
                    about: str, share_answers: bool) -> ContactRequest:
    request = ContactRequest(
        survey_id=survey.id, name=name.strip(), email=normalise_email(email) if email else None,
        phone=(phone or "").strip() or None, about=(about or "").strip(),
        reference=response.reference if share_answers else None,
        # Unless the family shared their answers, keep only the day: a time to the second
        # would match their response's submission time and link the two.
        created_at=utcnow() if share_answers else _day(utcnow()),
    )
    db.session.add(request)
    db.session.flush()
    notices.contact_request_arrived(request)
    db.session.commit()
    return request


def _day(moment: datetime) -> datetime:
    return datetime.combine(moment.date(), time(), tzinfo=timezone.utc)


def contact_requests(viewer: User) -> tuple[list[ContactRequest], list[ContactRequest]]:
    """(waiting, done): waiting oldest first, done most recent first. Viewing is audited."""
    rows = list(db.session.scalars(select(ContactRequest).order_by(ContactRequest.created_at)))
    waiting = [r for r in rows if r.handled_at is None]
    done = sorted((r for r in rows if r.handled_at is not None), key=lambda r: r.handled_at, reverse=True)
    record_audit(viewer, "contact_requests.viewed", "contact_request", None, {"waiting": len(waiting), "done": len(done)})
    db.session.commit()
    return waiting, done


def mark_contacted(request_id: int, user: User) -> ContactRequest | None:
    request = db.session.get(ContactRequest, request_id)
    if request is None:
        return None
    if request.handled_at is None:
        request.handled_at, request.handled_by_id = utcnow(), user.id
        record_audit(user, "contact_request.handled", "contact_request", request.id)
        db.session.commit()
    return request


def delete_request(request_id: int, user: User) -> bool:
    """Delete a request on the family's behalf (they asked, or it is no longer needed)."""
    request = db.session.get(ContactRequest, request_id)
    if request is None:
        return False
    db.session.delete(request)
    record_audit(user, "contact_request.deleted", "contact_request", request_id)
    db.session.commit()
    return True


def shared_answers(request_id: int, user: User) -> tuple[ContactRequest, list[tuple[str, list[str]]]] | None:
    """The answers a family chose to share with its request, question by question in survey
    order; None when the request does not exist or the family did not share them. Each
    opening is audited, as the request promised the family."""
    request = db.session.get(ContactRequest, request_id)
    if request is None or not request.reference:
        return None
    response = db.session.scalar(select(Response).where(Response.reference == request.reference,
                                                        Response.survey_id == request.survey_id))
    if response is None:
        return None
    by_question: dict[int, list[str]] = {}
    for answer in sorted(response.answers, key=lambda a: (a.question.position, a.slot, a.id)):
        by_question.setdefault(answer.question_id, []).append(answer.value)
    questions = {a.question_id: a.question for a in response.answers}
    rows = [(questions[qid].text, values) for qid, values in by_question.items()]
    record_audit(user, "contact_request.answers_viewed", "contact_request", request.id)
    db.session.commit()
    return request, rows

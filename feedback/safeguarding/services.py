"""Safeguarding use cases: flag text at risk, open a flag (audited), mark it actioned.

A flag points at text that lives elsewhere. Each feature registers how to find its text:

    @register_source("answer", "Survey answer")
    def answer_text(answer_id): return SourceText(text, url_or_None) or None

so the queue never needs to know about surveys or ideas.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from flask_babel import gettext as _
from sqlalchemy import select

from ..analysis.redaction import redact
from ..analysis.safeguarding import SafeguardingResult, assess_safeguarding
from ..audit import record_audit
from ..extensions import db
from ..models import FlagStatus, RedactionName, SafeguardingFlag, TextAnalysis, User
from ..models.base import utcnow
from ..notifications import events as notices


class SafeguardingError(Exception):
    """A rule about the safeguarding queue was broken; the message is safe to show."""


class NotSafeguardingLead(SafeguardingError):
    pass


class AlreadyActioned(SafeguardingError):
    pass


@dataclass(frozen=True)
class SourceText:
    text: str  # the original, unredacted words
    link: str | None = None  # where the text sits in the service, for context
    survey: str | None = None  # the survey's title, for answers
    question: str | None = None  # the question answered
    when: datetime | None = None  # when the family sent it


@dataclass(frozen=True)
class Source:
    label: str
    find: Callable[[int], SourceText | None]


SOURCES: dict[str, Source] = {}


def register_source(source_type: str, label: str):
    """Features tell the queue how to find the text behind their flags."""

    def decorator(find):
        SOURCES[source_type] = Source(label, find)
        return find

    return decorator


def source_label(source_type: str) -> str:
    source = SOURCES.get(source_type)
    return source.label if source else source_type.replace("_", " ").capitalize()


def source_text(flag: SafeguardingFlag) -> SourceText | None:
    source = SOURCES.get(flag.source_type)
    return source.find(flag.source_id) if source else None


def flag_if_at_risk(source_type: str, source_id: int, text: str,
                    result: SafeguardingResult | None = None) -> SafeguardingFlag | None:
    """Flag `text` when it may disclose a risk of harm; part of the caller's transaction
    (flush first so `source_id` exists; the caller commits). Changed text that is flagged
    again reopens the flag with what matched now. `result` is the text's assessment when the
    caller has made it already (the analysis does), so it is not made twice."""
    result = result if result is not None else assess_safeguarding(text)
    if not result.flagged:
        return None
    flag = db.session.scalar(
        select(SafeguardingFlag).where(
            SafeguardingFlag.source_type == source_type, SafeguardingFlag.source_id == source_id
        )
    )
    new = flag is None or flag.status != FlagStatus.OPEN
    if flag is None:
        flag = SafeguardingFlag(source_type=source_type, source_id=source_id)
        db.session.add(flag)
    flag.categories = ",".join(result.categories)
    # What made the flag, for the safeguarding lead (the flag page is theirs alone).
    flag.matched = "\n".join(dict.fromkeys(f"{e.words} ({e.category.replace('_', ' ')}: {e.rule})"
                                           for e in result.evidence))
    flag.negated = result.negated
    flag.status = FlagStatus.OPEN
    flag.created_at = utcnow()
    if new:
        db.session.flush()
        notices.flag_arrived(flag)
    return flag


@dataclass(frozen=True)
class QueueItem:
    flag: SafeguardingFlag
    label: str
    redacted: str
    survey: str | None = None
    question: str | None = None
    when: datetime | None = None


def redacted_for_staff(flag: SafeguardingFlag, found: SourceText) -> str:
    """The text as any member of staff may read it: the stored analysis's redaction (with
    the staff list of names and any fragments removed by hand), or redacted now."""
    stored = db.session.scalar(select(TextAnalysis.redacted_text).where(
        TextAnalysis.source_type == flag.source_type, TextAnalysis.source_id == flag.source_id))
    if stored is not None:
        return stored
    return redact(found.text, tuple(db.session.scalars(select(RedactionName.name)))).text


def queue(status: str = FlagStatus.OPEN) -> list[QueueItem]:
    """Flags with the given status, newest first, with their text redacted for the list and,
    for survey answers, the survey, the question and when it was sent."""
    flags = db.session.scalars(
        select(SafeguardingFlag)
        .where(SafeguardingFlag.status == status)
        .order_by(SafeguardingFlag.created_at.desc(), SafeguardingFlag.id.desc())
    )
    items = []
    for flag in flags:
        found = source_text(flag)
        if found is None:
            items.append(QueueItem(flag, source_label(flag.source_type), "The text is no longer available."))
            continue
        items.append(QueueItem(flag, source_label(flag.source_type), redacted_for_staff(flag, found),
                               found.survey, found.question, found.when or flag.created_at))
    return items


def can_see_unredacted(user: User) -> bool:
    return bool(user.is_authenticated and user.is_staff and user.safeguarding_lead)


def open_flag(flag: SafeguardingFlag, viewer: User) -> SourceText | None:
    """The original text, for the safeguarding lead only; every view is audited."""
    if not can_see_unredacted(viewer):
        raise NotSafeguardingLead(_("Only a safeguarding lead can read flagged text."))
    record_audit(viewer, "safeguarding.flag_viewed", "safeguarding_flag", flag.id,
                 {"source_type": flag.source_type, "source_id": flag.source_id})
    db.session.commit()
    return source_text(flag)


def mark_actioned(flag: SafeguardingFlag, actor: User, note: str) -> None:
    if not can_see_unredacted(actor):
        raise NotSafeguardingLead(_("Only a safeguarding lead can action a flag."))
    if not flag.is_open:
        raise AlreadyActioned(_("This flag has already been actioned."))
    flag.status = FlagStatus.ACTIONED
    flag.actioned_by = actor
    flag.actioned_at = utcnow()
    flag.action_note = note
    record_audit(actor, "safeguarding.flag_actioned", "safeguarding_flag", flag.id, note)
    db.session.commit()

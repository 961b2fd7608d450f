"""Ideas use cases: the only code that writes ideas, supports, comments, reports, council
updates and notifications. Each public function is one transaction."""

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from ..analysis.redaction import redact
from ..audit import record_audit
from ..extensions import db
from ..models import Action, Membership, Notification, Organisation, Role, User, YouthConsent
from ..models.base import utcnow
from ..text import N_
from ..models.ideas import (
    VISIBLE_STATUSES,
    AlreadyReported,
    AlreadySupported,
    CommentStatus,
    Idea,
    IdeaComment,
    IdeaError,
    IdeaNotEditable,
    IdeaNotOpen,
    IdeaReport,
    IdeaStatus,
    IdeaSupport,
    IdeaUpdate,
    InvalidTransition,
    NotSupported,
    NotYours,
)
from ..comments.services import TextSource, analyse_sources, redaction_names
from ..notifications.services import notify
from ..privacy import services as privacy
from ..safeguarding.services import SourceText, flag_if_at_risk, register_source

__all__ = [
    "AlreadyReported", "AlreadySupported", "IdeaError", "IdeaNotEditable", "IdeaNotOpen",
    "InvalidTransition", "NotSupported", "NotYours",
]

# Above this probability the profanity model holds text for a person to check. Chosen on
# young people's own words: "this sucks, the buses are always late" scores 0.99 and is held
# for a moderator, never refused; "kill the homework" scores 0.71 and goes through.
PROFANITY_THRESHOLD = 0.75
OFFENSIVE_NOTE = "May contain offensive language"
SAFEGUARDING_NOTE = "Sent to the safeguarding queue"
FORMER_MEMBER = "A former Youth Forum member"


def premoderation() -> bool:
    return current_app.config["IDEAS_PREMODERATION"]


def public_name(user: User | None) -> str:
    """Only a first or chosen name is ever shown to other people."""
    if user is None:
        return FORMER_MEMBER
    return (user.display_name or "").split()[0] if user.display_name.strip() else "A Youth Forum member"


@cache
def _profanity_model():
    # Loading the model takes about a second: only when the first text is checked.
    from profanity_check import predict_prob

    return predict_prob


def may_be_offensive(text: str) -> bool:
    return bool(text.strip()) and _profanity_model()([text])[0] >= PROFANITY_THRESHOLD


def _author_names(author: User | None) -> tuple[str, ...]:
    return (author.display_name,) if author is not None and author.display_name else ()


def _redact(text: str, author: User | None) -> str:
    """The public words: the author's name and the staff list of names removed too."""
    return redact(text, extra_names=_author_names(author) + redaction_names()).text


def _screen(source_type: str, source_id: int, text: str) -> str:
    """Safeguarding and profanity checks; returns why a moderator must look ('' if none)."""
    notes = []
    if flag_if_at_risk(source_type, source_id, text) is not None:
        notes.append(SAFEGUARDING_NOTE)
    if may_be_offensive(text):
        notes.append(OFFENSIVE_NOTE)
    return "; ".join(notes)


class ConsentNeeded(IdeaError):
    """A young person without valid consent tried to publish their words or support."""


CONSENT_NEEDED = "You need to give your consent before you can put forward ideas, support them or comment"


def youth_consent(user: User) -> YouthConsent | None:
    return db.session.scalar(select(YouthConsent).where(YouthConsent.user_id == user.id))


def has_consent(user: User) -> bool:
    """A youth member takes part only with valid consent: their own at 13 and over, their
    parent's or carer's confirmed under 13, not withdrawn. Other roles do not need it."""
    if user.role != Role.YOUTH_MEMBER:
        return True
    consent = youth_consent(user)
    return consent is not None and consent.is_given


def _require_consent(user: User) -> None:
    if not has_consent(user):
        raise ConsentNeeded(CONSENT_NEEDED)


def _notify(idea: Idea, message: str, **params) -> None:
    """News for the idea's author, on their notifications page (in the service only, as
    before: young people are not emailed about their ideas), in the author's language there."""
    if idea.author is not None:
        notify([idea.author], "idea.update", message, email=False, idea=idea, params=params)  # the page links to the idea


def _analyse(idea: Idea) -> None:
    """The same analysis as every other free text (current taxonomy, staff names), stored
    as the idea's TextAnalysis; the idea keeps its sentiment and themes for the summary."""
    (result,) = analyse_sources([TextSource("idea", idea.id, f"{idea.title}. {idea.body}",
                                            names=_author_names(idea.author))])
    idea.sentiment, idea.polarity = result.label, result.polarity
    idea.themes = ",".join(match.name for match in result.themes)


def _set_words(idea: Idea, author: User, title: str, body: str, category: str) -> None:
    idea.title, idea.body, idea.category = title, body, category
    idea.public_title = _redact(title, author)
    idea.public_body = _redact(body, author)


# The author's use cases


def submit_idea(author: User, title: str, body: str, category: str) -> Idea:
    _require_consent(author)
    idea = Idea(author=author, status=IdeaStatus.SUBMITTED)
    _set_words(idea, author, title, body, category)
    db.session.add(idea)
    db.session.flush()
    _analyse(idea)
    idea.moderation_note = _screen("idea", idea.id, f"{title}\n{body}")
    if not premoderation() and not idea.moderation_note:
        idea.publish(utcnow())
    db.session.commit()
    return idea


def change_idea(idea: Idea, author: User, title: str, body: str, category: str) -> Idea:
    _require_consent(author)
    if idea.author_id != author.id:
        raise NotYours(_("You can only change your own ideas."))
    now = utcnow()
    _set_words(idea, author, title, body, category)
    _analyse(idea)
    note = _screen("idea", idea.id, f"{title}\n{body}")
    idea.change(hold=premoderation() or bool(note), now=now)
    idea.moderation_note = note
    db.session.commit()
    return idea


def withdraw_idea(idea: Idea, author: User) -> None:
    if idea.author_id != author.id:
        raise NotYours(_("You can only withdraw your own ideas."))
    idea.withdraw(utcnow())
    db.session.commit()


def _open_idea(idea: Idea) -> None:
    if not idea.is_visible:
        raise IdeaNotOpen(_("You can only do this on a published idea."))


def support_idea(idea: Idea, member: User) -> None:
    _require_consent(member)
    _open_idea(idea)
    if idea.author_id == member.id:
        raise AlreadySupported(_("This is your idea, so you already support it."))
    if _support(idea, member) is not None:
        raise AlreadySupported(_("You already support this idea."))
    db.session.add(IdeaSupport(idea=idea, user_id=member.id))
    db.session.commit()


def withdraw_support(idea: Idea, member: User) -> None:
    support = _support(idea, member)
    if support is None:
        raise NotSupported(_("You do not support this idea."))
    db.session.delete(support)
    db.session.commit()


def _support(idea: Idea, member: User) -> IdeaSupport | None:
    return db.session.scalar(
        select(IdeaSupport).where(IdeaSupport.idea_id == idea.id, IdeaSupport.user_id == member.id)
    )


def add_comment(idea: Idea, author: User, body: str) -> IdeaComment:
    _require_consent(author)
    _open_idea(idea)
    comment = IdeaComment(idea=idea, author=author, body=body, public_body=_redact(body, author))
    db.session.add(comment)
    db.session.flush()
    analyse_sources([TextSource("idea_comment", comment.id, body, names=_author_names(author))])
    comment.moderation_note = _screen("idea_comment", comment.id, body)
    if not premoderation() and not comment.moderation_note:
        comment.publish()
        if idea.author_id != author.id:
            _notify(idea, N_("%(name)s commented on your idea."), name=public_name(author))
    db.session.commit()
    return comment


def report(idea: Idea, reporter: User, reason: str, comment: IdeaComment | None = None) -> IdeaReport:
    _open_idea(idea)
    if comment is not None and (comment.idea_id != idea.id or not comment.is_published):
        raise IdeaNotOpen(_("You can only report a comment that is showing."))
    same_item = IdeaReport.comment_id == comment.id if comment is not None else IdeaReport.comment_id.is_(None)
    already = db.session.scalar(
        select(IdeaReport.id).where(
            IdeaReport.idea_id == idea.id,
            same_item,
            IdeaReport.reporter_id == reporter.id,
            IdeaReport.resolved_at.is_(None),
        )
    )
    if already is not None:
        raise AlreadyReported(_("You have already reported this. Someone will look at it soon."))
    item = IdeaReport(idea=idea, comment=comment, reporter_id=reporter.id, reason=reason)
    db.session.add(item)
    db.session.commit()
    return item


def delete_member_account(user: User) -> None:
    """Delete a youth member's account. Their ideas, comments and supports stay, with no
    name (their words stay too; an erasure request replaces them). The account goes the
    one way every account goes: `privacy.forget_user`."""
    if user.role != Role.YOUTH_MEMBER:
        raise IdeaError(_("Only youth members can delete their own account here."))
    user_id = user.id
    privacy.forget_user(user_id)
    record_audit(None, "account.deleted", "user", user_id,
                 "A youth member deleted their account; their ideas were kept without their name")
    db.session.commit()


# Staff use cases


def publish_idea(idea: Idea, moderator: User) -> None:
    idea.publish(utcnow())
    record_audit(moderator, "idea.published", "idea", idea.id)
    _notify(idea, N_("Your idea has been published. Other members can now see and support it."))
    db.session.commit()


def _resolve_reports(now: datetime, moderator: User, outcome: str, idea: Idea, comment: IdeaComment | None):
    condition = IdeaReport.comment_id == comment.id if comment is not None else IdeaReport.idea_id == idea.id
    db.session.execute(
        update(IdeaReport)
        .where(condition, IdeaReport.resolved_at.is_(None))
        .values(resolved_at=now, resolved_by_id=moderator.id, outcome=outcome)
    )


def remove_idea(idea: Idea, moderator: User, reason: str) -> None:
    now = utcnow()
    idea.remove(reason, now)
    _resolve_reports(now, moderator, "removed", idea, None)
    record_audit(moderator, "idea.removed", "idea", idea.id, reason)
    _notify(idea, N_("Your idea has been taken down. See why on your idea's page."))
    db.session.commit()


def publish_comment(comment: IdeaComment, moderator: User) -> None:
    comment.publish()
    record_audit(moderator, "idea_comment.published", "idea_comment", comment.id)
    if comment.idea.author_id != comment.author_id:
        _notify(comment.idea, N_("%(name)s commented on your idea."), name=public_name(comment.author))
    db.session.commit()


def remove_comment(comment: IdeaComment, moderator: User, reason: str) -> None:
    comment.remove(reason)
    _resolve_reports(utcnow(), moderator, "removed", comment.idea, comment)
    record_audit(moderator, "idea_comment.removed", "idea_comment", comment.id, reason)
    db.session.commit()


def keep_reported(item: IdeaReport, moderator: User) -> None:
    """The moderator looked and the idea or comment can stay."""
    if item.resolved_at is not None:
        raise InvalidTransition(_("This report has already been dealt with."))
    _resolve_reports(utcnow(), moderator, "kept", item.idea, item.comment)
    record_audit(moderator, "idea_report.kept", "idea_report", item.id)
    db.session.commit()


def respond_to_idea(idea: Idea, staff: User, to_status: str, text: str) -> IdeaUpdate:
    now = utcnow()
    from_status = idea.respond(to_status, now)
    update_ = IdeaUpdate(idea=idea, author=staff, from_status=from_status, to_status=to_status, text=text)
    db.session.add(update_)
    _notify(idea, N_("The council has an update on your idea: %(status_label)s."),
            status_label=IdeaStatus(to_status).label)
    db.session.commit()
    return update_


ACTION_LINKED = N_("Your idea led to a “You said, we did” action. See what the council is doing.")


def link_action(idea: Idea, action: Action) -> None:
    """Link an idea to a "You said, we did" action it led to (the actions feature calls this,
    inside its own transaction) and tell the author when it becomes linked. An idea may lead
    to several actions."""
    if action not in idea.actions:
        idea.actions.append(action)
        _notify(idea, ACTION_LINKED)


def unlink_action(idea: Idea, action: Action) -> None:
    if action in idea.actions:
        idea.actions.remove(action)


# Queries


def idea_actions(idea: Idea) -> list[Action]:
    """The "You said, we did" actions an idea led to, shown to everyone who can read the idea."""
    return list(idea.actions)


@dataclass(frozen=True)
class IdeaRow:
    idea: Idea
    supports: int
    comments: int


SORTS = {
    "supported": N_("Most supported"),
    "newest": N_("Newest"),
    "updated": N_("Recently updated"),
}


def _support_count():
    return (
        select(func.count(IdeaSupport.id)).where(IdeaSupport.idea_id == Idea.id).correlate(Idea).scalar_subquery()
    )


def counts(ideas: list[Idea]) -> dict[int, tuple[int, int]]:
    ids = [idea.id for idea in ideas]
    if not ids:
        return {}
    supports = dict(
        db.session.execute(
            select(IdeaSupport.idea_id, func.count()).where(IdeaSupport.idea_id.in_(ids)).group_by(IdeaSupport.idea_id)
        ).all()
    )
    comments = dict(
        db.session.execute(
            select(IdeaComment.idea_id, func.count())
            .where(IdeaComment.idea_id.in_(ids), IdeaComment.status == CommentStatus.PUBLISHED)
            .group_by(IdeaComment.idea_id)
        ).all()
    )
    return {i: (supports.get(i, 0), comments.get(i, 0)) for i in ids}


def browse(sort: str = "supported", category: str = "", status: str = "", words: str = "", page: int = 1):
    """Published ideas, for everyone signed in: a page of IdeaRows (pagination attached)."""
    query = select(Idea).options(selectinload(Idea.author))
    query = query.where(Idea.status.in_([status] if status in VISIBLE_STATUSES else VISIBLE_STATUSES))
    if category:
        query = query.where(Idea.category == category)
    for word in words.split()[:10]:
        query = query.where(
            or_(Idea.public_title.icontains(word, autoescape=True), Idea.public_body.icontains(word, autoescape=True))
        )
    order = {
        "newest": (Idea.published_at.desc(),),
        "updated": (Idea.updated_at.desc(),),
    }.get(sort, (_support_count().desc(), Idea.published_at.desc()))
    pagination = db.paginate(query.order_by(*order, Idea.id.desc()), page=page, per_page=20, error_out=False)
    found = counts(pagination.items)
    rows = [IdeaRow(idea, *found[idea.id]) for idea in pagination.items]
    return rows, pagination


def can_see(idea: Idea, user: User) -> bool:
    return idea.is_visible or user.has_role(Role.STAFF) or idea.author_id == user.id


def supports(idea: Idea, user: User) -> bool:
    return _support(idea, user) is not None


def visible_comments(idea: Idea, user: User) -> list[IdeaComment]:
    """Published comments, plus the viewer's own comments that are still being checked."""
    return [
        c for c in idea.comments
        if c.is_published or (c.status == CommentStatus.HELD and (c.author_id == user.id or user.has_role(Role.STAFF)))
    ]


def my_ideas(user: User) -> list[IdeaRow]:
    ideas = list(
        db.session.scalars(
            select(Idea).where(Idea.author_id == user.id).options(selectinload(Idea.updates))
            .order_by(Idea.updated_at.desc())
        )
    )
    found = counts(ideas)
    return [IdeaRow(idea, *found[idea.id]) for idea in ideas]


@dataclass(frozen=True)
class ModerationQueue:
    ideas: list[Idea]
    comments: list[IdeaComment]
    reports: list[IdeaReport]

    @property
    def total(self) -> int:
        return len(self.ideas) + len(self.comments) + len(self.reports)


def moderation_queue() -> ModerationQueue:
    return ModerationQueue(
        ideas=list(db.session.scalars(
            select(Idea).where(Idea.status == IdeaStatus.SUBMITTED).order_by(Idea.updated_at)
        )),
        comments=list(db.session.scalars(
            select(IdeaComment).where(IdeaComment.status == CommentStatus.HELD).order_by(IdeaComment.created_at)
        )),
        reports=list(db.session.scalars(
            select(IdeaReport).where(IdeaReport.resolved_at.is_(None)).order_by(IdeaReport.created_at)
        )),
    )


@dataclass(frozen=True)
class ResponseTime:
    idea: Idea
    days: float | None  # None: not answered yet
    waiting_days: float | None


@dataclass(frozen=True)
class Summary:
    categories: list[str]
    statuses: list[IdeaStatus]
    table: dict[str, dict[str, int]]  # category -> status -> count
    themes: list[tuple[str, int]]
    sentiment: dict[str, int]
    response_times: list[ResponseTime]
    median_days: float | None
    total: int


def _days(delta: timedelta) -> float:
    return round(delta.total_seconds() / 86400, 1)


def summary() -> Summary:
    """Ideas by category and status, their themes and sentiment, and how long the council
    took to first answer each one (the time it took to be heard)."""
    ideas = list(db.session.scalars(
        select(Idea).where(Idea.status != IdeaStatus.WITHDRAWN).order_by(Idea.created_at)
    ))
    statuses = [s for s in IdeaStatus if s != IdeaStatus.WITHDRAWN]
    table: dict[str, dict[str, int]] = {}
    themes: dict[str, int] = {}
    sentiment = {"positive": 0, "neutral": 0, "negative": 0}
    now = utcnow()
    times = []
    for idea in ideas:
        row = table.setdefault(idea.category, {s.value: 0 for s in statuses})
        row[idea.status] += 1
        if idea.status == IdeaStatus.REMOVED:
            continue
        for theme in idea.theme_list:
            themes[theme] = themes.get(theme, 0) + 1
        if idea.sentiment in sentiment:
            sentiment[idea.sentiment] += 1
        if idea.first_response_at is not None:
            times.append(ResponseTime(idea, _days(idea.first_response_at - idea.created_at), None))
        elif idea.is_visible:
            times.append(ResponseTime(idea, None, _days(now - idea.created_at)))
    answered = [t.days for t in times if t.days is not None]
    return Summary(
        categories=sorted(table),
        statuses=statuses,
        table=table,
        themes=sorted(themes.items(), key=lambda kv: (-kv[1], kv[0])),
        sentiment=sentiment,
        response_times=times,
        median_days=round(statistics.median(answered), 1) if answered else None,
        total=len(ideas),
    )


# Where the safeguarding lead finds flagged ideas and comments.


@register_source("idea", "Youth Forum idea")
def idea_text(idea_id: int) -> SourceText | None:
    idea = db.session.get(Idea, idea_id)
    if idea is None:
        return None
    return SourceText(f"{idea.title}\n\n{idea.body}", url_for("ideas.idea", idea_id=idea.id))


@register_source("idea_comment", "Comment on a Youth Forum idea")
def comment_text(comment_id: int) -> SourceText | None:
    comment = db.session.get(IdeaComment, comment_id)
    if comment is None:
        return None
    return SourceText(comment.body, url_for("ideas.idea", idea_id=comment.idea_id))


# Demo data


DEMO_MEMBERS = [
    ("riley@example.org", "Riley"),
    ("priya@example.org", "Priya"),
    ("tom@example.org", "Tom"),
    ("ellie@example.org", "Ellie"),
]

# (author email, title, body, category, status, days ago submitted, [(days later, status, update)])
DEMO_IDEAS = [
    ("youth@example.org", "Quiet rooms in every secondary school",
     "Lunch and break times are really loud and busy. A quiet room where we can go to calm down "
     "would help autistic students and anyone who gets overwhelmed to stay in school all day.",
     "School place and provision", IdeaStatus.IN_PROGRESS, 60,
     [(9, IdeaStatus.UNDER_CONSIDERATION, "Thank you. We are asking five secondary schools what space they have."),
      (30, IdeaStatus.ACCEPTED, "Four schools have agreed to open a quiet room after the Easter holidays."),
      (45, IdeaStatus.IN_PROGRESS, "Two quiet rooms are open now. The Youth Forum is helping choose the furniture.")]),
    ("riley@example.org", "Travel training before starting college",
     "Starting college means getting a bus on my own for the first time. Practice journeys with "
     "someone before September would make it much less scary.",
     "Transport", IdeaStatus.DONE, 120,
     [(14, IdeaStatus.ACCEPTED, "Travel training is now offered to every young person with an EHCP going to college."),
      (80, IdeaStatus.DONE, "42 young people did travel training last summer. It is now offered every year.")]),
    ("priya@example.org", "Easy read letters about my EHCP",
     "The letters about my plan are long and full of words I do not understand. Please send an "
     "easy read version so I know what is happening.",
     "Communication", IdeaStatus.UNDER_CONSIDERATION, 25,
     [(6, IdeaStatus.UNDER_CONSIDERATION, "The EHCP team is looking at easy read templates with the Youth Forum.")]),
    ("tom@example.org", "Free gym passes for young carers",
     "Young carers hardly get time for themselves. A free gym or swimming pass would help us keep "
     "well and meet people.",
     "Social care and short breaks", IdeaStatus.NOT_TAKEN_FORWARD, 90,
     [(21, IdeaStatus.NOT_TAKEN_FORWARD, "We cannot fund passes this year. Instead, short breaks now include "
       "free leisure centre sessions: ask your social worker.")]),
    ("ellie@example.org", "Let us meet the new CAMHS worker first",
     "Meeting someone new is really hard. Being able to meet my worker once before the first "
     "appointment, even on video, would help me talk.",
     "Health and therapies", IdeaStatus.ACCEPTED, 40,
     [(12, IdeaStatus.ACCEPTED, "CAMHS will offer a short hello call before every first appointment from June.")]),
    ("youth@example.org", "A Youth Forum page on the Local Offer",
     "Young people do not know the Youth Forum exists. A page on the Local Offer with what we have "
     "changed would get more people to join.",
     "Information and the Local Offer", IdeaStatus.PUBLISHED, 8, []),
    ("riley@example.org", "Training for bus drivers about autism",
     "Some drivers get annoyed when I take longer to get on or wear headphones. Training would help "
     "them understand.",
     "Transport", IdeaStatus.PUBLISHED, 3, []),
    ("priya@example.org", "Sensory-friendly hours at the library",
     "A couple of hours a week with the lights down and no announcements would mean I could use the "
     "library too.",
     "Something else", IdeaStatus.SUBMITTED, 1, []),
]


def seed_demo_ideas() -> None:
    """Youth Forum ideas in every status, with supports, comments and council updates (once)."""
    if db.session.scalar(select(Idea.id).limit(1)) is not None:
        return
    staff = db.session.scalar(select(User).where(User.email == "staff@example.org"))
    forum = db.session.scalar(select(Organisation).where(Organisation.name == "Norfolk Youth Forum"))
    members = {}
    for email, name in DEMO_MEMBERS:
        member = db.session.scalar(select(User).where(User.email == email))
        if member is None:
            # Supporters and commenters only: no password, so nobody can sign in as them.
            member = User(email=email, display_name=name, role=Role.YOUTH_MEMBER)
            db.session.add(member)
            if forum is not None:
                db.session.add(Membership(user=member, organisation=forum))
        members[email] = member
    members["youth@example.org"] = db.session.scalar(select(User).where(User.email == "youth@example.org"))
    db.session.flush()
    for member in members.values():  # the demo's members are 13 or over and have said yes
        if member is not None and youth_consent(member) is None:
            db.session.add(YouthConsent(user_id=member.id, age_group="13_or_over"))
    db.session.commit()
    if staff is None or members["youth@example.org"] is None:
        return
    now = utcnow()
    supporters = list(members.values())
    for n, (email, title, body, category, status, days_ago, updates) in enumerate(DEMO_IDEAS):
        author = members[email]
        idea = Idea(author=author, status=IdeaStatus.SUBMITTED)
        _set_words(idea, author, title, body, category)
        db.session.add(idea)
        db.session.flush()
        idea.created_at = idea.updated_at = now - timedelta(days=days_ago)
        if status != IdeaStatus.SUBMITTED:
            idea.publish(now - timedelta(days=days_ago - 1))
            idea.published_at = now - timedelta(days=days_ago - 1)
        for later, to_status, text in updates:
            when = now - timedelta(days=days_ago - later)
            from_status = idea.respond(to_status, when)
            db.session.add(IdeaUpdate(idea=idea, author=staff, from_status=from_status, to_status=to_status,
                                      text=text, created_at=when))
            db.session.add(Notification(user_id=author.id, idea=idea, created_at=when, kind="idea.update",
                                        message=f"The council has an update on your idea: {IdeaStatus(to_status).label.lower()}."))
            idea.updated_at = when
        if idea.is_visible:
            for supporter in supporters[: (n * 3) % len(supporters) + 1]:
                if supporter is not author:
                    db.session.add(IdeaSupport(idea=idea, user_id=supporter.id))
    db.session.flush()
    quiet_rooms = db.session.scalar(select(Idea).where(Idea.title == DEMO_IDEAS[0][1]))
    bus_drivers = db.session.scalar(select(Idea).where(Idea.title == DEMO_IDEAS[6][1]))
    for email, idea, body, status in [
        ("priya@example.org", quiet_rooms, "Yes! Our school has one and it really helps me.", CommentStatus.PUBLISHED),
        ("tom@example.org", quiet_rooms, "Could it have beanbags and a weighted blanket?", CommentStatus.PUBLISHED),
        ("ellie@example.org", bus_drivers, "This happened to me last week too.", CommentStatus.PUBLISHED),
        ("tom@example.org", bus_drivers, "Drivers should ask us what helps.", CommentStatus.HELD),
    ]:
        author = members[email]
        db.session.add(IdeaComment(idea=idea, author=author, body=body, public_body=_redact(body, author), status=status))
    db.session.add(Idea(
        author=members["tom@example.org"], title="Delete homework", body="Homework is pointless, get rid of it.",
        public_title="Delete homework", public_body="Homework is pointless, get rid of it.",
        category="Something else", status=IdeaStatus.REMOVED, themes="",
        removed_reason="Thanks Tom. Homework is decided by each school, so the council cannot change it. "
        "Could you put forward an idea about homework support instead?",
    ))
    db.session.flush()
    db.session.add(IdeaReport(idea=bus_drivers, comment=None, reporter_id=members["priya@example.org"].id,
                              reason="Something else: it names a bus company"))
    db.session.commit()

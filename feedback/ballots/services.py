"""Use cases for Youth Forum consent and priority ballots; each owns its transaction.

Consent: a young person says whether they are 13 or over. At 13 and over they agree for
themselves; under 13 they give a parent's or carer's email address, the parent gets a link
(only its hash is stored) and consent counts once the parent confirms. Without consent a
young person cannot vote in a ballot.

Ballots: staff list published ideas; each member ranks up to RANKS of them once. A first
choice scores RANKS points, a second RANKS - 1, and so on (a Borda count, as Make Your Mark
ranks its topics). Results are published only once staff publish a closed ballot, and with
disclosure control: nothing while fewer than THRESHOLD have voted; the number of first
choices per idea is a line whose total (voters) is published, so it is protected as reach
is (`evidence.reach.protect_reach_line`: counts of 1 to 4 hidden, and more where the hidden
ones could be worked out from the total). Only the order of the ideas and those first-choice
counts are published, never the points (they could give hidden counts away)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import func, select

from ..accounts.mail import Message, get_mailer
from ..extensions import db
from ..models import (
    AgeGroup,
    Ballot,
    BallotOption,
    BallotRank,
    BallotStatus,
    BallotVote,
    Idea,
    User,
    YouthConsent,
)
from ..models.base import utcnow
from ..models.ideas import VISIBLE_STATUSES
from ..ideas.services import youth_consent
from ..evidence.reach import protect_reach_line
from ..results.disclosure import THRESHOLD

RANKS = 3
MIN_OPTIONS = 3


class BallotError(Exception):
    """Something a person asked for that cannot be done; the message says why."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Consent


def consent_for(user: User) -> YouthConsent | None:
    return youth_consent(user)


def has_consent(user: User) -> bool:
    found = consent_for(user)
    return found is not None and found.is_given


def give_consent(user: User, age_group: str, parent_email: str = "") -> YouthConsent:
    """Record the young person's answer. Under 13, email their parent or carer a link."""
    if age_group not in set(AgeGroup):
        raise BallotError("Choose how old you are")
    parent_email = (parent_email or "").strip()
    if age_group == AgeGroup.UNDER_THIRTEEN and "@" not in parent_email:
        raise BallotError("Enter your parent’s or carer’s email address, like name@example.com")
    consent = consent_for(user) or YouthConsent(user_id=user.id)
    db.session.add(consent)
    consent.age_group, consent.agreed_at, consent.withdrawn_at = age_group, utcnow(), None
    token = None
    if age_group == AgeGroup.UNDER_THIRTEEN:
        token = secrets.token_urlsafe(32)
        consent.parent_email, consent.parent_token_hash, consent.parent_confirmed_at = parent_email, _hash(token), None
    else:
        consent.parent_email = consent.parent_token_hash = consent.parent_confirmed_at = None
    db.session.commit()
    if token is not None:
        link = url_for("ballots.parent_consent", token=token, _external=True)
        get_mailer().send(Message(
            to=parent_email, subject="Your child would like to join the Youth Forum online",
            body=("Your child would like to take part in the Youth Forum on this website: putting forward ideas "
                  "to the council and voting on which ones matter most.\n\n"
                  f"Read what this means and say whether you agree: {link}\n\n"
                  "If you did not expect this email, you can ignore it. Nothing happens until you agree.")))
    return consent


def consent_by_token(token: str) -> YouthConsent | None:
    if not token:
        return None
    return db.session.scalar(select(YouthConsent).where(YouthConsent.parent_token_hash == _hash(token)))


def parent_confirms(consent: YouthConsent) -> None:
    consent.parent_confirmed_at, consent.parent_token_hash = utcnow(), None  # the link works once
    db.session.commit()


def withdraw_consent(user: User) -> None:
    consent = consent_for(user)
    if consent is not None:
        consent.withdrawn_at = utcnow()
        db.session.commit()


# Ballots


def ballot_ideas() -> list[Idea]:
    return list(db.session.scalars(
        select(Idea).where(Idea.status.in_(VISIBLE_STATUSES)).order_by(Idea.created_at.desc()).limit(200)))


def create_ballot(staff: User, title: str, idea_ids: list[int]) -> Ballot:
    ideas = [db.session.get(Idea, i) for i in dict.fromkeys(idea_ids)]
    ideas = [i for i in ideas if i is not None and i.status in VISIBLE_STATUSES]
    if len(ideas) < MIN_OPTIONS:
        raise BallotError(f"Choose at least {MIN_OPTIONS} ideas")
    ballot = Ballot(title=title.strip(), created_by_id=staff.id,
                    options=[BallotOption(idea_id=i.id, title=i.public_title) for i in ideas])
    db.session.add(ballot)
    db.session.commit()
    return ballot


def list_ballots() -> list[Ballot]:
    return list(db.session.scalars(select(Ballot).order_by(Ballot.created_at.desc())))


def has_voted(ballot: Ballot, user: User) -> bool:
    return db.session.scalar(select(BallotVote.id).where(BallotVote.ballot_id == ballot.id,
                                                         BallotVote.user_id == user.id)) is not None


def vote(ballot: Ballot, user: User, choices: list[int | None]) -> None:
    """`choices[0]` is the first choice's option id, and so on; empty ranks at the end may be left."""
    if ballot.status != BallotStatus.OPEN:
        raise BallotError("This ballot has closed")
    if not has_consent(user):
        raise BallotError("You need to give your consent before you can vote")
    if has_voted(ballot, user):
        raise BallotError("You have already voted in this ballot")
    options = {o.id for o in ballot.options}
    picked = [c for c in choices if c is not None]
    if not picked or choices[0] is None:
        raise BallotError("Choose your first choice")
    if any(c not in options for c in picked):
        raise BallotError("Choose ideas from the list")
    if len(set(picked)) != len(picked):
        raise BallotError("Choose a different idea for each choice")
    if None in choices[:len(picked)]:
        raise BallotError("Fill your choices in order, without gaps")
    db.session.add(BallotVote(ballot_id=ballot.id, user_id=user.id))
    db.session.add_all(BallotRank(ballot_id=ballot.id, option_id=o, rank=r) for r, o in enumerate(picked, start=1))
    db.session.commit()


def close_ballot(ballot: Ballot) -> None:
    if ballot.status != BallotStatus.OPEN:
        raise BallotError("This ballot is already closed")
    ballot.status, ballot.closed_at = BallotStatus.CLOSED, utcnow()
    db.session.commit()


def publish_ballot(ballot: Ballot) -> None:
    if ballot.status != BallotStatus.CLOSED:
        raise BallotError("Close the ballot before publishing its results")
    ballot.status, ballot.published_at = BallotStatus.PUBLISHED, utcnow()
    db.session.commit()


@dataclass
class OptionResult:
    title: str
    place: int
    first_choices: int | None  # None when hidden


@dataclass
class BallotResults:
    voters: int | None  # None when fewer than the threshold voted (then nothing else is shown)
    options: list[OptionResult]
    threshold: int = THRESHOLD


def ballot_results(ballot: Ballot) -> BallotResults:
    voters = db.session.scalar(select(func.count()).select_from(BallotVote).where(BallotVote.ballot_id == ballot.id))
    if voters < THRESHOLD:
        return BallotResults(None, [])
    rows = db.session.execute(
        select(BallotRank.option_id, BallotRank.rank, func.count()).where(BallotRank.ballot_id == ballot.id)
        .group_by(BallotRank.option_id, BallotRank.rank)).all()
    points = {o.id: 0 for o in ballot.options}
    firsts = {o.id: 0 for o in ballot.options}
    for option_id, rank, count in rows:
        points[option_id] += (RANKS + 1 - rank) * count
        if rank == 1:
            firsts[option_id] = count
    hidden = {int(k) for k in protect_reach_line({str(k): v for k, v in firsts.items()})}
    ordered = sorted(ballot.options, key=lambda o: (-points[o.id], o.title))
    return BallotResults(voters, [OptionResult(o.title, place, None if o.id in hidden else firsts[o.id])
                                  for place, o in enumerate(ordered, start=1)])

"""Surveys, their questions and co-design, and the responses families give."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..text import N_
from .accounts import Organisation, User
from .base import UTCDateTime, utcnow


class SurveyError(Exception):
    """A survey rule was broken; the message is safe to show. The state machine's messages
    are marked with N_ and kept in English here (no Flask in models): pages translate them
    where they are shown (`surveys.services.said`)."""


class NotEditable(SurveyError):
    """Questions, partners or details cannot change in the survey's state."""


class InvalidTransition(SurveyError):
    """The survey's state does not allow this step; each refusal below is one of these."""


class NotADraft(InvalidTransition):
    pass


class NoPartners(InvalidTransition):
    pass


class NoQuestions(InvalidTransition):
    pass


class NotWaitingForSignOff(InvalidTransition):
    pass


class NotAllSignedOff(InvalidTransition):
    """Opening before every partner signed off needs a recorded reason."""


class SurveyNotReady(InvalidTransition):
    """The survey cannot be opened from its state (it is open, closed or archived)."""


class SurveyNotOpen(InvalidTransition):
    pass


class SurveyNotClosed(InvalidTransition):
    pass


class AlreadySignedOff(SurveyError):
    pass


class NotPartnerLead(SurveyError):
    pass


class AlreadyDecided(SurveyError):
    pass


class SurveyStatus(StrEnum):
    DRAFT = "draft"
    CO_DESIGN = "co_design"
    READY = "ready"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        """In English; templates show it translated (`status_label` in surveys/_status.html)."""
        return STATUS_LABELS[self]


STATUS_LABELS = {
    SurveyStatus.DRAFT: N_("Draft"),
    SurveyStatus.CO_DESIGN: N_("In co-design"),
    SurveyStatus.READY: N_("Ready"),
    SurveyStatus.OPEN: N_("Open"),
    SurveyStatus.CLOSED: N_("Closed"),
    SurveyStatus.ARCHIVED: N_("Archived"),
}
# Why a survey in each state after the editable ones cannot be opened.
CANNOT_OPEN = {
    SurveyStatus.OPEN: N_("A survey that is open cannot be opened"),
    SurveyStatus.CLOSED: N_("A survey that is closed cannot be opened"),
    SurveyStatus.ARCHIVED: N_("A survey that is archived cannot be opened"),
}


# Before a survey opens, its questions, partners and wording are still being shaped with
# partners ("co-design is open"); from opening on they are fixed.
EDITABLE_STATUSES = frozenset({SurveyStatus.DRAFT, SurveyStatus.CO_DESIGN, SurveyStatus.READY})
# The life cycle: each transition, the states it may start from and where it leads.
# `Survey.<name>()` is the only code that changes a survey's status.
TRANSITIONS: dict[str, tuple[frozenset[SurveyStatus], SurveyStatus]] = {
    "send_for_co_design": (frozenset({SurveyStatus.DRAFT}), SurveyStatus.CO_DESIGN),
    # A new wave with partners: they confirm the questions they already shaped.
    "ask_to_confirm_wave": (frozenset({SurveyStatus.DRAFT}), SurveyStatus.CO_DESIGN),
    # A change after sign-off, or a new partner for a ready survey: back to co-design.
    "ask_partners_again": (EDITABLE_STATUSES, SurveyStatus.CO_DESIGN),
    "mark_ready": (frozenset({SurveyStatus.CO_DESIGN}), SurveyStatus.READY),
    "open": (EDITABLE_STATUSES, SurveyStatus.OPEN),
    "close": (frozenset({SurveyStatus.OPEN}), SurveyStatus.CLOSED),
    "archive": (frozenset({SurveyStatus.CLOSED}), SurveyStatus.ARCHIVED),
}
# What staff can do next in each state, in the order the overview offers it.
NEXT_STEPS: dict[SurveyStatus, tuple[str, ...]] = {
    SurveyStatus.DRAFT: ("send_for_co_design", "open"),
    SurveyStatus.CO_DESIGN: ("open",),
    SurveyStatus.READY: ("open",),
    SurveyStatus.OPEN: ("close",),
    SurveyStatus.CLOSED: ("archive",),
    SurveyStatus.ARCHIVED: (),
}


class Audience(StrEnum):
    PARENT_CARERS = "parent_carers"
    YOUNG_PEOPLE = "young_people"
    BOTH = "both"


class Channel(StrEnum):
    ONLINE = "online"
    PHONE = "phone"
    PAPER = "paper"
    EVENT = "event"


class Survey(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    short_code: Mapped[str] = mapped_column(String(12), unique=True)
    # Waves of one survey share a series key, so results can be compared wave by wave.
    series_key: Mapped[str] = mapped_column(String(100), index=True)
    wave_number: Mapped[int] = mapped_column(default=1)
    wave_label: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(String(20))
    service_area: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default=SurveyStatus.DRAFT, index=True)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    anonymous: Mapped[bool] = mapped_column(default=True)
    privacy_text: Mapped[str] = mapped_column(Text)
    estimated_minutes: Mapped[int] = mapped_column(default=5)
    retention_days: Mapped[int] = mapped_column(default=730)
    results_published: Mapped[bool] = mapped_column(default=False)
    override_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    questions: Mapped[list["Question"]] = relationship(
        back_populates="survey", order_by="Question.position", cascade="all, delete-orphan"
    )
    partners: Mapped[list["CoDesignPartner"]] = relationship(
        back_populates="survey", cascade="all, delete-orphan"
    )
    routes: Mapped[list["PageRoute"]] = relationship(
        back_populates="survey", order_by="(PageRoute.page, PageRoute.position)", cascade="all, delete-orphan"
    )
    events: Mapped[list["SurveyEvent"]] = relationship(
        back_populates="survey", order_by="SurveyEvent.created_at", cascade="all, delete-orphan"
    )
    created_by: Mapped[User | None] = relationship()

    @property
    def status_enum(self) -> SurveyStatus:
        return SurveyStatus(self.status)

    @property
    def is_editable(self) -> bool:
        """Co-design is open: questions, partners and wording may still change."""
        return self.status in EDITABLE_STATUSES

    @property
    def all_signed_off(self) -> bool:
        return bool(self.partners) and all(p.signed_off_at for p in self.partners)

    def can(self, transition: str) -> bool:
        return self.status in TRANSITIONS[transition][0]

    def next_steps(self) -> tuple[str, ...]:
        return NEXT_STEPS[self.status_enum]

    def _require(self, transition: str, refusal: SurveyError) -> None:
        if not self.can(transition):
            raise refusal

    def _move(self, transition: str) -> None:
        self.status = TRANSITIONS[transition][1]

    # Transitions: each checks the current state and every condition first, then changes
    # the state, and raises rather than guess. The services around them record the event
    # and own the transaction.

    def send_for_co_design(self) -> None:
        self._require("send_for_co_design", NotADraft(N_("Only a draft can be sent for co-design")))
        if not self.partners:
            raise NoPartners(N_("Invite at least one partner group before sending for co-design"))
        if not self.questions:
            raise NoQuestions(N_("Add at least one question before sending for co-design"))
        self._move("send_for_co_design")

    def ask_to_confirm_wave(self) -> None:
        self._require("ask_to_confirm_wave", NotADraft(N_("Only a new wave can be sent to its partners to confirm")))
        self._move("ask_to_confirm_wave")

    def ask_partners_again(self) -> None:
        self._require("ask_partners_again", NotEditable(N_("Questions cannot be changed once a survey has opened")))
        self._move("ask_partners_again")

    def mark_ready(self) -> None:
        self._require("mark_ready", NotWaitingForSignOff(N_("This survey is not waiting for sign-off")))
        if not self.all_signed_off:
            raise NotAllSignedOff(N_("Every partner must sign off first"))
        self._move("mark_ready")

    def open(self, override_reason: str = "") -> bool:
        """Open to families. Before every sign-off only with a reason (stored); returns
        whether the opening overrode missing sign-offs."""
        self._require("open", SurveyNotReady(CANNOT_OPEN.get(self.status_enum, "")))
        overridden = self.status != SurveyStatus.READY
        reason = override_reason.strip()
        if overridden and not reason:
            raise NotAllSignedOff(N_("Every partner must sign off first, or give a reason to open without them"))
        if not self.questions:
            raise NoQuestions(N_("Add at least one question before opening"))
        if overridden:
            self.override_reason = reason
        self._move("open")
        return overridden

    def close(self, now: datetime) -> None:
        self._require("close", SurveyNotOpen(N_("Only an open survey can be closed")))
        self.closes_at = min(self.closes_at, now)
        self._move("close")

    def archive(self) -> None:
        self._require("archive", SurveyNotClosed(N_("Only a closed survey can be archived")))
        self._move("archive")


class BankQuestion(db.Model):
    """A standard question kept so that waves and surveys stay comparable."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(500), unique=True)
    hint: Mapped[str] = mapped_column(String(500), default="")
    options: Mapped[list] = mapped_column(JSON, default=list)
    dimensions: Mapped[list] = mapped_column(JSON, default=list)
    allow_dont_know: Mapped[bool] = mapped_column(default=True)


class Question(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    page: Mapped[int] = mapped_column(default=1)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(500))
    hint: Mapped[str] = mapped_column(String(500), default="")
    required: Mapped[bool] = mapped_column(default=False)
    options: Mapped[list] = mapped_column(JSON, default=list)
    allow_dont_know: Mapped[bool] = mapped_column(default=False)
    allow_prefer_not: Mapped[bool] = mapped_column(default=False)
    max_length: Mapped[int | None]
    min_value: Mapped[float | None]
    max_value: Mapped[float | None]
    # The kind's own settings beyond the columns above (see feedback/surveys/kinds).
    settings: Mapped[dict | None] = mapped_column(JSON, default=dict)
    dimensions: Mapped[list] = mapped_column(JSON, default=list)
    bank_question_id: Mapped[int | None] = mapped_column(ForeignKey("bank_question.id", ondelete="SET NULL"))
    # Routing: shown only when earlier answers match, {"match": "all" | "any", "conditions":
    # [{"question": id, "values": [...]}, ...]} (see surveys/routing.py); None: always shown.
    show_when: Mapped[dict | None] = mapped_column(JSON)
    credited_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL")
    )

    survey: Mapped[Survey] = relationship(back_populates="questions")
    bank_question: Mapped[BankQuestion | None] = relationship()
    credited_organisation: Mapped[Organisation | None] = relationship()


class PageRoute(db.Model):
    """After a page: when the answers so far match, go to a later page, or end the survey
    (go to check answers). A page's routes are tried in order; the first that matches wins."""

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    page: Mapped[int]
    position: Mapped[int] = mapped_column(default=1)
    match: Mapped[str] = mapped_column(String(3), default="all")  # "all" or "any"
    conditions: Mapped[list] = mapped_column(JSON, default=list)  # [{"question": id, "values": [...]}]
    goto_page: Mapped[int | None]  # None: end the survey

    survey: Mapped[Survey] = relationship(back_populates="routes")


class CoDesignPartner(db.Model):
    __table_args__ = (UniqueConstraint("survey_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    survey: Mapped[Survey] = relationship(back_populates="partners")
    organisation: Mapped[Organisation] = relationship()
    signed_off_by: Mapped[User | None] = relationship()


class DesignComment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("design_comment.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    question: Mapped[Question | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    organisation: Mapped[Organisation | None] = relationship()
    replies: Mapped[list["DesignComment"]] = relationship(order_by="DesignComment.created_at")


class SuggestionStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class SuggestionTarget(StrEnum):
    """What a co-design suggestion would change: the question's wording, the wording of one
    of its options, or a new option."""

    QUESTION = "question"
    OPTION = "option"
    NEW_OPTION = "new_option"


class WordingSuggestion(db.Model):
    """A co-design partner's suggested wording: of a question of the survey itself, or (with
    `language`) of a piece of a version in another language or Easy Read: `part` says which
    ("text", "hint", "option:<value>" of the question; "title" or "purpose" of the wave,
    with no question). Staff accept it (it becomes the wording) or decline it with a reason."""

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    language: Mapped[str | None] = mapped_column(String(20))  # None: the survey's own (English) wording
    part: Mapped[str] = mapped_column(String(220), default="text", server_default="text")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    # QUESTION: original_text is the question's text; OPTION: the option's label as it was;
    # NEW_OPTION: original_text is empty.
    target: Mapped[str] = mapped_column(String(20), default=SuggestionTarget.QUESTION,
                                        server_default=SuggestionTarget.QUESTION.value)
    original_text: Mapped[str] = mapped_column(String(500))
    suggested_text: Mapped[str] = mapped_column(String(500))
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default=SuggestionStatus.PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question | None] = relationship()
    survey: Mapped[Survey] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def change(self) -> str:
        """What the suggestion would change, in words (co-design history, log, notices)."""
        if self.language:
            was = f" (was ‘{self.original_text}’)" if self.original_text else ""
            return f"the wording ‘{self.suggested_text}’ in the {self.language} version{was}"
        if self.target == SuggestionTarget.NEW_OPTION:
            return f"adding the option ‘{self.suggested_text}’ to ‘{self.question.text}’"
        if self.target == SuggestionTarget.OPTION:
            return f"rewording the option ‘{self.original_text}’ of ‘{self.question.text}’ as ‘{self.suggested_text}’"
        return f"rewording ‘{self.original_text}’ as ‘{self.suggested_text}’"

    @property
    def change_sentence(self) -> str:
        """`change` starting with a capital letter, as it opens a line of the co-design page
        or the evidence log ("Rewording ‘…’ as ‘…’"); the quoted words are left as written."""
        change = self.change
        return change[:1].upper() + change[1:]


class SurveyEvent(db.Model):
    """The co-design history: who proposed what, what changed, who signed off."""

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    survey: Mapped[Survey] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class ResponseStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class Response(db.Model):
    __table_args__ = (Index("ix_response_survey_status", "survey_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default=ResponseStatus.IN_PROGRESS)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    channel: Mapped[str] = mapped_column(String(10), default=Channel.ONLINE)
    # The version answered: "en", another language's code, or "easy-read" (models/languages.py)
    language: Mapped[str] = mapped_column(String(20), default="en", server_default="en")
    respondent_type: Mapped[str | None] = mapped_column(String(30))
    locality: Mapped[str | None] = mapped_column(String(60))
    child_age_band: Mapped[str | None] = mapped_column(String(20))
    consent_to_quote: Mapped[bool] = mapped_column(default=False)
    about_you_done: Mapped[bool] = mapped_column(default=False)
    resume_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    resume_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Where the family chose "Save and come back later": a page number, or 0 for "About you".
    resume_page: Mapped[int | None]
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    survey: Mapped[Survey] = relationship()
    answers: Mapped[list["Answer"]] = relationship(back_populates="response", cascade="all, delete-orphan")


# The slot of an answer row that holds free text (a free-text answer, the words typed for
# "Other (please specify)"): such rows, and only they, are analysed and redacted.
TEXT_SLOT = "__text__"


class Answer(db.Model):
    """One stored value; a multiple-choice answer is one row per option chosen, a grid's one
    per statement answered, and so on.

    The database keeps one answer per slot of a question in a response (the question's kind
    gives each row its slot, `QuestionKind.slot`): so a single-answer question can never hold
    two answers, however many saves race."""

    __table_args__ = (
        UniqueConstraint("response_id", "question_id", "value"),
        Index("ix_answer_question_value", "question_id", "value"),
        Index("uq_answer_response_question_slot", "response_id", "question_id", "slot", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(Text)
    number: Mapped[float | None]
    slot: Mapped[str] = mapped_column(Text, default="", server_default="")

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


class ContactRequest(db.Model):
    """A family asked to be contacted after answering. Kept apart from their response so that
    answers to an anonymous survey stay anonymous: the reference is stored only when the
    family chose to let staff see their answers."""

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    about: Mapped[str] = mapped_column(Text, default="")
    reference: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    survey: Mapped[Survey] = relationship()
    handled_by: Mapped[User | None] = relationship()

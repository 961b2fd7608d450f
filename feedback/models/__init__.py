"""Database models, one module per domain; import them here so Alembic sees them all."""

from .accounts import (  # noqa: F401
    AccountToken,
    Membership,
    MembershipRole,
    OidcIdentity,
    Organisation,
    OrganisationKind,
    RecoveryCode,
    Role,
    TokenPurpose,
    TwoFactor,
    User,
)
from .surveys import (  # noqa: F401
    Answer,
    Audience,
    BankQuestion,
    Channel,
    CoDesignPartner,
    ContactRequest,
    DesignComment,
    Question,
    PageRoute,
    Response,
    ResponseStatus,
    SuggestionStatus,
    SuggestionTarget,
    Survey,
    SurveyEvent,
    SurveyStatus,
    WordingSuggestion,
)
from .audit import AuditEvent  # noqa: F401
from .languages import EASY_READ, EasyReadPicture, EasyReadReview, QuestionTranslation, SurveyTranslation  # noqa: F401
from .ideas import (  # noqa: F401
    CommentStatus,
    Idea,
    IdeaComment,
    IdeaReport,
    IdeaStatus,
    IdeaSupport,
    IdeaUpdate,
)
from .safeguarding import FlagStatus, SafeguardingFlag  # noqa: F401
from .analysis import RedactionName, TextAnalysis, Theme, ThemeAssignment, ThemeCorrection  # noqa: F401
from .results import Action, ActionStatus, ApiToken, PublicSummary, Release, SubmissionMark  # noqa: F401
from .actions import ActionUpdate  # noqa: F401
from .evidence import Activity, Cohort, CohortFigure, Lundy, Stage, SurveyParticipation  # noqa: F401
from .notifications import Notification  # noqa: F401
from .youth import AgeGroup, Ballot, BallotOption, BallotRank, BallotStatus, BallotVote, YouthConsent  # noqa: F401
from .webhooks import DeliveryStatus, WebhookDelivery, WebhookEndpoint  # noqa: F401
from .outbox import OutboxEvent  # noqa: F401
from .reach import Contact, ContactAudience, ContactNotice, Invitation, InvitationSource, OutboxMessage  # noqa: F401

"""The standard question bank: questions kept identical so surveys and waves compare."""

from sqlalchemy import select

from ..extensions import db
from ..models import BankQuestion
from .kinds.likert import Likert

COMMUNICATION = ["communication"]
STANDARD_QUESTIONS = [
    (Likert.name, "I know who to contact about my child's EHCP", "", COMMUNICATION),
    (Likert.name, "I am kept informed about progress", "For example, about assessments, plans and reviews", COMMUNICATION + ["timeliness"]),
    (Likert.name, "I feel listened to", "", COMMUNICATION + ["coproduction"]),
    (Likert.name, "Information is easy to understand", "Letters, emails, plans and the Local Offer website", COMMUNICATION),
    (Likert.name, "I get a reply within a reasonable time", "", COMMUNICATION + ["timeliness"]),
    (Likert.name, "My child's EHCP was finished within 20 weeks", "", ["timeliness"]),
    (Likert.name, "We have a clear plan for my child's move to adult services", "", ["transition"]),
    (Likert.name, "I was involved in decisions about my child's support", "", ["coproduction"]),
]


def ensure_question_bank() -> None:
    """Add any standard question that is missing (safe to run at any time)."""
    existing = set(db.session.scalars(select(BankQuestion.text)))
    for kind, text, hint, dimensions in STANDARD_QUESTIONS:
        if text not in existing:
            db.session.add(BankQuestion(kind=kind, text=text, hint=hint, dimensions=dimensions,
                                        options=[], allow_dont_know=True))
    db.session.commit()

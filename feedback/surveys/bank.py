"""The standard question bank: questions kept identical so surveys and waves compare."""

from sqlalchemy import select

from ..extensions import db
from ..models import BankQuestion

COMMUNICATION = ["communication"]
STANDARD_QUESTIONS = [
    ("likert5", "I know who to contact about my child's EHCP", "", COMMUNICATION),
    ("likert5", "I am kept informed about progress", "For example, about assessments, plans and reviews", COMMUNICATION + ["timeliness"]),
    ("likert5", "I feel listened to", "", COMMUNICATION + ["coproduction"]),
    ("likert5", "Information is easy to understand", "Letters, emails, plans and the Local Offer website", COMMUNICATION),
    ("likert5", "I get a reply within a reasonable time", "", COMMUNICATION + ["timeliness"]),
    ("likert5", "My child's EHCP was finished within 20 weeks", "", ["timeliness"]),
    ("likert5", "We have a clear plan for my child's move to adult services", "", ["transition"]),
    ("likert5", "I was involved in decisions about my child's support", "", ["coproduction"]),
]


def ensure_question_bank() -> None:
    """Add any standard question that is missing (safe to run at any time)."""
    existing = set(db.session.scalars(select(BankQuestion.text)))
    for kind, text, hint, dimensions in STANDARD_QUESTIONS:
        if text not in existing:
            db.session.add(BankQuestion(kind=kind, text=text, hint=hint, dimensions=dimensions,
                                        options=[], allow_dont_know=True))
    db.session.commit()

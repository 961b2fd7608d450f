"""Analysing free-text answers and storing the results; the taxonomy; staff corrections.

The pure analysis package does the work; this module feeds it the co-produced taxonomy and
staff-configured names from the database and stores what it returns with the versions used,
so `flask analyse` can find what is stale after a taxonomy or analyser change.
"""

import hashlib
import json
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import and_, delete, or_, select

from ..analysis import (
    ANALYSER_VERSION,
    SEED_TAXONOMY,
    ThemeDefinition,
    analyse_comment,
    discover_emerging_themes,
)
from ..extensions import db
from ..models import (
    Answer,
    Question,
    RedactionName,
    Response,
    ResponseStatus,
    TextAnalysis,
    Theme,
    ThemeAssignment,
    ThemeCorrection,
)
from ..safeguarding.services import SourceText, flag_if_at_risk, register_source

LABELS = ("negative", "neutral", "positive")


class CommentError(Exception):
    """A rule about comments or themes was broken; the message is safe to show."""


# The taxonomy

def seed_taxonomy() -> None:
    """Add any seeded theme that is missing; staff edits to existing themes are kept."""
    existing = set(db.session.scalars(select(Theme.name)))
    for theme in SEED_TAXONOMY:
        if theme.name not in existing:
            db.session.add(Theme(name=theme.name, description=theme.description,
                                 keywords=list(theme.keywords), phrases=list(theme.phrases)))
    db.session.commit()


@dataclass(frozen=True)
class Taxonomy:
    definitions: tuple[ThemeDefinition, ...]
    ids: dict[str, int]
    version: str


def current_taxonomy() -> Taxonomy:
    themes = db.session.scalars(select(Theme).where(Theme.active.is_(True)).order_by(Theme.id)).all()
    definitions = tuple(
        ThemeDefinition(name=t.name, description=t.description, keywords=tuple(t.keywords), phrases=tuple(t.phrases))
        for t in themes
    )
    fingerprint = json.dumps([(d.name, d.keywords, d.phrases) for d in definitions], sort_keys=True)
    return Taxonomy(definitions, {t.name: t.id for t in themes}, hashlib.sha256(fingerprint.encode()).hexdigest()[:16])


def redaction_names() -> tuple[str, ...]:
    return tuple(db.session.scalars(select(RedactionName.name)))


def add_redaction_name(name: str) -> None:
    name = name.strip()
    if db.session.scalar(select(RedactionName.id).where(RedactionName.name == name)) is not None:
        raise CommentError(f"‘{name}’ is already on the list")
    db.session.add(RedactionName(name=name))
    db.session.commit()


def remove_redaction_name(name_id: int) -> None:
    db.session.execute(delete(RedactionName).where(RedactionName.id == name_id))
    db.session.commit()


THEME_FIELDS = ("name", "description", "keywords", "phrases", "active")


def save_theme(theme: Theme | None, **fields) -> Theme:
    clash = db.session.scalar(select(Theme).where(Theme.name == fields["name"]))
    if clash is not None and clash is not theme:
        raise CommentError("There is already a theme with this name")
    if not fields["keywords"] and not fields["phrases"]:
        raise CommentError("Give at least one keyword or phrase so comments can be matched")
    if theme is None:
        theme = Theme(origin=fields.pop("origin", "taxonomy"))
        db.session.add(theme)
    for name in THEME_FIELDS:
        if name in fields:
            setattr(theme, name, fields[name])
    db.session.commit()
    return theme


# Analysis

def free_text_answers(ids=None):
    """Free-text answers of submitted responses (optionally only these answer ids)."""
    query = (
        select(Answer, Response.survey_id)
        .join(Question, Answer.question_id == Question.id)
        .join(Response, Answer.response_id == Response.id)
        .where(Question.kind == "free_text", Response.status == ResponseStatus.SUBMITTED)
    )
    if ids is not None:
        query = query.where(Answer.id.in_(ids))
    return query


def analyse_answers(rows, taxonomy: Taxonomy | None = None, names: tuple[str, ...] | None = None) -> int:
    """Analyse (answer, survey_id) rows and store the results in one transaction."""
    taxonomy = taxonomy or current_taxonomy()
    names = redaction_names() if names is None else names
    rows = list(rows)
    if not rows:
        return 0
    answer_ids = [answer.id for answer, _ in rows]
    existing = {
        a.source_id: a for a in db.session.scalars(
            select(TextAnalysis).where(TextAnalysis.source_type == "answer", TextAnalysis.source_id.in_(answer_ids)))
    }
    corrections: dict[int, dict[int, str]] = {}
    for correction in db.session.scalars(select(ThemeCorrection).where(
            ThemeCorrection.source_type == "answer", ThemeCorrection.source_id.in_(answer_ids))):
        corrections.setdefault(correction.source_id, {})[correction.theme_id] = correction.action
    for answer, survey_id in rows:
        result = analyse_comment(answer.value, taxonomy.definitions, names)
        record = existing.get(answer.id) or TextAnalysis(source_type="answer", source_id=answer.id)
        if record.id is None:
            db.session.add(record)
        record.survey_id, record.question_id = survey_id, answer.question_id
        record.polarity, record.label = result.polarity, result.label
        record.explanation = [{"phrase": phrase, "weight": round(weight, 3)} for phrase, weight in result.explanation]
        record.redacted_text = result.redacted_text
        record.safeguarding_flagged = result.safeguarding.flagged
        record.analyser_version, record.taxonomy_version = ANALYSER_VERSION, taxonomy.version
        record.analysed_at = db.func.now()
        staff_says = corrections.get(answer.id, {})
        scores = {taxonomy.ids[m.name]: m.score for m in result.themes if m.name in taxonomy.ids}
        scores = {tid: s for tid, s in scores.items() if staff_says.get(tid) != "remove"}
        for theme_id, action in staff_says.items():
            if action == "add":
                scores[theme_id] = 1.0
        # Update in place: replacing the collection would insert before it deletes.
        kept = {a.theme_id: a for a in record.themes}
        for theme_id, assignment in kept.items():
            if theme_id not in scores:
                record.themes.remove(assignment)
        for theme_id, score in scores.items():
            assignment = kept.get(theme_id) or ThemeAssignment(theme_id=theme_id)
            assignment.score, assignment.by_staff = score, staff_says.get(theme_id) == "add"
            if theme_id not in kept:
                record.themes.append(assignment)
        if result.safeguarding.flagged:
            flag_if_at_risk("answer", answer.id, answer.value)
    db.session.commit()
    return len(rows)


def analyse_response(response_id: int) -> int:
    rows = db.session.execute(free_text_answers().where(Answer.response_id == response_id)).all()
    return analyse_answers(rows)


def stale_query(taxonomy: Taxonomy):
    """Free-text answers never analysed, or analysed with another analyser or taxonomy."""
    return (
        free_text_answers()
        .outerjoin(TextAnalysis, and_(TextAnalysis.source_type == "answer", TextAnalysis.source_id == Answer.id))
        .where(or_(
            TextAnalysis.id.is_(None),
            TextAnalysis.analyser_version != ANALYSER_VERSION,
            TextAnalysis.taxonomy_version != taxonomy.version,
        ))
        .order_by(Answer.id)
    )


def count_stale() -> int:
    taxonomy = current_taxonomy()
    return db.session.scalar(select(db.func.count()).select_from(stale_query(taxonomy).subquery()))


def analyse_stale(batch_size: int = 500, progress=None) -> int:
    """Re-analyse what is stale in batches; each batch commits, so a stopped run resumes
    where it left off and a finished run has nothing left to do."""
    taxonomy, names, done = current_taxonomy(), redaction_names(), 0
    while True:
        rows = db.session.execute(stale_query(taxonomy).limit(batch_size)).all()
        if not rows:
            return done
        done += analyse_answers(rows, taxonomy, names)
        if progress:
            progress(len(rows))


# Corrections

def correct_sentiment(analysis: TextAnalysis, label: str, user) -> None:
    if label not in LABELS:
        raise CommentError("Choose negative, neutral or positive")
    analysis.label_override = None if label == analysis.label else label
    analysis.override_by_id = user.id
    db.session.commit()


def correct_theme(analysis: TextAnalysis, theme: Theme, action: str, user) -> None:
    correction = db.session.scalar(select(ThemeCorrection).where(
        ThemeCorrection.source_type == analysis.source_type, ThemeCorrection.source_id == analysis.source_id,
        ThemeCorrection.theme_id == theme.id))
    if correction is None:
        correction = ThemeCorrection(source_type=analysis.source_type, source_id=analysis.source_id, theme_id=theme.id)
        db.session.add(correction)
    correction.action, correction.by_id = action, user.id
    current = {a.theme_id: a for a in analysis.themes}
    if action == "remove" and theme.id in current:
        analysis.themes.remove(current[theme.id])
    elif action == "add" and theme.id not in current:
        analysis.themes.append(ThemeAssignment(theme_id=theme.id, score=1.0, by_staff=True))
    db.session.commit()


# Emerging themes

def emerging_themes(survey_id: int | None = None, max_themes: int = 6):
    """Group comments that fit no theme into candidate themes (redacted quotes only)."""
    query = (
        select(TextAnalysis.redacted_text)
        .where(TextAnalysis.source_type == "answer", ~TextAnalysis.themes.any())
        .order_by(TextAnalysis.id.desc())
        .limit(5000)
    )
    if survey_id:
        query = query.where(TextAnalysis.survey_id == survey_id)
    texts = list(db.session.scalars(query))
    return discover_emerging_themes(texts, max_themes=max_themes, min_size=3), len(texts)


# Where the safeguarding lead finds a flagged answer's words

@register_source("answer", "Survey answer")
def answer_text(answer_id: int) -> SourceText | None:
    answer = db.session.get(Answer, answer_id)
    if answer is None:
        return None
    return SourceText(answer.value, url_for("surveys.overview", survey_id=answer.response.survey_id))

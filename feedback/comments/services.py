"""Analysing free-text answers and storing the results; the taxonomy; staff corrections.

The pure analysis package does the work; this module feeds it the co-produced taxonomy and
staff-configured names from the database and stores what it returns with the versions used,
so `flask analyse` can find what is stale after a taxonomy or analyser change.
"""

import hashlib
import json
import re
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import and_, delete, or_, select

from ..analysis import (
    ANALYSER_VERSION,
    SEED_TAXONOMY,
    ThemeDefinition,
    analyse_comments,
    discover_emerging_themes,
)
from ..audit import record_audit
from ..extensions import db
from ..analysis.safeguarding import assess_safeguarding
from ..models import (
    Answer,
    Question,
    RedactionName,
    Response,
    ResponseStatus,
    SafeguardingFlag,
    TextAnalysis,
    Theme,
    ThemeAssignment,
    ThemeCorrection,
)
from ..models.surveys import TEXT_SLOT
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
    """The active themes staff keep; before any theme is stored, the seed taxonomy (with no
    ids to assign, so ideas still get theme names)."""
    themes = db.session.scalars(select(Theme).where(Theme.active.is_(True)).order_by(Theme.id)).all()
    definitions = tuple(
        ThemeDefinition(name=t.name, description=t.description, keywords=tuple(t.keywords), phrases=tuple(t.phrases))
        for t in themes
    )
    if not themes and db.session.scalar(select(db.func.count(Theme.id))) == 0:
        definitions = SEED_TAXONOMY
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
        raise CommentError(_("There is already a theme with this name"))
    if not fields["keywords"] and not fields["phrases"]:
        raise CommentError(_("Give at least one keyword or phrase so comments can be matched"))
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
    """Free-text answers of submitted responses (optionally only these answer ids): the rows
    each question's kind keeps in the text slot (free text, words typed for "Other")."""
    query = (
        select(Answer, Response.survey_id)
        .join(Question, Answer.question_id == Question.id)
        .join(Response, Answer.response_id == Response.id)
        .where(Answer.slot == TEXT_SLOT, Response.status == ResponseStatus.SUBMITTED)
    )
    if ids is not None:
        query = query.where(Answer.id.in_(ids))
    return query


@dataclass(frozen=True)
class TextSource:
    """One piece of free text to analyse: a survey answer, an idea, an idea comment or a
    co-design comment. ``names`` are extra words to remove for this text (its author)."""

    source_type: str
    source_id: int
    text: str
    survey_id: int | None = None
    question_id: int | None = None
    names: tuple[str, ...] = ()


def analyse_sources(sources, taxonomy: Taxonomy | None = None, names: tuple[str, ...] | None = None) -> list:
    """The one analysis path for every piece of free text: analyses ``sources`` with the
    current taxonomy and the staff list of names, and writes one TextAnalysis per source
    (kept staff corrections, manual redactions and a safeguarding flag where needed).
    Part of the caller's transaction; returns the CommentAnalysis of each source."""
    taxonomy = taxonomy or current_taxonomy()
    names = redaction_names() if names is None else names
    sources = list(sources)
    if not sources:
        return []
    keys = {(s.source_type, s.source_id) for s in sources}
    types = {s.source_type for s in sources}
    existing = {
        (a.source_type, a.source_id): a for a in db.session.scalars(select(TextAnalysis).where(
            TextAnalysis.source_type.in_(types), TextAnalysis.source_id.in_({s.source_id for s in sources})))
        if (a.source_type, a.source_id) in keys
    }
    corrections: dict[tuple[str, int], dict[int, str]] = {}
    for correction in db.session.scalars(select(ThemeCorrection).where(
            ThemeCorrection.source_type.in_(types), ThemeCorrection.source_id.in_({s.source_id for s in sources}))):
        corrections.setdefault((correction.source_type, correction.source_id), {})[correction.theme_id] = correction.action
    results = []
    # Sources with the same extra names are analysed together, in batches through the model.
    by_names: dict[tuple[str, ...], list[TextSource]] = {}
    for source in sources:
        by_names.setdefault(tuple(names) + tuple(source.names), []).append(source)
    analysed = {}
    for extra, group in by_names.items():
        for source, result in zip(group, analyse_comments([g.text for g in group], taxonomy.definitions, extra)):
            analysed[(source.source_type, source.source_id)] = result
    for source in sources:
        key = (source.source_type, source.source_id)
        result = analysed[key]
        record = existing.get(key) or TextAnalysis(source_type=source.source_type, source_id=source.source_id)
        if record.id is None:
            db.session.add(record)
            existing[key] = record
        _store(record, source, result, taxonomy, corrections.get(key, {}))
        if result.safeguarding.flagged:
            flag_if_at_risk(source.source_type, source.source_id, source.text, result.safeguarding)
        results.append(result)
    return results


def _store(record: TextAnalysis, source: TextSource, result, taxonomy: Taxonomy, staff_says: dict[int, str]) -> None:
    record.survey_id, record.question_id = source.survey_id, source.question_id
    record.polarity, record.label = result.polarity, result.label
    record.communication_polarity = result.communication.polarity if result.communication else None
    record.communication_label = result.communication.label if result.communication else None
    record.explanation = [{"phrase": phrase, "weight": round(weight, 3)} for phrase, weight in result.explanation]
    record.redacted_text = apply_manual_redactions(result.redacted_text, record.manual_redactions or [])
    record.safeguarding_flagged = result.safeguarding.flagged
    record.analyser_version, record.taxonomy_version = ANALYSER_VERSION, taxonomy.version
    record.analysed_at = db.func.now()
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


MANUAL_PLACEHOLDER = "[removed]"


def apply_manual_redactions(text: str, fragments: list[str]) -> str:
    """Fragments staff removed by hand from this comment, removed again in any case."""
    for fragment in sorted(fragments, key=len, reverse=True):
        if fragment.strip():
            text = re.sub(re.escape(fragment), MANUAL_PLACEHOLDER, text, flags=re.IGNORECASE)
    return text


def redact_fragment(analysis: TextAnalysis, fragment: str, user) -> None:
    """Staff remove a further fragment of one comment's redacted text by hand; audited
    (without the fragment itself, which may be personal), and kept through re-analysis."""
    fragment = fragment.strip()
    if not fragment or fragment.lower() not in analysis.redacted_text.lower():
        raise CommentError(_("Enter words exactly as they appear in the comment"))
    analysis.manual_redactions = [*(analysis.manual_redactions or []), fragment]
    analysis.redacted_text = apply_manual_redactions(analysis.redacted_text, analysis.manual_redactions)
    record_audit(user, "comments.fragment_redacted", "text_analysis", analysis.id,
                 {"characters": len(fragment), "source_type": analysis.source_type})
    db.session.commit()


def _analyse_rows(rows, taxonomy: Taxonomy | None = None, names: tuple[str, ...] | None = None) -> int:
    rows = list(rows)
    analyse_sources([TextSource("answer", answer.id, answer.value, survey_id, answer.question_id)
                     for answer, survey_id in rows], taxonomy, names)
    return len(rows)


def analyse_answers(rows, taxonomy: Taxonomy | None = None, names: tuple[str, ...] | None = None) -> int:
    """Analyse (answer, survey_id) rows and store the results in one transaction."""
    analysed = _analyse_rows(rows, taxonomy, names)
    db.session.commit()
    return analysed


def analyse_response(response_id: int) -> int:
    """Analyse one submitted response's free text; part of the caller's transaction (the
    outbox commits it together with marking the event processed)."""
    return _analyse_rows(db.session.execute(free_text_answers().where(Answer.response_id == response_id)).all())


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
        raise CommentError(_("Choose negative, neutral or positive"))
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
    response, question = answer.response, db.session.get(Question, answer.question_id)
    return SourceText(answer.value, url_for("surveys.overview", survey_id=response.survey_id),
                      survey=response.survey.title if response.survey else None,
                      question=question.text if question else None,
                      when=response.submitted_at)


def response_disclosed_harm(response_id: int) -> bool:
    """Whether any free-text answer of this response may disclose harm: its stored flags,
    or, for answers not analysed yet (the queue has not reached them), the check itself,
    so a family sees help on the page straight after they answer."""
    rows = db.session.execute(free_text_answers().where(Answer.response_id == response_id)).all()
    ids = [answer.id for answer, _ in rows]
    if not ids:
        return False
    if db.session.scalar(select(SafeguardingFlag.id).where(
            SafeguardingFlag.source_type == "answer", SafeguardingFlag.source_id.in_(ids)).limit(1)) is not None:
        return True
    analysed = set(db.session.scalars(select(TextAnalysis.source_id).where(
        TextAnalysis.source_type == "answer", TextAnalysis.source_id.in_(ids))))
    return any(assess_safeguarding(answer.value).flagged for answer, _ in rows if answer.id not in analysed)

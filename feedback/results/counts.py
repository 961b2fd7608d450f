"""Counts: every number a wave's results are built from, read with the database's own
GROUP BY (SQL only; nothing here decides what is shown).

`wave_counts` returns plain typed counts (`counted.WaveCounts`) per "atom", a combination of
locality, respondent type, channel, month and version: a few hundred rows at most, however
many responses there are. `feedback.results.build` turns them into results.
"""

from __future__ import annotations

from collections import defaultdict

from flask_babel import force_locale
from sqlalchemy import and_, case, exists, func, literal, or_, select

from ..extensions import db
from ..models import Answer, Question, Response, ResponseStatus, SubmissionMark, Survey, TextAnalysis, Theme, ThemeAssignment
from ..surveys.kinds import ANSWERED, DONT_KNOW, PREFER_NOT, TEXT_SLOT, indicator_kinds, kind_named, kind_of
from .counted import NOT_STATED, Atom, QuestionCounts, Row, WaveCounts  # noqa: F401  (the types it returns)

COMMUNICATION_THEME = "Communication"


def submitted(survey_id: int):
    """The wave's submitted responses (a WHERE clause)."""
    return and_(Response.survey_id == survey_id, Response.status == ResponseStatus.SUBMITTED)


def submitted_count(survey_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Response).where(submitted(survey_id)))


def online_submission_times(survey_id: int) -> list:
    """When each of the wave's online responses was submitted, earliest first."""
    query = select(Response.submitted_at).where(submitted(survey_id), Response.channel == "online")
    return sorted(t for t in db.session.scalars(query) if t is not None)


def repeated_submissions(survey_id: int, batch: int | None = None) -> dict[str, int]:
    """Per kind of mark (device, address): how many of the wave's online responses (of one
    release batch, if given) came from a device or address that sent more than one."""
    found = {}
    for kind in ("device", "address"):
        query = (select(SubmissionMark.digest, func.sum(SubmissionMark.count).label("n"))
                 .where(SubmissionMark.survey_id == survey_id, SubmissionMark.kind == kind))
        if batch is not None:
            query = query.where(SubmissionMark.batch == batch)
        per_source = query.group_by(SubmissionMark.digest).subquery()
        # int(): PostgreSQL's sum is a Decimal, which the release's JSON cannot hold.
        found[kind] = int(db.session.scalar(select(func.coalesce(func.sum(per_source.c.n), 0))
                                            .where(per_source.c.n > 1)) or 0)
    return found


def repeats_in_batch(survey_id: int, batch: int) -> int:
    """The most responses beyond the first that one device or one address sent in a batch."""
    repeats = dict(db.session.execute(
        select(SubmissionMark.kind, func.sum(SubmissionMark.count - 1))
        .where(SubmissionMark.survey_id == survey_id, SubmissionMark.batch == batch, SubmissionMark.count > 1)
        .group_by(SubmissionMark.kind)).all())
    return int(max(repeats.values(), default=0) or 0)


def _month(column):
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _atom(row) -> Atom:
    locality, respondent_type, channel, month, language = row
    return (
        locality if locality and locality != PREFER_NOT else NOT_STATED,
        respondent_type if respondent_type and respondent_type != PREFER_NOT else NOT_STATED,
        channel or NOT_STATED,
        month or NOT_STATED,
        language or "en",
    )


def _atoms_cte(survey_id: int):
    """Each submitted response with a small integer for its combination of locality,
    respondent type, channel and month (its 'atom'), worked out once per response so the
    answer queries group by one integer instead of four strings per answer."""
    month = _month(Response.submitted_at)
    rank = func.dense_rank().over(order_by=(Response.locality, Response.respondent_type, Response.channel, month,
                                            Response.language))
    return (select(Response.id.label("response_id"), rank.label("atom"), Response.locality,
                   Response.respondent_type, Response.channel, month.label("month"), Response.language)
            .where(submitted(survey_id)).cte("atoms"))


def question_counts(question: Question, observed: set[str], indicator: bool) -> QuestionCounts:
    """The question as the build needs it; its rows, as its kind gives them: its answers,
    then don't know / prefer not, then blank."""
    kind = kind_of(question)
    # A release stores its labels in English, whatever the language of the page that made it.
    with force_locale("en"):
        rows = tuple(Row.from_dict(r) for r in kind.result_rows(question, observed))
    return QuestionCounts(question.id, question.position, question.text, question.kind,
                          tuple(question.dimensions or []), rows, kind.result_parts, frozenset(kind.positive),
                          indicator)


def wave_counts(survey: Survey) -> WaveCounts:
    """Every count the results need, from GROUP BY queries over the wave's responses."""
    questions = sorted(survey.questions, key=lambda q: q.position)
    atoms = _atoms_cte(survey.id)
    atom_of, sizes = {}, defaultdict(int)
    query = (select(atoms.c.atom, atoms.c.locality, atoms.c.respondent_type, atoms.c.channel, atoms.c.month,
                    atoms.c.language, func.count())
             .group_by(atoms.c.atom, atoms.c.locality, atoms.c.respondent_type, atoms.c.channel, atoms.c.month,
                       atoms.c.language))
    for atom_id, *key, n in db.session.execute(query):
        atom_of[atom_id] = _atom(key)
        sizes[atom_of[atom_id]] += n

    # Each kind says how the database counts its answers (by value, in bands, as answered).
    by_kind = defaultdict(list)
    for q in questions:
        by_kind[q.kind].append(q.id)
    value = case(*[(Answer.question_id.in_(ids), kind_named(kind).counted_value(Answer))
                   for kind, ids in by_kind.items()], else_=literal(ANSWERED)) if by_kind else literal(ANSWERED)
    text_ids = [qid for kind, ids in by_kind.items() if kind_named(kind).whole_answer_is_text for qid in ids]
    each_row_ids = [qid for kind, ids in by_kind.items() if kind_named(kind).result_parts == "each_row" for qid in ids]
    answers = defaultdict(int)
    # From the atoms side: SQLite then walks the index on answer.response_id. Words typed
    # for "Other" are free text: analysed, never counted as an answer.
    query = (select(Answer.question_id, value, atoms.c.atom, func.count()).select_from(atoms)
             .join(Answer, Answer.response_id == atoms.c.response_id)
             .where(or_(Answer.slot != TEXT_SLOT, Answer.question_id.in_(text_ids or [-1])))
             .group_by(Answer.question_id, value, atoms.c.atom))
    for question_id, answer, atom_id, n in db.session.execute(query):
        answers[(question_id, answer, atom_of[atom_id])] += n

    answered_multi = defaultdict(int)
    if each_row_ids:
        query = (select(Answer.question_id, atoms.c.atom, func.count(func.distinct(Answer.response_id)))
                 .select_from(atoms).join(Answer, Answer.response_id == atoms.c.response_id)
                 .where(Answer.question_id.in_(each_row_ids))
                 .group_by(Answer.question_id, atoms.c.atom))
        for question_id, atom_id, n in db.session.execute(query):
            answered_multi[(question_id, atom_of[atom_id])] += n

    indicator_ids = [q.id for q in questions if q.kind in indicator_kinds() and "communication" in (q.dimensions or [])]
    indicator_respondents = defaultdict(int)
    if indicator_ids:
        answered = exists().where(Answer.response_id == atoms.c.response_id, Answer.question_id.in_(indicator_ids),
                                  Answer.value.not_in([DONT_KNOW, PREFER_NOT]))
        query = select(atoms.c.atom, func.count()).where(answered).group_by(atoms.c.atom)
        for atom_id, n in db.session.execute(query):
            indicator_respondents[atom_of[atom_id]] += n

    label = func.coalesce(TextAnalysis.label_override, TextAnalysis.label)
    text_join = (select().select_from(atoms)
                 .join(Answer, Answer.response_id == atoms.c.response_id)
                 .join(TextAnalysis, and_(TextAnalysis.source_type == "answer", TextAnalysis.source_id == Answer.id))
                 .join(ThemeAssignment, ThemeAssignment.analysis_id == TextAnalysis.id)
                 .join(Theme, Theme.id == ThemeAssignment.theme_id)
                 # No filter on text_analysis.survey_id: the atoms already hold only this wave, and
                 # the filter would lead SQLite to scan every analysis of the wave per answer.
                 .where(Theme.active.is_(True)))
    # One pass over the comments: counts by theme and sentiment, and the polarity sums the
    # indicator needs for the Communication theme.
    themes = defaultdict(int)
    communication_text = defaultdict(lambda: (0.0, 0))
    communication = db.session.scalar(select(Theme.id).where(Theme.name == COMMUNICATION_THEME))
    # The indicator reads the part of each comment about communication ("lovely SENCo but
    # nobody replies" counts as the complaint it makes about replies), or the whole comment
    # when no part of it names how services communicate.
    query = (text_join.add_columns(ThemeAssignment.theme_id, label, atoms.c.atom, func.count(),
                                   func.sum(func.coalesce(TextAnalysis.communication_polarity, TextAnalysis.polarity)))
             .group_by(ThemeAssignment.theme_id, label, atoms.c.atom))
    for theme_id, text_label, atom_id, n, polarity in db.session.execute(query):
        themes[(theme_id, text_label, atom_of[atom_id])] += n
        if theme_id == communication:
            total, comments = communication_text[atom_of[atom_id]]
            communication_text[atom_of[atom_id]] = (total + float(polarity or 0), comments + n)
    theme_ids = sorted({theme_id for theme_id, _, _ in themes})
    names = dict(db.session.execute(select(Theme.id, Theme.name).where(Theme.id.in_(theme_ids or [-1]))).all())

    observed = defaultdict(set)
    for qid, answer, _ in answers:
        observed[qid].add(answer)
    return WaveCounts(
        questions=tuple(question_counts(q, observed[q.id], q.id in indicator_ids) for q in questions),
        sizes=dict(sizes), answers=dict(answers), answered_multi=dict(answered_multi),
        indicator_respondents=dict(indicator_respondents), themes=dict(themes),
        communication_text=dict(communication_text), theme_names=names)

"""Results use cases: who may see which wave, building a wave's results from the database's
own GROUP BY with disclosure control applied, and keeping them as a snapshot until new
responses arrive.

Every number a page, export or API response shows comes from `wave_results`; hidden counts
are None there, so nothing downstream can leak them.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, case, exists, func, literal, or_, select
from sqlalchemy.exc import IntegrityError

from ..analysis.indicator import DEFAULT_SETTINGS, band_name, communication_quality, compare_waves, trend_flag
from ..extensions import db
from ..models import (
    Answer,
    CoDesignPartner,
    Membership,
    PublicSummary,
    Question,
    Response,
    ResponseStatus,
    Release,
    SubmissionMark,
    Survey,
    SurveyStatus,
    TextAnalysis,
    Theme,
    ThemeAssignment,
)
from ..models.base import utcnow
from ..surveys.kinds import (
    ANSWERED,
    BLANK,
    DONT_KNOW,
    NOT_CHOSEN,
    PREFER_NOT,
    TEXT_SLOT,
    indicator_kinds,
    kind_named,
    kind_of,
    percent,  # noqa: F401  (read from here by pages and tests)
)
from .disclosure import (
    OTHER,
    THRESHOLD,
    TOTAL,
    CannotProtect,
    fully_hidden_lower,
    protect_line,
    protect_table,
    recode_groups,
    secure,
)

# Bumped whenever the shape or the rules of the payload change, so old snapshots rebuild.
BUILD_VERSION = "results-4+" + DEFAULT_SETTINGS.method_version
NOT_STATED = "not_stated"
LABELS = ("negative", "neutral", "positive")
WITH_RESULTS = (SurveyStatus.OPEN, SurveyStatus.CLOSED, SurveyStatus.ARCHIVED)
COMMUNICATION_THEME = "Communication"

DIMENSIONS = [
    ("locality", "Locality", "localities"),
    ("respondent_type", "Who answered", "respondent types"),
    ("channel", "How they answered", "ways of answering"),
    ("month", "Month submitted", "months"),
    ("language", "Version answered", "versions"),
]
DIMENSION_KEYS = [key for key, _, _ in DIMENSIONS]
CHANNEL_LABELS = {"online": "Online", "phone": "By phone", "paper": "On paper", "event": "At an event"}
RESPONDENT_LABELS = {"parent_carer": "Parent carers", "young_person": "Young people",
                     "professional": "Professionals"}


# The versions a response can be given in (surveys.translations), named as staff read them.
VERSION_NAMES = {"en": "English", "cy": "Welsh", "pl": "Polish", "pt": "Portuguese", "easy-read": "Easy Read"}


class ResultsError(Exception):
    """A results request that cannot be met (an unknown filter, say)."""


# Who sees what


def can_view_results(user, survey: Survey) -> bool:
    """Staff see every wave; other signed-in people see waves their group co-designed and
    waves whose results staff have published. Nobody sees a wave before it opens."""
    if survey.status not in WITH_RESULTS or not user.is_authenticated:
        return False
    if user.is_staff or survey.results_published:
        return True
    mine = {m.organisation_id for m in user.memberships}
    return any(p.organisation_id in mine for p in survey.partners)


def visible_surveys(user) -> list[Survey]:
    query = select(Survey).where(Survey.status.in_(WITH_RESULTS))
    if not user.is_staff:
        partner = exists().where(
            CoDesignPartner.survey_id == Survey.id,
            CoDesignPartner.organisation_id.in_(select(Membership.organisation_id).where(Membership.user_id == user.id)),
        )
        query = query.where(or_(Survey.results_published.is_(True), partner))
    return list(db.session.scalars(query.order_by(Survey.title, Survey.series_key, Survey.wave_number)))


def public_statuses() -> tuple:
    """Waves whose summary can be public: closed ones, and open ones too (their releases)
    only when RESULTS_PUBLIC_OPEN_WAVES is set."""
    if _setting("RESULTS_PUBLIC_OPEN_WAVES", 0):
        return WITH_RESULTS
    return (SurveyStatus.CLOSED, SurveyStatus.ARCHIVED)


def is_public(survey: Survey) -> bool:
    return survey.status in public_statuses() and db.session.get(PublicSummary, survey.id) is not None


def public_surveys() -> list[Survey]:
    return list(db.session.scalars(
        select(Survey).join(PublicSummary, PublicSummary.survey_id == Survey.id)
        .where(Survey.status.in_(public_statuses())).order_by(Survey.title, Survey.wave_number)
    ))


def series_waves(survey: Survey, user=None, public: bool = False) -> list[Survey]:
    """The waves of this survey's series the person may see, oldest first."""
    waves = db.session.scalars(
        select(Survey).where(Survey.series_key == survey.series_key, Survey.status.in_(WITH_RESULTS))
        .order_by(Survey.wave_number)
    ).all()
    if public:
        return [w for w in waves if is_public(w)]
    return [w for w in waves if can_view_results(user, w)]


def previous_wave(survey: Survey, user=None, public: bool = False, staff_tool: bool = False) -> Survey | None:
    """The wave before this one, to compare with: only if the reader may see it. The reader
    is always named: a signed-in ``user`` (for an API token, the staff member who made it),
    everyone when ``public``, or ``staff_tool`` for staff's command-line tools."""
    if user is None and not public and not staff_tool:
        raise ValueError("previous_wave needs the reader: a user, public or staff_tool")
    previous = db.session.scalar(
        select(Survey).where(Survey.series_key == survey.series_key, Survey.wave_number < survey.wave_number,
                             Survey.status.in_(WITH_RESULTS))
        .order_by(Survey.wave_number.desc()).limit(1)
    )
    if previous is None:
        return None
    if public:
        return previous if is_public(previous) else None
    if user is not None and not can_view_results(user, previous):
        return None
    return previous


def set_published(survey: Survey, published: bool) -> None:
    """Publish a wave's results to every forum member (or take them back)."""
    survey.results_published = published
    db.session.commit()


def set_public(survey: Survey, staff, public: bool) -> None:
    """Make a wave's summary public to everyone, or withdraw it. An open wave can be made
    public only when RESULTS_PUBLIC_OPEN_WAVES allows it (its figures are releases)."""
    if public and survey.status not in public_statuses():
        raise ResultsError(_("A wave's summary can be made public once the wave has closed."))
    existing = db.session.get(PublicSummary, survey.id)
    if public and existing is None:
        db.session.add(PublicSummary(survey_id=survey.id, published_by_id=staff.id))
    elif not public and existing is not None:
        db.session.delete(existing)
    db.session.commit()


# Releases


@dataclass(frozen=True)
class WaveResults:
    """The figures a page shows, and how current they are."""

    payload: dict
    updated_at: datetime | None  # when the release was made (None: nothing released yet)
    updating: bool  # a new release is due and on its way
    release: "Release | None" = None


def _setting(name: str, default: int) -> int:
    """App config first (tests set it), then the environment, then the default."""
    if name in current_app.config:
        return int(current_app.config[name])
    return int(os.environ.get(name, default))


def release_settings() -> dict:
    """RESULTS_RELEASE_MIN_RESPONSES new responses (at least the threshold) and, while a
    wave is open, RESULTS_RELEASE_MIN_SECONDS since the last release, before the next."""
    return {"min_responses": max(_setting("RESULTS_RELEASE_MIN_RESPONSES", 10), THRESHOLD),
            "min_seconds": _setting("RESULTS_RELEASE_MIN_SECONDS", 86400)}


def latest_release(survey: Survey) -> Release | None:
    """The release every page, download and API call of the wave shows (None: none yet)."""
    return db.session.scalar(select(Release).where(Release.survey_id == survey.id)
                             .order_by(Release.number.desc()).limit(1))


def submitted_count(survey_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Response).where(_submitted(survey_id)))


def release_due(survey: Survey, release: Release | None = None, count: int | None = None) -> bool:
    """A new release is due when enough responses arrived since the last one (and, while the
    wave is open, long enough ago), or when the last was built by older rules."""
    if survey.status not in WITH_RESULTS:
        return False
    settings = release_settings()
    if release is not None and release.build_version == BUILD_VERSION and survey.status == SurveyStatus.OPEN:
        if (utcnow() - release.created_at).total_seconds() < settings["min_seconds"]:
            return False
    count = submitted_count(survey.id) if count is None else count
    if release is None:
        return count >= settings["min_responses"] and distinct_new(survey, None, count) >= settings["min_responses"]
    if count < (release.audit or {}).get("next_release_at", 0):
        return False  # the last attempt was withheld (see _put_off), whatever rules built this one
    if release.build_version != BUILD_VERSION:
        return count >= THRESHOLD
    return count - release.n >= settings["min_responses"] and distinct_new(survey, release, count) >= settings[
        "min_responses"]


def distinct_new(survey: Survey, release: Release | None, count: int) -> int:
    """New responses since the release, counting those from one device or one address once
    (a release needs enough of them: one person sending many is not many families)."""
    batch = (release.number if release is not None else 0) + 1
    repeats = dict(db.session.execute(
        select(SubmissionMark.kind, func.sum(SubmissionMark.count - 1))
        .where(SubmissionMark.survey_id == survey.id, SubmissionMark.batch == batch, SubmissionMark.count > 1)
        .group_by(SubmissionMark.kind)).all())
    return count - (release.n if release is not None else 0) - int(max(repeats.values(), default=0) or 0)


def _nothing_released(survey: Survey) -> dict:
    return {"version": BUILD_VERSION, "survey_id": survey.id, "computed_at": "", "n": None, "withheld": True,
            "release": None, "dimensions": [], "questions": [], "themes": [], "views": {}}


def current_results(survey: Survey) -> WaveResults:
    """The wave's latest release, for a page.

    When a new release is due it is made by the worker if there is one (the page shows the
    last release meanwhile and says a new one is on its way), or here and now (no Redis,
    Redis down, a queued release waiting longer than RESULTS_QUEUE_WAIT_SECONDS, or nothing
    released yet)."""
    # The worker's queue, given by feedback.jobs.register_jobs; without it, made here.
    queue_results_rebuild = current_app.extensions.get("results_rebuild_queue", lambda *args: False)

    release = latest_release(survey)
    due = release_due(survey, release)
    # Older rules: replaced here and now (shown only while a release by the new rules is withheld).
    outdated = release is not None and release.build_version != BUILD_VERSION
    if due and (release is None or outdated
                or not queue_results_rebuild(survey.id, _setting("RESULTS_QUEUE_WAIT_SECONDS", 300))):
        release = make_release(survey.id) or latest_release(survey)
        due = False
    if release is None:
        return WaveResults(_nothing_released(survey), None, False)
    return WaveResults(release.payload, release.created_at, due, release)


def wave_results(survey: Survey) -> dict:
    """The wave's latest release (see `current_results`): what downloads, the API and other
    waves' comparisons read."""
    return current_results(survey).payload


def mark_results_stale(response_id: int) -> None:
    """A response arrived. Releases are decided by counts and time (`release_due`), so there
    is nothing to mark; kept for the callers that report every submission."""


def rebuild_results_if_due(survey_id: int) -> bool:
    """The background job: make the wave's next release if one is still due (a job queued
    twice, or a release already made by a view, costs nothing)."""
    survey = db.session.get(Survey, survey_id)
    if survey is None or not release_due(survey, latest_release(survey)):
        return False
    return make_release(survey_id) is not None


def rebuild_due_after(response_id: int) -> int | None:
    """The wave a newly analysed response makes due for a release, if any."""
    survey_id = db.session.scalar(select(Response.survey_id).where(Response.id == response_id))
    survey = db.session.get(Survey, survey_id) if survey_id is not None else None
    if survey is None or not release_due(survey, latest_release(survey)):
        return None
    return survey_id


def make_release(survey_id: int) -> Release | None:
    """Make the wave's next release if one is due: build its results (disclosure control
    applied, protected together with the previous release) and store them frozen. Returns
    the new release, or None when none was due or another request made it first.

    On PostgreSQL the build's queries all read one moment of the database (REPEATABLE READ),
    so group sizes and answer counts agree while responses arrive; the number of responses
    in the release is counted in that same moment."""
    db.session.commit()
    try:
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        survey = db.session.get(Survey, survey_id)
        last = latest_release(survey)
        count = submitted_count(survey_id)
        if not release_due(survey, last, count):
            db.session.commit()
            return None
        started = utcnow()
        payload, state, figures = _build(survey, last)
        if _put_off(survey, last, count, figures):
            return None
        number = last.number + 1 if last is not None else 1
        payload["release"] = {"number": number, "created_at": started.isoformat()}
        payload["computed_at"] = started.isoformat()
        db.session.commit()  # ends the read-only snapshot of the database
    except Exception:
        db.session.rollback()
        raise
    release = Release(survey_id=survey_id, number=number, created_at=started, n=payload["n"], payload=payload,
                      build_version=BUILD_VERSION, audit=figures, audit_state=state)
    db.session.add(release)
    try:
        db.session.commit()
    except IntegrityError:
        # Another request made this release at the same moment; theirs is as good.
        db.session.rollback()
        return None
    return release


def _put_off(survey: Survey, last: Release | None, count: int, figures: dict) -> bool:
    """A release whose audit with the previous release leaves findings
    that no further hiding removes is never made: the last release stays, and the next
    attempt waits until RESULTS_RELEASE_MIN_RESPONSES more responses have arrived (a bigger
    difference between releases is harder to pick apart). This holds for closed waves too:
    their figures stay those of the last safe release. Staff are told (`put_off`)."""
    if last is None or not figures.get("unresolved"):
        return False  # a first release has nothing to be differenced with (see docs/results.md, "Limits")
    minimum = release_settings()["min_responses"]
    db.session.rollback()  # end the read-only snapshot before writing
    last = db.session.get(Release, last.id)
    last.audit = {**(last.audit or {}), "next_release_at": count + minimum,
                  "put_off": {"responses": count, "unresolved": figures["unresolved"]}}
    db.session.commit()
    return True


def rebuild_results(survey_id: int) -> dict:
    """Make a release if one is due and return the latest release's payload."""
    make_release(survey_id)
    survey = db.session.get(Survey, survey_id)
    release = latest_release(survey)
    return release.payload if release is not None else _nothing_released(survey)


# Building a wave's results


def _month(column):
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _atom(row) -> tuple:
    locality, respondent_type, channel, month, language = row
    return (
        locality if locality and locality != PREFER_NOT else NOT_STATED,
        respondent_type if respondent_type and respondent_type != PREFER_NOT else NOT_STATED,
        channel or NOT_STATED,
        month or NOT_STATED,
        language or "en",
    )


def _submitted(survey_id: int):
    return and_(Response.survey_id == survey_id, Response.status == ResponseStatus.SUBMITTED)


def _atoms_cte(survey_id: int):
    """Each submitted response with a small integer for its combination of locality,
    respondent type, channel and month (its 'atom'), worked out once per response so the
    answer queries group by one integer instead of four strings per answer."""
    month = _month(Response.submitted_at)
    rank = func.dense_rank().over(order_by=(Response.locality, Response.respondent_type, Response.channel, month,
                                            Response.language))
    return (select(Response.id.label("response_id"), rank.label("atom"), Response.locality,
                   Response.respondent_type, Response.channel, month.label("month"), Response.language)
            .where(_submitted(survey_id)).cte("atoms"))


def _aggregate(survey: Survey, questions: list[Question]) -> dict:
    """Every count the results need, from GROUP BY queries over the wave's responses.

    Counts come back per atom: a few hundred rows at most, however many responses there are."""
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
    communication_text = defaultdict(lambda: [0.0, 0])
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
            entry = communication_text[atom_of[atom_id]]
            entry[0] += float(polarity or 0)
            entry[1] += n
    return dict(sizes=sizes, answers=answers, answered_multi=answered_multi, indicator_ids=indicator_ids,
                indicator_respondents=indicator_respondents, themes=themes, communication_text=communication_text)


def group_label(dimension: str, key: str, plural: str) -> str:
    if key == OTHER:
        return f"Other {plural} (combined)"
    if key == NOT_STATED:
        return "Not stated"
    if dimension == "channel":
        return CHANNEL_LABELS.get(key, key.capitalize())
    if dimension == "respondent_type":
        return RESPONDENT_LABELS.get(key, key.replace("_", " ").capitalize())
    if dimension == "month":
        return datetime.strptime(key, "%Y-%m").strftime("%B %Y")
    if dimension == "language":
        return VERSION_NAMES.get(key, key)
    return key


def question_rows(question: Question, observed: set[str]) -> list[dict]:
    """The rows of a question's table, as its kind gives them: its answers, then don't know /
    prefer not, then blank."""
    return kind_of(question).result_rows(question, observed)


LINE = "__line__"


def _compared_with(previous: dict | None, values: dict) -> dict | None:
    """An earlier release's state as `disclosure.secure` takes it: its entries as ("old", key),
    and for each entry of both the relation new = old + difference, where the difference
    (never released) is at least 0, or what it truly is when it is negative (responses
    deleted, or a combined group that lost a member): the reader is given at least what
    they could know."""
    if not previous:
        return None
    keys = [("old", *k) for k in previous["keys"]]
    old_values = dict(zip(keys, previous["values"]))
    relations = [(keys[t], tuple(keys[p] for p in parts)) for t, parts in previous["relations"]]
    lower = {keys[i]: 0 for i in previous["lower"]}
    unreleased = set()
    for key, n in values.items():
        old = ("old", *key)
        if old not in old_values:
            continue
        difference = ("difference", *key)
        old_values[difference] = n - old_values[old]
        lower[difference] = min(0, old_values[difference])
        unreleased.add(difference)
        relations.append((key, (old, difference)))
    return {"relations": relations, "values": old_values, "hidden": {keys[i] for i in previous["hidden"]} | unreleased,
            "lower": lower, "unreleased": unreleased}


class _Family:
    """One line of whole-wave counts and its table for each dimension, protected together.

    Entries are keyed (LINE, row) for the whole-wave line (row TOTAL: its total) and
    (dimension, row, group) for a table (row TOTAL: the group's total). The heuristic
    suppression of `disclosure` proposes what to hide; `disclosure.secure` then hides more
    until the audit finds no sensitive count that a reader could narrow below its
    protection interval, using every relation between the entries."""

    def __init__(self, rows: list[str], cells: dict[str, dict], sizes_fixed: bool, line_fixed: bool = False,
                 previous: dict | None = None, threshold: int = THRESHOLD):
        self.rows = rows
        first = next(iter(cells.values()))
        whole = {r: sum(n for (row, _), n in first.items() if row == r) for r in rows}
        total = sum(whole.values())
        total_hidden = not sizes_fixed and 0 < total < threshold
        line_hidden = {r for r, n in whole.items() if n > 0} if total_hidden else protect_line(whole, threshold=threshold)
        self.values = {(LINE, r): n for r, n in whole.items()}
        self.values[(LINE, TOTAL)] = total
        hidden = {(LINE, r) for r in line_hidden} | ({(LINE, TOTAL)} if total_hidden else set())
        fixed = set() if total_hidden else {(LINE, TOTAL)}
        if line_fixed:  # the rows are groups whose sizes are published
            fixed |= set(self.values)
        margins = set(self.values)
        self.relations = [((LINE, TOTAL), tuple((LINE, r) for r in rows))]
        self.groups = {}
        for dimension, table in cells.items():
            groups = sorted({g for _, g in table}, key=str)
            self.groups[dimension] = groups
            for (r, g), n in table.items():
                self.values[(dimension, r, g)] = n
            for g in groups:
                self.values[(dimension, TOTAL, g)] = sum(table[(r, g)] for r in rows)
                self.relations.append(((dimension, TOTAL, g), tuple((dimension, r, g) for r in rows)))
                margins.add((dimension, TOTAL, g))
                if sizes_fixed:
                    fixed.add((dimension, TOTAL, g))
            for r in rows:
                self.relations.append(((LINE, r), tuple((dimension, r, g) for g in groups)))
            self.relations.append(((LINE, TOTAL), tuple((dimension, TOTAL, g) for g in groups)))
            hidden_before = {(r, TOTAL) for r in line_hidden} | ({(TOTAL, TOTAL)} if total_hidden else set())
            table_fixed = {(r, TOTAL) for r in rows if r not in line_hidden}
            if not total_hidden:
                table_fixed.add((TOTAL, TOTAL))
            if sizes_fixed:
                table_fixed |= {(TOTAL, g) for _, g in table}
            try:
                proposed = protect_table(table, hidden=hidden_before, fixed=table_fixed, threshold=threshold)
            except CannotProtect:
                proposed = set(table) | {(TOTAL, g) for _, g in table}
            hidden |= {self._key(dimension, entry) for entry in proposed} - fixed
        # The tables readers see: the whole-wave line, and each dimension's counts (with each
        # group's total when it is not a published group size).
        self.tables = {LINE: [(LINE, r) for r in rows] + ([] if sizes_fixed else [(LINE, TOTAL)])}
        for dimension, groups in self.groups.items():
            self.tables[dimension] = [(dimension, r, g) for r in rows for g in groups] + (
                [] if sizes_fixed else [(dimension, TOTAL, g) for g in groups])
        self.fixed, self.margins = fixed, margins
        self.unresolved: list = []
        self.hidden = secure(self.relations, self.values, hidden, fixed=fixed, margins=margins, tables=self.tables,
                             threshold=threshold, previous=_compared_with(previous, self.values), unresolved=self.unresolved)

    def state(self) -> dict:
        """What the next release's audit needs to know about these figures (true values
        included: kept with the release, never served)."""
        keys = sorted(self.values, key=repr)
        index = {k: i for i, k in enumerate(keys)}
        lower = fully_hidden_lower(self.tables, self.hidden)
        return {"keys": [list(k) for k in keys], "values": [self.values[k] for k in keys],
                "hidden": sorted(index[k] for k in self.hidden), "lower": sorted(index[k] for k in lower),
                "relations": [[index[t], [index[p] for p in parts]] for t, parts in self.relations]}

    @staticmethod
    def _key(dimension: str, entry: tuple) -> tuple:
        row, group = entry
        if group == TOTAL:
            return (LINE, row)
        return (dimension, row, group)

    def shown(self, key) -> int | None:
        return None if key in self.hidden else self.values[key]

    def view(self, view_key: str | None) -> dict:
        if view_key is None:
            return {**{r: self.shown((LINE, r)) for r in self.rows}, TOTAL: self.shown((LINE, TOTAL))}
        dimension, group = view_key.split(":", 1)
        return {r: self.shown((dimension, r, group)) for r in [*self.rows, TOTAL]}


def _cells(counts: dict, rows: list[str], groups_of: list[dict]) -> dict[str, dict]:
    """Split counts per (row, atom) into one table per dimension, every row x group present."""
    cells = {}
    for index, dimension in enumerate(DIMENSION_KEYS):
        mapping = groups_of[index]
        table = {(r, g): 0 for r in rows for g in set(mapping.values())}
        for (row, atom), n in counts.items():
            table[(row, mapping[atom[index]])] += n
        cells[dimension] = table
    return cells


def build_results(survey: Survey, previous: "Release | None" = None) -> dict:
    """A wave's results for every view (the whole wave and one per published group), with
    disclosure control applied. Hidden counts are None."""
    return _build(survey, previous)[0]


def _build(survey: Survey, previous: "Release | None" = None) -> tuple[dict, dict, dict]:
    """(payload, audit state, audit figures): the figures are protected together with the
    previous release's, so comparing the two narrows no hidden count of either."""
    before = (previous.audit_state or {}) if previous is not None else {}
    states: dict[str, dict] = {}

    def family(name: str, *args, **kwargs) -> _Family:
        built = _Family(*args, previous=before.get(name), threshold=threshold, **kwargs)
        states[name] = built.state()
        return built

    padding = padding_signs(survey.id)
    # Protected against a reader who knows this many of the responses (see padding_signs).
    threshold = THRESHOLD + padding["known_responses"]
    questions = sorted(survey.questions, key=lambda q: q.position)
    data = _aggregate(survey, questions)
    sizes = data["sizes"]
    n = sum(sizes.values())
    payload = {"version": BUILD_VERSION, "survey_id": survey.id, "computed_at": utcnow().isoformat(),
               "threshold": threshold, "n": n if n >= THRESHOLD else None, "withheld": n < THRESHOLD,
               "dimensions": [], "questions": [], "themes": [], "views": {}}
    if n < THRESHOLD:
        return payload, {}, {}

    groups_of, views = [], {"all": None}
    breakdown_min = max(_setting("RESULTS_BREAKDOWN_MIN", 10), THRESHOLD)
    for index, (dimension, label, plural) in enumerate(DIMENSIONS):
        raw = defaultdict(int)
        for atom, count in sizes.items():
            raw[atom[index]] += count
        mapping = recode_groups(raw, threshold=breakdown_min)
        groups_of.append(mapping)
        published = defaultdict(int)
        for group, count in raw.items():
            published[mapping[group]] += count
        order = sorted(published, key=lambda g: (g in (OTHER, NOT_STATED), g == OTHER, g))
        groups = []
        for g in order:
            members = sorted(group_label(dimension, m, plural) for m, target in mapping.items() if target == g and m != g)
            groups.append({"key": g, "label": group_label(dimension, g, plural), "size": published[g],
                           "members": members if g == OTHER else []})
            views[f"{dimension}:{g}"] = None
        payload["dimensions"].append({"key": dimension, "label": label, "plural": plural, "groups": groups})

    def group_key(index: int, atom: tuple) -> str:
        return groups_of[index][atom[index]]

    # Who answered: the whole wave by each dimension, and each dimension against each other.
    # The table of locality by channel is the same counts as channel by locality: protected once.
    profiles = {}
    for a, dim_a in enumerate(DIMENSION_KEYS):
        for b, dim_b in enumerate(DIMENSION_KEYS):
            if b <= a:
                continue
            table = {(gb["key"], ga["key"]): 0 for ga in payload["dimensions"][a]["groups"]
                     for gb in payload["dimensions"][b]["groups"]}
            for atom, count in sizes.items():
                table[(group_key(b, atom), group_key(a, atom))] += count
            profile = family(f"profile:{dim_a}:{dim_b}", sorted({gb for gb, _ in table}, key=str), {dim_a: table},
                             sizes_fixed=True, line_fixed=True)
            profiles[(dim_a, dim_b)] = {(gb, ga): profile.shown((dim_a, gb, ga)) for gb, ga in table}
            profiles[(dim_b, dim_a)] = {(ga, gb): shown for (gb, ga), shown in profiles[(dim_a, dim_b)].items()}

    # Questions: one family of tables per question (per option for multiple choice).
    families: dict[int, dict[str, _Family]] = {}
    for question in questions:
        counts = {(value, atom): c for (qid, value, atom), c in data["answers"].items() if qid == question.id}
        rows = question_rows(question, {value for value, _ in counts})
        payload["questions"].append({"id": question.id, "position": question.position, "text": question.text,
                                     "kind": question.kind, "dimensions": list(question.dimensions or []),
                                     "rows": rows})
        keys = [r["key"] for r in rows]
        parts_of = kind_of(question).result_parts
        if parts_of == "grouped":  # one table per part (a grid's statement, a ranked option)
            parts = {}
            for group in dict.fromkeys(r["group"] for r in rows):
                mine = [r["key"] for r in rows if r["group"] == group]
                chosen = {(value, atom): c for (value, atom), c in counts.items() if value in mine}
                both = _with_blank(chosen, sizes, None, blank=mine[-1])
                parts[group] = family(f"question:{question.id}:{group}", mine, _cells(both, mine, groups_of),
                                      sizes_fixed=True)
            families[question.id] = parts
        elif parts_of == "each_row":
            parts = {}
            answered = {(ANSWERED, atom): c for (qid, atom), c in data["answered_multi"].items() if qid == question.id}
            parts[BLANK] = family(f"question:{question.id}:{BLANK}", [ANSWERED, BLANK], _cells(_with_blank(answered, sizes, ANSWERED), [ANSWERED, BLANK],
                                                             groups_of), sizes_fixed=True)
            for option in keys[:-1]:
                chosen = {(value, atom): c for (value, atom), c in counts.items() if value == option}
                both = _with_blank(chosen, sizes, option, blank=NOT_CHOSEN)
                parts[option] = family(f"question:{question.id}:{option}", [option, NOT_CHOSEN], _cells(both, [option, NOT_CHOSEN], groups_of),
                                        sizes_fixed=True)
            families[question.id] = parts
        else:
            with_blank = _with_blank(counts, sizes, None)
            families[question.id] = {"": family(f"question:{question.id}", keys, _cells(with_blank, keys, groups_of),
                                                sizes_fixed=True)}

    # Free text: comments per theme, split by sentiment.
    theme_families = {}
    theme_ids = sorted({theme_id for theme_id, _, _ in data["themes"]})
    names = dict(db.session.execute(select(Theme.id, Theme.name).where(Theme.id.in_(theme_ids or [-1]))).all())
    for theme_id in sorted(theme_ids, key=lambda t: names.get(t, "")):
        counts = {(text_label, atom): c for (tid, text_label, atom), c in data["themes"].items() if tid == theme_id}
        counts = {(lbl if lbl in LABELS else "neutral", atom): c for (lbl, atom), c in counts.items()}
        merged = defaultdict(int)
        for key, c in counts.items():
            merged[key] += c
        theme_families[theme_id] = family(f"theme:{names.get(theme_id, theme_id)}", list(LABELS),
                                          _cells(merged, list(LABELS), groups_of), sizes_fixed=False)
        payload["themes"].append({"id": theme_id, "name": names.get(theme_id, "")})

    for view_key in views:
        scope = None if view_key == "all" else view_key
        dimension = None if scope is None else scope.split(":", 1)[0]
        group = None if scope is None else scope.split(":", 1)[1]
        view = {"key": view_key, "n": n if scope is None else None, "profile": {}, "questions": {}, "themes": {}}
        if scope is not None:
            index = DIMENSION_KEYS.index(dimension)
            view["n"] = next(g["size"] for g in payload["dimensions"][index]["groups"] if g["key"] == group)
        for index, other in enumerate(DIMENSION_KEYS):
            if other == dimension:
                continue
            groups = payload["dimensions"][index]["groups"]
            if scope is None:
                view["profile"][other] = [g["size"] for g in groups]
            else:
                table = profiles[(dimension, other)]
                view["profile"][other] = [table[(g["key"], group)] for g in groups]
        for question in payload["questions"]:
            parts = families[question["id"]]
            if "" in parts:
                column = parts[""].view(scope)
                view["questions"][str(question["id"])] = [column[r["key"]] for r in question["rows"]]
            elif "group" in question["rows"][0]:
                view["questions"][str(question["id"])] = [parts[r["group"]].view(scope)[r["key"]]
                                                           for r in question["rows"]]
            else:
                view["questions"][str(question["id"])] = [
                    parts[r["key"]].view(scope)[BLANK if r["key"] == BLANK else r["key"]] for r in question["rows"]
                ]
        for theme in payload["themes"]:
            column = theme_families[theme["id"]].view(scope)
            view["themes"][str(theme["id"])] = {"comments": column[TOTAL], **{lbl: column[lbl] for lbl in LABELS}}
        views[view_key] = view

    _add_indicator(payload, views, data, families, groups_of, threshold)
    payload["views"] = views
    figures = {"padding": padding, "threshold": threshold,
               "hidden": sum(len(f.hidden) for f in _all_families(families, theme_families)),
               "sensitive_hidden": sum(sum(1 for k in f.hidden if 0 < f.values[k] < threshold)
                                       for f in _all_families(families, theme_families)),
               "fully_hidden_tables": sum(sum(1 for keys in f.tables.values() if keys and all(k in f.hidden for k in keys))
                                          for f in _all_families(families, theme_families)),
               "compared_with_release": previous.number if previous is not None else None,
               # Findings no further hiding could remove (see docs/results.md, "Limits"): staff see these.
               "unresolved": sum(len(f.unresolved) for f in _all_families(families, theme_families))}
    return payload, states, figures


PADDING_WINDOW_MINUTES = 10
PADDING_BURST = 5
PADDING_MAX = 5  # known responses a release is protected against, at most


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


def padding_signs(survey_id: int) -> dict:
    """Signs that the wave's responses were padded (someone sending several responses with
    answers they know, to subtract them later), and so how many known responses its releases
    are protected against ("known_responses", see docs/results.md, "Padding"):

    - responses from a device or an address that sent more than one (submission marks);
    - the most online responses that arrived within any PADDING_WINDOW_MINUTES of each other
      (PADDING_BURST or more looks padded and staff are told; a newsletter going out does
      the same, so this alone does not change the protection);
    - at least RESULTS_KNOWN_RESPONSES (default 1: every family knows its own response).
    At most PADDING_MAX."""
    query = select(Response.submitted_at).where(_submitted(survey_id), Response.channel == "online")
    times = sorted(t for t in db.session.scalars(query) if t is not None)
    most, start = 0, 0
    window = PADDING_WINDOW_MINUTES * 60
    for end, moment in enumerate(times):
        while (moment - times[start]).total_seconds() > window:
            start += 1
        most = max(most, end - start + 1)
    repeated = repeated_submissions(survey_id)
    burst = most >= PADDING_BURST
    known = max(_setting("RESULTS_KNOWN_RESPONSES", 1), max(repeated.values()))
    return {"responses": len(times), "most_within_window": most, "window_minutes": PADDING_WINDOW_MINUTES,
            "repeated_devices": repeated["device"], "repeated_addresses": repeated["address"],
            "looks_padded": burst or any(repeated.values()), "known_responses": min(known, PADDING_MAX)}


def padding_now(survey: Survey, release: Release | None) -> dict:
    """The signs of padding for staff: the burst as of the release (timing every response is
    left to the release), repeated devices and addresses as they are now (a cheap sum)."""
    signs = dict(((release.audit or {}).get("padding") or {}) if release is not None else {})
    repeated = repeated_submissions(survey.id)
    known = max(_setting("RESULTS_KNOWN_RESPONSES", 1), max(repeated.values()))
    signs.setdefault("most_within_window", 0)
    signs.setdefault("responses", 0)
    signs.setdefault("window_minutes", PADDING_WINDOW_MINUTES)
    signs.update(repeated_devices=repeated["device"], repeated_addresses=repeated["address"],
                 looks_padded=bool(signs.get("looks_padded")) or any(repeated.values()),
                 known_responses=min(known, PADDING_MAX))
    return signs


def _all_families(families: dict, theme_families: dict) -> list:
    return [f for parts in families.values() for f in parts.values()] + list(theme_families.values())


def _with_blank(counts: dict, sizes: dict, answered_key: str | None, blank: str = BLANK) -> dict:
    """Add a row for people in each atom who did not answer (size minus those who did)."""
    result = dict(counts)
    answered = defaultdict(int)
    for (value, atom), c in counts.items():
        if answered_key is None or value == answered_key:
            answered[atom] += c
    for atom, size in sizes.items():
        result[(blank, atom)] = size - answered[atom]
    return result


def _add_indicator(payload: dict, views: dict, data: dict, families: dict, groups_of: list[dict],
                   threshold: int = THRESHOLD) -> None:
    """The communication-quality indicator for every view.

    A view's indicator is withheld when fewer than 10 people answered a communication
    question. Someone who worked back from the value and interval to the number of positive
    answers and of all answers would learn three sums over the view's communication
    questions: positive answers, other answers, and don't know / prefer not / blank. So the
    indicator is also withheld when exactly one count in any of those sums is hidden (the sum
    would give it away). If one group of a dimension is withheld, the next smallest is too.
    """
    indicator_ids = set(data["indicator_ids"])
    kinds = {q["id"]: q["kind"] for q in payload["questions"]}
    per_view = defaultdict(lambda: {"positive": 0, "total": 0, "respondents": 0, "text": [0.0, 0]})

    def scopes(atom):
        yield "all"
        for index, dimension in enumerate(DIMENSION_KEYS):
            yield f"{dimension}:{groups_of[index][atom[index]]}"

    for (qid, value, atom), c in data["answers"].items():
        if qid not in indicator_ids or value in (DONT_KNOW, PREFER_NOT):
            continue
        for scope in scopes(atom):
            per_view[scope]["total"] += c
            if value in kind_named(kinds[qid]).positive:
                per_view[scope]["positive"] += c
    for atom, c in data["indicator_respondents"].items():
        for scope in scopes(atom):
            per_view[scope]["respondents"] += c
    for atom, (total, c) in data["communication_text"].items():
        for scope in scopes(atom):
            per_view[scope]["text"][0] += total
            per_view[scope]["text"][1] += c

    sums = _IndicatorSums(payload, families, indicator_ids, threshold)
    # The whole wave first, then the largest groups: they keep their indicator when one must go.
    for view_key in sorted(views, key=lambda k: (k != "all", -(views[k]["n"] or 0), k)):
        view = views[view_key]
        inputs = per_view[view_key]
        text_total, text_n = inputs["text"]
        # The indicator uses only the mean polarity and the number of comments.
        polarities = [text_total / text_n] * text_n if text_n else []
        result = communication_quality(inputs["positive"], inputs["total"], polarities, inputs["respondents"])
        scope = None if view_key == "all" else view_key
        reason = "fewer_than_10" if result.suppressed else (None if sums.add(scope) else "hidden_counts")
        view["cqi"] = _indicator_dict(result, reason)

    for dimension in DIMENSION_KEYS:
        keys = [k for k in views if k.startswith(dimension + ":")]
        withheld = [k for k in keys if views[k]["cqi"]["value"] is None]
        shown = [k for k in keys if views[k]["cqi"]["value"] is not None]
        if len(withheld) == 1 and shown:
            smallest = min(shown, key=lambda k: (views[k]["n"], k))
            views[smallest]["cqi"] = _indicator_dict(None, "protects_another_group")


def indicator_classes(question: dict) -> dict[str, str]:
    """Each row of an indicator question: 'positive', 'other' (answered) or 'not_valid'."""
    classes = {}
    for row in question["rows"]:
        if row["special"]:
            classes[row["key"]] = "not_valid"
        elif row["key"] in kind_named(question["kind"]).positive:
            classes[row["key"]] = "positive"
        else:
            classes[row["key"]] = "other"
    return classes


class _IndicatorSums:
    """What shown indicators tell a reader, at worst: for each view, the sums of positive and
    of other answers over its communication questions (worked back from the value and its
    interval). A view's indicator is shown only if the audit, with those sums for every view
    shown so far, still finds every sensitive count protected."""

    def __init__(self, payload: dict, families: dict, indicator_ids: set, threshold: int = THRESHOLD):
        self.threshold = threshold
        self.relations, self.values, self.hidden, self.lower = [], {}, set(), {}
        self.questions = [q for q in payload["questions"] if q["id"] in indicator_ids]
        for question in self.questions:
            family = families[question["id"]][""]
            qid = question["id"]
            self.relations += [((qid, total), tuple((qid, p) for p in parts)) for total, parts in family.relations]
            self.values.update({(qid, key): n for key, n in family.values.items()})
            self.hidden |= {(qid, key) for key in family.hidden}
            self.lower.update({(qid, key): 0 for key in fully_hidden_lower(family.tables, family.hidden)})

    def add(self, scope: str | None) -> bool:
        from .audit import audit

        relations, values = [], {}
        for kind in ("positive", "other"):
            parts = []
            for question in self.questions:
                for row, row_kind in indicator_classes(question).items():
                    if row_kind == kind:
                        key = (LINE, row) if scope is None else (scope.split(":", 1)[0], row, scope.split(":", 1)[1])
                        parts.append((question["id"], key))
            name = ("indicator", scope, kind)
            relations.append((name, tuple(parts)))
            values[name] = sum(self.values[p] for p in parts)
        if not any(p in self.hidden for _, parts in relations for p in parts):
            return True  # sums of shown counts tell nothing new
        candidate = self.relations + relations
        if audit(candidate, {**self.values, **values}, self.hidden, lower=self.lower, threshold=self.threshold):
            return False
        self.relations = candidate
        self.values.update(values)
        return True


def _indicator_dict(result, reason: str | None) -> dict:
    if result is None or reason is not None:
        return {"value": None, "low": None, "high": None, "band": None, "withheld": reason,
                "method_version": DEFAULT_SETTINGS.method_version}
    return {"value": result.value, "low": result.low, "high": result.high, "band": result.band, "withheld": None,
            "method_version": result.method_version, "uses_text": result.p_text is not None}


# Reading results for pages, exports and the API


def parse_filter(payload: dict, value: str | None) -> str:
    """The view for a filter like 'locality:Norwich'; unknown filters are a ResultsError."""
    if not value or value == "all":
        return "all"
    if value not in payload["views"]:
        raise ResultsError(_("There are no results for that filter. Choose another."))
    return value


def view_label(payload: dict, view_key: str) -> str:
    if view_key == "all":
        return "Everyone who responded"
    dimension, group = view_key.split(":", 1)
    for d in payload["dimensions"]:
        if d["key"] == dimension:
            for g in d["groups"]:
                if g["key"] == group:
                    return f"{d['label']}: {g['label']}"
    return view_key


def indicator_series(waves: list[Survey]) -> list[dict]:
    """The whole-wave indicator for each wave, with the change from the wave before."""
    from ..analysis.indicator import IndicatorResult

    series, previous = [], None
    for wave in waves:
        payload = wave_results(wave)
        cqi = payload["views"]["all"]["cqi"] if not payload["withheld"] else _indicator_dict(None, "fewer_than_10")
        current = IndicatorResult(cqi["value"], cqi["low"], cqi["high"], 0, cqi["value"] is None, cqi["band"],
                                  cqi["method_version"], None, None)
        change = compare_waves(previous, current) if previous is not None else None
        series.append({"survey_id": wave.id, "wave_number": wave.wave_number, "wave_label": wave.wave_label,
                       "n": payload["n"], **cqi, "band": band_name(cqi["band"]),
                       "change": None if change is None or change.delta is None else change.delta,
                       "significant": bool(change and change.significant)})
        previous = current
    values = [point["value"] for point in series]
    return series, trend_flag(values)


def theme_changes(payload: dict, previous: dict | None, view_key: str) -> dict[str, dict]:
    """Per theme: change in comments and in the share that is negative, from the previous wave."""
    changes = {}
    if previous is None or previous.get("withheld") or view_key not in previous["views"]:
        return changes
    before_names = {t["name"]: str(t["id"]) for t in previous["themes"]}
    for theme in payload["themes"]:
        now = payload["views"][view_key]["themes"][str(theme["id"])]
        key = before_names.get(theme["name"])
        if key is None:
            continue
        then = previous["views"][view_key]["themes"][key]
        change = {"comments": None, "negative_share": None}
        if now["comments"] is not None and then["comments"] is not None:
            change["comments"] = now["comments"] - then["comments"]
            if now["negative"] is not None and then["negative"] is not None and now["comments"] and then["comments"]:
                change["negative_share"] = round(100 * now["negative"] / now["comments"]
                                                 - 100 * then["negative"] / then["comments"])
        changes[str(theme["id"])] = change
    return changes


def consented_quotes(survey: Survey, theme_id: int, limit: int = 3) -> list[str]:
    """A few redacted comments on a theme from people who agreed to be quoted; never
    flagged ones. Shown on the whole-wave view only, so a quote is not tied to a small group."""
    query = (
        select(TextAnalysis.redacted_text)
        .join(ThemeAssignment, ThemeAssignment.analysis_id == TextAnalysis.id)
        .join(Answer, and_(TextAnalysis.source_type == "answer", Answer.id == TextAnalysis.source_id))
        .join(Response, Response.id == Answer.response_id)
        .where(TextAnalysis.survey_id == survey.id, ThemeAssignment.theme_id == theme_id,
               TextAnalysis.safeguarding_flagged.is_(False), Response.consent_to_quote.is_(True),
               _submitted(survey.id))
        .order_by(ThemeAssignment.score.desc(), TextAnalysis.id).limit(limit * 4)
    )
    quotes = []
    for text in db.session.scalars(query):
        if text and text not in quotes:
            quotes.append(text)
    return quotes[:limit]

"""The annual Local Offer publication: "You said, we did" for a year, from the same data as
the evidence pack, for everyone (a public page and the same as a PDF).

Only what is already public goes in: waves whose results staff published (their figures from
the released, disclosure-controlled payload: a hidden count stays hidden, a wave below the
threshold shows no figures at all) and the "You said, we did" actions, whose words are passed
through redaction once more (with the council's list of names and the names of people with an
account) in case someone typed a name into them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from flask import render_template
from sqlalchemy import or_, select

from ..analysis.redaction import redact_many
from ..comments.services import redaction_names
from ..extensions import db
from ..models import Action, ActionStatus, ActionUpdate, Survey, User
from ..results.disclosure import THRESHOLD
from ..results.access import is_public
from ..results.releases import wave_result
from .pack import PACK_STATUSES, _bounds

# The order the publication tells the year in.
STATUS_ORDER = (ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.PLANNED, ActionStatus.NOT_POSSIBLE)
TOP_THEMES = 5


@dataclass
class WaveSummary:
    title: str
    wave_label: str
    closed_on: date
    n: int | None  # None when fewer than the threshold answered (no figures then)
    indicator: dict | None  # value, low, high, band of the communication-quality indicator
    themes: list[tuple[str, int]]  # the biggest themes with their (shown) comment counts


@dataclass
class PublishedAction:
    """An action with its words redacted for publication (never written back)."""

    id: int
    you_said: str
    we_did: str
    owner: str
    due_on: date | None
    status: str
    status_label: str
    not_possible_reason: str
    published_in: str
    theme: object
    survey: object
    updates: list

    def is_overdue(self, today: date) -> bool:
        return ActionStatus(self.status).is_open and self.due_on is not None and self.due_on < today


@dataclass
class Update:
    happened_on: date
    text: str


@dataclass
class Publication:
    year: int
    made_at: datetime
    waves: list[WaveSummary]
    actions: dict[str, list[PublishedAction]]  # by status, in STATUS_ORDER
    threshold: int = THRESHOLD

    @property
    def action_count(self) -> int:
        return sum(len(v) for v in self.actions.values())


def _waves(low: datetime, high: datetime) -> list[Survey]:
    return [w for w in db.session.scalars(
        select(Survey).where(Survey.status.in_(PACK_STATUSES), Survey.closes_at >= low, Survey.closes_at <= high)
        .order_by(Survey.closes_at, Survey.title)) if is_public(w)]


def _summary(wave: Survey) -> WaveSummary:
    result = wave_result(wave)
    n = None if result.withheld else result.n
    indicator, themes = None, []
    view = result.views.get("all")
    if n is not None and view is not None:
        if view.cqi is not None and view.cqi.value is not None:
            indicator = view.cqi.to_dict()
        counts = [(t.name, cells.comments if (cells := view.themes.get(t.id)) else None) for t in result.themes]
        themes = sorted(((name, c) for name, c in counts if c), key=lambda item: (-item[1], item[0]))[:TOP_THEMES]
    return WaveSummary(wave.title, wave.wave_label, wave.closes_at.date(), n, indicator, themes)


def _year_actions(low: datetime, high: datetime, waves: list[Survey]) -> list[Action]:
    start, end = low.date(), high.date()
    updated = select(ActionUpdate.action_id).where(ActionUpdate.happened_on >= start, ActionUpdate.happened_on <= end)
    return list(db.session.scalars(
        select(Action).where(or_(Action.created_at.between(low, high), Action.due_on.between(start, end),
                                 Action.id.in_(updated), Action.survey_id.in_([w.id for w in waves] or [-1])))
        .order_by(Action.due_on.is_(None), Action.due_on, Action.id)
    ))


def _published(actions: list[Action]) -> list[PublishedAction]:
    names = set(redaction_names()) | {n for n in db.session.scalars(select(User.display_name)) if n}
    texts = []
    for action in actions:
        texts += [action.you_said, action.we_did, action.owner, action.not_possible_reason, action.published_in]
        texts += [u.text for u in action.updates]
    clean = iter(r.text for r in redact_many(texts, sorted(names)))
    found = []
    for action in actions:
        you_said, we_did, owner, reason, published_in = (next(clean) for _ in range(5))
        updates = [Update(u.happened_on, next(clean)) for u in action.updates]
        found.append(PublishedAction(action.id, you_said, we_did, owner, action.due_on, action.status,
                                     action.status_label, reason, published_in, action.theme, action.survey, updates))
    return found


def render_publication_html(publication: Publication, standalone: bool = False) -> str:
    return render_template("evidence/local_offer_document.html" if standalone else "evidence/local_offer.html",
                           publication=publication)


def build_publication(year: int) -> Publication:
    low, high = _bounds(date(year, 1, 1), date(year, 12, 31))
    waves = _waves(low, high)
    published = _published(_year_actions(low, high, waves))
    by_status = {s.value: [a for a in published if a.status == s] for s in STATUS_ORDER}
    return Publication(year, datetime.now(timezone.utc), [_summary(w) for w in waves],
                       {k: v for k, v in by_status.items() if v})


def render_publication_pdf(publication: Publication) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_publication_html(publication, standalone=True)
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf(pdf_variant="pdf/ua-1")

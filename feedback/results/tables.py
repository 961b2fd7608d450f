"""The tables every results page shows, built from a wave's published results.

Pages render these tables and the CSV and XLSX downloads write the same ones, so a download
holds exactly what the page shows, hidden counts included (as "hidden"). Titles, headings and
sentences are in the page's language; the long CSV builds them in English (`views._download`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _, ngettext

from ..analysis.indicator import band_name
from ..surveys.kinds import HIDDEN, kind_named, largest, percent
from ..surveys.kinds.base import row_label
from .build import LABELS, Indicator, QuestionTable, Result
from .charts import trend_chart
from .reading import theme_changes, view_label
from ..text import N_


@dataclass
class ResultTable:
    key: str
    title: str
    columns: list[str]
    rows: list[list]
    section: str
    summary: str = ""
    # For a bar chart: (label, count, percent) per bar; empty means no chart.
    bars: list[tuple] = field(default_factory=list)
    numeric_from: int = 1  # columns from here on are numbers (right-aligned)
    signed_columns: tuple[int, ...] = ()  # changes, shown with a + or − sign on the page
    chart: str = ""  # a chart other than bars (the indicator's trend), already rendered
    text_columns: tuple[int, ...] = ()  # columns after numeric_from that are words, not numbers
    notes: list[str] = field(default_factory=list)


def profile_tables(result: Result, view_key: str) -> list[ResultTable]:
    view = result.views[view_key]
    tables = []
    for dimension in result.dimensions:
        if dimension.key not in view.profile:
            continue
        counts = view.profile[dimension.key]
        rows, bars = [], []
        for group, count in zip(dimension.groups, counts):
            label = group.label + (f" ({', '.join(group.members)})" if group.members else "")
            share = percent(count, view.n)
            rows.append([label, count, share])
            bars.append((group.label, count, share))
        biggest = largest(rows, view.n)
        summary = (_("%(n)s responses. The largest group is %(group)s with %(count)s (%(percent)s%%).",
                     n=view.n, group=biggest[0], count=biggest[1], percent=biggest[2])
                   if biggest else _("%(n)s responses.", n=view.n))
        tables.append(ResultTable(
            key=f"responses-by-{dimension.key.replace('_', '-')}",
            title=_("Responses by %(group)s", group=dimension.label.lower()),
            columns=[dimension.label, _("Responses"), _("Per cent")], rows=rows, section="profile",
            summary=summary, bars=bars,
        ))
    return tables


def question_summary(question: QuestionTable, rows: list[list], n: int) -> str:
    """The summary sentence under a question's table: its kind says what the counts show."""
    return kind_named(question.kind).summary(question.to_dict(), rows, n)


def question_tables(result: Result, view_key: str) -> list[ResultTable]:
    view = result.views[view_key]
    n = view.n
    tables = []
    for question in result.questions:
        counts = view.questions[question.id]
        rows = [[row_label(spec.label), count, percent(count, n)] for spec, count in zip(question.rows, counts)]
        bars = [(r[0], r[1], r[2]) for r in rows]
        kind = kind_named(question.kind)
        heading, notes = _(kind.result_heading), [_(note) for note in kind.result_notes]
        tables.append(ResultTable(
            key=f"question-{question.position}", title=f"{question.position}. {question.text}",
            columns=[_("Answer"), heading, _("Per cent of responses")], rows=rows, section="questions",
            summary=question_summary(question, rows, n), bars=bars, notes=notes,
        ))
    return tables


def theme_table(result: Result, view_key: str, previous: Result | None) -> ResultTable:
    view = result.views[view_key]
    changes = theme_changes(result, previous, view_key)
    rows, bars = [], []
    for theme in result.themes:
        counts = view.themes[theme.id]
        comments = counts.comments
        shares = [percent(counts.sentiment(label), comments) for label in LABELS]
        change = changes.get(theme.id, {})
        rows.append([theme.name, comments, *shares, _blank(change.get("comments")),
                     _blank(change.get("negative_share"))])
        bars.append((theme.name, comments, None))
    if not result.themes:
        summary = _("No comments have been analysed for this wave yet.")
    else:
        top = largest(rows, None)
        summary = _("The theme raised most often was %(theme)s (%(count)s comments).", theme=top[0],
                    count=top[1]) if top else ""
    return ResultTable(
        key="themes", title=_("Themes in what people wrote"),
        columns=[_("Theme"), _("Comments"), _("Negative %"), _("Neutral %"), _("Positive %"),
                 _("Change in comments since last wave"), _("Change in negative share (points)")],
        rows=rows, section="themes", summary=summary, bars=bars, signed_columns=(5, 6),
        notes=[_("A comment can be about more than one theme. A change is blank when there is no earlier wave "
                 "or one of the numbers is hidden.")],
    )


def _blank(value):
    """Not applicable (no earlier wave to compare with) is blank, not 'hidden'."""
    return "" if value is None else value


def _signed(value):
    if value is None:
        return None
    return f"+{value}" if value > 0 else str(value)


def indicator_trend_table(series: list[dict], flag: str | None) -> ResultTable:
    rows = []
    for point in series:
        rows.append([point["wave_label"], point["value"], _interval(point),
                     _band(point["band"], point["withheld"]),
                     _blank(point["change"]),
                     _("Yes") if point["significant"] else (_("No") if point["change"] is not None else ""),
                     point["n"]])
    last = next((p for p in reversed(series) if p["value"] is not None), None)
    summary = _("No wave has enough responses for the indicator yet.")
    if last:
        summary = _("In %(wave)s the indicator was %(value)s out of 100 (95%% interval %(low)s to %(high)s), "
                    "in the band %(band)s.", wave=last["wave_label"], value=last["value"], low=last["low"],
                    high=last["high"], band=_band(last["band"], None))
        if last["change"] is not None:
            summary += " " + (_("That is %(change)s on the wave before, a real change.", change=_signed(last["change"]))
                              if last["significant"] else
                              _("That is %(change)s on the wave before, within the margin of error.",
                                change=_signed(last["change"])))
    if flag:
        summary += " " + _(TRENDS.get(flag, flag))
    return ResultTable(
        key="indicator-trend", title=_("Communication-quality indicator by wave"),
        chart=trend_chart(series, "indicator-trend-summary"),
        columns=[_("Wave"), _("Indicator (0 to 100)"), _("%(level)s%% interval", level=95), _("Band"), _("Change"),
                 _("Change beyond margin of error"), _("Responses")],
        rows=rows, section="indicator", summary=summary, numeric_from=1, signed_columns=(4,), text_columns=(2, 3, 5),
    )


def _interval(cqi: dict) -> str:
    return _(HIDDEN) if cqi["low"] is None else _("%(low)s to %(high)s", low=cqi["low"], high=cqi["high"])


def _indicator_cells(cqi: Indicator) -> list:
    """Indicator, 95% interval, band: the cells every indicator table shows."""
    return [cqi.value, _interval(cqi.to_dict()), _band(cqi.band, cqi.withheld)]


WITHHELD = {
    "fewer_than_10": N_("fewer than 10 responses"),
    "hidden_counts": N_("withheld to protect hidden counts"),
    "protects_another_group": N_("withheld to protect another group"),
}
BANDS = {"good": N_("good"), "fair": N_("fair"), "needs action": N_("needs action")}
TRENDS = {"rising": N_("The indicator has been rising for five waves in a row."),
          "falling": N_("The indicator has been falling for five waves in a row.")}


def _band(band: str | None, withheld: str | None) -> str:
    """A band's name in the page's language, or why there is none."""
    name = band_name(band)
    if name:
        return _(BANDS.get(name, name))
    return _(WITHHELD.get(withheld, HIDDEN))


def indicator_breakdown_tables(result: Result) -> list[ResultTable]:
    tables = []
    for dimension in result.dimensions:
        if dimension.key not in ("locality", "respondent_type"):
            continue
        rows = []
        for group in dimension.groups:
            cqi = result.views[f"{dimension.key}:{group.key}"].cqi
            rows.append([group.label, *_indicator_cells(cqi), group.size])
        tables.append(ResultTable(
            key=f"indicator-by-{dimension.key.replace('_', '-')}",
            title=_("Indicator by %(group)s", group=dimension.label.lower()),
            columns=[dimension.label, _("Indicator (0 to 100)"), _("%(level)s%% interval", level=95), _("Band"), _("Responses")],
            rows=rows, section="indicator", text_columns=(2, 3),
        ))
    return tables


def all_tables(result: Result, view_key: str, previous: Result | None) -> list[ResultTable]:
    """Every aggregated table for one view of one wave, in page order (what downloads hold)."""
    if result.withheld:
        return []
    tables = profile_tables(result, view_key) + question_tables(result, view_key)
    tables.append(theme_table(result, view_key, previous))
    view = result.views[view_key]
    tables.append(ResultTable(
        key="indicator", title=_("Communication-quality indicator"),
        columns=[_("Scope"), _("Indicator (0 to 100)"), _("%(level)s%% interval", level=95), _("Band"), _("Responses")],
        rows=[[view_label(result, view_key), *_indicator_cells(view.cqi), view.n]],
        section="indicator", text_columns=(2, 3),
    ))
    return tables


def cell_text(value) -> str:
    return _(HIDDEN) if value is None else str(value)

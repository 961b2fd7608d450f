"""The tables every results page shows, built from a wave's published results.

Pages render these tables and the CSV and XLSX downloads write the same ones, so a download
holds exactly what the page shows, hidden counts included (as "hidden")."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..analysis.indicator import band_name
from ..surveys.kinds import HIDDEN, kind_named, largest, percent
from .build import LABELS, Indicator, QuestionTable, Result
from .charts import trend_chart
from .reading import theme_changes, view_label


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
        summary = (f"{view.n} responses. The largest group is {biggest[0]} with {biggest[1]} ({biggest[2]}%)."
                   if biggest else f"{view.n} responses.")
        tables.append(ResultTable(
            key=f"responses-by-{dimension.key.replace('_', '-')}",
            title=f"Responses by {dimension.label.lower()}",
            columns=[dimension.label, "Responses", "Per cent"], rows=rows, section="profile",
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
        rows = [[spec.label, count, percent(count, n)] for spec, count in zip(question.rows, counts)]
        bars = [(r[0], r[1], r[2]) for r in rows]
        kind = kind_named(question.kind)
        heading, notes = kind.result_heading, list(kind.result_notes)
        tables.append(ResultTable(
            key=f"question-{question.position}", title=f"{question.position}. {question.text}",
            columns=["Answer", heading, "Per cent of responses"], rows=rows, section="questions",
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
        summary = "No comments have been analysed for this wave yet."
    else:
        top = largest(rows, None)
        summary = f"The theme raised most often was {top[0]} ({top[1]} comments)." if top else ""
    return ResultTable(
        key="themes", title="Themes in what people wrote",
        columns=["Theme", "Comments", "Negative %", "Neutral %", "Positive %",
                 "Change in comments since last wave", "Change in negative share (points)"],
        rows=rows, section="themes", summary=summary, bars=bars, signed_columns=(5, 6),
        notes=["A comment can be about more than one theme. A change is blank when there is no earlier wave "
               "or one of the numbers is hidden."],
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
                     band_name(point["band"]) or WITHHELD.get(point["withheld"], HIDDEN),
                     _blank(point["change"]),
                     "Yes" if point["significant"] else ("No" if point["change"] is not None else ""),
                     point["n"]])
    last = next((p for p in reversed(series) if p["value"] is not None), None)
    summary = "No wave has enough responses for the indicator yet."
    if last:
        summary = (f"In {last['wave_label']} the indicator was {last['value']} out of 100 "
                   f"(95% interval {last['low']} to {last['high']}), in the band {band_name(last['band'])}.")
        if last["change"] is not None:
            verdict = "a real change" if last["significant"] else "within the margin of error"
            summary += f" That is {_signed(last['change'])} on the wave before, {verdict}."
    if flag:
        summary += f" The indicator has been {flag} for five waves in a row."
    return ResultTable(
        key="indicator-trend", title="Communication-quality indicator by wave",
        chart=trend_chart(series, "indicator-trend-summary"),
        columns=["Wave", "Indicator (0 to 100)", "95% interval", "Band", "Change", "Change beyond margin of error",
                 "Responses"],
        rows=rows, section="indicator", summary=summary, numeric_from=1, signed_columns=(4,), text_columns=(2, 3, 5),
    )


def _interval(cqi: dict) -> str:
    return HIDDEN if cqi["low"] is None else f"{cqi['low']} to {cqi['high']}"


def _indicator_cells(cqi: Indicator) -> list:
    """Indicator, 95% interval, band: the cells every indicator table shows."""
    return [cqi.value, _interval(cqi.to_dict()), band_name(cqi.band) or WITHHELD.get(cqi.withheld, HIDDEN)]


WITHHELD = {
    "fewer_than_10": "fewer than 10 responses",
    "hidden_counts": "withheld to protect hidden counts",
    "protects_another_group": "withheld to protect another group",
}


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
            title=f"Indicator by {dimension.label.lower()}",
            columns=[dimension.label, "Indicator (0 to 100)", "95% interval", "Band", "Responses"],
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
        key="indicator", title="Communication-quality indicator",
        columns=["Scope", "Indicator (0 to 100)", "95% interval", "Band", "Responses"],
        rows=[[view_label(result, view_key), *_indicator_cells(view.cqi), view.n]],
        section="indicator", text_columns=(2, 3),
    ))
    return tables


def cell_text(value) -> str:
    return HIDDEN if value is None else str(value)

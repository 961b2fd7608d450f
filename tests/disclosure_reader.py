"""A determined reader: everything one person can download about a wave, turned into a linear
programme, as the outside test did.

The reader lists every view offered in the filter, downloads the CSV of each, and writes down
every relation between the numbers: answers add up to each view's size (single-answer
questions), groups add up to the whole wave, a profile cell 'Norwich and parent carers' is
the same number seen from either side, a theme's comments add up across groups, shown
percentages of a shown number of comments give sentiment counts back, and a shown indicator
gives away (at worst) its sums of positive and other answers. Hidden counts are at least 1
unless they are zeros (the strongest reader; see feedback/results/audit.py).

Only the test knows the true values (from the same results built with nothing hidden)."""

from __future__ import annotations

import csv
import html as html_lib
import io
import re
from collections import defaultdict

from sqlalchemy import and_

from feedback.models import Response
from feedback.results import build, counts, exports, releases, services, tables
from feedback.results.counted import Row
from feedback.results.disclosure import THRESHOLD
from feedback.results.audit import audit, is_sensitive
from feedback.surveys.kinds import kind_named, percent

PROFILE = "Responses by "
THEMES = "Themes in what people wrote"
INDICATOR = "Communication-quality indicator"


def csv_tables(text: str) -> dict[str, list[list[str]]]:
    """Titled blocks of a whole-view CSV download: title -> rows (header first)."""
    found, block = {}, []
    for row in [*csv.reader(io.StringIO(text)), []]:
        if row:
            block.append(row)
        elif block:
            found[block[0][0]] = block[1:]
            block = []
    return found


def _text(html: str) -> str:
    return html.replace("&#39;", "'").replace("&amp;", "&").strip()


def offered_views(html: str) -> list[tuple[str, str, str]]:
    """(view key, dimension label, group label) of each group offered in the filter, in order."""
    views = []
    for dimension, body in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', html, re.S):
        for value, label in re.findall(r'<option value="([^"]+)"[^>]*>(.*?) \(\d+\)</option>', body, re.S):
            views.append((_text(value), _text(dimension), _text(label)))
    return views


def _plain(cell: str) -> str:
    text = html_lib.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
    return text.replace("\u2212", "-").removeprefix("+")


def html_tables(html: str) -> dict[str, list[list[str]]]:
    """The tables of a results page, as `csv_tables` gives a download's: title -> rows."""
    found = {}
    for table in re.findall(r"<table class=\"govuk-table app-result-table\">(.*?)</table>", html, re.S):
        title = _plain(re.search(r"<caption[^>]*>(.*?)</caption>", table, re.S).group(1))
        rows = [[_plain(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
                for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]
        found[title] = rows
    return found


def xlsx_tables(body: bytes) -> dict[str, list[list[str]]]:
    from openpyxl import load_workbook

    found = {}
    for sheet in load_workbook(io.BytesIO(body), read_only=True).worksheets[1:]:
        rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        found[rows[0][0]] = rows[1:]
    return found


def long_tables(text: str) -> tuple[dict[str, list[list[str]]], dict[str, str]]:
    """The tables of a long CSV (a line per count), as `csv_tables` gives a block CSV's, with
    an empty first header cell (the long CSV does not name the rows' heading); and each
    table's title by its key."""
    found, titles = {}, {}
    for line in csv.DictReader(io.StringIO(text)):
        title = line["Table title"]
        titles[line["Table"]] = title
        rows = found.setdefault(title, [[""]])
        header = rows[0]
        if len(header) == 1 or line["Column"] == header[1]:  # a row starts with the first column
            rows.append([line["Row"]])
        if len(rows) == 2:
            header.append(line["Column"])
        rows[-1].append("hidden" if line["Shown or hidden"] == "hidden" else line["Value"])
    return found, titles


def zipfile_names(body: bytes) -> list[str]:
    import zipfile

    return [n for n in zipfile.ZipFile(io.BytesIO(body)).namelist() if n.endswith(".csv")]


def zip_tables(body: bytes, titles: dict[str, str]) -> dict[str, list[list[str]]]:
    """The tables of a zip of one CSV per table, by title (from the file name's table key)."""
    import zipfile

    found = {}
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            if not name.endswith(".csv"):
                continue
            key = re.sub(r"^\d+-|\.csv$", "", name)
            if key not in titles:  # a table with no rows: nothing in the long CSV names it
                continue
            found[titles[key]] = list(csv.reader(io.StringIO(archive.read(name).decode())))
    return found


def agree_tidy(tables: dict, long_text: str, zipped: bytes, where: str) -> None:
    """The long CSV and the zip show every table of the block CSV, with the same numbers."""
    long, titles = long_tables(long_text)
    with_rows = {title for title, rows in tables.items() if len(rows) > 1}  # an empty table has no lines
    assert set(long) == with_rows, f"{where} long CSV: {sorted(set(long) ^ with_rows)}"
    for title in with_rows:
        rows = tables[title]
        assert [r[1:] for r in long[title]] == [r[1:] for r in rows], f"{where} long CSV: {title}"
        assert [r[0] for r in long[title][1:]] == [r[0] for r in rows[1:]], f"{where} long CSV: {title}"
    zipped_tables = zip_tables(zipped, titles)
    assert {t: zipped_tables[t] for t in with_rows} == {t: tables[t] for t in with_rows}, f"{where} zip"
    assert len(zipfile_names(zipped)) == len(tables), f"{where} zip: one CSV per table"


def _value(cell: str):
    """A cell as a number when it is one (a spreadsheet keeps 56.0 where a CSV has 56)."""
    try:
        return float(cell)
    except ValueError:
        return cell.strip()


def agree(tables: dict, other: dict, where: str) -> None:
    """Every number another format shows is in the CSV the linear programme reads, and the
    same (so nothing hidden in one is shown in another)."""
    compared = 0
    for title, rows in other.items():
        if title not in tables:
            continue
        width = len(rows[0])
        mine = [[_value(c) for c in r[:width]] for r in rows]
        theirs = [[_value(c) for c in r[:width]] for r in tables[title]]
        assert mine == theirs, f"{where}: {title}: {mine} != {theirs}"
        compared += 1
    assert compared >= min(len(tables), 3), f"{where}: only {compared} of its tables are in the CSV"


def api_agrees(client, token: str, survey_id: int, view_key: str, tables: dict) -> None:
    """The API's counts for the view are the CSV's."""
    body = client.get(f"/api/v1/surveys/{survey_id}/results", query_string={"view": view_key},
                      headers={"Authorization": f"Bearer {token}"}).get_json()
    if body["withheld"]:
        return
    for question in body["questions"]:
        rows = {r[0]: r[1] for r in tables[f"{question['position']}. {question['text']}"][1:]}
        for answer in question["answers"]:
            shown = "hidden" if answer["count"] is None else str(answer["count"])
            assert rows[answer["label"]] == shown, f"API {view_key}: {question['text']} {answer['label']}"


def download_everything(client, survey_id: int, public: bool = False, token: str | None = None) -> dict:
    """What the reader gets: {"views": [(key, dimension, group label)], "tables": {view key: tables}}.

    Everything the role can get is downloaded: each view's page, CSV, XLSX, long CSV and zip
    of CSVs (the public summary's, for everyone), and with an API token the API's figures. The CSV is what the
    linear programme reads; every other format must show the same numbers, no more."""
    if public:
        text = client.get(f"/results/public/{survey_id}/download.csv").text
        tables = csv_tables(text)
        agree(tables, html_tables(client.get(f"/results/public/{survey_id}").text), "public page")
        agree(tables, xlsx_tables(client.get(f"/results/public/{survey_id}/download.xlsx").data), "public XLSX")
        agree_tidy(tables, client.get(f"/results/public/{survey_id}/download-long.csv").text,
                   client.get(f"/results/public/{survey_id}/download.zip").data, "public")
        return {"views": [], "tables": {"all": tables}}
    page = client.get(f"/results/{survey_id}")
    assert page.status_code == 200, page.status_code
    views = offered_views(page.text)
    got = {}
    for key in ["all", *(k for k, _, _ in views)]:
        query = {} if key == "all" else {"view": key}
        response = client.get(f"/results/{survey_id}/download.csv", query_string=query)
        assert response.status_code == 200
        got[key] = csv_tables(response.text)
        agree(got[key], html_tables(client.get(f"/results/{survey_id}", query_string=query).text), f"page {key}")
        agree(got[key], xlsx_tables(client.get(f"/results/{survey_id}/download.xlsx", query_string=query).data),
              f"XLSX {key}")
        agree_tidy(got[key], client.get(f"/results/{survey_id}/download-long.csv", query_string=query).text,
                   client.get(f"/results/{survey_id}/download.zip", query_string=query).data, key)
        if token is not None:
            api_agrees(client, token, survey_id, key, got[key])
    return {"views": views, "tables": got}


def unprotected_tables(survey, monkeypatch, view_keys, without=()) -> tuple[dict, dict]:
    """The same tables with nothing hidden (groups combined the same way): the truth. With
    ``without`` (response ids), the truth about everyone else, groups still combined as in
    the release: what a reader who sent those responses works out by subtracting them."""
    mappings = []
    if without:
        with monkeypatch.context() as patch:
            recode = build.recode_groups
            patch.setattr(build, "recode_groups", lambda *a, **k: mappings.append(recode(*a, **k)) or mappings[-1])
            unprotected_tables(survey, patch, view_keys)
    with monkeypatch.context() as patch:
        if without:
            submitted, chosen = counts.submitted, iter(mappings)
            patch.setattr(counts, "submitted", lambda survey_id: and_(
                submitted(survey_id), Response.id.not_in(list(without))))
            patch.setattr(build, "recode_groups", lambda *a, **k: next(chosen))
        patch.setattr(build, "protect_line", lambda counts, **kwargs: set())
        patch.setattr(build, "protect_table", lambda cells, **kwargs: set())
        patch.setattr(build, "secure", lambda relations, values, hidden, **kwargs: set(hidden))
        # A threshold of 1: no small total hidden either.
        signs = releases.padding_signs
        patch.setattr(releases, "padding_signs", lambda survey_id: {
            **signs(survey_id), "known_responses": 1 - THRESHOLD})
        payload = services.build_results(survey)
    truth = {key: csv_tables(exports.tables_csv(tables.all_tables(build.Result.from_dict(payload), key, None))) for key in ["all", *view_keys]}
    return truth, payload


def _number(cell: str) -> int | None:
    return None if cell == "hidden" else int(cell)


def _parts_of(body: list, cells: list) -> list[tuple]:
    """A grid or ranking's table has a block of rows per statement or option ("Emails: Not
    clear", ...), each block adding up to everyone; any other table is one block."""
    labels = [row[0] for row in body]
    split = [label.split(": ", 1) for label in labels]
    if all(len(pair) == 2 for pair in split):
        blocks = defaultdict(list)
        for (part, answer), cell in zip(split, cells):
            blocks[part].append((answer, cell))
        answers = {frozenset(answer for answer, _ in rows) for rows in blocks.values()}
        if len(blocks) < len(labels) and len(answers) == 1:
            return [tuple(cell for _, cell in rows) for rows in blocks.values()]
    return [tuple(cells)]


class Reader:
    """Entries (keyed by what the reader can name), their shown values and the relations."""

    def __init__(self, tag=""):
        self.tag = tag
        self.shown: dict = {}
        self.relations: list = []

    def key(self, *parts):
        return (self.tag, *parts)

    def note(self, key, value):
        previous = self.shown.get(key, "unset")
        assert previous in ("unset", value), f"{key} published as {previous} and as {value}"
        self.shown[key] = value

    def read(self, got: dict, indicator_rows: dict | None = None) -> None:
        views, by_view = got["views"], got["tables"]
        whole = by_view["all"]
        dims = defaultdict(list)
        for key, dimension, index in views:
            dims[dimension].append((key, index))
        sizes = {}
        for dimension in dims:
            rows = whole[PROFILE + dimension.lower()][1:]
            for (_, label), row in zip(dims[dimension], rows):
                sizes[(dimension, label)] = _number(row[1])
                self.note(self.key("size", dimension, label), _number(row[1]))
        n = sum(sizes[(d, i)] for d, i in sizes if d == next(iter(dims))) if dims else None
        if n is None:  # no filter (the public summary): the groups of a profile add up to everyone
            profile = next((rows for title, rows in whole.items() if title.startswith(PROFILE)), None)
            if profile and all(row[1] != "hidden" for row in profile[1:]):
                n = sum(int(row[1]) for row in profile[1:])
        scope_of = {key: (dimension, index) for key, dimension, index in views}
        for view_key, found in by_view.items():
            scope = "all" if view_key == "all" else scope_of[view_key]
            for title, rows in found.items():
                header, body = rows[0], rows[1:]
                if title.startswith(PROFILE):
                    if scope == "all":
                        continue
                    other = title[len(PROFILE):]
                    dimension = next(d for d in dims if d.lower() == other)
                    parts = []
                    for (_, label), row in zip(dims[dimension], body):
                        cell = self.key("profile", frozenset({scope, (dimension, label)}))
                        self.note(cell, _number(row[1]))
                        parts.append(cell)
                    self.relations.append((self.key("size", *scope), tuple(parts)))
                elif title == THEMES:
                    self._themes(scope, body)
                elif title == INDICATOR:
                    if indicator_rows is not None and body[0][1] != "hidden":
                        indicator_rows[view_key] = True
                else:
                    multi = header[1] == "Chose this option"
                    parts = []
                    for row in body:
                        cell = self.key("q", title, row[0], scope)
                        self.note(cell, _number(row[1]))
                        parts.append(cell)
                    if not multi:
                        total = self.key("n") if scope == "all" else self.key("size", *scope)
                        for group in _parts_of(body, parts):
                            self.relations.append((total, group))
        if n is not None:
            self.note(self.key("n"), n)
        # Groups of each dimension add up to the whole wave, cell by cell.
        for title, rows in whole.items():
            if title.startswith(PROFILE) or title == INDICATOR:
                continue
            for dimension, members in dims.items():
                if title == THEMES:
                    for row in rows[1:]:
                        for what in ("comments", "negative", "neutral", "positive"):
                            self.relations.append((self.key("theme", row[0], what, "all"), tuple(
                                self.key("theme", row[0], what, (dimension, i)) for _, i in members)))
                    continue
                for row in rows[1:]:
                    self.relations.append((self.key("q", title, row[0], "all"), tuple(
                        self.key("q", title, row[0], (dimension, i)) for _, i in members)))
        for (a, i) in sizes:
            for b in dims:
                if b != a:
                    self.relations.append((self.key("size", a, i), tuple(
                        self.key("profile", frozenset({(a, i), (b, j)})) for _, j in dims[b])))
        self.scopes = scope_of

    def lower_bounds(self) -> dict:
        """Zeros are shown as 0, except in a table whose every count is hidden: there a hidden
        count may be 0. A table here is one question (or theme, or pair of dimensions) over the
        whole wave, or over every group of one dimension."""
        tables = defaultdict(list)
        for key in self.shown:
            kind = key[1]
            if kind == "q":
                scope = key[4]
                tables[("q", key[2], scope if scope == "all" else scope[0])].append(key)
            elif kind == "theme":
                scope = key[4]
                tables[("theme", key[2], scope if scope == "all" else scope[0])].append(key)
            elif kind == "profile":
                tables[("profile", frozenset(d for d, _ in key[2]))].append(key)
        return {key: 0 for keys in tables.values() if all(self.shown[k] is None for k in keys) for key in keys}

    def _themes(self, scope, body) -> None:
        for row in body:
            name, comments = row[0], _number(row[1])
            total = self.key("theme", name, "comments", scope)
            self.note(total, comments)
            parts = []
            for what, share in zip(("negative", "neutral", "positive"), row[2:5]):
                cell = self.key("theme", name, what, scope)
                parts.append(cell)
                if comments is not None and share != "hidden":
                    # A shown share of a shown number of comments: every count it could be.
                    candidates = [x for x in range(comments + 1) if percent(x, comments) == int(share)]
                    if len(candidates) == 1:
                        self.note(cell, candidates[0])
                        continue
                self.shown.setdefault(cell, None)
            self.relations.append((total, tuple(parts)))


def true_values(reader: Reader, truth_reader: Reader) -> dict:
    values = {}
    for key in reader.shown:
        values[key] = truth_reader.shown.get(key)
    for total, parts in reader.relations:
        for key in (total, *parts):
            if key not in values:
                values[key] = truth_reader.shown.get(key)
    return values


def theme_truth(reader: Reader, got: dict, payload: dict) -> None:
    """Sentiment counts of the unprotected build (percentages alone may not give them back)."""
    scope_of = {key: (dimension, index) for key, dimension, index in got["views"]}
    names = {str(t["id"]): t["name"] for t in payload["themes"]}
    for view_key, view in payload["views"].items():
        if view_key != "all" and view_key not in scope_of:
            continue
        scope = "all" if view_key == "all" else scope_of[view_key]
        for theme_id, counts in view["themes"].items():
            for what in ("negative", "neutral", "positive"):
                reader.shown[reader.key("theme", names[theme_id], what, scope)] = counts[what]


def model(got: dict, truth: dict, indicator_questions: dict | None = None, tag="",
          payload: dict | None = None) -> dict:
    """The reader's linear programme for one download of everything: relations, the true
    values (for the test only), what is hidden and the reader's lower bounds."""
    reader, truth_reader = Reader(tag), Reader(tag)
    shown_indicators: dict = {}
    reader.read(got, shown_indicators)
    truth_reader.read({"views": got["views"], "tables": truth})
    if payload is not None:
        theme_truth(truth_reader, got, payload)
    values = true_values(reader, truth_reader)
    missing = [k for k, v in values.items() if v is None]
    assert not missing, f"no true value for {missing[:3]}"
    for key, shown in reader.shown.items():
        if shown is not None:
            assert shown == values[key], f"{key} shown as {shown}, truly {values[key]}"
            assert not (is_sensitive(shown) and key[1] in ("q", "profile")), f"{key} = {shown} published"
    relations = list(reader.relations)
    for view_key in shown_indicators:
        scope = "all" if view_key == "all" else reader.scopes[view_key]
        for kind, labels in (indicator_questions or {}).items():
            parts = tuple(reader.key("q", title, label, scope) for title, label in labels)
            name = reader.key("indicator", kind, scope)
            values[name] = sum(values[p] for p in parts)
            relations.append((name, parts))
    hidden = {k for k, v in reader.shown.items() if v is None}
    return {"reader": reader, "relations": relations, "values": values, "hidden": hidden,
            "lower": reader.lower_bounds()}


def _result(relations, values, hidden, lower, unreleased=()) -> dict:
    targets = [k for k in hidden if k not in unreleased and is_sensitive(values[k])]
    findings = audit(relations, values, hidden, lower=lower, targets=targets)
    return {"findings": findings, "hidden": len(set(hidden) - set(unreleased)), "sensitive": len(targets)}


def attack(got: dict, truth: dict, indicator_questions: dict | None = None, tag="",
           payload: dict | None = None) -> dict:
    """Run the reader's linear programme. Returns the findings (sensitive hidden counts whose
    feasible range is narrower than their protection interval) and figures about the attack."""
    m = model(got, truth, indicator_questions, tag, payload)
    return _result(m["relations"], m["values"], m["hidden"], m["lower"])


def attack_padded(got: dict, truth: dict, others: dict, indicator_questions: dict | None = None,
                  payload: dict | None = None, others_payload: dict | None = None) -> dict:
    """The padder's attack: they sent some of the responses, with answers they know, so every
    number they download is their own part plus everyone else's. ``others`` are the truth
    tables without their responses: the linear programme is over those, shown numbers less
    their part included. A shown number that leaves 1 to 4 of everyone else is a finding."""
    from feedback.results.audit import Finding

    m = model(got, truth, indicator_questions, payload=payload)
    reader = m["reader"]
    others_reader = Reader()
    others_reader.read({"views": got["views"], "tables": others})
    if others_payload is not None:
        theme_truth(others_reader, got, others_payload)
    values = {}
    for key in m["values"]:
        if key[1] == "indicator":
            continue
        values[key] = others_reader.shown.get(key)
        assert values[key] is not None, f"no value without the padding for {key}"
    for total, parts in m["relations"]:
        if total[1] == "indicator":
            values[total] = sum(values[p] for p in parts)
    revealed = [Finding(key, values[key], values[key], values[key]) for key, shown in reader.shown.items()
                if shown is not None and key[1] in ("q", "profile", "theme") and is_sensitive(values[key])]
    result = _result(m["relations"], values, m["hidden"], m["lower"])
    result["findings"] = revealed + result["findings"]
    return result


def attack_releases(models: list[dict]) -> dict:
    """Downloads of everything, one from each release (in order), put together: every number
    of a release is the same number of the last release before it that showed it, plus a
    difference of at least 0 (the batch of new responses between them), never released. So
    any two releases (1st and 3rd, say) or all of them are differenced at once."""
    relations = [r for m in models for r in m["relations"]]
    values = {k: v for m in models for k, v in m["values"].items()}
    hidden = {k for m in models for k in m["hidden"]}
    lower = {k: v for m in models for k, v in m["lower"].items()}
    unreleased = set()
    for number, later in enumerate(models[1:], start=1):
        tag = later["reader"].tag
        for key in later["reader"].shown:
            old = next(((m["reader"].tag, *key[1:]) for m in reversed(models[:number])
                        if (m["reader"].tag, *key[1:]) in values), None)
            if old is None:
                continue
            difference = ("difference", tag, *key[1:])
            values[difference] = values[key] - values[old]
            lower[difference] = min(0, values[difference])
            hidden.add(difference)
            unreleased.add(difference)
            relations.append((key, (old, difference)))
    return _result(relations, values, hidden, lower, unreleased)


def indicator_labels(payload: dict) -> dict:
    """The rows of the communication questions, by the class the indicator sums them in."""
    sums = defaultdict(list)
    for question in payload["questions"]:
        if not kind_named(question["kind"]).positive or "communication" not in question["dimensions"]:
            continue
        labels = {row["key"]: row["label"] for row in question["rows"]}
        title = f"{question['position']}. {question['text']}"
        for key, kind in build.indicator_classes([Row.from_dict(r) for r in question["rows"]],
                                                  kind_named(question["kind"]).positive).items():
            if kind != "not_valid":
                sums[kind].append((title, labels[key]))
    return sums


# Cross-tabs: the reader also downloads the cross-tab of every pair of questions offered.


def offered_crosstab_questions(html: str) -> list[tuple[str, str]]:
    """(question id, "position. text") of each question offered for a cross-tab's rows."""
    select = re.search(r'<select class="govuk-select[^"]*" id="rows" name="rows"[^>]*>(.*?)</select>', html, re.S)
    if select is None:
        return []
    return [(value, _text(label)) for value, label in re.findall(r'<option value="(\d+)"[^>]*>(.*?)</option>',
                                                                 select.group(1), re.S)]


def download_crosstabs(client, survey_id: int) -> dict:
    """Every cross-tab the reader can get: (rows title, columns title) -> rows (header first),
    from the CSV; the page and the spreadsheet must show the same numbers."""
    page = client.get(f"/results/{survey_id}/cross-tab")
    assert page.status_code == 200, page.status_code
    offered = offered_crosstab_questions(page.text)
    got = {}
    for first, (a, title_a) in enumerate(offered):
        for b, title_b in offered[first + 1:]:
            query = {"rows": a, "columns": b}
            response = client.get(f"/results/{survey_id}/cross-tab.csv", query_string=query)
            if response.status_code == 404:  # withheld: nothing to read
                continue
            rows = list(csv.reader(io.StringIO(response.text)))
            title = f"{title_a} by {title_b}"
            agree({title: rows}, html_tables(client.get(f"/results/{survey_id}/cross-tab", query_string=query).text),
                  "cross-tab page")
            agree({title: rows}, xlsx_tables(client.get(f"/results/{survey_id}/cross-tab.xlsx",
                                                        query_string=query).data), "cross-tab XLSX")
            got[(title_a, title_b, a, b)] = rows
    return got


def crosstab_relations(reader: Reader, crosstabs: dict, truth_of) -> tuple[list, dict, set, dict]:
    """Each cross-tab's cells add up to the whole-wave answers of its two questions (the
    rows' and the columns' tables). ``truth_of(a, b)`` gives the true cells by labels."""
    relations, values, hidden, lower = [], {}, set(), {}
    for (title_a, title_b, a, b), rows in crosstabs.items():
        header, body = rows[0], rows[1:-1]  # the last row is the columns' totals
        truth = truth_of(int(a), int(b))
        columns = header[1:-1]
        keys = []
        for row in body:
            parts = []
            for label, cell in zip(columns, row[1:-1]):
                key = reader.key("cross", title_a, title_b, row[0], label)
                values[key] = truth[(row[0], label)]
                if cell == "hidden":
                    hidden.add(key)
                else:
                    assert int(cell) == values[key], f"{key} shown as {cell}, truly {values[key]}"
                    assert not is_sensitive(int(cell)), f"{key} = {cell} published"
                parts.append(key)
                keys.append(key)
            relations.append((reader.key("q", title_a, row[0], "all"), tuple(parts)))
        for index, label in enumerate(columns):
            relations.append((reader.key("q", title_b, label, "all"),
                              tuple(reader.key("cross", title_a, title_b, row[0], label) for row in body)))
        if keys and all(k in hidden for k in keys):
            lower.update({k: 0 for k in keys})
    return relations, values, hidden, lower


def attack_crosstabs(client, survey, monkeypatch) -> dict:
    """The reader's linear programme over every view's tables and every cross-tab."""
    from feedback.results import crosstab

    got = download_everything(client, survey.id)
    truth, payload = unprotected_tables(survey, monkeypatch, [k for k, _, _ in got["views"]])
    m = model(got, truth, indicator_labels(payload), payload=payload)
    crosstabs = download_crosstabs(client, survey.id)
    release = services.latest_release(survey)
    questions = {q["id"]: q for q in release.payload["questions"]}

    def truth_of(a: int, b: int) -> dict:
        counts = crosstab.joint_counts(survey, release, questions[a], questions[b])
        labels_a = {r["key"]: r["label"] for r in questions[a]["rows"]}
        labels_b = {r["key"]: r["label"] for r in questions[b]["rows"]}
        cells = {(la, lb): 0 for la in labels_a.values() for lb in labels_b.values()}
        for (ka, kb), n in counts.items():
            cells[(labels_a[ka], labels_b[kb])] += n
        return cells

    relations, values, hidden, lower = crosstab_relations(m["reader"], crosstabs, truth_of)
    for total, _ in relations:
        assert total in m["values"], f"{total} is not a table the reader has"
    result = _result(m["relations"] + relations, {**m["values"], **values}, set(m["hidden"]) | hidden,
                     {**m["lower"], **lower})
    result.update(crosstabs=len(crosstabs), hidden_cells=len(hidden))
    return result

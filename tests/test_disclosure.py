"""Disclosure control as pure functions: primary and secondary suppression, group recoding.

The strongest check: put every published number into a linear programme (rows and columns
add up to their totals, counts are not negative) and ask for the smallest and largest value
each hidden count could take. If those are equal, the count could be worked out."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from feedback.results.disclosure import (
    OTHER,
    TOTAL,
    is_sensitive,
    protect_line,
    protect_table,
    publish,
    recode_groups,
    table_with_margins,
)


def equations_of(table: dict, name) -> list[list]:
    """Each line of a table with margins: its cells minus its total equal zero.

    Whole-wave entries (row totals) are shared by every table of one question, so they are
    named without the table's name."""

    def key(entry):
        row, column = entry
        return ("wave", row) if column == TOTAL else (name, entry)

    rows = {r for r, _ in table}
    columns = {c for _, c in table}
    lines = []
    for row in rows:
        lines.append([(key((row, c)), 1) for c in columns if c != TOTAL] + [(key((row, TOTAL)), -1)])
    for column in columns:
        lines.append([(key((r, column)), 1) for r in rows if r != TOTAL] + [(key((TOTAL, column)), -1)])
    return lines


def exactly_known(lines, known: dict, unknown: dict) -> list:
    """Hidden entries whose value is fixed by the published ones (LP min == max)."""
    names = sorted(unknown, key=str)
    if not names:
        return []
    index = {name: i for i, name in enumerate(names)}
    a_eq, b_eq = [], []
    for line in lines:
        row = np.zeros(len(names))
        rhs = 0.0
        for name, sign in line:
            if name in index:
                row[index[name]] += sign
            else:
                rhs -= sign * known[name]
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
        else:
            assert abs(rhs) < 1e-9, "published numbers contradict each other"
    pinned = []
    for name in names:
        c = np.zeros(len(names))
        c[index[name]] = 1
        low = linprog(c, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-c, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None), method="highs")
        assert low.status == 0 and high.status in (0, 3)  # 3: unbounded, so not pinned
        if high.status == 0 and -high.fun - low.fun < 0.5:
            pinned.append((name, unknown[name]))
    return pinned


def published_system(tables: dict[str, tuple[dict, set]]):
    lines, known, unknown = [], {}, {}
    for name, (full, hidden) in tables.items():
        lines += equations_of(full, name)
        for entry, n in full.items():
            key = ("wave", entry[0]) if entry[1] == TOTAL else (name, entry)
            (unknown if entry in hidden else known)[key] = n
    for key in list(known):
        if key in unknown:
            del known[key]
    return lines, known, unknown


def protect_question(dimensions: dict[str, dict]) -> dict[str, tuple[dict, set]]:
    """What the results builder does for one question: the shared whole-wave line first,
    then one table per dimension with group sizes and the whole-wave line fixed."""
    first = table_with_margins(next(iter(dimensions.values())))
    wave = {r: n for (r, c), n in first.items() if c == TOTAL and r != TOTAL}
    wave_hidden = protect_line(wave)
    tables = {}
    for name, cells in dimensions.items():
        full = table_with_margins(cells)
        pre = {(r, TOTAL) for r in wave_hidden}
        fixed = {(r, TOTAL) for r in wave if r not in wave_hidden} | {(TOTAL, c) for (_, c) in full}
        tables[name] = (full, protect_table(cells, hidden=pre, fixed=fixed))
    return tables


# Tables as families see them: a handful of answers, a few groups, many small counts.
counts = st.integers(min_value=0, max_value=12)


@st.composite
def respondents(draw):
    """Respondents with an answer and two grouping attributes, recoded like the builder."""
    n_rows = draw(st.integers(2, 5))
    n_a, n_b = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    people = draw(st.lists(st.tuples(st.integers(0, n_rows - 1), st.integers(0, n_a - 1), st.integers(0, n_b - 1)),
                           min_size=5, max_size=80))
    return people


def tables_for(people):
    dims = {}
    for index, name in ((1, "a"), (2, "b")):
        sizes: dict = {}
        for person in people:
            sizes[person[index]] = sizes.get(person[index], 0) + 1
        groups = recode_groups(sizes)
        cells: dict = {}
        for person in people:
            entry = (person[0], groups[person[index]])
            cells[entry] = cells.get(entry, 0) + 1
        dims[name] = cells
    return dims


def test_counts_from_one_to_four_are_sensitive_and_zero_is_not():
    assert [is_sensitive(n) for n in range(7)] == [False, True, True, True, True, False, False]


def test_one_small_count_in_a_line_takes_the_next_smallest_with_it():
    hidden = protect_line({"agree": 40, "neither": 12, "disagree": 3, "dont_know": 7})
    assert hidden == {"disagree", "dont_know"}


def test_total_minus_the_other_cells_cannot_reveal_a_hidden_count():
    line = {"agree": 40, "neither": 12, "disagree": 3, "dont_know": 7}
    shown = publish(line, protect_line(line))
    total = sum(line.values())
    # The attack: total minus every shown cell gives only the sum of the hidden ones.
    leftover = total - sum(n for n in shown.values() if n is not None)
    assert leftover == 10 and sum(n is None for n in shown.values()) == 2


def test_small_groups_are_combined_until_the_combination_is_big_enough():
    groups = recode_groups({"Norwich": 40, "Breckland": 3, "Broadland": 1, "North Norfolk": 9})
    assert groups == {"Norwich": "Norwich", "Breckland": OTHER, "Broadland": OTHER, "North Norfolk": OTHER}
    assert recode_groups({"Norwich": 40, "Breckland": 3, "Broadland": 2}) == {
        "Norwich": "Norwich", "Breckland": OTHER, "Broadland": OTHER}
    assert recode_groups({"Norwich": 40, "Breckland": 6}) == {"Norwich": "Norwich", "Breckland": "Breckland"}


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 30), max_size=8))
def test_every_published_group_has_at_least_five_people(sizes):
    groups = recode_groups(sizes)
    totals: dict = {}
    for group, target in groups.items():
        totals[target] = totals.get(target, 0) + sizes[group]
    for target, n in totals.items():
        if target != OTHER or n < sum(sizes.values()):
            assert n >= 5 or sum(sizes.values()) < 5


def test_a_small_cell_in_a_two_way_table_is_protected_by_a_rectangle():
    cells = {("agree", "Norwich"): 30, ("agree", "Breckland"): 20,
             ("disagree", "Norwich"): 2, ("disagree", "Breckland"): 15}
    tables = {"a": (table_with_margins(cells), protect_table(cells))}
    hidden = tables["a"][1]
    assert ("disagree", "Norwich") in hidden
    assert exactly_known(*published_system(tables)) == []


def test_a_table_that_cannot_be_protected_says_so():
    from feedback.results.disclosure import CannotProtect

    cells = {("agree", "g"): 2, ("disagree", "g"): 10}
    full = table_with_margins(cells)
    with pytest.raises(CannotProtect):
        protect_table(cells, fixed=set(full) - {("agree", "g")})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(respondents())
def test_no_hidden_count_can_be_worked_out_from_any_published_views(people):
    """Whole-wave answers, each group's answers in two dimensions and every total published:
    together they never pin down a hidden count, and every count of 1 to 4 is hidden."""
    tables = protect_question(tables_for(people))
    lines, known, unknown = published_system(tables)
    for name, (full, hidden) in tables.items():
        for entry, n in full.items():
            if is_sensitive(n):
                key = ("wave", entry[0]) if entry[1] == TOTAL else (name, entry)
                assert key in unknown, f"{entry}={n} published in {name}"
    assert exactly_known(lines, known, unknown) == []


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.tuples(st.integers(0, 4), st.integers(0, 4)), counts, min_size=1))
def test_protecting_a_free_table_hides_every_small_count_and_pins_none(cells):
    hidden = protect_table(cells)
    full = table_with_margins(cells)
    assert all(entry in hidden for entry, n in full.items() if is_sensitive(n))
    assert exactly_known(*published_system({"t": (full, hidden)})) == []


def table_relations(values: dict) -> list:
    """Every row and column of a table with margins: its total is the sum of its cells."""
    rows = {r for r, _ in values if r != TOTAL}
    columns = {c for _, c in values if c != TOTAL}
    relations = [((r, TOTAL), tuple((r, c) for c in sorted(columns))) for r in sorted(rows)]
    relations += [((TOTAL, c), tuple((r, c) for r in sorted(rows))) for c in sorted(columns)]
    relations.append(((TOTAL, TOTAL), tuple((TOTAL, c) for c in sorted(columns))))
    return relations


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.dictionaries(st.tuples(st.integers(0, 3), st.integers(0, 3)), st.integers(0, 12), min_size=4),
       first=st.sets(st.tuples(st.integers(0, 3), st.integers(0, 3))),
       more=st.sets(st.tuples(st.integers(-1, 3), st.integers(-1, 3))),
       noise=st.lists(st.lists(st.integers(0, 12), min_size=25, max_size=25), max_size=4))
def test_the_audit_that_keeps_solutions_finds_what_the_full_audit_finds(cells, first, more, noise):
    """Settling targets with solutions kept from earlier rounds (and from an earlier audit,
    some of them no longer points of the programme) gives exactly the findings of solving
    every target, round after round of hiding more."""
    from feedback.results.audit import Witnesses, audit

    values = table_with_margins(cells)
    relations = table_relations(values)
    total = {(r if r >= 0 else TOTAL, c if c >= 0 else TOTAL) for r, c in more}
    rounds = [{k for k in first if k in values}]
    rounds.append(rounds[0] | {k for k in total if k in values})
    keys = sorted(values, key=repr)
    # Carried from "an earlier audit": most are not points of this programme.
    witnesses = Witnesses([dict(zip(keys, guess)) for guess in noise])
    for hidden in rounds:
        for threshold in (5, 10):
            plain = audit(relations, values, hidden, threshold=threshold)
            kept = audit(relations, values, hidden, threshold=threshold, witnesses=witnesses)
            assert [(f.key, round(f.low, 6), round(f.high, 6)) for f in kept] == [
                (f.key, round(f.low, 6), round(f.high, 6)) for f in plain]


def test_a_kept_solution_that_is_not_a_point_settles_nothing():
    from feedback.results.audit import Witnesses, audit

    values = table_with_margins({(0, 0): 2, (0, 1): 9, (1, 0): 7, (1, 1): 8})
    relations = table_relations(values)
    found = audit(relations, values, {(0, 0)}, witnesses=Witnesses([{(0, 0): 0.0}, {(0, 0): 50.0}]))
    assert [(f.key, f.low, f.high) for f in found] == [((0, 0), 2.0, 2.0)]


def test_kept_solutions_save_linear_programmes():
    """The second audit of a bigger hidden pattern solves fewer programmes than the first."""
    from feedback.results.audit import Witnesses, audit

    cells = {(r, c): (r * 3 + c) % 4 + 1 for r in range(4) for c in range(4)}
    values = table_with_margins(cells)
    relations = table_relations(values)
    hidden = {k for k, n in values.items() if k[0] != TOTAL and k[1] != TOTAL}
    witnesses = Witnesses()
    assert audit(relations, values, hidden, witnesses=witnesses) == []
    first = witnesses.solved
    assert audit(relations, values, hidden | {(0, TOTAL)}, witnesses=witnesses) == []
    assert witnesses.skipped > 0 and witnesses.solved - first < first

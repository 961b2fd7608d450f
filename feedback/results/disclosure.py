"""Disclosure control for aggregated results: pure functions on counts, no Flask, no database.

A table is a grid of counts with its margins: row totals, column totals and a grand total,
all keyed by (row, column) with TOTAL for a margin. Rules (see docs/results.md):

- Primary suppression: a count from 1 to 4 is hidden. A zero is shown: it describes nobody,
  and hiding zeros would let a hidden count be pinned to 0 by the rule that counts are not
  negative.
- Secondary suppression: more counts are hidden until no hidden count can be worked out
  exactly from the published ones. In graph terms (rows and columns are nodes, each count an
  edge, every node's edges add up to its total) a hidden count can be worked out exactly
  when it is a bridge of the graph of hidden counts; every hidden count must lie on a cycle.
- Tables that share a line of counts (the whole-wave answers of one question appear in the
  table for every filter dimension) decide that line once, with `protect_line`, and each
  table then keeps the shared hidden counts joined up, so that putting two tables together
  cannot pin a shared count either.
- Groups smaller than the threshold are combined (`recode_groups`) before any table is
  built, so every group anyone can filter on has a published size of at least 5.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping

THRESHOLD = 5
TOTAL = "__total__"
OTHER = "__other__"
_NEVER = float("inf")
# Hiding a total loses more than hiding one cell; hiding a zero only as a last resort.
_MARGIN_COST = 10_000
_ZERO_COST = 1_000_000

Entry = tuple[Hashable, Hashable]


class CannotProtect(Exception):
    """No set of further hidden counts protects this table; the caller withholds it."""


def is_sensitive(count: int, threshold: int = THRESHOLD) -> bool:
    return 0 < count < threshold


def recode_groups(sizes: Mapping[Hashable, int], threshold: int = THRESHOLD) -> dict[Hashable, Hashable]:
    """Map every group to itself, or to OTHER when it is too small to publish on its own.

    Groups under the threshold are combined; if the combination is still under the
    threshold, the smallest other groups join it until it is not (or nothing is left).
    """
    present = {group: n for group, n in sizes.items() if n > 0}
    order = sorted(present, key=lambda g: (present[g], str(g)))
    combined = [g for g in order if present[g] < threshold]
    if combined:
        rest = [g for g in order if g not in combined]
        while sum(present[g] for g in combined) < threshold and rest:
            combined.append(rest.pop(0))
    return {group: (OTHER if group in combined else group) for group in present}


def protect_line(counts: Mapping[Hashable, int], threshold: int = THRESHOLD,
                 total_known: bool = True) -> set[Hashable]:
    """Hidden keys of one line of counts whose total is published (or itself hidden).

    With a published total, one hidden count alone could be worked out by subtraction, so a
    second (the smallest non-zero shown count) is hidden with it.
    """
    hidden = {key for key, n in counts.items() if is_sensitive(n, threshold)}
    if total_known and len(hidden) == 1:
        candidates = [key for key, n in counts.items() if key not in hidden and n > 0]
        if candidates:
            hidden.add(min(candidates, key=lambda k: (counts[k], str(k))))
    return hidden


def table_with_margins(cells: Mapping[Entry, int]) -> dict[Entry, int]:
    """The cells plus every row total, column total and the grand total."""
    full = dict(cells)
    for (row, column), n in cells.items():
        full[(row, TOTAL)] = full.get((row, TOTAL), 0) + n
        full[(TOTAL, column)] = full.get((TOTAL, column), 0) + n
        full[(TOTAL, TOTAL)] = full.get((TOTAL, TOTAL), 0) + n
    rows = {r for r, _ in full}
    columns = {c for _, c in full}
    for row in rows:
        for column in columns:
            full.setdefault((row, column), 0)
    return full


class _Graph:
    """Rows and columns as nodes, counts as edges (a complete bipartite graph)."""

    def __init__(self, values: Mapping[Entry, int]):
        self.values = values
        self.rows = sorted({("r", r) for r, _ in values}, key=str)
        self.columns = sorted({("c", c) for _, c in values}, key=str)

    @staticmethod
    def edge(a, b) -> Entry:
        row, column = (a, b) if a[0] == "r" else (b, a)
        return (row[1], column[1])

    def neighbours(self, node):
        return self.columns if node[0] == "r" else self.rows

    def reachable(self, start, hidden: set[Entry], skip: Entry | None = None, avoid=None) -> set:
        seen, stack = {start}, [start]
        while stack:
            node = stack.pop()
            for other in self.neighbours(node):
                if other in seen or other == avoid:
                    continue
                edge = self.edge(node, other)
                if edge in hidden and edge != skip:
                    seen.add(other)
                    stack.append(other)
        return seen

    def cheapest_path(self, start, goals: set, cost, skip: Entry | None = None, avoid=None) -> list[Entry] | None:
        """Dijkstra from start to any goal node; returns the edges of the path."""
        best = {start: 0.0}
        previous: dict = {}
        queue = [(0.0, str(start), start)]
        while queue:
            distance, _, node = heapq.heappop(queue)
            if distance > best.get(node, _NEVER):
                continue
            if node in goals:
                path = []
                while node != start:
                    node, edge = previous[node]
                    path.append(edge)
                return path
            for other in self.neighbours(node):
                if other == avoid:
                    continue
                edge = self.edge(node, other)
                if edge == skip:
                    continue
                step = cost(edge)
                if step == _NEVER:
                    continue
                if distance + step < best.get(other, _NEVER):
                    best[other] = distance + step
                    previous[other] = (node, edge)
                    heapq.heappush(queue, (distance + step, str(other), other))
        return None


def protect_table(cells: Mapping[Entry, int], *, hidden: Iterable[Entry] = (), fixed: Iterable[Entry] = (),
                  threshold: int = THRESHOLD) -> set[Entry]:
    """The entries (cells and margins) to hide in one table.

    ``cells`` are the inner counts; margins are added. ``hidden`` are entries already hidden
    elsewhere (the whole-wave line this table shares); ``fixed`` are entries that must stay
    published because other pages show them (group sizes, the shared whole-wave line).
    Raises CannotProtect when only fixed entries could protect a hidden one.
    """
    values = table_with_margins(cells)
    fixed = set(fixed)
    hidden_set = set(hidden) | {e for e, n in values.items() if is_sensitive(n, threshold) and e not in fixed}
    graph = _Graph(values)
    shared_node = ("c", TOTAL)

    def cost(edge: Entry) -> float:
        if edge in hidden_set:
            return 0.0
        if edge in fixed:
            return _NEVER
        n = values[edge]
        if n == 0:
            return _ZERO_COST
        return n + (_MARGIN_COST if TOTAL in edge else 0)

    def hide(path: list[Entry] | None):
        if path is None:
            raise CannotProtect
        hidden_set.update(path)

    changed = True
    while changed:
        changed = False
        for edge in sorted(hidden_set, key=str):
            row, column = ("r", edge[0]), ("c", edge[1])
            if column not in graph.reachable(row, hidden_set, skip=edge):
                hide(graph.cheapest_path(row, {column}, cost, skip=edge))
                changed = True
                break
        if changed:
            continue
        # The hidden whole-wave counts must stay joined up without the whole-wave node, so
        # every table allows the same movements of them and two tables cannot pin one.
        ends = sorted((("r", r) for r, c in hidden_set if c == TOTAL), key=str)
        if len(ends) > 1:
            joined = graph.reachable(ends[0], hidden_set, avoid=shared_node)
            apart = [node for node in ends if node not in joined]
            if apart:
                hide(graph.cheapest_path(apart[0], joined, cost, avoid=shared_node))
                changed = True
    return hidden_set


def publish(values: Mapping[Hashable, int], hidden: Iterable[Hashable]) -> dict[Hashable, int | None]:
    """The counts as published: hidden ones become None, so they cannot leak further."""
    hidden = set(hidden)
    return {key: (None if key in hidden else n) for key, n in values.items()}


# Choosing what to hide by the audit (see audit.py): start from the suppression above, and
# while the audit finds a sensitive count whose feasible range is too narrow, hide one more
# entry next to it (in one of its relations). When nothing next to it is left to hide, the
# whole table is hidden, zeros included: readers are told that in a table whose every count
# is hidden a count may be 0, so there the audit gives every hidden count a lower bound of 0.

MAX_ROUNDS = 60


def fully_hidden_lower(tables: Mapping, hidden: set) -> dict:
    """Lower bound 0 for every entry of a table whose entries are all hidden."""
    return {key: 0 for keys in tables.values() if keys and all(k in hidden for k in keys) for key in keys}


def secure(relations: list, values: Mapping, hidden: Iterable, fixed: Iterable = (),
           threshold: int = THRESHOLD, margins: Iterable = (), tables: Mapping | None = None,
           previous: Mapping | None = None, unresolved: list | None = None, witnesses=None) -> set:
    """The hidden entries after the audit: a superset of ``hidden`` for which the audit finds
    nothing (or, failing that, with every table that has a finding hidden whole).

    ``tables`` maps a table's name to its entries, as readers see them; ``margins`` cost
    more to hide than cells. ``previous`` describes the earlier releases these figures will
    be compared with: their "relations", "values", "hidden" entries and reader "lower"
    bounds, the relations tying them to these figures, the entries that are never released
    ("unreleased": the differences), each earlier entry's entry in these figures ("base")
    and solutions of their audit ("witnesses"). Their entries are frozen; the audit runs over
    all of them. Findings that no further hiding removes are appended to ``unresolved``.
    ``witnesses`` (an `audit.Witnesses`) keeps every solution: hiding more only widens the
    programme, so each stays a point of it and settles targets in the rounds after."""
    from .audit import Witnesses, audit

    hidden, fixed, margins = set(hidden), set(fixed), set(margins)
    tables = dict(tables or {})
    table_of = {key: name for name, keys in tables.items() for key in keys}
    previous = previous or {}
    extra_relations = list(previous.get("relations", ()))
    extra_hidden = set(previous.get("hidden", ()))
    unreleased = set(previous.get("unreleased", ()))
    base = previous.get("base", {})
    if witnesses is None:
        witnesses = Witnesses(previous.get("witnesses", ()))
    all_values = {**previous.get("values", {}), **values}
    neighbours = defaultdict(set)
    for total, parts in list(relations) + extra_relations:
        members = (total, *parts)
        for key in members:
            neighbours[key].update(members)

    def findings(exact: bool = False):
        lower = {**previous.get("lower", {}), **fully_hidden_lower(tables, hidden)}
        everything = hidden | extra_hidden
        targets = [k for k in everything if k not in unreleased and is_sensitive(all_values[k], threshold)]
        return audit(list(relations) + extra_relations, all_values, everything, threshold=threshold,
                     lower=lower, targets=targets, witnesses=witnesses, exact=exact)

    def next_to(key) -> set:
        """Entries of these figures next to a finding (for an earlier release's: next to its
        entry in these figures, which differencing ties it to)."""
        near = set(neighbours[key])
        for other in list(near):
            if other in unreleased:
                near |= neighbours[other]
            if other in base:
                near |= neighbours[base[other]] | {base[other]}
        return {k for k in near if k in values and k not in hidden and k not in fixed}

    def cost(key, need: float) -> tuple:
        n = values[key]
        short = n - 1 < need  # hiding it cannot give enough room on its own
        return (short, key in margins, -n if short else n, repr(key))

    def hide_table(key) -> bool:
        keys = [k for k in tables.get(table_of.get(key), ()) if k not in fixed]
        new = set(keys) - hidden
        hidden.update(keys)
        return bool(new)

    for _ in range(MAX_ROUNDS):
        found = findings()
        if not found:
            return hidden
        added = False
        for finding in found:
            need = max(threshold - finding.high, 1.0)
            candidates = [k for k in next_to(finding.key) if values[k] > 0]
            if candidates:
                hidden.add(min(candidates, key=lambda k: cost(k, need)))
                added = True
            elif hide_table(finding.key):
                added = True
        if not added:
            # Every table with a finding is hidden whole: hide the tables next to them too.
            for finding in found:
                for other in neighbours[finding.key] | next_to(finding.key):
                    added = hide_table(other) or added
        if not added:
            break
    if unresolved is not None:
        unresolved.extend(findings(exact=True))
    return hidden

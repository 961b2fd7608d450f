"""The disclosure audit: what a determined reader can work out about each hidden count.

Pure (no Flask, no database). Published figures are modelled as entries (counts, row and
column totals, group sizes) tied by relations "parent = sum of children". The reader knows
every shown entry and every relation; for each hidden entry they know only bounds: at least 1
when zeros are published as 0 (so a hidden count is never 0), at least 0 for a hidden zero.
Linear programming (HiGHS, through highspy) gives the smallest and largest value each hidden
count could take given all of that: its feasible range.

The protection interval of a hidden count x from 1 to THRESHOLD - 1 (a "sensitive" count):
its feasible range must reach up to at least THRESHOLD (nobody can show it is small) and, for
x of 2 or more, down to at most x - 1 (nobody can show it is as large as it is). Hidden
counts of THRESHOLD or more (hidden only to protect others) and hidden zeros need no interval.

The bounds given to the reader are deliberately stronger than the truth: a real reader does
not know which hidden counts are zeros, so the audit's ranges are never wider than theirs.

Witnesses: every solution the LPs give is a point the reader cannot rule out. `Witnesses`
keeps them (and those of the previous release's audit); a target that some kept solution,
checked against this programme's every relation and bound, already shows at or above the
top of its interval needs no maximising, and one at or below the bottom no minimising. Only
what the kept solutions cannot settle is solved, and those solutions are kept too. The
answer is the same as solving every target (tests/test_disclosure.py checks it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import highspy
import numpy as np

THRESHOLD = 5
UNBOUNDED = float("inf")
TOLERANCE = 1e-6

Key = Hashable
Relation = tuple[Key, tuple[Key, ...]]


@dataclass(frozen=True)
class Finding:
    """A hidden count whose feasible range is narrower than its protection interval."""

    key: Key
    value: int
    low: float
    high: float

    @property
    def pinned(self) -> bool:
        return self.high - self.low < 0.5


def is_sensitive(value: int, threshold: int = THRESHOLD) -> bool:
    return 0 < value < threshold


def protection_interval(value: int, threshold: int = THRESHOLD) -> tuple[int, int]:
    """(the largest lower end, the smallest upper end) a sensitive count's range may have."""
    return (value - 1 if value >= 2 else value), threshold


def protected(value: int, low: float, high: float, threshold: int = THRESHOLD) -> bool:
    need_low, need_high = protection_interval(value, threshold)
    return low <= need_low + 1e-6 and high >= need_high - 1e-6


def reader_lower_bound(value: int) -> int:
    """What the audit lets the reader assume about a hidden count: at least 1 unless it is 0."""
    return 1 if value > 0 else 0


def _components(relations: list[Relation], hidden: set) -> list[tuple[list[Key], list[Relation]]]:
    """Hidden entries linked by relations, in groups that can be solved apart."""
    parent = {key: key for key in hidden}

    def find(key):
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for total, parts in relations:
        unknown = [k for k in (total, *parts) if k in hidden]
        for other in unknown[1:]:
            a, b = find(unknown[0]), find(other)
            if a != b:
                parent[a] = b
    keys, rels = defaultdict(list), defaultdict(list)
    for key in hidden:
        keys[find(key)].append(key)
    for relation in relations:
        unknown = [k for k in (relation[0], *relation[1]) if k in hidden]
        if unknown:
            rels[find(unknown[0])].append(relation)
    return [(sorted(keys[root], key=repr), rels[root]) for root in keys]


def _solvers(relations: list[Relation], values: Mapping[Key, int], hidden: set, wanted: set,
             lower: Mapping[Key, float]):
    """(solver, index of each hidden entry) per group of linked hidden entries with a target."""
    for keys, rels in _components(relations, hidden):
        if not any(k in wanted for k in keys):
            continue
        index = {k: i for i, k in enumerate(keys)}
        columns = [[] for _ in keys]
        rhs = []
        for total, parts in rels:
            constant = 0.0
            for key, sign in ((total, -1.0), *((p, 1.0) for p in parts)):
                if key in index:
                    columns[index[key]].append((len(rhs), sign))
                else:
                    constant -= sign * values[key]
            rhs.append(constant)
        lows = [float(lower.get(k, reader_lower_bound(values[k]))) for k in keys]
        yield _Solver(columns, rhs, lows), index


def feasible_ranges(relations: Iterable[Relation], values: Mapping[Key, int], hidden: Iterable[Key],
                    targets: Iterable[Key] | None = None,
                    lower: Mapping[Key, float] | None = None) -> dict[Key, tuple[float, float]]:
    """The smallest and largest value each target (default: every hidden entry) could take.

    ``values`` holds the true value of every entry (the shown ones are what the reader sees);
    ``lower`` overrides the reader's lower bound of a hidden entry (default
    `reader_lower_bound` of its true value)."""
    hidden = set(hidden)
    wanted = hidden if targets is None else set(targets) & hidden
    ranges = {}
    for solver, index in _solvers(list(relations), values, hidden, wanted, lower or {}):
        for key, column in index.items():
            if key in wanted:
                ranges[key] = solver.range(column, key)
    return ranges


#: The statuses that are a verdict on a programme.
_VERDICTS = (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kUnbounded,
             highspy.HighsModelStatus.kInfeasible)


class _Solver:
    """One HiGHS model per group of linked hidden entries, solved by changing only the
    objective, so each solve starts from the last."""

    def __init__(self, columns: list[list[tuple[int, float]]], rhs: list[float], lows: list[float]):
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = len(columns), len(rhs)
        lp.col_cost_ = np.zeros(len(columns))
        lp.col_lower_ = np.array(lows)
        lp.col_upper_ = np.full(len(columns), highspy.kHighsInf)
        lp.row_lower_ = lp.row_upper_ = np.array(rhs, dtype=float)
        starts, indices, data = [0], [], []
        for column in columns:
            for row, sign in column:
                indices.append(row)
                data.append(sign)
            starts.append(len(indices))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = starts, indices, data
        self.size = len(columns)
        self.lows = np.array(lows, dtype=float)
        self.rhs = np.array(rhs, dtype=float)
        self._rows = np.array(indices, dtype=int)
        self._columns = np.repeat(np.arange(len(columns)), np.diff(starts)).astype(int)
        self._signs = np.array(data, dtype=float)
        self.solves = 0
        self.found: list[np.ndarray] = []
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.passModel(lp)

    def _solve(self, costs: dict[int, float], sense) -> tuple[float | None, np.ndarray | None]:
        for column, cost in costs.items():
            self.highs.changeColCost(column, cost)
        try:
            self.highs.changeObjectiveSense(sense)
            self.highs.run()
            self.solves += 1
            status = self.highs.getModelStatus()
            if status not in _VERDICTS:
                # Started from the last solve's basis, the simplex can stop without a verdict
                # on a degenerate programme ("Unknown"); from scratch it reaches one.
                self.highs.clearSolver()
                self.highs.run()
                status = self.highs.getModelStatus()
            if status == highspy.HighsModelStatus.kOptimal:
                solution = np.array(self.highs.getSolution().col_value)
                self.found.append(solution)
                return self.highs.getInfo().objective_function_value, solution
            if status == highspy.HighsModelStatus.kUnbounded:
                return None, None
            raise ValueError(f"published figures are inconsistent: {self.highs.modelStatusToString(status)}")
        finally:
            for column in costs:
                self.highs.changeColCost(column, 0.0)

    def feasible(self, x: np.ndarray) -> bool:
        """Whether a point meets every relation and bound of this programme."""
        if np.any(x < self.lows - TOLERANCE):
            return False
        total = np.zeros(len(self.rhs))
        np.add.at(total, self._rows, self._signs * x[self._columns])
        return bool(np.all(np.abs(total - self.rhs) <= TOLERANCE * np.maximum(1.0, np.abs(self.rhs))))

    def complete(self, x: np.ndarray, known: np.ndarray) -> np.ndarray | None:
        """A point of this programme with the ``known`` columns of ``x`` as they are (None: none)."""
        columns = np.flatnonzero(known)
        if not len(columns):
            return None
        self.highs.changeColsBounds(len(columns), columns, x[columns], x[columns])
        try:
            self.highs.run()
            self.solves += 1
            if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                return None
            return np.array(self.highs.getSolution().col_value)
        finally:
            self.highs.changeColsBounds(len(columns), columns, self.lows[columns],
                                        np.full(len(columns), highspy.kHighsInf))

    def _held(self, pending: dict[int, float], sense) -> np.ndarray | None:
        """A solution pushing every pending target towards its goal but no further (the
        bounds are tightened, so it is a point of the programme itself)."""
        columns = np.array(sorted(pending), dtype=np.int32)
        goals = np.array([pending[c] for c in columns], dtype=float)
        upper = np.full(len(columns), highspy.kHighsInf)
        if sense == highspy.ObjSense.kMaximize:
            self.highs.changeColsBounds(len(columns), columns, self.lows[columns], np.maximum(goals, self.lows[columns]))
        else:
            self.highs.changeColsBounds(len(columns), columns, np.maximum(goals, self.lows[columns]), upper)
        try:
            _, solution = self._solve({int(c): 1.0 for c in columns}, sense)
            return solution
        except ValueError:  # the goals cannot all hold at once: push them one by one
            return None
        finally:
            self.highs.changeColsBounds(len(columns), columns, self.lows[columns], upper)

    def range(self, column: int, key) -> tuple[float, float]:
        try:
            low, _ = self._solve({column: 1.0}, highspy.ObjSense.kMinimize)
            high, _ = self._solve({column: 1.0}, highspy.ObjSense.kMaximize)
        except ValueError as error:
            raise ValueError(f"{error} (around {key!r})") from None
        return low, (UNBOUNDED if high is None else high)

    def witness(self, goals: dict[int, float], sense) -> tuple[set[int], dict[int, float]]:
        """Targets shown to reach their goal (at least it when maximising, at most it when
        minimising) by solutions of the LP, and the optimum of each target solved on its own
        (the exact end of its range). Several targets are pushed at once (the sum of those
        not yet shown, each held at its goal: no target can run off alone, and every one that
        can reach its goal with the others does), which usually settles most of them in a few
        solves; the rest are solved one by one."""
        done, pending, optimum = set(), dict(goals), {}
        reaches = (lambda x, goal: x >= goal - 1e-6) if sense == highspy.ObjSense.kMaximize else (
            lambda x, goal: x <= goal + 1e-6)
        while len(pending) > 1:
            solution = self._held(pending, sense)
            if solution is None:
                break
            new = {c for c, goal in pending.items() if reaches(solution[c], goal)}
            if not new:
                break
            done |= new
            pending = {c: g for c, g in pending.items() if c not in new}
        for column, goal in pending.items():
            if column in done:
                continue
            value, solution = self._solve({column: 1.0}, sense)
            optimum[column] = UNBOUNDED if value is None else value
            if value is None or reaches(value, goal):
                done.add(column)
            if solution is not None:  # it may settle targets still to come
                done |= {c for c, g in pending.items() if reaches(solution[c], g)}
        return done, optimum


class Witnesses:
    """Solutions of earlier solves (each a mapping of hidden entries to values), kept to
    settle targets without solving, and the counts of what was solved and what was not."""

    def __init__(self, solutions: Iterable[Mapping[Key, float]] = (), limit: int = 200):
        self.solutions: list[dict] = [dict(s) for s in solutions]
        self.carried = len(self.solutions)  # from an earlier audit: may need completing
        self.limit = limit
        self.solved = 0  # LPs run
        self.skipped = 0  # min or max LPs a witness made unnecessary

    def add(self, solution: dict) -> None:
        self.solutions.append(solution)
        if len(self.solutions) > self.limit:
            del self.solutions[self.carried:self.carried + len(self.solutions) - self.limit]

    def points(self, solver: "_Solver", index: Mapping[Key, int], values: Mapping[Key, int]) -> list[np.ndarray]:
        """The kept solutions that are points of this programme. An entry a solution does not
        give was shown when it was found (its true value), or is new: if the point is not
        feasible with true values there, the LP completes it with its own entries fixed."""
        keys = list(index)
        points, completed_points = [], []
        for number, solution in enumerate(self.solutions):
            if not any(k in solution for k in keys):
                continue
            known = np.array([k in solution for k in keys])
            x = np.array([float(solution[k]) if k in solution else float(values[k]) for k in keys])
            if solver.feasible(x):
                points.append(x)
            elif number < self.carried:
                # Completed (or found not to be a point) once: the completion is kept instead.
                for key in keys:
                    solution.pop(key, None)
                completed = solver.complete(x, known)
                if completed is not None and solver.feasible(completed):
                    completed_points.append(completed)
        for completed in completed_points:
            self.add(dict(zip(keys, completed.tolist())))
        return points + completed_points


def audit(relations: Iterable[Relation], values: Mapping[Key, int], hidden: Iterable[Key],
          threshold: int = THRESHOLD, lower: Mapping[Key, float] | None = None,
          targets: Iterable[Key] | None = None, witnesses: Witnesses | None = None,
          exact: bool = True) -> list[Finding]:
    """Every sensitive hidden count (or every target) whose range is narrower than its
    interval, with its exact feasible range (``exact`` False: only the end that falls short
    is exact, the other is the end of its interval). With ``witnesses``, targets their
    solutions settle are not solved, and every new solution is added to them."""
    hidden = set(hidden)
    if targets is None:
        targets = [k for k in hidden if is_sensitive(values[k], threshold)]
    wanted = set(targets) & hidden
    findings = []
    for solver, index in _solvers(list(relations), values, hidden, wanted, lower or {}):
        goals = {index[k]: k for k in wanted if k in index}
        need = {c: protection_interval(values[k], threshold) for c, k in goals.items()}
        highs = {c: high for c, (_, high) in need.items()}
        lows = {c: low for c, (low, _) in need.items() if low < values[goals[c]]}
        if witnesses is not None:
            points = witnesses.points(solver, index, values)
            if points:
                stacked = np.array(points)
                tops, bottoms = stacked.max(axis=0), stacked.min(axis=0)
                settled_high = {c for c, goal in highs.items() if tops[c] >= goal - TOLERANCE}
                settled_low = {c for c, goal in lows.items() if bottoms[c] <= goal + TOLERANCE}
                witnesses.skipped += len(settled_high) + len(settled_low)
                highs = {c: g for c, g in highs.items() if c not in settled_high}
                lows = {c: g for c, g in lows.items() if c not in settled_low}
        high_ok, tops_found = solver.witness(highs, highspy.ObjSense.kMaximize)
        low_ok, bottoms_found = solver.witness(lows, highspy.ObjSense.kMinimize)
        high_ok |= set(need) - set(highs)
        low_ok |= set(need) - set(lows)
        for column, key in goals.items():
            if column in high_ok and column in low_ok:
                continue
            if exact:
                low, high = solver.range(column, key)
            else:  # the end that falls short is exact; the other is only known to be far enough
                low = bottoms_found.get(column, need[column][0])
                high = tops_found.get(column, need[column][1])
            findings.append(Finding(key, values[key], low, high))
        if witnesses is not None:
            keys = list(index)
            for solution in solver.found:
                witnesses.add(dict(zip(keys, solution.tolist())))
            witnesses.solved += solver.solves
    return sorted(findings, key=lambda f: repr(f.key))


def check_published(relations: Iterable[Relation], values: Mapping[Key, int], hidden: Iterable[Key]) -> None:
    """Shown entries must satisfy every relation with no unknowns (a sanity check of the model)."""
    hidden = set(hidden)
    for total, parts in relations:
        if total in hidden or any(p in hidden for p in parts):
            continue
        if values[total] != sum(values[p] for p in parts):
            raise ValueError(f"{total!r} is not the sum of its parts")

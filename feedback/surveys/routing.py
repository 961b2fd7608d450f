"""Routing: which questions and pages a family is asked, given their answers so far.

Pure: no database and no Flask, so it is tested on its own. A condition set (a question's
`show_when`, a page route's `match` and `conditions`) is

    {"match": "all" | "any", "conditions": [{"question": id, "values": ["yes", ...]}, ...]}

A condition holds when the question's answer is one of its values ("Q2 is A or B"); "all"
needs every condition to hold ("Q3 is Yes and Q5 is EHC plan"), "any" at least one.

The path through a survey goes forward only: after each page its routes are tried in order,
and the first that matches sends the family to a later page or ends the survey (check
answers); otherwise the next page follows. Only answers on the path count: an answer left on
a page that routing now skips neither shows nor routes, and is not submitted.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ..text import N_

MATCHES = ("all", "any")


class RoutingError(ValueError):
    """A route or condition that cannot work; the message is safe to show. It is marked with
    N_ and kept in English, its values in `params`, so the page showing it can look it up in
    the catalogues (`message % params` is the English)."""

    def __init__(self, message: str, **params):
        super().__init__(message % params if params else message)
        self.message, self.params = message, params


@dataclass(frozen=True)
class Condition:
    question: int
    values: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """Conditions joined by `match`; for a page route, where it goes (None: the end)."""

    match: str
    conditions: tuple[Condition, ...]
    page: int | None = None  # the page the route is tried after
    goto_page: int | None = None

    @classmethod
    def read(cls, stored: "Mapping | Rule | None", page: int | None = None,
             goto_page: int | None = None) -> "Rule | None":
        if isinstance(stored, Rule):
            return stored
        if not stored or not stored.get("conditions"):
            return None
        return cls(stored.get("match", "all"),
                   tuple(Condition(int(c["question"]), tuple(c["values"])) for c in stored["conditions"]),
                   page, goto_page)

    def stored(self) -> dict:
        return {"match": self.match,
                "conditions": [{"question": c.question, "values": list(c.values)} for c in self.conditions]}

    def holds(self, answers: Mapping[int, list]) -> bool:
        results = (any(value in c.values for value, _ in answers.get(c.question, ())) for c in self.conditions)
        return all(results) if self.match == "all" else any(results)

    def questions(self) -> set[int]:
        return {c.question for c in self.conditions}


def rule_from_choices(match: str, chosen: Iterable[str]) -> Rule | None:
    """A rule from the builder's ticked "<question id>:<value>" answers: answers to one
    question are alternatives (any of them), questions are joined by `match`."""
    values: dict[int, list[str]] = {}
    for choice in chosen:
        question, _, value = choice.partition(":")
        values.setdefault(int(question), []).append(value)
    if not values:
        return None
    if match not in MATCHES:
        raise RoutingError(N_("Choose whether all or any of the answers must match"))
    return Rule(match, tuple(Condition(q, tuple(v)) for q, v in values.items()))


def rule_choices(rule: Rule | None) -> list[str]:
    """The builder's ticked answers for a stored rule (the reverse of `rule_from_choices`)."""
    return [f"{c.question}:{value}" for c in (rule.conditions if rule else ()) for value in c.values]


@dataclass(frozen=True)
class PagePlan:
    number: int
    questions: list


def plan_pages(questions, routes: Iterable[Rule], answers: Mapping[int, list]) -> list[PagePlan]:
    """The pages this family is asked, in order, given their answers (`question id ->
    [(value, number), ...]`); `questions` in page and position order."""
    by_page: dict[int, list] = {}
    for question in questions:
        by_page.setdefault(question.page, []).append(question)
    routes_after: dict[int, list[Rule]] = {}
    for route in routes:
        routes_after.setdefault(route.page, []).append(route)
    numbers = sorted(by_page)
    known: dict[int, list] = {}  # answers on the path so far
    plan, index = [], 0
    while index < len(numbers):
        number = numbers[index]
        shown = []
        for question in by_page[number]:
            rule = Rule.read(question.show_when)
            if rule is None or rule.holds(known):
                shown.append(question)
                if question.id in answers:
                    known[question.id] = answers[question.id]
        if shown:
            plan.append(PagePlan(number, shown))
        taken = next((r for r in routes_after.get(number, ()) if r.holds(known)), None)
        if taken is None:
            index += 1
        elif taken.goto_page is None:
            break
        else:
            index = next((i for i, n in enumerate(numbers) if n >= taken.goto_page), len(numbers))
    return plan


def check_show_when(rule: Rule | None, page: int, pages: Mapping[int, int]) -> None:
    """A question on `page` may depend only on questions on earlier pages (`pages`: question
    id -> page); without JavaScript a page cannot change while it is being answered."""
    for question in sorted(rule.questions() if rule else ()):
        if question not in pages:
            raise RoutingError(N_("A question this depends on is not in the survey"))
        if pages[question] >= page:
            raise RoutingError(N_("A question can only depend on answers given on an earlier page"))


def check_route(rule: Rule, pages: Mapping[int, int]) -> None:
    """A route after page P reads answers on pages up to P and goes forward (past P) or ends:
    never back, so no family is sent round a loop."""
    if not rule.conditions:
        raise RoutingError(N_("Choose at least one answer that leads to this route"))
    for question in sorted(rule.questions()):
        if question not in pages:
            raise RoutingError(N_("A question this route depends on is not in the survey"))
        if pages[question] > rule.page:
            raise RoutingError(N_("A route after page %(page)s cannot depend on a later question"), page=rule.page)
    if rule.goto_page is not None and rule.goto_page <= rule.page:
        raise RoutingError(N_("A route after page %(page)s can only go to a later page (or end the survey)"),
                           page=rule.page)


def _joined(words: list[str], joiner: str, translate: Callable[..., str]) -> str:
    joined = words[0]
    for word in words[1:]:
        joined = translate(joiner, left=joined, right=word)
    return joined


def _english(text: str, **params) -> str:
    return text % params if params else text


def describe(rule: Rule, numbers: Mapping[int, int], labels: Mapping[int, Mapping[str, str]],
             translate: Callable[..., str] = _english) -> str:
    """The rule as a family reads it on paper: "If you answered ‘Yes’ to question 3 and ‘EHC
    plan’ to question 5, go to page 5." (`numbers`: question id -> its number in the survey;
    `labels`: question id -> value -> the answer's words; `translate`, gettext's signature,
    puts it in the reader's language: English without it)."""
    t = translate
    any_of = N_("%(left)s or %(right)s")
    joiner = N_("%(left)s and %(right)s") if rule.match == "all" else any_of
    parts = _joined([t(N_("%(answers)s to question %(number)s"),
                       answers=_joined([t(N_("‘%(answer)s’"), answer=labels.get(c.question, {}).get(value, value))
                                        for value in c.values], any_of, t),
                       number=numbers.get(c.question, "?"))
                     for c in rule.conditions], joiner, t)
    if rule.page is None:  # a question's condition
        return t(N_("Answer this only if you answered %(answers)s."), answers=parts)
    if rule.goto_page is None:
        return t(N_("If you answered %(answers)s, go to the end of the survey."), answers=parts)
    return t(N_("If you answered %(answers)s, go to page %(page)s."), answers=parts, page=rule.goto_page)


def without_question(stored: Mapping | None, question_id: int) -> dict | None:
    """A stored condition set with one question's conditions taken out (it was deleted)."""
    rule = Rule.read(stored)
    if rule is None:
        return None
    kept = tuple(c for c in rule.conditions if c.question != question_id)
    return Rule(rule.match, kept).stored() if kept else None


def renamed(stored: Mapping | None, ids: Mapping[int, int]) -> dict | None:
    """A stored condition set pointing at copies of its questions (a new wave)."""
    rule = Rule.read(stored)
    if rule is None:
        return None
    return Rule(rule.match, tuple(Condition(ids[c.question], c.values) for c in rule.conditions
                                  if c.question in ids)).stored()

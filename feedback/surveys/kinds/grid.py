"""A grid: several statements answered on one scale, a row of radios per statement (each
statement its own fieldset), with results per statement."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...text import N_
from .base import (
    LinesField,
    NoSettings,
    PartsField,
    PartsKind,
    check_lines,
    largest,
    part_error,
    part_value,
    parts_html,
    render_macro,
    setting,
    split_part,
)

AGREEMENT = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"]


class GridField(PartsField):
    def __init__(self, question, points: list[str], **kwargs):
        super().__init__(question, list(question.options), _("Select an answer for ‘%(part)s’"),
                         widget=GridWidget(), **kwargs)
        self.points = points

    def check_part(self, index, part, value):
        return None if value in self.points else _("Select one of the answers for ‘%(part)s’", part=part)


class GridWidget:
    def __call__(self, field, params=None, **kwargs):
        params = params or {}
        controls = []
        for index, part in enumerate(field.parts):
            controls.append(render_macro("radios", "govukRadios", {
                "name": f"{field.name}-{index}", "idPrefix": f"{field.name}-{index}",
                "classes": "govuk-radios--small govuk-radios--inline",
                "fieldset": {"legend": {"text": part, "classes": "govuk-fieldset__legend--s"}},
                "errorMessage": part_error(field, index),
                "items": [{"value": point, "text": point, "checked": field.data.get(part) == point}
                          for point in field.points],
            }))
        return parts_html(field, params, controls, grouped=False)


class Grid(PartsKind):
    name, label = "grid", N_("Grid (several statements on one scale)")

    class Settings(NoSettings):
        PARAMS = {"options": {"rows": 5}, "scale": {"rows": 5}}
        options = LinesField(_l("Statements"), _l("One statement on each line"))
        scale = LinesField(_l("Scale"), _l("The answers each statement can have, one on each line, in order. "
                                           "If you leave this empty, the scale is from ‘Strongly agree’ to ‘Strongly disagree’"))

        def validate_options(self, field):
            check_lines(field, "statements", most=20)

        def validate_scale(self, field):
            if field.data:
                check_lines(field, "answers on the scale", most=11, longest=60)

    def points(self, question) -> list[str]:
        return list(setting(question, "scale") or AGREEMENT)

    def required_message(self, question):
        return f"Select an answer for each statement of ‘{question.text}’"

    def field(self, question):
        return GridField(question, self.points(question))

    def number(self, question, part, answer):
        points = self.points(question)
        return float(len(points) - points.index(answer)) if answer in points else None

    def answer_labels(self, question):
        return [(point, point) for point in self.points(question)]

    def answer_choices(self, question):
        return [(part_value(part, point), f"{part}: {point}") for part in self.parts(question)
                for point in self.points(question)]

    def display(self, question, rows):
        if not rows:
            return "Not answered"
        return "; ".join(f"{part}: {answer}" for part, answer in (split_part(value) for value, _ in rows))

    def summary(self, question, rows, n):
        sentences = []
        for group in dict.fromkeys(spec["group"] for spec in question["rows"]):
            mine = [(r, spec) for r, spec in zip(rows, question["rows"]) if spec["group"] == group]
            top = largest([r for r, _ in mine], n, [r for r, spec in mine if not spec["special"]])
            if top:
                answer = top[0].removeprefix(f"{group}: ")
                sentences.append(_("‘%(statement)s’: the most common answer was ‘%(answer)s’, %(count)s of %(n)s "
                                   "(%(percent)s%%).", statement=group, answer=answer, count=top[1], n=n,
                                   percent=top[2]))
        return " ".join(sentences)

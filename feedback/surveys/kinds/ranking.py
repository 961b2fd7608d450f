"""Ranking: put the options in order, by giving each one a number (a select per option, so
it works without JavaScript); two options cannot have the same number."""

from flask_babel import gettext as _

from ...text import N_
from .base import (
    PART,
    Options,
    PartsField,
    PartsKind,
    check_lines,
    largest,
    part_error,
    parts_html,
    render_macro,
    split_part,
)


class RankingField(PartsField):
    def __init__(self, question, **kwargs):
        super().__init__(question, list(question.options), _("Give ‘%(part)s’ a number"), widget=RankingWidget(), **kwargs)

    def check_part(self, index, part, value):
        if not value.isdigit() or not 1 <= int(value) <= len(self.parts):
            return _("Give ‘%(part)s’ a number from 1 to %(most)s", part=part, most=len(self.parts))
        return None

    def check_whole(self):
        seen: dict[str, int] = {}
        for index, part in enumerate(self.parts):
            value = self.data.get(part)
            if value is None:
                continue
            if value in seen:
                self.part_errors[index] = _("‘%(part)s’ has the same number as ‘%(other)s’: give each option a different number",
                                             part=part, other=self.parts[seen[value]])
            else:
                seen[value] = index


class RankingWidget:
    def __call__(self, field, params=None, **kwargs):
        params = params or {}
        numbers = [str(n) for n in range(1, len(field.parts) + 1)]
        controls = []
        for index, part in enumerate(field.parts):
            controls.append(render_macro("select", "govukSelect", {
                "id": f"{field.name}-{index}", "name": f"{field.name}-{index}",
                "label": {"text": part}, "errorMessage": part_error(field, index),
                "items": [{"value": "", "text": _("Not ranked")}] + [
                    {"value": n, "text": n, "selected": field.data.get(part) == n} for n in numbers],
            }))
        params = {**params, "hint": params.get("hint") or field.description
                  or _("Give each option a different number: 1 for the one that matters most to you.")}
        return parts_html(field, params, controls, grouped=True)


class Ranking(PartsKind):
    name, label = "ranking", N_("Ranking (put options in order)")
    blank_label = "not ranked"

    class Settings(Options):
        def validate_options(self, field):
            check_lines(field, "options", most=10)

    def required_message(self, question):
        return f"Give every option of ‘{question.text}’ a number"

    def field(self, question):
        return RankingField(question)

    def number(self, question, part, answer):
        return float(answer)

    def answer_labels(self, question):
        return [(str(n), f"ranked {n}") for n in range(1, len(question.options) + 1)]

    def to_data(self, question, rows):
        return {part: str(int(float(rank))) for part, rank in (split_part(value) for value, _ in rows)}

    def display(self, question, rows):
        if not rows:
            return "Not answered"
        ranked = sorted((int(rank), part) for part, rank in self.to_data(question, rows).items())
        return "; ".join(f"{rank}. {part}" for rank, part in ranked)

    def summary(self, question, rows, n):
        firsts = [r for r, spec in zip(rows, question["rows"]) if spec["key"].endswith(f"{PART}1")]
        top = largest(firsts, None)
        if not top:
            return ""
        option = top[0].removesuffix(": ranked 1")
        return _("‘%(answer)s’ was ranked first most often: by %(count)s of %(n)s (%(percent)s%%).",
                 answer=option, count=top[1], n=n, percent=top[2])

"""Answer fields drawn from a skeleton (rendered once per question, with no answer) are the
same HTML as fields rendered in full, for every kind and for awkward answers; and the
skeletons never hold an answer."""

import pytest

from feedback.responses import rendering
from feedback.responses import services as responses
from feedback.responses.forms import page_form
from feedback.surveys.kinds import kind_of

from .survey_factories import make_open_survey

AWKWARD = ['<script>alert("x")</script>', "Tom & Jerry's \"quote\"", "  spaces  ", "0", "ünïcödé ✓", ""]


def answers_for(question):
    """Stored rows a family could have for this question, awkward text included."""
    choices = [value for value, _ in kind_of(question).answer_choices(question)]
    if question.kind == "multi_choice":
        return [[], [(choices[0], None)], [(c, None) for c in choices]]
    if choices:
        return [[]] + [[(value, None)] for value in choices]
    if question.kind == "number":
        return [[], [("3", 3.0)], [("0", 0.0)], [("12.5", 12.5)]]
    if question.kind == "date":
        return [[], [("2026-02-03", None)]]
    return [[]] + [[(text, None)] for text in AWKWARD if text]


@pytest.fixture
def questions(app):
    rendering._skeletons.clear()  # skeletons other tests' questions left in this process
    survey = make_open_survey()
    return responses.survey_questions(survey)


def test_a_field_from_its_skeleton_is_the_field_rendered_in_full(app, questions):
    checked = 0
    with app.test_request_context("/surveys/x/pages/1"):
        for question in questions:
            for rows in answers_for(question):
                for heading in (False, True):
                    data = {f"q{question.id}": kind_of(question).to_data(question, rows)}
                    field = page_form([question], data)[f"q{question.id}"]
                    fast = rendering.render_answer_field(question, field, heading)
                    full = rendering._full(question, field, heading)
                    assert str(fast) == str(full), (question.kind, rows, heading)
                    checked += 1
    assert checked > 60
    # Every kind but the date is drawn from a skeleton (a date's answer changes three boxes).
    drawn = {key[0].kind for key, skeleton in rendering._skeletons.items() if skeleton is not None}
    assert drawn == {q.kind for q in questions} - {"date"}
    kept = " ".join(repr(skeleton) for skeleton in rendering._skeletons.values())
    for text in AWKWARD[:2] + ["ünïcödé"]:
        assert text not in kept and str(rendering.escape(text)) not in kept


def test_a_chosen_answer_is_marked_checked_once(app, questions):
    question = next(q for q in questions if q.kind == "likert5")
    with app.test_request_context("/surveys/x/pages/2"):
        field = page_form([question], {f"q{question.id}": "agree"})[f"q{question.id}"]
        html = str(rendering.render_answer_field(question, field))
    assert html.count(" checked") == 1 and 'value="agree" checked' in html


def test_the_skeleton_cache_is_bounded():
    assert rendering._skeletons.maxsize == rendering.SKELETONS <= 10_000

"""Submitted free text is analysed (inline or by an RQ worker), stored with the analyser
version, shown to staff redacted with an explanation, and corrections survive re-analysis."""

import json
import os
import uuid

import pytest
from sqlalchemy import func, select

from feedback.analysis import ANALYSER_VERSION
from feedback.comments import services
from feedback.extensions import db
from feedback.models import Answer, Role, SafeguardingFlag, TextAnalysis, Theme, ThemeAssignment
from feedback.responses import services as responses

from .conftest import csrf_token
from .survey_factories import make_open_survey

TEXT_QUESTION = [dict(kind="free_text", text="What would make communication better?", page=1, max_length=1000)]


def submit(survey, text):
    response = responses.start_response(survey)
    question = survey.questions[0]
    responses.save_page(response, [question], {question.id: text})
    responses.submit_response(response.id)
    return db.session.scalar(select(Answer).where(Answer.response_id == response.id))


@pytest.fixture
def survey(app):
    services.seed_taxonomy()
    return make_open_survey(questions=TEXT_QUESTION)


def analysis_of(answer):
    return db.session.scalar(select(TextAnalysis).where(TextAnalysis.source_type == "answer", TextAnalysis.source_id == answer.id))


def test_submitted_comment_is_analysed_inline_and_redacted(survey):
    answer = submit(survey, "The caseworker never replied to my emails. Call me on 07700 900123.")
    analysis = analysis_of(answer)
    assert analysis.label == "negative" and analysis.polarity < 0
    assert "[phone]" in analysis.redacted_text and "07700" not in analysis.redacted_text
    assert analysis.analyser_version == ANALYSER_VERSION
    assert "Communication" in [a.theme.name for a in analysis.themes]
    assert any("replied" in item["phrase"] for item in analysis.explanation)


def test_a_disclosure_goes_to_the_safeguarding_queue(survey):
    answer = submit(survey, "My son says he wants to kill himself and nobody at CAMHS will see him.")
    flag = db.session.scalar(select(SafeguardingFlag).where(SafeguardingFlag.source_type == "answer"))
    assert flag.source_id == answer.id and flag.is_open
    assert analysis_of(answer).safeguarding_flagged


def test_staff_see_redacted_comments_with_explanation_but_not_forum_members(client, auth, survey):
    submit(survey, "Mrs Patel at Oakwood Primary was brilliant and kept us informed.")
    auth.sign_in_as(Role.STAFF)
    page = client.get("/manage/comments").text
    assert "kept us informed" in page and "Patel" not in page and "[name]" in page
    assert "Words that moved the score" in page
    auth.sign_out()
    auth.sign_in_as(Role.FORUM_MEMBER)
    assert client.get("/manage/comments").status_code == 403


def test_staff_configured_names_are_redacted(client, auth, survey):
    services.add_redaction_name("Oakwood Primary")
    answer = submit(survey, "Oakwood Primary never answers the phone.")
    assert "Oakwood" not in analysis_of(answer).redacted_text


def test_corrections_are_kept_when_comments_are_reanalysed(client, auth, survey, runner):
    answer = submit(survey, "The new portal is fine I suppose.")
    analysis = analysis_of(answer)
    transport = db.session.scalar(select(Theme).where(Theme.name == "Transport"))
    communication = db.session.scalar(select(Theme).where(Theme.name == "Communication"))
    auth.sign_in_as(Role.STAFF)
    page = client.get(f"/manage/comments/{analysis.id}")
    client.post(f"/manage/comments/{analysis.id}", data={"sentiment-label": "negative", "sentiment-submit": "1",
                                                          "csrf_token": csrf_token(page.text)})
    client.post(f"/manage/comments/{analysis.id}", data={"add-theme": transport.id, "add-submit": "1",
                                                          "csrf_token": csrf_token(page.text)})
    db.session.expire_all()
    assert analysis.effective_label == "negative"
    # Force re-analysis of everything by changing the taxonomy.
    communication.keywords = communication.keywords + ["portal"]
    db.session.commit()
    assert services.count_stale() == 1
    result = runner.invoke(args=["analyse"])
    assert result.exit_code == 0 and "Analysed 1 answers" in result.output
    db.session.expire_all()
    analysis = analysis_of(answer)
    names = {a.theme.name for a in analysis.themes}
    assert "Transport" in names and "Communication" in names
    assert analysis.effective_label == "negative"
    assert runner.invoke(args=["analyse"]).output.startswith("Nothing to analyse")


def test_removed_theme_stays_removed_after_reanalysis(survey):
    answer = submit(survey, "Nobody replied to my emails about the EHCP.")
    analysis = analysis_of(answer)
    communication = db.session.scalar(select(Theme).where(Theme.name == "Communication"))
    services.correct_theme(analysis, communication, "remove", type("U", (), {"id": None})())
    analysis.analyser_version = "old"
    db.session.commit()
    services.analyse_stale()
    db.session.expire_all()
    assert "Communication" not in {a.theme.name for a in analysis_of(answer).themes}


def test_analyse_is_resumable_in_batches_and_idempotent(survey, runner):
    answers = [submit(survey, f"Comment number {n}: nobody replied") for n in range(7)]
    db.session.execute(db.delete(ThemeAssignment))
    db.session.execute(db.delete(TextAnalysis))
    db.session.commit()
    done = []
    services.analyse_stale(batch_size=3, progress=done.append)
    assert done == [3, 3, 1]
    assert db.session.scalar(select(func.count()).select_from(TextAnalysis)) == len(answers)
    assert services.analyse_stale() == 0


def test_staff_edit_the_taxonomy_and_promote_an_emerging_theme(client, auth, survey):
    auth.sign_in_as(Role.STAFF)
    page = client.get("/manage/themes")
    response = client.post("/manage/themes", data={"name": "Communication", "description": "Dup",
                                                   "keywords": "x", "csrf_token": csrf_token(page.text)})
    assert "There is already a theme with this name" in response.text
    response = client.post("/manage/themes", data={"name": "Money", "description": "Costs and benefits",
                                                   "keywords": "", "phrases": "", "csrf_token": csrf_token(page.text)})
    assert "Give at least one keyword or phrase" in response.text
    for n in range(4):
        submit(survey, f"Parking fees keep going up and parking spaces are scarce, visit {n}")
    emerging = client.get("/manage/themes/emerging")
    assert "parking" in emerging.text
    client.post("/manage/themes/emerging", data={"name": "Parking", "description": "Parking at appointments",
                                                 "keywords": "parking", "csrf_token": csrf_token(emerging.text)})
    theme = db.session.scalar(select(Theme).where(Theme.name == "Parking"))
    assert theme.origin == "emerging" and theme.keywords == ["parking"]
    assert services.count_stale() == 4


def test_analyse_text_command_writes_one_json_object_per_line(runner):
    result = runner.invoke(args=["analyse-text"], input="The caseworker never replied to my emails\nThank you, we felt listened to\n")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["label"] for line in lines] == ["negative", "positive"]
    assert set(lines[0]) >= {"polarity", "label", "themes", "redacted", "safeguarding", "explanation"}
    assert lines[0]["themes"][0]["name"] == "Communication"


@pytest.mark.skipif(not os.environ.get("REDIS_TEST_URL"), reason="needs a Redis server (REDIS_TEST_URL)")
def test_with_redis_a_real_worker_analyses_the_response(app, survey, runner):
    from redis import Redis
    from rq import Queue

    url = os.environ["REDIS_TEST_URL"]
    app.config["REDIS_URL"] = url
    Queue("analysis", connection=Redis.from_url(url)).empty()
    answer = submit(survey, "Nobody ever calls back, it is exhausting")
    assert analysis_of(answer) is None  # queued, not analysed inline
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert analysis_of(answer).label == "negative"


def test_when_redis_is_down_analysis_falls_back_to_inline(app, survey):
    app.config["REDIS_URL"] = f"redis://127.0.0.1:1/{uuid.uuid4().int % 10}"
    answer = submit(survey, "Nobody ever calls back")
    assert analysis_of(answer).label == "negative"


def test_cqi_command_prints_the_indicator_with_breakdowns(app, runner):
    survey = make_open_survey(questions=[
        dict(kind="likert5", text="I feel listened to", page=1, dimensions=["communication"]),
        dict(kind="yes_no", text="Did you get a reply?", page=1, dimensions=["communication"]),
    ])
    likert, yes_no = survey.questions
    for n in range(20):
        response = responses.start_response(survey)
        responses.save_page(response, [likert, yes_no], {likert.id: "agree" if n < 12 else "disagree",
                                                         yes_no.id: "yes" if n < 10 else "no"})
        responses.save_about_you(response, "parent_carer", "Norwich", None, False)
        responses.submit_response(response.id)
    result = runner.invoke(args=["cqi", "--survey", survey.slug])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    # 22 positive answers of 40: P_closed = 0.55, no communication comments, so CQI = 55.
    assert report["value"] == pytest.approx(55.0, abs=0.1) and report["band"] == "fair"
    assert report["low"] < report["value"] < report["high"]
    assert report["responses"] == 20
    assert {"locality", "respondent_type"} <= set(report["breakdown"])
    missing = runner.invoke(args=["cqi", "--survey", "no-such-survey"])
    assert missing.exit_code != 0 and "No survey wave matches" in missing.output

"""Languages and Easy Read: the language switch, catalogues that are complete, versions of a
wave that families choose and that pool into one set of results, Easy Read pictures."""

import io
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import EASY_READ, Answer, EasyReadPicture, Response, Role, SurveyTranslation
from feedback.results import services as results
from feedback.surveys import translations

from .conftest import csrf_token, make_user
from .survey_factories import make_open_survey, make_survey

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import translations_check  # noqa: E402

QUESTIONS = [
    dict(kind="single_choice", text="How do you prefer to hear from us?", options=["Email", "Phone"], page=1, required=True),
    dict(kind="likert5", text="I feel listened to", page=1, required=True),
    dict(kind="free_text", text="What would make things better?", page=2),
]
WELSH = {
    "title": "Cyfathrebu gyda gwasanaeth AAA", "purpose": "Dywedwch wrthym sut rydym yn cadw mewn cysylltiad.",
    "questions": ["Sut hoffech chi glywed gennym ni?", "Rwy'n teimlo bod rhywun yn gwrando arnaf",
                  "Beth fyddai'n gwneud pethau'n well?"],
    "options": {"Email": "E-bost", "Phone": "Ffôn"},
}
EASY = {
    "title": "Tell us how we talk to you", "purpose": "",
    "questions": ["How do you like us to talk to you?", "We listen to you", "What can we do better?"],
    "options": {"Email": "Email", "Phone": "Phone call"},
}


def png(size=(40, 40), fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def write_version(client, survey, language, words):
    """Staff fill in the version's form, as in the browser."""
    url = f"/manage/surveys/{survey.id}/versions/{language}"
    page = client.get(url)
    assert page.status_code == 200
    data = {"csrf_token": csrf_token(page.text), "title": words["title"], "purpose": words["purpose"]}
    for question, text in zip(survey.questions, words["questions"]):
        data[f"q{question.id}_text"] = text
        for index, (value, _) in enumerate(translations.choice_labels(question)):
            if value in words["options"]:
                data[f"q{question.id}_o{index}"] = words["options"][value]
    return client.post(url, data=data)


@pytest.fixture
def staff(auth):
    user = make_user(Role.STAFF)
    auth.sign_in(user.email)
    return user


@pytest.fixture
def survey_with_versions(client, staff, auth):
    survey = make_open_survey(staff, questions=QUESTIONS)
    assert write_version(client, survey, "cy", WELSH).status_code == 302
    assert write_version(client, survey, EASY_READ, EASY).status_code == 302
    auth.sign_out()
    return survey


def start_in(client, survey, version):
    page = client.get(f"/surveys/{survey.slug}")
    return client.post(f"/surveys/{survey.slug}", data={"csrf_token": csrf_token(page.text), "version": version})


def answer(client, survey, number, data):
    url = f"/surveys/{survey.slug}/pages/{number}"
    page = client.get(url)
    assert page.status_code == 200, page.text
    return page, client.post(url, data={**data, "csrf_token": csrf_token(page.text)})


def submit(client, survey):
    about = client.get(f"/surveys/{survey.slug}/about-you")
    client.post(f"/surveys/{survey.slug}/about-you", data={"csrf_token": csrf_token(about.text)})
    check = client.get(f"/surveys/{survey.slug}/check")
    sent = client.post(f"/surveys/{survey.slug}/submit", data={"csrf_token": csrf_token(check.text)})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/confirmation")
    return check


# The interface language


def test_language_switch_sets_the_language_remembers_it_and_marks_the_page(client):
    page = client.get("/cookies?lang=cy")
    assert re.search(r'<html lang="cy"', page.text)
    assert "lang=cy" in page.headers["Set-Cookie"] and "HttpOnly" in page.headers["Set-Cookie"]
    # The switch names each other language in that language, with hreflang and lang.
    assert '<a class="govuk-link" href="/cookies?lang=en" hreflang="en" lang="en">English</a>' in page.text
    assert 'hreflang="pl" lang="pl">Polski</a>' in page.text
    # The cookie keeps the language on the next page, without ?lang=.
    later = client.get("/privacy")
    assert re.search(r'<html lang="cy"', later.text)
    assert 'href="/privacy?lang=en"' in later.text
    back = client.get("/privacy?lang=en")
    assert re.search(r'<html lang="en"', back.text)


def test_a_language_not_offered_is_ignored(client):
    page = client.get("/cookies?lang=xx")
    assert re.search(r'<html lang="en"', page.text)
    assert "Set-Cookie" not in page.headers or "lang=" not in page.headers["Set-Cookie"]


def test_the_browser_language_is_used_when_nothing_was_chosen(client):
    page = client.get("/cookies", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"})
    assert re.search(r'<html lang="pl"', page.text)


def test_pages_kept_for_everyone_are_kept_per_language(client, survey_with_versions):
    """The start page and header are cached for visitors not signed in: one language's copy
    is never shown to someone who chose another."""
    survey = survey_with_versions
    english = client.get(f"/surveys/{survey.slug}?lang=en")
    welsh = client.get(f"/surveys/{survey.slug}?lang=cy")
    again = client.get(f"/surveys/{survey.slug}?lang=en")
    assert "Start now" in english.text and "Start now" in again.text
    assert "Start now" not in welsh.text and re.search(r'<html lang="cy"', welsh.text)


# Catalogues


def test_every_shipped_catalogue_is_complete_and_compiled():
    """What `make translations-check` runs: fails on untranslated, fuzzy or out-of-date text."""
    assert translations_check.problems(wanted=translations_check.extracted_ids()) == []


def test_the_check_fails_on_untranslated_fuzzy_and_stale_catalogues(tmp_path):
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import write_po

    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalog = Catalog(locale="cy")
    catalog.add("Start now", "Dechrau nawr")
    catalog.add("Continue", "")
    catalog.add("Back", "Yn ôl", flags=["fuzzy"])
    with open(folder / "messages.po", "wb") as handle:
        write_po(handle, catalog)
    stale = Catalog(locale="cy")
    stale.add("Start now", "Dechrau")
    with open(folder / "messages.mo", "wb") as handle:
        write_mo(handle, stale)
    found = translations_check.problems(tmp_path, wanted={"Start now", "Continue", "Back", "Sign in"})
    assert any("untranslated: 'Continue'" in p for p in found)
    assert any("fuzzy" in p and "'Back'" in p for p in found)
    assert any("not in the catalogue" in p and "'Sign in'" in p for p in found)
    assert any("out of date" in p for p in found)


def test_the_check_command_exits_with_failure_on_problems(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(ROOT / "scripts", root / "scripts")
    (root / "babel.cfg").write_text("[jinja2: templates/**.html]\n")
    (root / "templates").mkdir()
    (root / "templates" / "page.html").write_text('{{ _("Something new") }}')
    (root / "feedback" / "translations" / "cy" / "LC_MESSAGES").mkdir(parents=True)
    (root / "feedback" / "translations" / "cy" / "LC_MESSAGES" / "messages.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n')
    run = subprocess.run([sys.executable, str(root / "scripts" / "translations_check.py")], capture_output=True, text=True)
    assert run.returncode == 1
    assert "Something new" in run.stderr


# Versions of a wave


def test_staff_write_a_version_and_it_is_offered_only_when_complete(client, staff):
    survey = make_open_survey(staff, questions=QUESTIONS)
    partial = dict(WELSH, questions=WELSH["questions"][:1] + ["", ""])
    refused = write_version(client, survey, "cy", partial)
    assert refused.status_code == 400 and "Enter question 2 in Cymraeg" in refused.text
    assert translations.available_versions(survey) == ["en"]
    assert write_version(client, survey, "cy", WELSH).status_code == 302
    assert translations.available_versions(survey) == ["en", "cy"]
    listing = client.get(f"/manage/surveys/{survey.id}/versions")
    assert "3 of 3" in listing.text


def test_people_who_are_not_staff_cannot_write_versions(client, auth, staff):
    survey = make_open_survey(staff, questions=QUESTIONS)
    auth.sign_out()
    member = make_user(Role.FORUM_MEMBER)
    auth.sign_in(member.email)
    assert client.get(f"/manage/surveys/{survey.id}/versions/cy").status_code == 403
    assert client.post(f"/manage/surveys/{survey.id}/versions/cy", data={"title": "x"}).status_code in (400, 403)
    assert db.session.scalar(select(SurveyTranslation)) is None


def test_a_family_answers_in_welsh_and_the_answers_are_stored_as_the_english_ones(client, survey_with_versions):
    survey = survey_with_versions
    client.get("/?lang=cy")
    start = client.get(f"/surveys/{survey.slug}")
    assert WELSH["title"] in start.text and 'lang="cy"' in start.text
    started = start_in(client, survey, "cy")
    assert started.status_code == 302
    choice, likert, _ = survey.questions
    page, sent = answer(client, survey, 1, {f"q{choice.id}": "Email", f"q{likert.id}": "agree"})
    assert WELSH["questions"][0] in page.text and "E-bost" in page.text
    assert sent.status_code == 302
    check = submit(client, survey)
    assert "E-bost" in check.text
    response = db.session.scalar(select(Response).where(Response.survey_id == survey.id))
    assert response.language == "cy"
    values = set(db.session.scalars(select(Answer.value).where(Answer.response_id == response.id)))
    assert values == {"Email", "agree"}


def test_easy_read_asks_one_question_a_page_with_faces_and_words(client, survey_with_versions):
    survey = survey_with_versions
    start_in(client, survey, EASY_READ)
    choice, likert, free = survey.questions
    first, _ = answer(client, survey, 1, {f"q{choice.id}": "Phone"})
    assert EASY["questions"][0] in first.text and EASY["questions"][1] not in first.text
    assert "Phone call" in first.text and "app-easy-read" in first.text
    second, _ = answer(client, survey, 2, {f"q{likert.id}": "agree"})
    # Each face is beside its words and hidden from screen readers; the words remain.
    assert re.search(r'<span class="app-smiley" aria-hidden="true">\U0001F642</span>Agree', second.text)
    answer(client, survey, 3, {f"q{free.id}": ""})
    submit(client, survey)
    response = db.session.scalar(select(Response).where(Response.survey_id == survey.id))
    assert response.language == EASY_READ


def test_easy_read_keeps_the_waves_routing_on_its_one_question_pages():
    """A route after a page of the wave is tried after that page's last Easy Read question
    and goes to the first question of the page it named: the same questions are asked."""
    from dataclasses import dataclass, replace

    from feedback.responses.services import _easy_read_routes
    from feedback.surveys.routing import Condition, Rule, plan_pages

    @dataclass(frozen=True)
    class Q:
        id: int
        page: int
        show_when: object = None

    english = (Q(1, 1), Q(2, 1), Q(3, 2), Q(4, 3), Q(5, 4))
    routes = (Rule("all", (Condition(1, ("no",)),), page=1, goto_page=3),
              Rule("all", (Condition(4, ("stop",)),), page=3, goto_page=None))
    easy = tuple(replace(q, page=index + 1) for index, q in enumerate(english))
    moved = _easy_read_routes(english, routes)
    assert [(r.page, r.goto_page) for r in moved] == [(2, 4), (4, None)]
    for answers in ({}, {1: [("no", None)]}, {1: [("no", None)], 4: [("stop", None)]}, {4: [("stop", None)]}):
        asked = [q.id for p in plan_pages(english, routes, answers) for q in p.questions]
        assert [q.id for p in plan_pages(easy, moved, answers) for q in p.questions] == asked
    assert [q.id for p in plan_pages(easy, moved, {1: [("no", None)]}) for q in p.questions] == [1, 2, 4, 5]


def test_results_pool_every_version_and_break_down_by_version(app, client):
    app.config["RESULTS_RELEASE_MIN_SECONDS"] = 0
    app.config["RESULTS_RELEASE_PUT_OFF_TIMES"] = 0
    staff = make_user(Role.STAFF)
    survey = make_open_survey(staff, questions=QUESTIONS)
    choice = survey.questions[0]
    for index in range(30):
        language = ["en", "cy", EASY_READ][index % 3]
        response = Response(survey_id=survey.id, status="submitted", language=language, about_you_done=True,
                            submitted_at=survey.opens_at)
        db.session.add(response)
        db.session.flush()
        db.session.add(Answer(response_id=response.id, question_id=choice.id, value="Email", slot=""))
    db.session.commit()
    payload = results.rebuild_results(survey.id)
    assert payload["n"] == 30
    question = next(q for q in payload["questions"] if q["id"] == choice.id)
    email_row = [r["key"] for r in question["rows"]].index("Email")
    assert payload["views"]["all"]["questions"][str(choice.id)][email_row] == 30
    versions = next(d for d in payload["dimensions"] if d["key"] == "language")
    assert {g["label"]: g["size"] for g in versions["groups"]} == {"English": 10, "Welsh": 10, "Easy Read": 10}
    assert payload["views"]["language:cy"]["questions"][str(choice.id)][email_row] == 10


def test_a_version_answered_by_few_is_combined_under_the_breakdown_minimum(app):
    app.config["RESULTS_RELEASE_MIN_SECONDS"] = 0
    app.config["RESULTS_RELEASE_PUT_OFF_TIMES"] = 0
    staff = make_user(Role.STAFF)
    survey = make_open_survey(staff, questions=QUESTIONS)
    for index in range(24):
        language = "pl" if index < 3 else "pt" if index < 6 else "en"
        db.session.add(Response(survey_id=survey.id, status="submitted", language=language, about_you_done=True,
                                submitted_at=survey.opens_at))
    db.session.commit()
    payload = results.rebuild_results(survey.id)
    versions = next(d for d in payload["dimensions"] if d["key"] == "language")
    keys = {g["key"] for g in versions["groups"]}
    assert "pl" not in keys and "pt" not in keys
    assert "language:pl" not in payload["views"]


# Easy Read pictures


@pytest.fixture
def easy_read_draft(client, staff):
    survey = make_survey(staff, questions=QUESTIONS)
    assert write_version(client, survey, EASY_READ, EASY).status_code == 302
    return survey


def upload(client, survey, question, data: bytes, alt="A smiling face", option="", filename="face.png"):
    page = client.get(f"/manage/surveys/{survey.id}/versions/easy-read")
    prefix = f"q{question.id}-"
    return client.post(
        f"/manage/surveys/{survey.id}/versions/easy-read/questions/{question.id}/picture",
        data={"csrf_token": csrf_token(page.text), prefix + "alt": alt, prefix + "option": option,
              prefix + "picture": (io.BytesIO(data), filename)},
        content_type="multipart/form-data", follow_redirects=True)


def test_a_png_picture_is_kept_and_served_with_its_type(client, easy_read_draft):
    survey = easy_read_draft
    question = survey.questions[0]
    shown = upload(client, survey, question, png(), option="Email")
    assert "The picture is added." in shown.text
    picture = db.session.scalar(select(EasyReadPicture))
    served = client.get(f"/easy-read/pictures/{picture.id}")
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.data == png()
    jpeg = upload(client, survey, question, png(fmt="JPEG"))
    assert "The picture is added." in jpeg.text


@pytest.mark.parametrize("data, filename, message", [
    (b"GIF89a" + b"\x00" * 100, "face.png", "must be a PNG or JPEG"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "face.png", "must be a PNG or JPEG"),
    (b"\x89PNG\r\n\x1a\n" + b"not really a picture", "face.png", "must be a PNG or JPEG"),
    (b"", "face.png", "Choose a picture to upload"),
])
def test_a_file_that_is_not_a_png_or_jpeg_is_refused_whatever_its_name(client, easy_read_draft, data, filename, message):
    survey = easy_read_draft
    shown = upload(client, survey, survey.questions[0], data, filename=filename)
    assert message in shown.text
    assert db.session.scalar(select(EasyReadPicture)) is None


def test_a_picture_over_the_size_limit_is_refused(app, client, easy_read_draft):
    app.config["EASY_READ_PICTURE_MAX_BYTES"] = 2000
    noisy = Image.frombytes("L", (300, 300), random.Random(14).randbytes(300 * 300))  # does not compress
    out = io.BytesIO()
    noisy.save(out, "PNG")
    shown = upload(client, easy_read_draft, easy_read_draft.questions[0], out.getvalue())
    assert "must be smaller than 1 KB" in shown.text
    assert db.session.scalar(select(EasyReadPicture)) is None


def test_a_picture_needs_a_description(client, easy_read_draft):
    shown = upload(client, easy_read_draft, easy_read_draft.questions[0], png(), alt="")
    assert "Describe the picture" in shown.text
    assert db.session.scalar(select(EasyReadPicture)) is None


def test_pictures_of_a_wave_being_designed_are_not_public(client, auth, easy_read_draft):
    upload(client, easy_read_draft, easy_read_draft.questions[0], png())
    picture = db.session.scalar(select(EasyReadPicture))
    assert client.get(f"/easy-read/pictures/{picture.id}").status_code == 200  # staff
    auth.sign_out()
    assert client.get(f"/easy-read/pictures/{picture.id}").status_code == 404

"""Self-serve tracking for families: a reference shows what happened (release, summary,
actions, contact request) and never the answers; references cannot be guessed or counted."""

import re

from sqlalchemy import select

from feedback.actions.services import save_action
from feedback.extensions import db
from feedback.models import ContactRequest, Response, Role
from feedback.responses import services as responses
from feedback.responses.contact import mark_contacted, request_contact
from feedback.results.services import set_public, wave_results
from feedback.surveys import services as survey_services
from feedback.tracking.services import normalise_reference

from .conftest import csrf_token, make_user
from .survey_factories import make_open_survey

SECRET_WORDS = "My son Alfie waited 40 weeks for his plan"


def answered(survey, words=SECRET_WORDS):
    question = next(q for q in survey.questions if q.kind == "free_text")
    response = responses.start_response(survey)
    responses.save_page(response, [question], {question.id: words})
    return responses.submit_response(response.id)


def lookup(client, reference):
    page = client.get("/track")
    return client.post("/track", data={"csrf_token": csrf_token(page.text), "reference": reference})


def test_a_family_sees_what_happened_and_none_of_its_answers(client):
    staff = make_user(Role.STAFF)
    survey = make_open_survey(staff, title="Short breaks survey")
    reference = answered(survey)
    for _ in range(11):  # a release needs at least 10 responses
        answered(survey, "Fine overall")
    response = db.session.scalar(select(Response).where(Response.reference == reference))
    request_contact(survey, response, "Sam Parent", "sam@example.org", None, "Transport", share_answers=True)
    action = save_action(staff, None, you_said="Waits are long", we_did="More assessors", due_on=None,
                         status="planned", survey_ids=[survey.id], theme_ids=[], idea_ids=[])
    before = lookup(client, reference).text
    assert "The results of this survey have not been published yet" in before
    assert "More assessors" in before and "We have your request and will be in touch" in before
    survey_services.close_survey(survey, staff)
    set_public(survey, staff, True)
    wave_results(survey)
    mark_contacted(db.session.scalar(select(ContactRequest.id)), staff)
    # The reference typed in lower case, without the dash, with spaces.
    page = lookup(client, " " + reference.lower().replace("-", " ") + " ").text
    assert "Short breaks survey" in page and "release 1 of the results" in page
    assert f"/results/public/{survey.id}" in page and f"/you-said-we-did/{action.id}" in page
    assert "We have been in touch about your request" in page
    for secret in ("Alfie", "40 weeks", "Sam Parent", "sam@example.org", "Transport"):
        assert secret not in page
    assert reference not in page  # not echoed back either


def test_a_wrong_or_unfinished_reference_gets_one_answer(client):
    staff = make_user(Role.STAFF)
    survey = make_open_survey(staff)
    reference = answered(survey)
    unfinished = responses.start_response(survey)
    unfinished.reference = "FB-ABCDEFGH"  # a reference on a response not sent (never happens; still refused)
    db.session.commit()
    answers = set()
    for guess in ("FB-ABCDEFGH", "FB-" + ("A" if reference[3] != "A" else "B") + reference[4:], "nonsense", "FB-123"):
        page = lookup(client, guess).text
        answers.add(re.sub(r'name="csrf_token"[^>]*', "", page).count("We could not find that reference"))
        assert "What happened after you answered" not in page
    assert answers == {2}  # the summary and the field: same for every wrong reference


def test_references_are_random_and_not_in_order(app):
    staff = make_user(Role.STAFF)
    survey = make_open_survey(staff)
    references = [answered(survey, "ok") for _ in range(20)]
    assert len(set(references)) == 20
    assert references != sorted(references)
    assert all(re.fullmatch(r"FB-[A-HJ-NP-Z2-9]{8}", r) for r in references)
    assert normalise_reference("fb-ab3de5gh") == "FB-AB3DE5GH" and normalise_reference("FB-AB3") == ""


def test_guessing_references_is_rate_limited(app_with):
    client = app_with(RATELIMIT_ENABLED=True).test_client()
    page = client.get("/track")
    token = csrf_token(page.text)
    codes = [client.post("/track", data={"csrf_token": token, "reference": f"FB-AAAAAAA{c}"}).status_code
             for c in "ABCDEFGHJKM"]
    assert codes[:10] == [200] * 10 and codes[10] == 429

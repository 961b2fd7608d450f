"""The read-only results API: tokens that staff create and revoke, and responses that match
the OpenAPI document (every response is validated against its schema)."""

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select

from feedback.api.services import create_token, revoke_token
from feedback.extensions import db
from feedback.models import ApiToken, Role

from .conftest import csrf_token, make_user
from .test_results import mixed_people, add_responses, results_survey


@pytest.fixture(autouse=True)
def fresh_results(app):
    app.config["RESULTS_REFRESH_SECONDS"] = 0


def validate(client, document: dict, path_template: str, url: str, token: str | None, status: int = 200):
    """Call the API and check the body against the schema the document gives for it."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.get(url, headers=headers)
    assert response.status_code == status, response.text
    mimetype = "application/json" if status < 400 else "application/problem+json"
    assert response.mimetype == mimetype
    spec = document["paths"][path_template]["get"]["responses"][str(status)]["content"][mimetype]["schema"]
    schema = {**spec, "components": document["components"]}
    errors = sorted(Draft202012Validator(schema).iter_errors(response.get_json(force=True)), key=str)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    return response.get_json(force=True)


def test_openapi_document_is_valid_and_public(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    for name, schema in document["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)
    assert set(document["paths"]) >= {"/openapi.json", "/surveys", "/surveys/{survey_id}/results", "/surveys/{survey_id}/themes",
                                      "/series/{series_key}/indicator"}


def test_every_endpoint_matches_the_openapi_document(client):
    survey, staff = results_survey(seed=21, n=40)
    _, token = create_token(staff, "BI")
    document = client.get("/api/v1/openapi.json").get_json()
    listing = validate(client, document, "/surveys", "/api/v1/surveys", token)
    assert [s["id"] for s in listing["surveys"]] == [survey.id]
    whole = validate(client, document, "/surveys/{survey_id}/results", f"/api/v1/surveys/{survey.id}/results", token)
    assert whole["responses"] == 40
    for dimension in whole["dimensions"]:
        for group in dimension["groups"]:
            view = f"{dimension['key']}:{group['key']}"
            body = validate(client, document, "/surveys/{survey_id}/results",
                            f"/api/v1/surveys/{survey.id}/results?view={view}", token)
            assert body["responses"] == group["size"]
            validate(client, document, "/surveys/{survey_id}/themes",
                     f"/api/v1/surveys/{survey.id}/themes?view={view}", token)
    validate(client, document, "/surveys/{survey_id}/themes", f"/api/v1/surveys/{survey.id}/themes", token)
    series = validate(client, document, "/series/{series_key}/indicator",
                      f"/api/v1/series/{survey.series_key}/indicator", token)
    assert series["waves"][0]["survey_id"] == survey.id
    validate(client, document, "/surveys/{survey_id}/results", f"/api/v1/surveys/{survey.id}/results?view=nope",
             token, status=404)
    validate(client, document, "/surveys/{survey_id}/results", "/api/v1/surveys/999999/results", token, status=404)
    validate(client, document, "/surveys", "/api/v1/surveys", None, status=401)


def test_a_small_wave_is_withheld_in_the_api_too(client):
    staff = make_user(Role.STAFF)
    from .survey_factories import make_open_survey

    survey = make_open_survey(staff)
    add_responses(survey, mixed_people(4, 3))
    _, token = create_token(staff, "BI")
    document = client.get("/api/v1/openapi.json").get_json()
    body = validate(client, document, "/surveys/{survey_id}/results", f"/api/v1/surveys/{survey.id}/results", token)
    assert body["withheld"] and body["responses"] is None and body["questions"] == []
    listing = validate(client, document, "/surveys", "/api/v1/surveys", token)
    assert listing["surveys"][0]["responses"] is None


def test_staff_create_a_token_that_is_shown_once_and_stored_only_as_a_hash(client, auth):
    staff = make_user(Role.STAFF)
    auth.sign_in(staff.email)
    page = client.get("/manage/api-tokens/")
    created = client.post("/manage/api-tokens/", data={"csrf_token": csrf_token(page.text), "name": "Power BI"})
    assert created.status_code == 200
    token = created.text.split('id="token" type="text" readonly value="', 1)[1].split('"', 1)[0]
    assert token.startswith("fbk_")
    record = db.session.scalar(select(ApiToken))
    assert record.token_hash != token and token not in record.token_hash and record.prefix == token[:12]
    assert token not in client.get("/manage/api-tokens/").text
    auth.sign_out()
    assert client.get("/api/v1/surveys", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_a_revoked_token_stops_working(client, auth):
    staff = make_user(Role.STAFF)
    record, token = create_token(staff, "Old dashboard")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/surveys", headers=headers).status_code == 200
    auth.sign_in(staff.email)
    page = client.get("/manage/api-tokens/")
    response = client.post(f"/manage/api-tokens/{record.id}/revoke", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 302
    assert client.get("/api/v1/surveys", headers=headers).status_code == 401


def test_signed_in_staff_without_a_token_get_401_not_data(client, auth):
    staff = make_user(Role.STAFF)
    auth.sign_in(staff.email)
    response = client.get("/api/v1/surveys")
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")


def test_wrong_or_malformed_tokens_are_refused(client):
    staff = make_user(Role.STAFF)
    record, token = create_token(staff, "x")
    revoke_token(record)
    for header in ("Bearer " + token, "Bearer fbk_nope", "Basic abc", "Bearer "):
        assert client.get("/api/v1/surveys", headers={"Authorization": header}).status_code == 401


def auth_header(token):
    return {"Authorization": f"Bearer {token}"}


def test_question_breakdowns_are_the_released_counts_of_each_group(client):
    from feedback.results.services import wave_results

    survey, staff = results_survey(seed=21, n=40)
    _, token = create_token(staff, "BI")
    document = client.get("/api/v1/openapi.json").get_json()
    payload = wave_results(survey)
    question = payload["questions"][0]
    path = "/surveys/{survey_id}/questions/{question_id}"
    every = validate(client, document, path, f"/api/v1/surveys/{survey.id}/questions/{question['id']}", token)
    assert [g["view"] for g in every["groups"]] == list(payload["views"])
    for group in every["groups"]:
        assert [a["count"] for a in group["answers"]] == payload["views"][group["view"]]["questions"][str(question["id"])]
    hidden = sum(a["count"] is None for g in every["groups"] for a in g["answers"])
    assert hidden > 0, "the test wave should have hidden counts"
    locality = validate(client, document, path,
                        f"/api/v1/surveys/{survey.id}/questions/{question['id']}?breakdown=locality", token)
    assert {g["breakdown"] for g in locality["groups"]} == {"locality"}
    validate(client, document, path, f"/api/v1/surveys/{survey.id}/questions/{question['id']}?breakdown=x",
             token, status=400)
    validate(client, document, path, f"/api/v1/surveys/{survey.id}/questions/999999", token, status=404)


def test_survey_list_filters(client):
    survey, staff = results_survey(seed=21, n=12)
    _, token = create_token(staff, "BI")
    document = client.get("/api/v1/openapi.json").get_json()
    assert validate(client, document, "/surveys", f"/api/v1/surveys?series_key={survey.series_key}&status=open",
                    token)["pagination"]["total"] == 1
    assert validate(client, document, "/surveys", "/api/v1/surveys?status=closed", token)["surveys"] == []
    assert validate(client, document, "/surveys", "/api/v1/surveys?series_key=other", token)["surveys"] == []
    validate(client, document, "/surveys", "/api/v1/surveys?status=draft", token, status=400)


def test_actions_and_ideas_show_only_what_their_public_pages_show(client):
    from feedback.actions.services import save_action
    from feedback.ideas import services as idea_services

    staff = make_user(Role.STAFF)
    author = make_user(Role.YOUTH_MEMBER, display_name="Secret Author")
    _, token = create_token(staff, "BI")
    save_action(staff, None, you_said="Nobody rings back", we_did="A named caseworker", due_on=None,
                status="planned", survey_id=None, theme_id=None, idea_ids=[])
    published = idea_services.submit_idea(author, "Quiet rooms", "Somewhere calm at lunch.", "Something else")
    idea_services.publish_idea(published, staff)
    idea_services.submit_idea(author, "Held back", "Not checked yet.", "Transport")
    document = client.get("/api/v1/openapi.json").get_json()
    actions = validate(client, document, "/actions", "/api/v1/actions?status=planned", token)
    assert [a["you_said"] for a in actions["actions"]] == ["Nobody rings back"]
    assert validate(client, document, "/actions", "/api/v1/actions?status=done", token)["actions"] == []
    ideas = validate(client, document, "/ideas", "/api/v1/ideas", token)
    assert [i["title"] for i in ideas["ideas"]] == [published.public_title]
    response = client.get("/api/v1/ideas", headers=auth_header(token))
    assert "Secret Author" not in response.text and author.email not in response.text
    assert "Somewhere calm" not in response.text  # the body is not in the list


def test_reads_carry_an_etag_and_answer_304_until_the_figures_change(app, client, monkeypatch):
    from feedback.results import releases, services

    # Release mechanics: the next release is never withheld for its audit (test_disclosure_attack).
    monkeypatch.setattr(releases, "_put_off", lambda *args: False)
    survey, staff = results_survey(seed=21, n=12)
    _, token = create_token(staff, "BI")
    url = f"/api/v1/surveys/{survey.id}/results"
    first = client.get(url, headers=auth_header(token))
    assert first.headers["ETag"] and "private" in first.headers["Cache-Control"]
    again = client.get(url, headers={**auth_header(token), "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    add_responses(survey, mixed_people(6, 40))  # enough new responses for the next release
    app.config["RESULTS_RELEASE_MIN_SECONDS"] = 0  # and no wait between releases
    changed = client.get(url, headers={**auth_header(token), "If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]

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

"""The API keeps the contract its OpenAPI document states: checked by schemathesis against
a live server with a real token (every check on), by openapi-spec-validator, and by hand for
the error shapes an integrator depends on."""

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from feedback.api.services import create_token

from .api_server import live_app
from .test_results import results_survey

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.fixture(autouse=True)
def fresh_results(app):
    app.config["RESULTS_REFRESH_SECONDS"] = 0


def test_the_document_validates_as_openapi_3_1(client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)  # raises on any error
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_every_operation_declares_its_errors_as_problem_details(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path, item in document["paths"].items():
        responses = item["get"]["responses"]
        expected = {"200", "400", "404", "413", "429", "500", "503"} | ({"401"} if item["get"]["security"] else set())
        assert expected <= set(responses), path
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                assert list(response["content"]) == ["application/problem+json"], (path, status)


def problem(response, status):
    assert response.status_code == status, response.text
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert set(body) == {"type", "title", "status", "detail"} and body["status"] == status
    return body


def test_errors_before_and_inside_views_are_problem_details(client):
    survey, staff = results_survey(seed=3, n=12)
    _, token = create_token(staff, "BI")
    auth = {"Authorization": f"Bearer {token}"}
    problem(client.get("/api/v1/surveys/-1/results", headers=auth), 404)  # no route matches
    problem(client.get("/api/v1/nowhere"), 404)
    for too_large in (2**31, 2**63 - 1, 2**64):
        problem(client.get(f"/api/v1/surveys/{too_large}/results", headers=auth), 404)
    problem(client.get("/api/v1/series/a%00b/indicator", headers=auth), 404)
    problem(client.get("/api/v1/surveys"), 401)
    problem(client.get("/api/v1/surveys?page=0", headers=auth), 400)
    problem(client.get("/api/v1/surveys?per_page=abc", headers=auth), 400)
    for method in ("TRACE", "POST", "DELETE", "PUT", "PATCH"):
        response = client.open(f"/api/v1/surveys/{survey.id}/results", method=method, headers=auth)
        problem(response, 405)
        assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_a_server_error_in_the_api_is_problem_details_without_a_trace(app, client, monkeypatch):
    survey, staff = results_survey(seed=3, n=12)
    _, token = create_token(staff, "BI")

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("feedback.results.services.wave_result", broken)
    response = client.get(f"/api/v1/surveys/{survey.id}/results", headers={"Authorization": f"Bearer {token}"})
    assert "secret internals" not in problem(response, 500)["detail"]


def test_too_many_requests_are_problem_details_with_retry_after(app, client):
    survey, staff = results_survey(seed=3, n=12)
    _, token = create_token(staff, "BI")
    for _ in range(300):
        client.get("/api/v1/surveys", headers={"Authorization": f"Bearer {token}"})
    response = client.get("/api/v1/surveys", headers={"Authorization": f"Bearer {token}"})
    problem(response, 429)
    assert int(response.headers["Retry-After"]) > 0


def test_pages_of_surveys_link_to_each_other(client):
    survey, staff = results_survey(seed=3, n=12)
    _, token = create_token(staff, "BI")
    auth = {"Authorization": f"Bearer {token}"}
    first = client.get("/api/v1/surveys?per_page=1", headers=auth).get_json()
    assert first["pagination"] == {"page": 1, "per_page": 1, "total": 1, "next": None, "previous": None}
    beyond = client.get("/api/v1/surveys?page=3&per_page=1", headers=auth).get_json()
    assert beyond["surveys"] == [] and beyond["pagination"]["previous"].endswith("page=1&per_page=1")


def test_schemathesis_finds_no_failures_with_every_check(app, database_url, tmp_path):
    """schemathesis run --checks all against a live server holding a real wave and token."""
    survey, staff = results_survey(seed=21, n=40)
    _, token = create_token(staff, "Schemathesis")
    with live_app(database_url, RATELIMIT_ENABLED=False, RESULTS_REFRESH_SECONDS=3600) as base:
        with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=10) as reply:
            assert json.load(reply)["servers"] == [{"url": f"{base}/api/v1"}]
        run = subprocess.run(
            [str(SCHEMATHESIS), "run", f"{base}/api/v1/openapi.json", "--checks", "all",
             "-H", f"Authorization: Bearer {token}", "--max-examples", os.environ.get("API_FUZZ_EXAMPLES", "40"),
             "--seed", "16", "--workers", "1", "--request-timeout", "20", "--max-time", os.environ.get("API_FUZZ_SECONDS", "35"),
             "--phases", "examples,coverage,fuzzing", "--report", "junit", "--report-dir", str(tmp_path)],
            capture_output=True, text=True, timeout=110, cwd=tmp_path,
            env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"},
        )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    counts = re.search(r"(\d+) generated, (\d+) passed", run.stdout)
    assert counts and int(counts[1]) == int(counts[2]) > 200, run.stdout[-3000:]
    print(f"schemathesis on {database_url.split(':', 1)[0]}: {counts[0]}")  # shown with -rP

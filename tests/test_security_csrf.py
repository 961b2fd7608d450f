"""Every state-changing route refuses a request without a CSRF token, whoever sends it.

The routes come from the app's own URL map, so a route added tomorrow is checked too."""

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from feedback.extensions import csrf
from feedback.models import Role

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def sample_url(app, rule) -> str:
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = 1
        elif isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = "abcd-efgh"
    with app.test_request_context():
        return app.url_map.bind("localhost").build(rule.endpoint, values)


def state_changing_routes(app):
    return sorted(
        (rule.endpoint, method, sample_url(app, rule))
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods & STATE_CHANGING)
    )


def test_there_are_state_changing_routes_to_check(app):
    assert len(state_changing_routes(app)) > 40


def test_no_browser_route_is_exempt_from_csrf(app):
    # The API takes bearer tokens, not cookies, and only answers GET.
    exempt = [rule.rule for rule in app.url_map.iter_rules()
              if rule.methods & STATE_CHANGING and (
                  rule.endpoint in csrf._exempt_views or rule.endpoint.split(".")[0] in csrf._exempt_blueprints)]
    assert exempt == []


@pytest.mark.parametrize("role", [None, Role.ADMIN, Role.YOUTH_MEMBER])
def test_every_state_changing_route_rejects_a_post_without_a_token(app, client, auth, role):
    if role:
        auth.sign_in_as(role)
    accepted = []
    for endpoint, method, url in state_changing_routes(app):
        response = client.open(url, method=method, data={"email": "someone@example.org", "confirm": "y"})
        if response.status_code != 400 or "The form you sent has expired" not in response.text:
            accepted.append(f"{method} {url} ({endpoint}): {response.status_code}")
    assert accepted == []


def test_a_token_from_another_session_is_rejected(app, client, auth):
    from .conftest import csrf_token

    other = app.test_client()
    stolen = csrf_token(other.get("/sign-in").text)
    auth.sign_in_as(Role.ADMIN)
    response = client.post("/admin/privacy/", data={"email": "someone@example.org", "csrf_token": stolen})
    assert response.status_code == 400

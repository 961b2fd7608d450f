"""A real OpenID Connect provider on loopback for the sign-in tests: oidc-provider-mock
(built on Authlib's server: discovery, authorize, token, JWKS, userinfo, RS256 ID tokens,
nonce required), served by a real HTTP server on 127.0.0.1.

That provider does not check PKCE itself, so a small WSGI layer in front of it does: the
authorization request must carry an S256 code challenge, and the token request must bring
the verifier that matches it, or the code is refused as a real provider would refuse it.
"""

import base64
import hashlib
import io
import json
import threading
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import requests
from oidc_provider_mock import app as provider_app
from werkzeug.serving import make_server


class PkceCheck:
    def __init__(self, app):
        self.app = app
        self.challenges: dict[str, str] = {}
        self.lock = threading.Lock()
        self.token_requests = 0

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/oauth2/authorize" and environ["REQUEST_METHOD"] == "POST":
            return self._authorize(environ, start_response)
        if path == "/oauth2/token":
            return self._token(environ, start_response)
        return self.app(environ, start_response)

    def _authorize(self, environ, start_response):
        query = parse_qs(environ.get("QUERY_STRING", ""))
        challenge = query.get("code_challenge", [""])[0]
        if query.get("code_challenge_method", [""])[0] != "S256" or not challenge:
            return _error(start_response, "invalid_request", "PKCE S256 code challenge required")

        def remember_code(status, headers, exc_info=None):
            for name, value in headers:
                if name.lower() == "location":
                    code = parse_qs(urlsplit(value).query).get("code", [""])[0]
                    if code:
                        with self.lock:
                            self.challenges[code] = challenge
            return start_response(status, headers, exc_info)

        return self.app(environ, remember_code)

    def _token(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        form = parse_qs(body.decode())
        code = form.get("code", [""])[0]
        verifier = form.get("code_verifier", [""])[0]
        with self.lock:
            self.token_requests += 1
            challenge = self.challenges.pop(code, None)
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge is None or digest != challenge:
            return _error(start_response, "invalid_grant", "PKCE verifier does not match")
        environ["wsgi.input"] = io.BytesIO(body)
        return self.app(environ, start_response)


def _error(start_response, error: str, description: str):
    body = json.dumps({"error": error, "error_description": description}).encode()
    start_response("400 BAD REQUEST", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


class Provider:
    def __init__(self, url: str, pkce: PkceCheck):
        self.url = url
        self.pkce = pkce
        self.discovery_url = f"{url}/.well-known/openid-configuration"

    def set_user(self, sub: str, **claims) -> None:
        requests.put(f"{self.url}/users/{sub}", json=claims, timeout=5).raise_for_status()

    def authorize(self, authorize_url: str, sub: str) -> str:
        """The person signs in at the provider as `sub`; returns where it sends them back."""
        assert authorize_url.startswith(self.url), authorize_url
        response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
        assert response.status_code == 302, response.text
        return response.headers["Location"]


@contextmanager
def running_provider():
    pkce = PkceCheck(provider_app(require_nonce=True, issue_refresh_token=False))
    server = make_server("127.0.0.1", 0, pkce, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Provider(f"http://127.0.0.1:{server.server_port}", pkce)
    finally:
        server.shutdown()
        thread.join(5)

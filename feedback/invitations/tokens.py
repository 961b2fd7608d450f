"""Links in messages: `<id>-<mac>`, where the mac is an HMAC of the purpose, the row's id and
its random nonce under SECRET_KEY. Short enough for a text message; the database alone (without
SECRET_KEY) cannot make one; a new nonce stops every old link for that row."""

import base64
import hashlib
import hmac
import re
import secrets

from flask import current_app

TOKEN = re.compile(r"^(\d{1,12})-([a-z2-7]{16})$")


def new_nonce() -> str:
    return secrets.token_hex(16)


def _mac(purpose: str, row_id: int, nonce: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"{purpose}:{row_id}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode().lower()[:16]


def make_token(purpose: str, row_id: int, nonce: str) -> str:
    return f"{row_id}-{_mac(purpose, row_id, nonce)}"


def token_id(token: str) -> tuple[int, str] | None:
    """(row id, mac) from a token, or None if it is not shaped like one."""
    match = TOKEN.match(token or "")
    return (int(match.group(1)), match.group(2)) if match else None


def token_matches(purpose: str, token: str, row_id: int, nonce: str) -> bool:
    parsed = token_id(token)
    return bool(parsed) and parsed[0] == row_id and hmac.compare_digest(parsed[1], _mac(purpose, row_id, nonce))

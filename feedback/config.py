"""Settings for the app, read from the environment with safe defaults for local use."""

import os
import secrets
from pathlib import Path

ENVIRONMENTS = ("development", "production", "testing")
MIN_SECRET_LENGTH = 32


class ConfigError(RuntimeError):
    """The settings would make the app unsafe or unable to start."""


def database_url(value: str | None, instance_path: Path) -> str:
    """Normalise DATABASE_URL; PostgreSQL URLs use the psycopg 3 driver."""
    if not value:
        return f"sqlite:///{instance_path / 'feedback.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix):]
    return value


def instance_secret_key(instance_path: Path) -> str:
    """A secret generated once and kept in instance/, so sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def load_config(instance_path: Path, environ=os.environ) -> dict:
    env = environ.get("FEEDBACK_ENV", "development")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"FEEDBACK_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    production = env == "production"
    secret = environ.get("SECRET_KEY")
    if production and (not secret or len(secret) < MIN_SECRET_LENGTH):
        raise ConfigError(
            f"Production needs SECRET_KEY set to a random value of at least {MIN_SECRET_LENGTH} characters"
        )
    if env == "testing" and not secret:
        secret = secrets.token_urlsafe(48)
    redis_url = environ.get("REDIS_URL") or None
    return {
        "FEEDBACK_ENV": env,
        "TESTING": env == "testing",
        "DEBUG": environ.get("FLASK_DEBUG") == "1" and not production,
        "SECRET_KEY": secret or instance_secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url(environ.get("DATABASE_URL"), instance_path),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_ENABLED": environ.get("RATELIMIT_ENABLED", "1") != "0",
        "RATELIMIT_STRATEGY": "moving-window",
        # Redis down: count in this process's memory instead of refusing or failing requests.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5} if redis_url else {},
        "LOG_FORMAT": environ.get("LOG_FORMAT", "json" if production else "text"),
        "LOG_LEVEL": environ.get("LOG_LEVEL", "INFO"),
        # Families leave pages open for hours: bind CSRF tokens to the session, not a clock.
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "HSTS": production,
        "TRUSTED_PROXIES": int(environ.get("TRUSTED_PROXIES", "0")),
        "SERVICE_NAME": environ.get("SERVICE_NAME", "SEND feedback"),
        "ORGANISATION_NAME": environ.get("ORGANISATION_NAME", "Norfolk County Council"),
        "SUPPORT_EMAIL": environ.get("SUPPORT_EMAIL", "send.feedback@norfolk.gov.uk"),
        "INVITE_DAYS": int(environ.get("INVITE_DAYS", "7")),
        "RESET_HOURS": int(environ.get("RESET_HOURS", "2")),
        "RESUME_DAYS": int(environ.get("RESUME_DAYS", "90")),
        "MAIL_SERVER": environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": environ.get("MAIL_PASSWORD") or None,
        "MAIL_SENDER": environ.get("MAIL_SENDER", "no-reply@send-feedback.invalid"),
        # Help shown straight after someone writes something that may disclose harm (the
        # survey confirmation and idea pages); see docs/analysis.md.
        "SAFEGUARDING_HELP": {
            "emergency": environ.get("HELP_EMERGENCY", "999"),
            "childline": environ.get("HELP_CHILDLINE", "0800 1111"),
            "advice_line_name": environ.get("HELP_ADVICE_LINE_NAME", "Children's Advice and Duty Service (CADS)"),
            "advice_line_phone": environ.get("HELP_ADVICE_LINE_PHONE", "0344 800 8020"),
            "adult_line_name": environ.get("HELP_ADULT_LINE_NAME", "Samaritans"),
            "adult_line_phone": environ.get("HELP_ADULT_LINE_PHONE", "116 123"),
        },
    }


def check_production_safety(config) -> None:
    if config["FEEDBACK_ENV"] != "production":
        return
    if config.get("DEBUG"):
        raise ConfigError("Production must not run with debug on")
    secret = config.get("SECRET_KEY") or ""
    if len(secret) < MIN_SECRET_LENGTH:
        raise ConfigError("Production needs a real SECRET_KEY")

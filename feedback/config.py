"""Settings for the app, read from the environment with safe defaults for local use."""

import logging
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

ENVIRONMENTS = ("development", "production", "testing")
MIN_SECRET_LENGTH = 32
# Where the service is reached when nothing is configured: absolute links (emails, QR codes)
# are built from BASE_URL, never from the Host header a request arrives with.
DEFAULT_BASE_URLS = {"development": "http://127.0.0.1:5000", "testing": "http://localhost"}
LOCAL_HOSTS = ["127.0.0.1", "localhost"]
DEFAULT_MAX_CONTENT_LENGTH = 256 * 1024  # the largest survey page is a few tens of KB


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


def base_url(value: str | None) -> str | None:
    """The site's public address, scheme and host (and port), without a trailing slash."""
    if not value:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/") or parts.query:
        raise ConfigError(f"BASE_URL must be like https://feedback.example.gov.uk, not {value!r}")
    return f"{parts.scheme}://{parts.netloc}"


def complete_config(config) -> None:
    """Defaults that depend on the final environment: BASE_URL (required in production) and
    the host names requests may arrive for (any other gets a 400): TRUSTED_HOSTS if set,
    otherwise BASE_URL's host, plus 127.0.0.1 and localhost outside production."""
    env = config["FEEDBACK_ENV"]
    config["BASE_URL"] = base_url(config.get("BASE_URL")) or DEFAULT_BASE_URLS.get(env)
    if config.get("TRUSTED_HOSTS") is None:
        hosts = [urlsplit(config["BASE_URL"]).hostname] if config["BASE_URL"] else []
        if env != "production":
            hosts += [host for host in LOCAL_HOSTS if host not in hosts]
        config["TRUSTED_HOSTS"] = hosts


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
        # Both filled in by complete_config() once the environment is final.
        "BASE_URL": base_url(environ.get("BASE_URL")),
        "TRUSTED_HOSTS": [h.strip() for h in environ["TRUSTED_HOSTS"].split(",") if h.strip()]
        if environ.get("TRUSTED_HOSTS") else None,
        # Bodies larger than this get a 413 page before anything is parsed.
        "MAX_CONTENT_LENGTH": int(environ.get("MAX_CONTENT_LENGTH", DEFAULT_MAX_CONTENT_LENGTH)),
        # Without REDIS_URL rate limits are counted per process; production refuses that
        # unless this says there is only one process.
        "RATELIMIT_SINGLE_PROCESS": environ.get("RATELIMIT_SINGLE_PROCESS") == "1",
        "SERVICE_NAME": environ.get("SERVICE_NAME", "SEND feedback"),
        "ORGANISATION_NAME": environ.get("ORGANISATION_NAME", "Norfolk County Council"),
        "SUPPORT_EMAIL": environ.get("SUPPORT_EMAIL", "send.feedback@norfolk.gov.uk"),
        # Interface languages offered by the language switch (docs/languages.md).
        # Easy Read pictures (PNG or JPEG) up to this many bytes; below MAX_CONTENT_LENGTH.
        "EASY_READ_PICTURE_MAX_BYTES": int(environ.get("EASY_READ_PICTURE_MAX_BYTES", str(200 * 1024))),
        "LANGUAGES": [code.strip().lower() for code in environ.get("LANGUAGES", "en,cy,pl,pt").split(",") if code.strip()],
        "INVITE_DAYS": int(environ.get("INVITE_DAYS", "7")),
        "RESET_HOURS": int(environ.get("RESET_HOURS", "2")),
        "RESUME_DAYS": int(environ.get("RESUME_DAYS", "90")),
        "MAIL_SERVER": environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": environ.get("MAIL_PASSWORD") or None,
        "MAIL_SENDER": environ.get("MAIL_SENDER", "no-reply@send-feedback.invalid"),
        # Invitations, reminders and the contact list (docs/invitations.md): GOV.UK Notify when
        # NOTIFY_API_KEY is set, else the local outbox (a table; refused in production).
        "NOTIFY_API_KEY": environ.get("NOTIFY_API_KEY") or None,
        "NOTIFY_BACKEND": environ.get("NOTIFY_BACKEND") or ("notify" if environ.get("NOTIFY_API_KEY") else "outbox"),
        "NOTIFY_EMAIL_TEMPLATE_ID": environ.get("NOTIFY_EMAIL_TEMPLATE_ID") or None,
        "NOTIFY_SMS_TEMPLATE_ID": environ.get("NOTIFY_SMS_TEMPLATE_ID") or None,
        # Staff sign-in through the council's identity provider (OpenID Connect); see
        # feedback/accounts/oidc.py. The button shows only when these are set.
        "OIDC_DISCOVERY_URL": oidc_discovery_url(environ),
        "OIDC_CLIENT_ID": environ.get("OIDC_CLIENT_ID") or None,
        "OIDC_CLIENT_SECRET": environ.get("OIDC_CLIENT_SECRET") or None,
        "OIDC_PROVIDER_NAME": environ.get("OIDC_PROVIDER_NAME") or "your council account",
        "OIDC_SCOPES": environ.get("OIDC_SCOPES", "openid email profile"),
        # Admins and safeguarding leads must set up two-factor authentication. Not read from
        # the environment, so no deployment can turn it off; tests of other features do.
        "TWO_FACTOR_REQUIRED": True,
        # API tokens expire: staff choose a lifetime up to this many days (docs/integrations.md)
        "API_TOKEN_MAX_DAYS": int(environ.get("API_TOKEN_MAX_DAYS", "365")),
        # Webhooks (docs/integrations.md): HTTPS only, except http://127.0.0.1 when this is on (tests)
        "WEBHOOK_ALLOW_HTTP_LOOPBACK": environ.get("WEBHOOK_ALLOW_HTTP_LOOPBACK") == "1" and not production,
        "WEBHOOK_TIMEOUT_SECONDS": float(environ.get("WEBHOOK_TIMEOUT_SECONDS", "5")),
        "WEBHOOK_MAX_ATTEMPTS": int(environ.get("WEBHOOK_MAX_ATTEMPTS", "6")),
        "WEBHOOK_RETRY_BASE_SECONDS": float(environ.get("WEBHOOK_RETRY_BASE_SECONDS", "30")),
        "WEBHOOK_DISABLE_AFTER": int(environ.get("WEBHOOK_DISABLE_AFTER", "15")),
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


def oidc_discovery_url(environ) -> str | None:
    """OIDC_DISCOVERY_URL, or the standard discovery document under OIDC_ISSUER."""
    if environ.get("OIDC_DISCOVERY_URL"):
        return environ["OIDC_DISCOVERY_URL"]
    if environ.get("OIDC_ISSUER"):
        return environ["OIDC_ISSUER"].rstrip("/") + "/.well-known/openid-configuration"
    return None


def check_production_safety(config) -> None:
    if config["FEEDBACK_ENV"] != "production":
        return
    if config.get("DEBUG"):
        raise ConfigError("Production must not run with debug on")
    secret = config.get("SECRET_KEY") or ""
    if len(secret) < MIN_SECRET_LENGTH:
        raise ConfigError("Production needs a real SECRET_KEY")
    if not config.get("BASE_URL"):
        raise ConfigError("Production needs BASE_URL, the address families use, like https://feedback.example.gov.uk")
    if not config.get("TRUSTED_HOSTS"):
        raise ConfigError("Production needs TRUSTED_HOSTS (or BASE_URL) to name the hosts it answers for")
    memory_limits = config.get("RATELIMIT_ENABLED") and str(config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://")
    if memory_limits and not config.get("RATELIMIT_SINGLE_PROCESS"):
        raise ConfigError(
            "Production counts rate limits in each process's memory without REDIS_URL, so every worker "
            "allows the full limit: set REDIS_URL, or RATELIMIT_SINGLE_PROCESS=1 if only one process runs"
        )
    if memory_limits:
        logging.getLogger("feedback").warning(
            "RATE LIMITS ARE COUNTED IN THIS PROCESS'S MEMORY (RATELIMIT_SINGLE_PROCESS=1): they hold only "
            "if this is the only process; run more than one and each allows the full limit. Set REDIS_URL."
        )
    discovery = config.get("OIDC_DISCOVERY_URL")
    if discovery and not discovery.startswith("https://"):
        raise ConfigError("OIDC_ISSUER or OIDC_DISCOVERY_URL must use https in production")

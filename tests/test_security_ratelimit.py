"""Finding 7 (first half): production does not start with rate limits counted per process
unless it is told only one process runs, and then it says so loudly."""

import logging

import pytest

from feedback import create_app
from feedback.config import ConfigError, load_config


def production(tmp_path, environ):
    """An app built from the environment, as gunicorn builds it."""
    environ = {"FEEDBACK_ENV": "production", "SECRET_KEY": "p" * 40, "BASE_URL": "https://feedback.example.gov.uk",
               "DATABASE_URL": f"sqlite:///{tmp_path}/p.db", **environ}
    return create_app({**load_config(tmp_path, environ), "INSTANCE_PATH": tmp_path})


def test_production_without_redis_refuses_to_start(tmp_path):
    with pytest.raises(ConfigError, match="REDIS_URL"):
        production(tmp_path, {})


@pytest.fixture
def feedback_log(caplog):
    """The app's log, even after an app has stopped it propagating to the root logger."""
    logger = logging.getLogger("feedback")
    disabled, logger.disabled = logger.disabled, False  # Alembic's fileConfig disables it in tests
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)
    logger.disabled = disabled


def test_single_process_setting_starts_with_a_loud_warning(tmp_path, feedback_log):
    caplog = feedback_log
    with caplog.at_level(logging.WARNING, logger="feedback"):
        app = production(tmp_path, {"RATELIMIT_SINGLE_PROCESS": "1"})
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert any("RATE LIMITS ARE COUNTED IN THIS PROCESS" in r.getMessage() for r in caplog.records)


def test_production_with_redis_starts_without_the_warning(tmp_path, feedback_log):
    caplog = feedback_log
    with caplog.at_level(logging.WARNING, logger="feedback"):
        app = production(tmp_path, {"REDIS_URL": "redis://127.0.0.1:6379/1"})
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/1"
    assert not any("RATE LIMITS" in r.getMessage() for r in caplog.records)

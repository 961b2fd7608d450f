import pytest

from feedback import create_app
from feedback.config import ConfigError, database_url, load_config


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = load_config(tmp_path, environ={})["SECRET_KEY"]
    second = load_config(tmp_path, environ={})["SECRET_KEY"]
    assert first == second
    assert len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_refuses_to_start_without_a_real_secret(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config(tmp_path, environ={"FEEDBACK_ENV": "production"})
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config(tmp_path, environ={"FEEDBACK_ENV": "production", "SECRET_KEY": "short"})


def test_production_refuses_to_start_with_debug_on(monkeypatch):
    monkeypatch.setenv("FEEDBACK_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    with pytest.raises(ConfigError, match="debug"):
        create_app({"DEBUG": True})


def test_production_sets_secure_cookies_and_hsts(tmp_path):
    config = load_config(tmp_path, environ={"FEEDBACK_ENV": "production", "SECRET_KEY": "y" * 40})
    assert config["SESSION_COOKIE_SECURE"] and config["HSTS"]
    assert config["SESSION_COOKIE_HTTPONLY"] and config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="FEEDBACK_ENV"):
        load_config(tmp_path, environ={"FEEDBACK_ENV": "staging"})


def test_database_defaults_to_sqlite_in_instance_and_postgres_uses_psycopg(tmp_path):
    assert database_url(None, tmp_path) == f"sqlite:///{tmp_path / 'feedback.db'}"
    assert database_url("postgres://u@h/db", tmp_path) == "postgresql+psycopg://u@h/db"


def test_redis_url_switches_rate_limit_storage(tmp_path):
    config = load_config(tmp_path, environ={"REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    assert load_config(tmp_path, environ={})["RATELIMIT_STORAGE_URI"] == "memory://"


def test_server_database_connections_are_checked_before_use_but_sqlite_ones_are_not(tmp_path):
    server = create_app({"INSTANCE_PATH": tmp_path, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@h/db"})
    embedded = create_app({"INSTANCE_PATH": tmp_path, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/f.db"})
    assert server.config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}
    assert "pool_pre_ping" not in embedded.config["SQLALCHEMY_ENGINE_OPTIONS"]

"""feedback: co-produced surveys, results and ideas for SEND services and families."""

import os
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import check_production_safety, complete_config, load_config
from .extensions import csrf, db, limiter, login_manager, migrate
from .hardening import App

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> App:
    config = config or {}
    instance_path = config.get("INSTANCE_PATH") or os.environ.get("FEEDBACK_INSTANCE_PATH") or ROOT / "instance"
    app = App(
        __name__,
        instance_path=str(instance_path),
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "templates"),
    )
    app.config.update(load_config(Path(app.instance_path)))
    app.config.update(config)
    complete_config(app.config)
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A server connection can drop (restart, failover): test it before each use.
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    check_production_safety(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), compare_type=True, render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from . import models  # noqa: F401  (register models with SQLAlchemy)
    from .accounts import setup_login
    from .accounts.views import bp as accounts_bp
    from .accounts.oidc import init_oidc
    from .accounts.oidc_views import bp as oidc_bp
    from .accounts.two_factor_views import bp as two_factor_bp
    from .actions.views import bp as actions_bp
    from .ballots.views import bp as ballots_bp
    from .tracking.views import bp as tracking_bp
    from .notifications.views import bp as notifications_bp
    from .admin.views import bp as admin_bp
    from .api.views import bp as api_bp, tokens_bp as api_tokens_bp
    from .cli import register_cli
    from .comments.cli import register_analysis_cli
    from .errors import register_error_handlers
    from .evidence.cli import register_evidence_cli
    from .evidence.views import bp as evidence_bp
    from .ideas.views import bp as ideas_bp
    from .invitations.views import bp as invitations_bp
    from .comments.views import bp as comments_bp
    from .main.views import bp as main_bp
    from .responses.views import bp as responses_bp
    from .responses.preview import bp as preview_bp
    from .results.views import bp as results_bp
    from .safeguarding.views import bp as safeguarding_bp
    from .surveys.co_design import bp as co_design_bp
    from .surveys.views import bp as surveys_bp
    from .surveys.versions import bp as versions_bp, review_bp as easy_read_review_bp
    from .templating import register_templating
    from .observability import init_observability
    from .privacy.cli import register_privacy_cli
    from .privacy.records import register_audit_records
    from .privacy.views import bp as privacy_bp
    from .responses.rendering import render_answer_field
    from .jobs import register_jobs
    from .i18n import init_i18n
    from .webhooks.views import bp as webhooks_bp, register_webhooks_cli

    init_i18n(app)
    setup_login(login_manager)
    register_templating(app)
    app.add_template_global(render_answer_field)  # every question is drawn by its kind
    register_error_handlers(app)
    register_cli(app)
    register_analysis_cli(app)
    app.register_blueprint(main_bp)
    app.register_blueprint(versions_bp)
    app.register_blueprint(easy_read_review_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(two_factor_bp)
    app.register_blueprint(oidc_bp)
    init_oidc(app)
    app.register_blueprint(admin_bp)
    app.register_blueprint(surveys_bp)
    app.register_blueprint(co_design_bp)
    app.register_blueprint(responses_bp)
    app.register_blueprint(preview_bp)
    app.register_blueprint(comments_bp)
    app.register_blueprint(ideas_bp)
    app.register_blueprint(safeguarding_bp)
    app.register_blueprint(results_bp)
    app.register_blueprint(actions_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(api_tokens_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(invitations_bp)
    app.register_blueprint(evidence_bp)
    app.register_blueprint(ballots_bp)
    app.register_blueprint(tracking_bp)
    app.register_blueprint(notifications_bp)
    register_evidence_cli(app)
    app.register_blueprint(webhooks_bp)
    register_webhooks_cli(app)
    register_privacy_cli(app)
    register_audit_records(app)
    register_jobs(app)
    init_observability(app)
    return app

"""Browser tests: the real app served on localhost, driven by Debian's Chromium through
Playwright, with axe-core checking every page for WCAG 2.2 A and AA violations."""

import os
import shutil
import threading
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

from feedback import create_app

from ..conftest import PASSWORD, config_for, make_user

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Best-practice rules run as well: `region` (all content inside landmarks), which axe tags
# best-practice rather than WCAG, so the tags above alone would skip it.
AXE_RULES = {"region": {"enabled": True}}


def _browser_or_skip():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + ": browser tests must run in CI")
        pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    _browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app on a fresh, migrated SQLite database, served by a real HTTP server."""
    from flask_migrate import upgrade

    path = tmp_path_factory.mktemp("live") / "live.db"
    config = config_for(f"sqlite:///{path}")
    config.pop("SERVER_NAME")
    # Browser journeys sign in many times from one address; their limits are tested elsewhere.
    config["RATELIMIT_ENABLED"] = False
    app = create_app(config)
    with app.app_context():
        upgrade()
    with serving(app):
        yield app


@contextmanager
def serving(app):
    """Serve `app` on a free loopback port; its address is app.config["LIVE_URL"]."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = app.config["LIVE_URL"]  # links in emails and on pages point here
    try:
        yield app
    finally:
        server.shutdown()


@pytest.fixture
def live_url(live_app):
    return live_app.config["LIVE_URL"]


@pytest.fixture
def live_user(live_app):
    """Create a user in the live app's database: live_user(role, **fields) -> (email, password)."""
    created = []

    def create(role, **fields):
        with live_app.app_context():
            user = make_user(role, **fields)
            created.append(user.email)
            return user.email, PASSWORD

    return create


class AccessibilityChecker:
    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.checked: list[str] = []

    def check(self, page):
        results = self.axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "rules": AXE_RULES})
        violations = results.response["violations"]
        self.checked.append(page.url)
        assert not violations, f"axe violations on {page.url}:\n" + results.generate_report()


@pytest.fixture
def axe():
    return AccessibilityChecker()


@pytest.fixture
def context(browser):
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def follow(locator):
    """Click a link or submit button and wait for the next page to load."""
    with locator.page.expect_navigation():
        locator.click()

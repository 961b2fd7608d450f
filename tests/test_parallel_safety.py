"""The test run's own machinery (tests/conftest.py): each pytest-xdist worker has its own
Redis database, and the URL builders and compiled templates shared between the apps one
process builds never give an app another app's links or an old copy of a page."""

from flask import Flask, render_template_string, url_for
from jinja2 import FileSystemLoader

from feedback.hardening import App

from .conftest import worker_redis_url


def test_each_worker_gets_its_own_redis_database_after_the_one_given():
    assert worker_redis_url("redis://127.0.0.1:6379/6", "gw0") == "redis://127.0.0.1:6379/6"
    assert worker_redis_url("redis://127.0.0.1:6379/6", "gw1") == "redis://127.0.0.1:6379/7"
    assert worker_redis_url("redis://:secret@10.0.0.5:6380/2", "gw3") == "redis://:secret@10.0.0.5:6380/5"
    assert worker_redis_url("redis://127.0.0.1:6379", "gw1") == "redis://127.0.0.1:6379/1"
    assert worker_redis_url("redis://127.0.0.1:6379/6", None) == "redis://127.0.0.1:6379/6"  # one process
    assert worker_redis_url(None, "gw1") is None  # no Redis: its tests skip


def test_apps_with_the_same_route_and_different_defaults_build_their_own_links():
    def app_on_wave(number):
        app = Flask(__name__)
        app.add_url_rule("/waves/<int:number>", "wave", lambda number: "", defaults={"number": number})
        app.add_url_rule("/waves/<int:number>/results", "results", lambda number: "")
        return app

    for number in (1, 2, 3):
        with app_on_wave(number).test_request_context():
            assert url_for("wave") == f"/waves/{number}"
            assert url_for("results", number=number + 10, page="a b") == f"/waves/{number + 10}/results?page=a+b"


def test_a_template_changed_on_disk_is_compiled_again(tmp_path):
    (tmp_path / "page.html").write_text("Before {{ word }}")

    def render():
        app = App(__name__)
        app.jinja_loader = FileSystemLoader(str(tmp_path))
        with app.test_request_context():
            return render_template_string('{% include "page.html" %}', word="change")

    assert render() == "Before change"
    assert render() == "Before change"  # a second app, from the shared cache
    (tmp_path / "page.html").write_text("After {{ word }}")
    assert render() == "After change"

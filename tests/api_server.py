"""A live copy of the app on loopback, for tools that speak HTTP (schemathesis, webhook
receivers): werkzeug's server in a thread, on the same database as the test."""

import threading
from contextlib import contextmanager

from werkzeug.serving import make_server

from feedback import create_app

from .conftest import config_for


@contextmanager
def live_app(database_url: str, **config):
    """Yield the base URL of the app served on 127.0.0.1 (a free port)."""
    app = create_app(config_for(database_url, SERVER_NAME=None, **config))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"  # absolute links point here
    try:
        yield app.config["BASE_URL"]
    finally:
        server.shutdown()
        thread.join(5)
        with app.app_context():
            from feedback.extensions import db

            db.session.remove()
            db.engine.dispose()

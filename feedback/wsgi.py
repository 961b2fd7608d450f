"""The WSGI entry point for gunicorn: `gunicorn feedback.wsgi:app`."""

from . import create_app

app = create_app()

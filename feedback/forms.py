"""Forms shared by every feature."""

from flask_wtf import FlaskForm


class ButtonForm(FlaskForm):
    """A button that only carries the CSRF token (sign out, move, resolve, publish...)."""

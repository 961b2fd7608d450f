"""Languages of the interface: Flask-Babel, with gettext catalogues in feedback/translations.

Templates and Python code mark text with ``_()`` (templates) or ``gettext``/``lazy_gettext``
(``from flask_babel import gettext as _``). The language is chosen by ``select_locale``.
"""

from flask import current_app
from flask_babel import Babel

babel = Babel()


def select_locale() -> str:
    """The language of this request: English until more languages are configured."""
    return current_app.config.get("BABEL_DEFAULT_LOCALE", "en")


def init_i18n(app) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    babel.init_app(app, locale_selector=select_locale)

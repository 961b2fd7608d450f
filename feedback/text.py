"""Small text helpers shared by features."""

import re
import unicodedata


def slugify(value: str, max_length: int = 80) -> str:
    normalised = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", normalised.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "item"


def N_(text: str) -> str:
    """Marks text for the translation catalogues without translating it: for labels kept in
    English where they are stored or sent (models, the API), translated where they are shown
    (``_(status.label)`` in a template, ``gettext(label)`` in a view). docs/languages.md."""
    return text

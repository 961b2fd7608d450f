"""Small text helpers shared by features."""

import re
import unicodedata


def slugify(value: str, max_length: int = 80) -> str:
    normalised = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", normalised.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "item"

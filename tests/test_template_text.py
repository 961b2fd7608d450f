"""Every word a page shows goes through the catalogues: a template in a translated folder
fails here if it has English text outside `_()` / `ngettext()`, in the page's HTML or in a
string it hands to a component ("text": "Save"). docs/languages.md says which folders."""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# Folders whose every page is marked for translation (docs/languages.md, "What is marked").
TRANSLATED = ["ideas", "accounts", "co_design", "privacy", "comments", "safeguarding", "admin", "webhooks", "api",
              "evidence", "results", "actions", "notifications", "surveys", "surveys/states", "responses", "main",
              "ballots", "invitations", "tracking", "errors", "partials"]

# Words that stay as they are in every language: names of services, products and
# organisations, and codes.
ALLOWED = {
    "GOV.UK", "Childline", "NHS", "Norfolk", "SEND", "EHCP", "CSV", "JSON", "API", "URL", "HMAC",
    "SHA-256", "TOTP", "OpenID", "Connect", "QR", "ID", "lang",
}
# Attributes whose value a person reads or hears.
READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-description"}
# A string in a template expression that a person would read: it has a space or starts with
# a capital letter, and is not a CSS class, a path or a format.
READABLE = re.compile(r"^(?!govuk-|app-|/|%|https?:|#)(?=.*[A-Za-z]{2})(?=.*\s|[A-Z])")
MARKERS = {"_", "gettext", "ngettext", "pgettext", "npgettext"}


def words_left(text: str) -> str:
    """Letters that are not an allowed name, a placeholder or an HTML entity."""
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    return " ".join(w for w in re.findall(r"[A-Za-z][A-Za-z.'’-]*[A-Za-z]|[A-Za-z]{2,}", text) if w not in ALLOWED)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.found, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value and words_left(value.replace("\x00", " ")):
                self.found.append(f'{name}="{value}"')

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and words_left(data.replace("\x00", " ")):
            self.found.append(" ".join(data.replace("\x00", "…").split()))


def _marker_argument(tokens, index) -> bool:
    depth = 0
    for position in range(index - 1, -1, -1):
        _, kind, value = tokens[position]
        if kind == "operator" and value in ")]}":
            depth += 1
        elif kind == "operator" and value in "([{":
            if depth:
                depth -= 1
                continue
            if value != "(":
                return False
            name = next((t for t in reversed(tokens[:position]) if t[1] != "whitespace"), None)
            return bool(name and name[1] == "name" and name[2] in MARKERS)
        elif kind in ("variable_begin", "block_begin"):
            return False
    return False


def _placeholder(before: str) -> str:
    """What stands for an expression in the page's HTML: inside a tag (`<h{{ level }}`,
    `<div{% if x %} lang="cy"{% endif %}>`) it keeps the tag a tag, elsewhere it marks a gap."""
    if before.rfind("<") > before.rfind(">"):
        return "x" if re.search(r"</?[A-Za-z0-9]*$", before) else " "
    return "\x00"


def untranslated(source: str) -> list[str]:
    """English a template shows without marking it: text between tags, read attributes, and
    readable string literals in expressions that are not a marker call's argument, a
    dictionary key, a comparison or a template name."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    skeleton, found = [], []
    tokens = list(env.lex(source))
    for index, (lineno, kind, value) in enumerate(tokens):
        if kind == "data":
            skeleton.append(value)
            continue
        if kind in ("variable_begin", "block_begin"):
            skeleton.append(_placeholder("".join(skeleton)))
        if kind != "string":
            continue
        text = ast.literal_eval(value)
        if not READABLE.match(text) or not words_left(re.sub(r"<[^>]*>", " ", text)) or _marker_argument(tokens, index):
            continue
        before = next((t for t in reversed(tokens[:index]) if t[1] != "whitespace"), (0, "", ""))
        after = next((t for t in tokens[index + 1:] if t[1] != "whitespace"), (0, "", ""))
        if after[2] in (":", "==", "!=", "in") or before[2] in ("==", "!=", "in", "import", "extends", "include", "from"):
            continue
        found.append(f"line {lineno}: {text!r}")
    parser = _Text()
    parser.feed("".join(skeleton))
    return found + parser.found


def templates_in(folder: str) -> list[Path]:
    return sorted((TEMPLATES / folder).glob("*.html"))


@pytest.mark.parametrize("path", [path for folder in TRANSLATED for path in templates_in(folder)],
                         ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_translated_templates_show_no_english_outside_the_catalogues(path):
    assert untranslated(path.read_text()) == []


@pytest.mark.parametrize("source, english", [
    ('<p class="govuk-body">Your idea has been sent</p>', "Your idea has been sent"),
    ('<p>{{ _("Put forward by %(name)s", name=n) }} on {{ date }}.</p>', "on"),
    ('{{ govukButton({"text": "Save changes", "classes": "govuk-button--secondary"}) }}', "Save changes"),
    ('{% set title = "Summary of ideas" %}', "Summary of ideas"),
    ('<img src="x.png" alt="A smiling face">', "A smiling face"),
    ('{{ "You" if own else name }}', "You"),
    ('<h{{ level }} class="govuk-heading-m">Open surveys</h{{ level }}>', "Open surveys"),
    ('<div{% if other %} lang="{{ lang }}"{% endif %}>Your answers</div>', "Your answers"),
])
def test_the_check_finds_english_left_in_a_template(source, english):
    assert any(english in problem for problem in untranslated(source))


@pytest.mark.parametrize("source", [
    '<p class="govuk-body">{{ _("Your idea has been sent") }}</p>',
    '{{ govukButton({"text": _("Save changes"), "classes": "govuk-button--secondary"}) }}',
    '{{ ngettext("%(num)d idea", "%(num)d ideas", total) }}',
    '{% if idea.status == "Waiting" %}<p>{{ idea.title }} (GOV.UK)</p>{% endif %}',
    '{% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}',
    '<h{{ level }} class="govuk-heading-m">{{ survey.title }}</h{{ level }}>',
    '<div{% if other %} lang="{{ lang }}"{% endif %}>{{ words }}</div>',
])
def test_the_check_passes_marked_text_names_and_values(source):
    assert untranslated(source) == []


def test_the_layout_every_page_shares_shows_no_english_outside_the_catalogues():
    """base.html (header, navigation, back link, footer) is on every page, translated or not."""
    assert untranslated((TEMPLATES / "base.html").read_text()) == []


def test_every_template_folder_is_checked():
    """A new folder of pages cannot be left out of the check: every folder holding a
    template is in TRANSLATED (base.html, at the top, has a test of its own)."""
    folders = {path.parent.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.rglob("*.html")}
    assert folders - {"."} <= set(TRANSLATED)

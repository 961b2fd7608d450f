"""Fail when a shipped catalogue is incomplete: `make translations-check` and the test suite.

A catalogue fails if it is missing any text the code and templates mark for translation
(extracted afresh, so a new _() that was never extracted is caught), has a message with no
translation or marked fuzzy, or if its compiled messages.mo differs from its messages.po.
"""

import sys
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "feedback" / "translations"


def extracted_ids(root: Path = ROOT) -> set:
    """Every msgid the code and templates mark, as `make translations-extract` would find."""
    with open(root / "babel.cfg") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        root, method_map, options_map, keywords={"_": None, "gettext": None, "lazy_gettext": None,
                                                 "ngettext": (1, 2), "lazy_ngettext": (1, 2), "_l": None, "N_": None,
                                                 "add_nav_item": None, "register_source": (2,)}):
        catalog.add(message, None, [(filename, lineno)], context=context)
    return {message.id for message in catalog if message.id}


def _key(msgid):
    return msgid if isinstance(msgid, str) else tuple(msgid)


def problems(translations: Path = TRANSLATIONS, wanted: set | None = None) -> list[str]:
    found = []
    catalogues = sorted(translations.glob("*/LC_MESSAGES/messages.po"))
    if not catalogues:
        return [f"no catalogues under {translations}"]
    for po_path in catalogues:
        language = po_path.parent.parent.name
        with open(po_path, "rb") as handle:
            catalog = read_po(handle)
        have = {_key(message.id) for message in catalog if message.id}
        for msgid in sorted(wanted - have, key=str) if wanted is not None else ():
            found.append(f"{language}: not in the catalogue (run make translations-update): {msgid!r}")
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
            if not all(strings):
                found.append(f"{language}: untranslated: {message.id!r}")
            if message.fuzzy:
                found.append(f"{language}: fuzzy (check and remove the flag): {message.id!r}")
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists():
            found.append(f"{language}: messages.mo missing (run make translations-compile)")
            continue
        compiled = BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        with open(mo_path, "rb") as handle:
            shipped = read_mo(handle)
        expected = {_key(m.id): m.string for m in read_mo(compiled) if m.id}
        actual = {_key(m.id): m.string for m in shipped if m.id}
        if expected != actual:
            found.append(f"{language}: messages.mo is out of date (run make translations-compile)")
    return found


def main() -> int:
    found = problems(wanted=extracted_ids())
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        print(f"{len(found)} problem(s) in the translation catalogues", file=sys.stderr)
        return 1
    print("translation catalogues complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Take personal details out of free text before staff or forums read it.

Replaces email addresses, web links, UK phone numbers, postcodes, NHS numbers, dates of
birth and people's names with placeholders such as ``[email]`` and ``[name]``. Rules and
word lists only, so it runs offline and the same text always gives the same result.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

PLACEHOLDERS = {
    "email": "[email]",
    "link": "[link]",
    "nhs_number": "[nhs number]",
    "phone": "[phone]",
    "postcode": "[postcode]",
    "date_of_birth": "[date of birth]",
    "name": "[name]",
}
# When two detections overlap, the earlier kind in this order wins (an email contains a
# domain that looks like a link; a phone number can look like an NHS number).
PRIORITY = tuple(PLACEHOLDERS)


@dataclass(frozen=True)
class RedactedSpan:
    """Where a personal detail was in the original text."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class RedactionResult:
    text: str
    spans: tuple[RedactedSpan, ...]

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(span.kind for span in self.spans))


_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Links end before trailing punctuation: "see www.example.org, then" keeps its comma.
_URL_TAIL = r"(?:[^\s<>\"]*[^\s<>\".,;:!?')\]])?"
_LINK = re.compile(
    rf"\b(?:https?://|www\.){_URL_TAIL}"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:co\.uk|org\.uk|gov\.uk|nhs\.uk|ac\.uk|sch\.uk|com|org|net|uk|io)\b"
    rf"(?:/{_URL_TAIL})?",
    re.IGNORECASE,
)
# UK numbers: +44 / 0044 / 0 then 9 or 10 more digits, in the usual groupings.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)"
    r"(?:\d{4}\)?[\s-]?\d{3}[\s-]?\d{3}|\d{3}\)?[\s-]?\d{3}[\s-]?\d{4}"
    r"|\d{2}\)?[\s-]?\d{4}[\s-]?\d{4}|\d{4}\)?[\s-]?\d{5,6}|\d{9,10})(?!\d)"
)
_NHS_SPACED = re.compile(r"(?<!\d)\d{3}[ -]\d{3}[ -]\d{4}(?![\d])")
_TEN_DIGITS = re.compile(r"(?<!\d)\d{10}(?!\d)")
_NHS_CUE = re.compile(r"nhs\s*(?:no\.?|number|num)?\s*(?:is|:)?\s*$", re.IGNORECASE)
# Full UK postcodes (outward and inward code); an outward code alone ("NR1") names an
# area of thousands of homes, so it stays.
_POSTCODE = re.compile(r"\b(?:GIR\s?0AA|[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE)

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DATE = re.compile(
    r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?(?:,?\s+\d{{4}})?"
    rf"|{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|{_MONTH}\s+\d{{4}}"
    r"|(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
# A date is a date of birth only when one of these comes shortly before it. Other dates
# (meetings, deadlines) stay: they are what complaints about delay are about.
_DOB_CUE = re.compile(
    r"\b(?:born|d\.?o\.?b|date of birth|birthday|birth date)(?![a-z])[^,;\n]{0,25}$", re.IGNORECASE
)

# Capitalised words that are never names here, though they follow cues or start sentences.
_NOT_NAMES = frozenset(
    """The A An I He She They We It His Her Their Our My This That These Those Is Was Has
    Had Who Which What When Where Why How And But Or So If Not No Yes Mr Mrs Ms Miss Dr
    Council County School Academy College Team Service Services SEN SEND SENCo Senco
    CAMHS EHCP NHS GP OT SALT Norfolk Norwich Breckland Broadland Yarmouth Great King's
    Kings Lynn West North South East Suffolk England UK Monday Tuesday Wednesday Thursday
    Friday Saturday Sunday January February March April May June July August September
    October November December Year Local Offer Christmas Easter Autism ADHD Also Then Still
    Just Now Today Tomorrow Yesterday Sir Madam Dear Hi Hello Thanks Thank Please Sorry
    Children Children's Childrens Adult Adults Social Care Health Education Department Hospital
    Centre Panel Tribunal Park Primary Infant Junior High Road Street""".split()
)
# Names that are also ordinary words: redacted only after a cue ("my daughter May").
AMBIGUOUS_NAMES = frozenset(
    """May June April August Will Mark Grace Hope Faith Joy Rose Summer Autumn Dawn Bill
    Frank Sue Pat Guy Chase Hunter Miles Amber Ruby Holly Ivy Penny Robin Reed Sunny Sky
    Angel Christian Earl Major Art Don Ray Rob Nick Carol Max Jan Lynn Mason Faye Page Eve
    Glen Dale Fern Dean""".split()
)


def _load_first_names() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "first_names.txt"
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            names.update(line.split())
    return frozenset(names - AMBIGUOUS_NAMES)


FIRST_NAMES = _load_first_names()

# "O'Brien" and "Smith-Jones" are one name; "Jack's" is the name "Jack".
_CAP_WORD = r"(?:[A-Z]['’])?[A-Z][a-z]+(?:['’-][A-Z][a-z]+)*"
_TITLE_NAME = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+((?:[A-Z]\.?\s+)?{_CAP_WORD}(?:\s+{_CAP_WORD})?)")
_CUE_NAME = re.compile(
    r"\b(?:my|our|her|his|their|the)\s+(?:son|daughter|child|boy|girl|kid|twins?|husband|wife|"
    r"partner|brother|sister|grandson|granddaughter|caseworker|case\s+worker|social\s+worker|"
    r"key\s*worker|teacher|senco|SENCo|SENCO|therapist|nurse|paediatrician|consultant|"
    r"worker|manager|officer|ta)(?:\s*,)?(?:\s+(?:is|was|called|named))?\s+"
    rf"({_CAP_WORD}(?:\s+{_CAP_WORD})?)"
    rf"|\b(?:called|named|name is|name's|I am|I'm|this is)\s+({_CAP_WORD}(?:\s+{_CAP_WORD})?)",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(rf"\b{_CAP_WORD}\b")


def nhs_checksum_ok(digits: str) -> bool:
    """NHS number modulus 11 check: weights 10..2 on the first nine digits."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _phone_digits_ok(match: str) -> bool:
    digits = re.sub(r"\D", "", match)
    if match.lstrip().startswith(("+", "00")):
        # +44 (0)20 ...: drop the country code and the optional bracketed trunk zero.
        digits = "0" + digits[4 if digits.startswith("0044") else 2:].removeprefix("0")
    return digits.startswith("0") and len(digits) in (10, 11) and digits[1] != "0"


_CALENDAR = frozenset(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)
_INITIAL = re.compile(r"[A-Z]\.?")


def _name_candidate(words: str, after_cue: bool = False) -> str | None:
    """Trim a captured "Cap Cap" run to the words that may be a name.

    After a cue ("my daughter May") month and day words are names too."""
    stop = _NOT_NAMES - _CALENDAR if after_cue else _NOT_NAMES
    kept = []
    for part in words.split():
        if _INITIAL.fullmatch(part):
            kept.append(part)
            continue
        if part in stop or part.isupper() or not part[0].isupper():
            break
        kept.append(part)
    return " ".join(kept) if kept and not _INITIAL.fullmatch(kept[-1]) else None


def _name_spans(text: str, extra_names: Iterable[str]) -> list[tuple[int, int]]:
    spans = []
    for name in extra_names:
        if name and name.strip():
            pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, name.split())) + r"(?!\w)"
            spans += [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]
    for match in _TITLE_NAME.finditer(text):
        candidate = _name_candidate(match.group(1))
        if candidate:
            # The title goes too: "Mrs [name]" would still point at one person in a school.
            spans.append((match.start(), match.start(1) + len(candidate)))
    for match in _CUE_NAME.finditer(text):
        group = 1 if match.group(1) else 2
        captured = match.group(group)
        if not captured[0].isupper():
            # IGNORECASE lets "called the" through; a lower-case word after a cue is a
            # name only if it is a known first name ("my son harry").
            first = captured.split()[0]
            if first.capitalize() in FIRST_NAMES:
                spans.append((match.start(group), match.start(group) + len(first)))
            continue
        candidate = _name_candidate(captured, after_cue=True)
        if candidate:
            spans.append((match.start(group), match.start(group) + len(candidate)))
    for match in _CAPITALISED.finditer(text):
        word = match.group()
        if word in FIRST_NAMES:
            end = match.end()
            # Take a following capitalised surname too ("Sarah Jones").
            follow = _CAPITALISED.match(text, end + 1) if text[end:end + 1] == " " else None
            if follow and follow.group() not in _NOT_NAMES and follow.group() not in FIRST_NAMES:
                end = follow.end()
            spans.append((match.start(), end))
    return spans


def _detect(text: str, extra_names: Iterable[str]) -> list[RedactedSpan]:
    found: list[RedactedSpan] = []

    def add(kind, spans):
        found.extend(RedactedSpan(s, e, kind) for s, e in spans)

    add("email", (m.span() for m in _EMAIL.finditer(text)))
    add("link", (m.span() for m in _LINK.finditer(text) if "@" not in m.group()))
    # 3-3-4 is the NHS's own way of writing the number, so it is redacted even when the
    # check digit fails (a typo is still someone's number); ten plain digits need a valid
    # checksum or an "NHS number" cue, since they may be a harmless reference.
    nhs = [m.span() for m in _NHS_SPACED.finditer(text) if not m.group().startswith("0")]
    nhs += [m.span() for m in _TEN_DIGITS.finditer(text)
            if (nhs_checksum_ok(m.group()) and not m.group().startswith("0")) or _NHS_CUE.search(text[max(0, m.start() - 20):m.start()])]
    add("nhs_number", nhs)
    add("phone", (m.span() for m in _PHONE.finditer(text) if _phone_digits_ok(m.group())))
    add("postcode", (m.span() for m in _POSTCODE.finditer(text)))
    add("date_of_birth", (m.span() for m in _DATE.finditer(text)
                          if _DOB_CUE.search(text[max(0, m.start() - 40):m.start()])))
    add("name", _name_spans(text, extra_names))
    return found


def _resolve(spans: list[RedactedSpan]) -> list[RedactedSpan]:
    """Keep non-overlapping spans, preferring higher-priority kinds, then longer spans."""
    ranked = sorted(spans, key=lambda s: (PRIORITY.index(s.kind), -(s.end - s.start), s.start))
    kept: list[RedactedSpan] = []
    for span in ranked:
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def redact(text: str, extra_names: Iterable[str] = ()) -> RedactionResult:
    """Replace personal details in ``text``; spans point into the original text."""
    text = text or ""
    spans = _resolve(_detect(text, tuple(extra_names)))
    pieces, position = [], 0
    for span in spans:
        pieces.append(text[position:span.start])
        pieces.append(PLACEHOLDERS[span.kind])
        position = span.end
    pieces.append(text[position:])
    return RedactionResult("".join(pieces), tuple(spans))

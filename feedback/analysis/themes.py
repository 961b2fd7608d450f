"""Theme matching against the co-produced SEND taxonomy, and discovery of emerging themes.

Known themes are matched by keywords and phrases after light stemming, so "chased",
"chasing" and "chase" meet. Comments that match no theme are grouped with TF-IDF and
k-means so that staff and forums can name new themes.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")

#: A phrase is stronger evidence of a theme than a single keyword.
PHRASE_WEIGHT = 1.0
KEYWORD_WEIGHT = 0.6
#: Everyday words that name a theme's setting more than its subject ("school", "plan",
#: "wait", "college"): each counts this much, so alone one does not make a theme; with a
#: second word or a phrase of the same theme it does. This applies to any theme staff
#: write, since the list is of words, not themes.
WEAK_KEYWORD_WEIGHT = 0.3
#: Least evidence for a theme: one keyword, or two weak ones.
MIN_EVIDENCE = 0.6
GENERIC_KEYWORDS = frozenset(
    """class teacher teachers plan plans review wait waiting waited list
    assessment assessed club clubs social health mental online links travel journey
    route miles adult job holiday package unit resource
    referral referred clinic sleep sensory support included section
    caseworker contact letter letters phone call text texts message messages told explained
    explain explains explaining lovely nice friendly mean names picked kicked stare
    heard seriously friends speech facebook publish pe lessons kind kinder
    understanding caring respect breaks autism autistic adhd asd""".split()
)
_SETTING_FILLERS = frozenset("at in to my his her our the new old a".split())
#: Evidence another theme needs (a phrase, or a keyword and a weak word) before a setting
#: word yields to it.
SETTING_YIELDS_TO = 0.9
#: Words that name where something happened ("school", "college"): a full keyword when the
#: comment is about nothing else, weak when another theme is found in it ("bullied at
#: school", "the taxi went to the wrong school").
SETTING_KEYWORDS = frozenset(
    """school schools college colleges class""".split()
)


@dataclass(frozen=True)
class ThemeDefinition:
    name: str
    description: str
    keywords: tuple[str, ...]
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeMatch:
    """A theme found in a comment; score in (0, 1] grows with the evidence."""

    name: str
    score: float


@dataclass(frozen=True)
class EmergingTheme:
    label_keywords: tuple[str, ...]
    size: int
    example_quotes: tuple[str, ...]
    member_indices: tuple[int, ...]
    #: A label a person would write: the group's leading phrase ("Holiday clubs",
    #: "Speech therapy and waiting"), for staff to edit when they add the theme.
    label: str = ""


def readable_label(keywords: Sequence[str], texts: Sequence[str] = ()) -> str:
    """ "holiday club", "club", "summer" -> "Holiday club and summer": the leading phrase,
    then the next word it does not already contain. Given the group's comments, the second
    part is added only when at least half of them use it, so the label says what the group
    shares rather than what one comment adds."""
    if not keywords:
        return ""
    lowered = [" ".join(_WORD.findall(t.lower())) for t in texts]

    def coverage(term: str) -> float:
        return sum(f" {term} " in f" {t} " for t in lowered) / len(lowered) if lowered else 1.0

    def shared(term: str) -> bool:
        return coverage(term) >= 0.5

    # The phrase most of the group uses, else its most used word; a phrase that runs on into
    # another ("holiday club" + "club closed") becomes one when the group writes it so.
    phrases = [k for k in keywords if " " in k and coverage(k) >= LABEL_MIN_SHARE]
    by_use = lambda k: (coverage(k), -keywords.index(k))  # noqa: E731
    head = max(phrases, key=by_use) if phrases else max(keywords, key=by_use)
    for other in sorted(phrases, key=by_use, reverse=True):
        a, b = head.split(), other.split()
        joined = (" ".join(a + b[1:]) if a[-1] == b[0] else " ".join(b + a[1:]) if b[-1] == a[0] else None)
        if other != head and joined and coverage(joined) >= LABEL_MIN_SHARE:
            head = joined

    rest = next((k for k in keywords if k != head and not set(k.split()) & set(head.split()) and shared(k)), None)
    label = f"{head} and {rest}" if rest else head
    return label[:1].upper() + label[1:]


#: A phrase leads a group's label only if this share of its comments use it.
LABEL_MIN_SHARE = 0.3
#: A group whose label's words appear in fewer of its comments than this is a remainder
#: of comments with little in common, not a theme: it is not offered.
MIN_COHERENCE = 0.3
#: Words that say how someone feels or fill an answer out ("ok", "thanks", "sorry, nothing
#: to add") rather than what it is about: they would group comments by mood, not subject.
FILLER_WORDS = frozenset(
    """ok okay fine good great bad lovely nice brilliant terrible awful really just like thanks thank
    cheers sorry think suppose guess know comment comments add say said nothing anything
    everything yes yeah lot lots bit things thing way got get getting make made want wanted need
    needed feel felt right better worse best worst help helped helpful far honestly happy time""".split()
)


def _subject_terms(text: str, stop_words: frozenset[str]) -> list[str]:
    """Words and pairs of adjacent words, leaving out stop words and filler, so a pair is
    always one a person wrote ("holiday club", never "good know" from "good to know")."""
    words = re.findall(r"[a-z]+(?:['’][a-z]+)*", text.lower())
    # Contractions ("don't", "we've") and one- or two-letter words carry no subject.
    keep = [len(w) > 2 and "'" not in w and "’" not in w and w not in stop_words and w not in FILLER_WORDS
            for w in words]
    terms = [w for w, k in zip(words, keep) if k]
    terms += [f"{a} {b}" for (a, ka), (b, kb) in zip(zip(words, keep), zip(words[1:], keep[1:])) if ka and kb]
    return terms


# Ordered longest first; a suffix is stripped only if a stem of 3+ letters remains, which
# is enough to join plural, past and -ing forms without a dictionary.
_SUFFIXES = ("ational", "ations", "ation", "ments", "ment", "ness", "ings", "ing", "ies",
             "ied", "ers", "er", "ed", "es", "ly", "s")


#: Words the suffix rules would run together: "carers", "careers" and "caring" all end as
#: "car", so a comment about young carers was pulled into careers and kindness.
STEM_EXCEPTIONS = {
    "care": "care", "cares": "care", "cared": "care", "caring": "care",
    "carer": "carer", "carers": "carer", "carer's": "carer", "carers'": "carer",
    "career": "career", "careers": "career",
    # "friendly" is how staff were, not "friends" (Inclusion).
    "friendly": "friendly",
    # "placement" is School place; a bare "place" ("a place on the course", "got a place at
    # the college") is not.
    "placement": "placement", "placements": "placement",
}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Small suffix-stripping stemmer: 'chasing', 'chased', 'chases' -> 'chas'."""
    word = word.lower().replace("’", "'")
    if word in STEM_EXCEPTIONS:
        return STEM_EXCEPTIONS[word]
    word = word.replace("'", "")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    # "getting" -> "get", "stopped" -> "stop": a doubled consonant left by the suffix goes.
    if len(word) > 3 and word[-1] == word[-2] and word[-1] in "bdgmnprt":
        word = word[:-1]
    # "chase"/"chased" -> "chas": drop a final e so both forms meet.
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def stem_tokens(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower())]


def _theme(name, description, keywords, phrases=""):
    return ThemeDefinition(
        name, description,
        tuple(k.strip() for k in keywords.split(",") if k.strip()),
        tuple(p.strip() for p in phrases.split(",") if p.strip()),
    )


SEED_TAXONOMY: tuple[ThemeDefinition, ...] = (
    _theme("Communication",
           "How well services reply, keep families informed and explain what is happening.",
           "communication, email, emails, emailed, phone, phoned, rang, call, letter, letters, "
           "reply, replied, response, responded, update, updates, contact, contacted, chase, "
           "chasing, chased, caseworker, voicemail, answerphone, message, messages, informed, "
           "text, texts, explained, explain, explains, explaining, told, newsletter, updated, responsive, "
           "unresponsive, callback, communicate, communicated",
           "no reply, never replied, got back to, call back, rang back, kept informed, "
           "kept in the loop, keep in touch, no one got back, heard nothing, passed around, "
           "passed from one, duty line, no response, chase them, rings me back, rings back, "
           "calls back, nobody told, no one told, nobody told us, wasn't told, weren't told, not told, "
           "no explanation, found out, without asking, without telling, not an answer, on hold, "
           "what's going on, whats going on, kept us informed, let us know, nobody has explained, "
           "nobody explained, no one explained, explained everything, dont know why, don't know why, "
           "pick up the phone, picks up the phone, answer the phone, human to talk to, get told, got told, named contact, "
           "send a text, hear back, heard back, we'd hear, said sorry, without telling, nobody tells, no one tells, "
           "returns calls, returned my calls, get hold of, got hold of, call us back, call me back, ring us back, "
           "ring me back, on the phone, cut off, told us, telling us, keep telling, different answers, nobody mentioned, "
           "no one mentioned, ever mentioned, had told us, someone had told, being looked into, "
           "heard a word, haven't heard, not heard from, hasn't heard, haven't received, not received, never received, "
           "no warning, hold music, who our caseworker, our caseworker is, who is our caseworker, who to ring, who to call, "
           "explained it, explained to, explains things, explained things, explained clearly, rings when, by text, by letter"),
    _theme("EHCP process and timeliness",
           "Requests, assessments, drafting, reviews and deadlines of education, health and care plans.",
           "ehcp, ehcps, ehc, plan, plans, draft, panel, tribunal, amendment, amended, "
           "deadline, deadlines, section, outcomes, finalised, caseworker, appeal, "
           "mediation, sendist",
           "annual review, needs assessment, ehc needs assessment, 20 weeks, final plan, "
           "draft plan, section f, refused to assess, request for assessment, plan writer, "
           "legal limit, review meeting, amended plan, the plan says, in the plan, in his plan, in her plan, "
           "his plan, her plan, my plan, their plan, the new plan, follow his plan, follow her plan, "
           "20 week, 20-week, education health and care"),
    _theme("Assessment, diagnosis and waiting times",
           "Waiting for and going through assessments and diagnoses such as autism or ADHD.",
           "assessment, assessed, diagnosis, diagnosed, autism, autistic, adhd, asd, "
           "paediatrician, referral, referred, pathway, "
           "neurodevelopmental, ep, psychologist, clinic, masks, masking",
           "waiting list for a diagnosis, waiting for a diagnosis, waiting for an assessment, "
           "waiting for assessment, educational psychologist, "
           "autism assessment, adhd assessment, asd assessment, dyspraxia assessment, sensory assessment, "
           "years on the list, paid privately, no diagnosis, autism waiting list, adhd waiting list, asd waiting list, "
           "autism list, adhd list, asd list, autism pathway, adhd pathway, asd pathway, autism team, adhd clinic, "
           "assessed for autism, assessed for adhd, diagnosed with, diagnosis of"),
    _theme("School place and provision",
           "Finding a school place and the support delivered in school.",
           "school, schools, senco, teacher, teachers, ta, classroom, mainstream, specialist, "
           "academy, provision, placement, unit, resource, headteacher, tuition, "
           "class, primary, secondary",
           "school place, specialist school, special school, resource base, part-time timetable, "
           "part time timetable, out of school, named school, alternative provision, "
           "teaching assistant, one to one, 1:1, home education, head teacher, quiet space, "
           "movement breaks, in class, at school, my new school, new school, old school, pe, lessons, my teachers, "
           "his teachers, her teachers, the head, last school"),
    _theme("Transition to adulthood",
           "Moving on from school: post-16, college, work, adult services and preparing for adulthood.",
           "transition, college, post-16, post16, sixth, university, apprenticeship, "
           "internship, adult, adulthood, pfa, independence, employment, job, careers, uni",
           "preparing for adulthood, supported internship, adult services, adult social care, "
           "post 16, turning 18, turns 18, move to college, sixth form, travel training, "
           "over 16s, at 18, when i leave school, leave school, course at college, animal care, "
           "work experience, college place, past 16, 16-19, 16-25, 16 to 19, 16 to 25, level 2, level 3, "
           "want a job, get a job, go to uni, at uni"),
    _theme("Health and therapies",
           "Health services and therapies including CAMHS, speech and language and occupational therapy.",
           "camhs, salt, ot, therapy, therapist, therapies, physio, physiotherapy, nurse, "
           "health, gp, hospital, wheelchair, medication, clinic, sleep, epilepsy, mental, "
           "dietetics, sensory",
           "speech and language, speech therapy, occupational therapy, mental health, "
           "learning disability nurse, school nurse, wheelchair service, sleep clinic, hearing aid, "
           "speech lady, speech, meds, dentist, dentists, audiology, child development centre, "
           "ear defenders"),
    _theme("Social care and short breaks",
           "Social workers, short breaks, respite, direct payments and support for carers.",
           "respite, social, breaks, carer, carers, pa, holiday, club, overnight, sibling, "
           "package, eligible, eligibility",
           "short breaks, short break, social worker, social care, direct payment, direct payments, "
           "carer's assessment, carers assessment, personal assistant, holiday club, "
           "children with disabilities team, care package, breaking point, support worker, family support"),
    _theme("Being listened to and staff attitude",
           "Whether families and young people feel heard, respected and treated kindly.",
           "listened, listen, listening, unheard, ignored, dismissive, rude, patronising, "
           "respect, respectful, kind, attitude, believed, judged, views, voice, empathy, "
           "understanding, coproduction, co-production, heard, dismissed, nuisance, pushy, shouts, "
           "shouted, friendly, lovely, nice, kindness, caring, understood, seriously, stare",
           "listened to, not listened to, felt heard, taken seriously, difficult parent, "
           "fobbed off, our views, my views, their views, treated with respect, "
           "box ticking, tick box, nobody listens, no one listens, nobody asks, no one asks, nobody asked, "
           "asked my son, asked my daughter, asked me what, what he wants, what she wants, what i want, "
           "talk about me, talk to mum, talk to my mum, spoke to my child, made to feel, "
           "made me feel, treated like, feel like a number, pushy parent, took time to, "
           "actually understand, got to speak, shouts at, treated me like, like im not there, took us seriously, "
           "took me seriously, took him seriously, took her seriously, "
           "like i'm not there, read these, listen to me, listened to me, "
           "talk down to, talked down to, talks down to, spoke down to, talked about my, talked about him, talked about her, "
           "like he wasn't, like she wasn't, like i wasn't, in the room, like he was a, like she was a, like a problem, "
           "on our side, on my side, stood up for, read the reports, read the report, read the file, read his, read her, "
           "nobody had read, no one had read, never read, wrote that down, as if i, as if we, already been made, already decided, "
           "nobody asked, no one asked, nobody asked us, took the time, take the time, treat him like, treat her like, "
           "treats him like, treated him like, treated her like, too bright, felt judged, overreacting, spoke to my son like, "
           "spoke to me like, came to the meeting with, came out to meet, wish the school would ask, ask him what, ask her what, "
           "asked what, not bothered, don't care, didn't care, doesn't care, dont care, didnt care, understands me, "
           "understand him, understand her, understood him, understood her, trust her, trust him, polite enough, "
           "made up their minds, already made up, making it up, seems to care, seem to care, kind to her, kind to him, "
           "kind to me, kind to us, really understanding, dismissed my, dismissed our, bad parenting"),
    _theme("Information and the Local Offer",
           "Finding clear, accurate information, including the Local Offer website and SENDIASS.",
           "information, info, website, local offer, leaflet, leaflets, guide, guides, jargon, "
           "sendiass, iass, newsletter, directory, webinar, translated, translation, "
           "easy read, links, online, booklet, signposted, signpost, publish, facebook",
           "local offer, easy read, out of date, nobody said, "
           "information evening, where can i find, plain english, council website, is there a list, "
           "is there any, know more about, like to know, want to know, who to contact, drop in, "
           "found out from, nobody tells you, no one tells you, by accident, found out about, fill in the forms"),
    _theme("Inclusion, bullying and exclusion",
           "Being included at school and in activities, bullying, exclusions and off-rolling.",
           "inclusion, inclusive, included, bullying, bullied, bully, excluded, exclusion, "
           "exclusions, isolation, trips, trip, belong, clubs, suspended, suspension, "
           "off-rolled, offrolled, mean, picked, names, stare, kicked",
           "fixed term exclusion, permanent exclusion, sent home, sending him home, "
           "sending her home, sending me home, left out, school trips, reduced timetable, reasonable adjustments, "
           "isolation booth, call me names, calls me names, call him names, pushes me around, "
           "picked on, kicked out, buddy scheme, someone at break, name calling, managed move, birthday party, "
           "birthday parties, other kids, quiet room, "
           "feel included, friends"),
    _theme("Transport",
           "Home to school and college transport, escorts, travel training and personal budgets.",
           "transport, taxi, escort, driver, minibus, bus, route, journey, travel, "
           "pick-up, collect, collected, miles",
           "home to school transport, travel training, personal travel budget, bus pass, "
           "pick up, passenger transport, post-16 transport"),
)


_MANNER = (r"(?:nice|kind|lovely|friendly|patient|rude|caring|understanding|horrible|mean|dismissive|condescending|sympathetic|"
           r"warm|respectful|disrespectful|polite|approachable|welcoming|arrogant|cold|snappy|abrupt|sarcastic)")
#: How families say they were or were not heard and respected without the words of the
#: theme's list: how staff treated them ("the nurses were nice to me", "gr8 staff"; not "the
#: nurse is nice", which the development comments give to the service), being rushed or
#: not, being dismissed ("said it was banter", "just teenage stuff", "try harder"), being
#: spoken to like a child, nobody reading or meeting the child, a young person's own voice
#: ("my ideas actually matter", "my own meetings"). Regular expressions on the lower-cased
#: comment, each as strong as a phrase; they belong to the seed theme of that name and keep
#: working when staff keep that theme in their taxonomy.
SEED_PATTERNS: dict[str, tuple[str, ...]] = {
    "Being listened to and staff attitude": (
        rf"\b{_MANNER}\s+(?:to|with)\s+(?:me|us|him|her|them|my|our)\b",
        r"\b(?:great|gr8|best|lovely|brilliant|amazing|fab|fantastic|wonderful)\s+(?:\w+\s+)?(?:staff|youth workers?|workers?|teachers?|nurses?)\b",
        r"\b(?:didn'?t|did not|never|don'?t|doesn'?t) rush(?:ed)? (?:me|us|him|her)\b|\bat (?:my|his|her|our|their) own pace\b",
        r"\bmy (?:ideas|views|opinions?|voice) (?:actually |really )?(?:matter|count|heard)|\b(?:my|his|her) own (?:meetings?|words)\b",
        r"\b(?:said|say|says|told (?:me|us))\s+(?:it was|it'?s|he'?s|she'?s|he was|she was)\s+(?:just\s+)?'?(?:banter|a phase|normal|fine|"
        r"teenage|behaviour|naughty|bad parenting|attention)|\bjust\s+'?(?:teenage|a phase|behaviour|naughty|attention seeking)\b|"
        r"\bjust say try harder\b|\btry harder\b",
        r"\bnever (?:actually )?met (?:my|him|her)\b|\b(?:talked|spoke|speaks|talks|spoken) to (?:me|us|him|her) like\b|"
        r"\b(?:will|does|did|has) (?:anybody|anyone|anyone ever) (?:actually )?read\b|\b(?:don'?t|doesn'?t|didn'?t) understand (?:my|his|her)\b",
    ),
    # Asking where to find something or how a service works is a question for information.
    "Information and the Local Offer": (
        r"^\W*(?:please,?\s+)?(?:how (?:do|can|would|should) (?:i|we) (?:find|apply|get|contact|ask)|where (?:can|do|would|should) (?:i|we) "
        r"(?:find|get|look|go)|who (?:do|can|should) (?:i|we) (?:contact|ask|speak|talk|ring|call)|what is the difference|what'?s the difference)\b",
        r"\b(?:don'?t|dont|do not|didn'?t) know (?:how to|where to|who to|what to) (?:apply|find|get|ask|contact|go|do)\b|\bwhere to find\b",
    ),
    # Left out, or let in: alone at lunch, called names, filmed, invited or not, included.
    "Inclusion, bullying and exclusion": (
        r"\b(?:sits?|sat|sitting|eats?|ate|eating|plays?|played|playing|left|always|alone)\s+(?:\w+\s+)?on (?:my|his|her|their) own\b",
        r"\bcall(?:s|ed|ing)? (?:me|him|her|us|them) (?:names|weird|stupid|thick|a \w+)\b|\bfilm(?:s|ed|ing)? (?:me|him|her)\b",
        r"\b(?:class|kids|children|everyone|people|pupils|boys|girls)\b[^.!?]{0,30}\bnic(?:e|er) to (?:me|him|her)\b",
        r"\b(?:never|not|wasn'?t|isn'?t) (?:once |ever )?(?:invited|included|accessible|accesible)\b|\binclude (?:her|him|them|me)\b|"
        r"\b(?:clubs?|groups?|activities|sport) (?:for|that take|who take) (?:people|kids|children|young people) (?:with|who)\b",
    ),
}
_PATTERN_RES = {name: tuple(re.compile(p) for p in patterns) for name, patterns in SEED_PATTERNS.items()}


@dataclass(frozen=True)
class _CompiledTaxonomy:
    keywords: dict[str, tuple[int, ...]]
    weak: frozenset[str]
    settings: frozenset[str]
    phrases: dict[str, tuple[tuple[tuple[str, ...], int], ...]]
    names: tuple[str, ...]


@lru_cache(maxsize=32)
def _compile(taxonomy: tuple[ThemeDefinition, ...]) -> _CompiledTaxonomy:
    """Stem a taxonomy once; definitions are frozen, so the tuple is a safe cache key."""
    keywords: dict[str, set[int]] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for index, theme in enumerate(taxonomy):
        for entry in (*theme.keywords, *theme.phrases):
            stems = tuple(stem_tokens(entry))
            if len(stems) == 1 and entry in theme.keywords:
                keywords.setdefault(stems[0], set()).add(index)
            elif stems:
                phrases.setdefault(stems[0], []).append((stems, index))
    return _CompiledTaxonomy(
        {k: tuple(sorted(v)) for k, v in keywords.items()},
        frozenset(stem(w) for w in GENERIC_KEYWORDS),
        frozenset(stem(w) for w in SETTING_KEYWORDS),
        {k: tuple(v) for k, v in phrases.items()},
        tuple(t.name for t in taxonomy),
    )


def rule_themes(text: str, taxonomy: Sequence[ThemeDefinition] = SEED_TAXONOMY) -> tuple[ThemeMatch, ...]:
    """Themes the keyword rules find in ``text``, strongest first. Each distinct keyword or
    phrase counts once."""
    compiled = _compile(tuple(taxonomy))
    stems = stem_tokens(text)
    evidence: dict[int, dict[tuple[str, ...], float]] = {}
    settings: dict[int, set[tuple[str, ...]]] = {}
    for i, s in enumerate(stems):
        for theme_index in compiled.keywords.get(s, ()):
            evidence.setdefault(theme_index, {})[(s,)] = WEAK_KEYWORD_WEIGHT if s in compiled.weak else KEYWORD_WEIGHT
            if s in compiled.settings:
                settings.setdefault(theme_index, set()).add((s,))
        for phrase, theme_index in compiled.phrases.get(s, ()):
            if tuple(stems[i : i + len(phrase)]) == phrase:
                evidence.setdefault(theme_index, {})[phrase] = PHRASE_WEIGHT
                if set(phrase) & compiled.settings and set(phrase) <= compiled.settings | _SETTING_FILLERS:
                    settings.setdefault(theme_index, set()).add(phrase)  # "at school", "my new school"
    lowered = (text or "").lower().replace("’", "'")
    for theme_index, name in enumerate(compiled.names):
        for pattern in _PATTERN_RES.get(name, ()):
            if pattern.search(lowered):
                evidence.setdefault(theme_index, {})[("re", pattern.pattern)] = PHRASE_WEIGHT
    # A setting word counts fully only when no other theme is found without one.
    def enough(index: int) -> bool:
        found = evidence[index]
        return sum(v for k, v in found.items() if k not in settings.get(index, ())) >= SETTING_YIELDS_TO - 1e-9
    for theme_index, words in settings.items():
        if any(enough(other) for other in evidence if other != theme_index):
            # All the setting's words together ("at school", "school") count as one weak word.
            for n, key in enumerate(sorted(words)):
                evidence[theme_index][key] = WEAK_KEYWORD_WEIGHT if n == 0 else 0.0
    matches = []
    for theme_index, found in evidence.items():
        if sum(found.values()) < MIN_EVIDENCE - 1e-9:
            continue
        # 1 - 2^-evidence: one keyword ~0.34, one phrase 0.5, approaching 1 with more.
        score = 1.0 - math.pow(0.5, sum(found.values()))
        matches.append(ThemeMatch(compiled.names[theme_index], round(score, 3)))
    return tuple(sorted(matches, key=lambda m: (-m.score, m.name)))


#: The trained classifier over the seed themes (scripts/train_theme_model.py): plain JSON,
#: hash in docs/analysis.md; no pickle is loaded and nothing is downloaded.
THEME_MODEL_PATH = Path(__file__).parent / "data" / "theme_model.json"


#: Families of words a theme is named by in many ways ("diagnosis", "assessed", "ADHD",
#: "paediatrician"; "listened", "dismissed", "fobbed off", "patronising"): a comment with any
#: of a family's words also carries the family's token ("~assess"), so a word one writer uses
#: and the training comments rarely do still counts with its family.
THEME_WORD_FAMILIES: dict[str, str] = {
    "~assess": "diagnosis diagnosed diagnose diagnosing assessed assessment assessments assess adhd autism asd "
               "paediatrician paediatricians camhs referral referred waiting wait waited",
    "~listen": "listened listen listening heard hear dismissed dismissive fobbed brushed rude patronising patronised "
               "condescending ignored ignore respect respected attitude judged blamed",
    "~ehcp": "ehcp ehc plan annual review caseworker tribunal draft final deadline weeks",
    "~school": "school placement specialist provision mainstream unit resource base setting",
    "~social": "social care worker short breaks respite carer carers direct payments pa overnight",
}
_FAMILY_STEMS = {token: frozenset(stem(w) for w in words.split()) for token, words in THEME_WORD_FAMILIES.items()}


def theme_tokens(text: str) -> list[str]:
    """Stemmed words, pairs of adjacent stemmed words and the word families present
    (``THEME_WORD_FAMILIES``), as the classifier's vocabulary holds them."""
    stems = stem_tokens(text or "")
    present = set(stems)
    return (stems + [f"{a} {b}" for a, b in zip(stems, stems[1:])]
            + [token for token, family in _FAMILY_STEMS.items() if present & family])


_CHAR_WORD = re.compile(r"[a-z0-9]+")
#: Length of the classifier's character n-grams.
CHAR_GRAM = 4


@lru_cache(maxsize=65536)
def _word_grams(word: str) -> tuple[str, ...]:
    padded = f" {word} "
    return tuple(padded[i : i + CHAR_GRAM] for i in range(max(1, len(padded) - CHAR_GRAM + 1)))


def theme_char_grams(text: str) -> list[str]:
    """Runs of four characters inside each word, its edges marked by a space (" ehc",
    "ehcp", "hcp "; "assesment" shares " ass", "asse", "sess" with "assessment"), so a
    misspelt or unusual form of a word still counts with the words it looks like."""
    return [g for w in _CHAR_WORD.findall((text or "").lower()) for g in _word_grams(w)]


@dataclass(frozen=True)
class _ThemeModel:
    themes: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: "np.ndarray"
    char_vocabulary: dict[str, int]
    char_idf: "np.ndarray"
    #: per feature (rows: the rules' score for each seed theme, then the words' vocabulary,
    #: then the character n-grams'), one coefficient per theme (columns)
    weights: "np.ndarray"
    intercept: "np.ndarray"
    thresholds: tuple[float, ...]
    fallback: float
    #: a word's character n-grams as vocabulary indices, filled as words are met
    word_grams: dict[str, tuple[int, ...]]


@lru_cache(maxsize=1)
def _theme_model() -> _ThemeModel | None:
    """The trained classifier, read once; None before the training script has run."""
    import numpy as np

    if not THEME_MODEL_PATH.exists():
        return None
    data = json.loads(THEME_MODEL_PATH.read_text(encoding="utf-8"))
    return _ThemeModel(tuple(data["themes"]), data["vocabulary"], np.array(data["idf"], dtype=np.float64),
                       data["char_vocabulary"], np.array(data["char_idf"], dtype=np.float64),
                       np.ascontiguousarray(np.array(data["coef"], dtype=np.float64).T),
                       np.array(data["intercept"], dtype=np.float64),
                       tuple(data["thresholds"]), float(data["fallback"]), {})


def _tfidf_logits(ids: list[int], idf: "np.ndarray", weights: "np.ndarray") -> "np.ndarray | None":
    """What the terms of one comment add to each theme's log-odds: TF-IDF as scikit-learn's
    TfidfVectorizer(sublinear_tf=True) gives it (1 + log(count), times idf, scaled to unit
    length), times the terms' coefficients."""
    import numpy as np

    if not ids:
        return None
    counts = Counter(ids)
    index = np.fromiter(counts.keys(), np.intp, len(counts))
    values = (1.0 + np.log(np.fromiter(counts.values(), np.float64, len(counts)))) * idf[index]
    return (values / math.sqrt(float(values @ values))) @ weights[index]


def theme_probabilities(text: str, rules: Sequence[ThemeMatch] | None = None) -> dict[str, float]:
    """The classifier's probability of each seed theme for ``text`` (empty without a model).
    ``rules``: what the keyword rules found with the seed taxonomy, if already known."""
    import numpy as np

    model = _theme_model()
    if model is None:
        return {}
    scores = {m.name: m.score for m in (rule_themes(text) if rules is None else rules)}
    n, n_words = len(model.themes), len(model.idf)
    z = model.intercept + np.array([scores.get(name, 0.0) for name in model.themes]) @ model.weights[:n]
    vocabulary = model.vocabulary
    words = _tfidf_logits([j for j in map(vocabulary.get, theme_tokens(text)) if j is not None],
                          model.idf, model.weights[n : n + n_words])
    grams_of, char_vocabulary = model.word_grams, model.char_vocabulary
    ids = []
    for word in _CHAR_WORD.findall((text or "").lower()) if char_vocabulary else ():
        grams = grams_of.get(word)
        if grams is None:
            if len(grams_of) > 200_000:  # a bound on the memory a stream of new words takes
                grams_of.clear()
            grams = grams_of[word] = tuple(j for j in map(char_vocabulary.get, _word_grams(word)) if j is not None)
        ids.extend(grams)
    grams = _tfidf_logits(ids, model.char_idf, model.weights[n + n_words :])
    for part in (words, grams):
        if part is not None:
            z = z + part
    p = 1.0 / (1.0 + np.exp(-np.clip(z, -700.0, 700.0)))
    return {name: float(p[k]) for k, name in enumerate(model.themes)}


_SEED_BY_NAME = {t.name: t for t in SEED_TAXONOMY}


@lru_cache(maxsize=32)
def _modelled(taxonomy: tuple[ThemeDefinition, ...], model_themes: tuple[str, ...]) -> frozenset[str]:
    """The themes of ``taxonomy`` the classifier decides: those exactly as the seed has them."""
    return frozenset(t.name for t in taxonomy if _SEED_BY_NAME.get(t.name) == t) & frozenset(model_themes)


def match_themes(text: str, taxonomy: Sequence[ThemeDefinition] = SEED_TAXONOMY) -> tuple[ThemeMatch, ...]:
    """Themes in ``text``, strongest first.

    The keyword rules find themes in any taxonomy. For a seed theme (unchanged from
    ``SEED_TAXONOMY``) the trained classifier decides, reading the words and what the rules
    found: it gives the theme when its probability reaches the theme's threshold, and a
    comment that would get no seed theme gets its most probable one if that reaches the
    model's fallback. Such a theme's score is the rules' score when they found it, else
    the probability. Themes staff wrote or changed are matched by the rules alone."""
    taxonomy = tuple(taxonomy)
    rules = rule_themes(text, taxonomy)
    model = _theme_model()
    modelled = _modelled(taxonomy, model.themes if model else ())
    if not modelled:
        return rules
    seed_rules = rules if taxonomy == SEED_TAXONOMY else rule_themes(text)
    p = theme_probabilities(text, seed_rules)
    chosen = {name for name in modelled if p[name] >= model.thresholds[model.themes.index(name)]}
    others = [m for m in rules if m.name not in modelled]
    if not chosen and not others:
        best = max(modelled, key=lambda name: (p[name], name))
        if p[best] >= model.fallback:
            chosen = {best}
    scores = {m.name: m.score for m in rules}
    matches = others + [ThemeMatch(name, scores.get(name, round(max(p[name], 0.001), 3))) for name in chosen]
    return tuple(sorted(matches, key=lambda m: (-m.score, m.name)))


def discover_emerging_themes(
    texts: Sequence[str], max_themes: int = 5, min_size: int = 3, examples: int = 3
) -> list[EmergingTheme]:
    """Group comments (typically those that matched no theme) into candidate new themes.

    TF-IDF over words and word pairs, then k-means with a fixed seed so the same comments
    always give the same groups. Groups smaller than ``min_size`` are dropped; too few
    comments, or comments with no content words, give an empty list.
    """
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    texts = list(texts)
    usable = [i for i, t in enumerate(texts) if t and t.strip()]
    if len(usable) < max(min_size, 2) or max_themes < 1:
        return []
    stop_words = frozenset(ENGLISH_STOP_WORDS)
    vectorizer = TfidfVectorizer(analyzer=lambda text: _subject_terms(text, stop_words), min_df=1, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform([texts[i] for i in usable])
    except ValueError:  # only stop words: nothing to group on
        return []
    # Comments like "N/A" have no content words; they would only blur the groups.
    keep = [row for row in range(matrix.shape[0]) if matrix[row].nnz]
    if len(keep) < max(min_size, 2):
        return []
    usable = [usable[row] for row in keep]
    matrix = matrix[keep]
    # More groups than asked for, so that comments with little in common do not blur a
    # group; the largest coherent ones are offered.
    k = max(1, min(max_themes, len(usable) // min_size), min(2 * max_themes, len(usable) // (3 * min_size)))
    model = KMeans(n_clusters=k, n_init=10, random_state=0).fit(matrix)
    terms = vectorizer.get_feature_names_out()
    themes = []
    for cluster in range(k):
        members = [n for n, label in enumerate(model.labels_) if label == cluster]
        if len(members) < min_size:
            continue
        centre = model.cluster_centers_[cluster]
        top = [terms[j] for j in centre.argsort()[::-1][:8] if centre[j] > 0]
        member_texts = [texts[usable[m]] for m in members]
        label = readable_label(top, member_texts)
        head = label.split(" and ")[0].lower()
        if sum(f" {head} " in " " + " ".join(_WORD.findall(t.lower())) + " " for t in member_texts) < \
                MIN_COHERENCE * len(members):
            continue
        top = top[:5]
        distances = ((matrix[members].toarray() - centre) ** 2).sum(axis=1)
        # Distinct examples: the same comment sent twice (or differing only in case and
        # spacing) is shown once.
        closest, seen = [], set()
        for j in distances.argsort():
            key = " ".join(texts[usable[members[j]]].lower().split())
            if key not in seen:
                seen.add(key)
                closest.append(members[j])
            if len(closest) == examples:
                break
        themes.append(EmergingTheme(
            tuple(top), len(members),
            tuple(texts[usable[m]] for m in closest),
            tuple(usable[m] for m in members),
            label,
        ))
    return sorted(themes, key=lambda t: (-t.size, t.label_keywords))[:max_themes]

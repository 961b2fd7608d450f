"""Demo data for surveys: the co-designed "Communication with the SEND service" series,
three closed waves with a few hundred responses each (communication improving wave by
wave) and an open wave with every question kind."""

import random
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select

from ..extensions import db
from ..models import (
    Answer,
    BankQuestion,
    CoDesignPartner,
    Organisation,
    Question,
    Response,
    ResponseStatus,
    Survey,
    SurveyEvent,
    SurveyStatus,
    User,
)
from ..responses.services import AGE_BANDS, LOCALITIES, REFERENCE_ALPHABET
from .bank import ensure_question_bank
from .kinds import LIKERT, kind_named
from .kinds.base import part_value
from .kinds.date import Date
from .kinds.free_text import FreeText
from .kinds.grid import Grid
from .kinds.likert import Likert
from .kinds.multi_choice import MultiChoice
from .kinds.number import Number
from .kinds.rating import Rating
from .kinds.single_choice import SingleChoice
from .kinds.yes_no import YesNo

LIKERT_KIND, YES_NO, RATING, SINGLE, MULTI = Likert.name, YesNo.name, Rating.name, SingleChoice.name, MultiChoice.name
NUMBER, DATE, FREE_TEXT, GRID = Number.name, Date.name, FreeText.name, Grid.name
CLARITY = ["Very clear", "Quite clear", "Not clear"]

SERIES = "communication-with-the-send-service"
TITLE = "Communication with the SEND service"
PURPOSE = (
    "Tell us how well the SEND service keeps in touch with you: whether you know who to contact, "
    "hear about progress, and feel listened to.\n"
    "Family Voice Norfolk and the Norfolk Youth Forum helped write these questions. We will publish "
    "what we change because of your answers."
)
PRIVACY = (
    "Your answers are anonymous. Norfolk County Council's SEND service uses them to improve how it "
    "communicates with families. Results are only shown for groups of 5 or more people. Comments are "
    "read by council staff with names and personal details removed. We keep answers for 2 years."
)
# (label, opens, closes, status, number of responses, chance of a positive answer)
WAVES = [
    ("Spring 2025 (wave 1)", datetime(2025, 3, 1), datetime(2025, 4, 15), SurveyStatus.CLOSED, 240, 0.38),
    ("Autumn 2025 (wave 2)", datetime(2025, 10, 1), datetime(2025, 11, 15), SurveyStatus.CLOSED, 280, 0.47),
    ("Spring 2026 (wave 3)", datetime(2026, 3, 1), datetime(2026, 4, 15), SurveyStatus.CLOSED, 310, 0.58),
    ("Autumn 2026 (wave 4)", datetime(2026, 11, 1), datetime(2027, 1, 31), SurveyStatus.OPEN, 0, 0.6),
]

NEGATIVE_COMMENTS = [
    "I have emailed the caseworker four times and never had a reply.",
    "Nobody tells you anything. I only found out the EHCP was late when I chased it myself.",
    "We were passed from one person to another and had to explain everything again each time.",
    "The annual review paperwork arrived after the meeting, which made it pointless.",
    "It feels like you have to fight for every bit of support. I am exhausted.",
    "Phone calls go to voicemail and messages are not returned.",
    "The letters are full of jargon and I did not understand what had been decided.",
    "Our caseworker changed three times this year and none of them introduced themselves.",
    "I felt talked down to in the meeting, like my views about my own son did not matter.",
    "Waiting 9 months for an assessment with no update at all is not acceptable.",
    "The portal says 'in progress' and nobody can tell me what that means.",
    "We were promised a call back within 5 days and it took 7 weeks.",
    "My daughter's transport was cancelled and we were told the day before.",
    "CAMHS and the SEND team do not talk to each other, so we are the messengers.",
    "Great, another form asking the same questions we answered last year.",
]
POSITIVE_COMMENTS = [
    "Our new caseworker rings every few weeks to let us know where things are. It has made a huge difference.",
    "I finally feel listened to. The co-production meeting actually changed the plan.",
    "The updates by email at each stage of the EHCP were really helpful.",
    "The SENCo and the council worked together and kept us informed throughout.",
    "Information on the Local Offer website was clear and easy to find.",
    "I got a reply the same day when I emailed about the annual review.",
    "The transition worker explained the move to college in a way my son understood.",
    "Staff were kind and patient, and explained what would happen next.",
    "Much better than last year: we always knew who to contact.",
    "The short breaks team called back quickly and sorted everything out.",
]
MIXED_COMMENTS = [
    "School have been brilliant but we heard nothing from the caseworker for months.",
    "The plan itself is good, but getting anyone to answer the phone is still hard.",
    "Communication has improved since the spring, although letters still arrive late.",
    "Friendly staff, but I still do not know who is responsible for what.",
]


def _options_questions():
    return [
        dict(page=1, kind=LIKERT_KIND, bank="I know who to contact about my child's EHCP"),
        dict(page=1, kind=LIKERT_KIND, bank="I am kept informed about progress"),
        dict(page=2, kind=LIKERT_KIND, bank="I feel listened to"),
        dict(page=2, kind=LIKERT_KIND, bank="Information is easy to understand"),
        dict(page=2, kind=LIKERT_KIND, bank="I get a reply within a reasonable time"),
        dict(page=3, kind=YES_NO, text="Did you get a reply the last time you contacted the SEND service?",
             allow_dont_know=True, dimensions=["communication", "timeliness"], required=True),
        dict(page=3, kind=RATING, text="How would you rate communication with the SEND service overall?",
             hint="0 is very poor, 10 is excellent", dimensions=["communication"], allow_dont_know=True),
        dict(page=4, kind=SINGLE, text="How would you like us to keep in touch?",
             options=["Email", "Phone call", "Letter", "Text message", "Through my child's school"],
             allow_prefer_not=True),
        dict(page=4, kind=MULTI, text="Which services have you been in touch with in the last year?",
             options=["EHCP assessment team", "Educational psychology", "CAMHS", "Speech and language therapy",
                      "Short breaks", "SEND transport"]),
        dict(page=5, kind=NUMBER, text="How many times did you have to chase for a reply in the last 6 months?",
             min_value=0, max_value=100, show_if=(5, "no")),
        dict(page=5, kind=DATE, text="When did you last contact the SEND service?",
             hint="For example, 27 9 2026. Leave it blank if you are not sure."),
        dict(page=6, kind=FREE_TEXT, text="What one thing would make communication with the SEND service better?",
             max_length=1000, dimensions=["communication"]),
        dict(page=6, kind=FREE_TEXT, text="Is there anything else you would like to tell us?", max_length=2000),
        dict(page=4, kind=GRID, text="How clear is each of these from the SEND service?",
             options=["Letters", "Emails", "Phone calls", "Your child's plan"], settings={"scale": CLARITY}),
    ]


def _build_questions(survey: Survey, bank: dict[str, BankQuestion], credit: Organisation):
    made = []
    for position, spec in enumerate(_options_questions(), start=1):
        source = bank.get(spec.get("bank"))
        question = Question(
            position=position, page=spec["page"], kind=spec["kind"],
            text=source.text if source else spec["text"], hint=(source.hint if source else spec.get("hint", "")),
            required=spec.get("required", False), options=spec.get("options", []),
            allow_dont_know=source.allow_dont_know if source else spec.get("allow_dont_know", False),
            allow_prefer_not=spec.get("allow_prefer_not", False), max_length=spec.get("max_length"),
            min_value=spec.get("min_value"), max_value=spec.get("max_value"), settings=spec.get("settings", {}),
            dimensions=list(source.dimensions) if source else spec.get("dimensions", []),
            bank_question=source,
        )
        if position == 12:
            question.credited_organisation = credit
        survey.questions.append(question)
        made.append((question, spec))
    db.session.flush()
    for question, spec in made:
        if "show_if" in spec:
            index, value = spec["show_if"]
            question.show_when = {"match": "all", "conditions": [{"question": made[index][0].id, "values": [value]}]}
    return [q for q, _ in made]


def _answer_rows(rng: random.Random, questions, p_good: float, opens: datetime, closes: datetime):
    """Plausible answers: people who feel heard answer most things positively."""
    feels_heard = rng.random() < p_good
    rows = []

    def likert():
        if rng.random() < 0.06:
            return "dont_know", None
        if feels_heard:
            value = rng.choices(["strongly_agree", "agree", "neither", "disagree"], [3, 5, 1.5, 0.5])[0]
        else:
            value = rng.choices(["agree", "neither", "disagree", "strongly_disagree"], [0.8, 1.5, 4, 3.5])[0]
        return value, {v: n for v, _, n in LIKERT}[value]

    replied = None
    for question in questions:
        kind = question.kind
        if kind == LIKERT_KIND:
            rows.append((question.id, *likert()))
        elif kind == YES_NO:
            replied = "yes" if rng.random() < (0.85 if feels_heard else 0.35) else "no"
            rows.append((question.id, replied, 1.0 if replied == "yes" else 0.0))
        elif kind == RATING:
            score = max(0, min(10, round(rng.gauss(7.5 if feels_heard else 3.5, 1.8))))
            rows.append((question.id, str(score), float(score)))
        elif kind == SINGLE:
            rows.append((question.id, rng.choices(question.options, [6, 3, 1, 2, 2])[0], None))
        elif kind == MULTI:
            for option in rng.sample(question.options, rng.randint(1, 3)):
                rows.append((question.id, option, None))
        elif kind == NUMBER and replied == "no":
            chased = rng.randint(1, 9)
            rows.append((question.id, str(chased), float(chased)))
        elif kind == DATE and rng.random() < 0.7:
            day = opens - timedelta(days=rng.randint(1, 120))
            rows.append((question.id, day.date().isoformat(), None))
        elif kind == FREE_TEXT and rng.random() < (0.55 if question.dimensions else 0.25):
            pool = POSITIVE_COMMENTS if feels_heard else NEGATIVE_COMMENTS
            if rng.random() < 0.15:
                pool = MIXED_COMMENTS
            rows.append((question.id, rng.choice(pool), None))
        elif kind == GRID:
            for statement in question.options:
                if rng.random() < 0.9:
                    point = rng.choices(CLARITY, [5, 3, 1] if feels_heard else [1, 3, 4])[0]
                    rows.append((question.id, part_value(statement, point), None))
    return rows


def _seed_responses(rng, survey, count, p_good, opens, closes):
    questions = sorted(survey.questions, key=lambda q: q.position)
    span = (closes - opens).total_seconds()
    types = ["parent_carer"] * 7 + ["young_person"] * 2 + ["professional"]
    for n in range(count):
        submitted = opens + timedelta(seconds=rng.random() * span)
        response = Response(
            survey_id=survey.id, status=ResponseStatus.SUBMITTED,
            reference="FB-" + "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(8)),
            channel=rng.choices(["online", "phone", "paper", "event"], [20, 2, 2, 1])[0],
            respondent_type=rng.choice(types) if rng.random() < 0.9 else None,
            locality=rng.choice(LOCALITIES[:7]) if rng.random() < 0.85 else None,
            child_age_band=rng.choice(AGE_BANDS)[0] if rng.random() < 0.8 else None,
            consent_to_quote=rng.random() < 0.6, about_you_done=True,
            started_at=submitted - timedelta(minutes=rng.randint(3, 20)), submitted_at=submitted,
        )
        db.session.add(response)
        db.session.flush()
        rows = _answer_rows(rng, questions, p_good, opens, closes)
        by_id = {q.id: q for q in questions}
        db.session.execute(insert(Answer), [
            {"response_id": response.id, "question_id": qid, "value": value, "number": number,
             "slot": kind_named(by_id[qid].kind).slot(by_id[qid], value)}
            for qid, value, number in rows
        ])


def seed_demo_surveys():
    ensure_question_bank()
    if db.session.scalar(select(Survey.id).where(Survey.series_key == SERIES)) is not None:
        return
    rng = random.Random(2026)
    bank = {b.text: b for b in db.session.scalars(select(BankQuestion))}
    forum = db.session.scalar(select(Organisation).where(Organisation.name == "Family Voice Norfolk"))
    youth = db.session.scalar(select(Organisation).where(Organisation.name == "Norfolk Youth Forum"))
    staff = db.session.scalar(select(User).where(User.email == "staff@example.org"))
    for number, (label, opens, closes, status, count, p_good) in enumerate(WAVES, start=1):
        opens, closes = opens.replace(tzinfo=timezone.utc), closes.replace(tzinfo=timezone.utc)
        survey = Survey(
            slug=f"{SERIES}-wave-{number}", short_code=f"comm{number}", series_key=SERIES, wave_number=number,
            wave_label=label, title=TITLE, purpose=PURPOSE, audience="both", service_area="EHCP and SEND casework",
            status=status, opens_at=opens, closes_at=closes, anonymous=True, privacy_text=PRIVACY,
            estimated_minutes=6, created_by=staff, results_published=status == SurveyStatus.CLOSED,
        )
        db.session.add(survey)
        db.session.flush()
        _build_questions(survey, bank, forum)
        for organisation in (forum, youth):
            lead = next((m.user for m in organisation.memberships if m.role == "lead"), None)
            survey.partners.append(CoDesignPartner(organisation=organisation, signed_off_by=lead,
                                                   signed_off_at=opens - timedelta(days=14)))
            db.session.add(SurveyEvent(survey=survey, actor=lead, organisation=organisation, kind="signed_off",
                                       description=f"{lead.display_name if lead else 'The lead'} signed off for {organisation.name}",
                                       created_at=opens - timedelta(days=14)))
        db.session.add(SurveyEvent(survey=survey, actor=staff, kind="opened", description="Survey opened to families",
                                   created_at=opens))
        _seed_responses(rng, survey, count, p_good, opens, closes)
        db.session.commit()

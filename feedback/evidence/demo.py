"""Demo data for evidence: co-design comments and wording suggestions on the first demo wave
(one accepted with credit, one declined with a reason), stages of participation for the demo
waves, off-platform co-production, owners and progress of the demo "You said, we did"
actions, and a cohort of children and young people with an EHC plan
or on SEN support in Norfolk by locality and age band (illustrative figures)."""

from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import (
    Action,
    ActionUpdate,
    Activity,
    Cohort,
    CohortFigure,
    DesignComment,
    Organisation,
    Stage,
    SuggestionStatus,
    Survey,
    SurveyParticipation,
    User,
    WordingSuggestion,
)
from ..surveys.demo import SERIES

COHORT_NAME = "Children and young people with an EHC plan or on SEN support"
# Illustrative figures in the shape of the school census and SEN2 return (not real statistics).
LOCALITY_FIGURES = {
    "Breckland": 4310, "Broadland": 3980, "Great Yarmouth": 3350, "King's Lynn and West Norfolk": 4620,
    "North Norfolk": 2590, "Norwich": 5140, "South Norfolk": 4010,
}
AGE_FIGURES = {"0-4": 1420, "5-10": 10950, "11-15": 12380, "16-18": 2890, "19-25": 360}
ACTIVITIES = [
    ("Short breaks workshop", date(2025, 6, 12), Stage.CO_PRODUCTION, ["space", "voice", "audience", "influence"],
     ["Family Voice Norfolk", "Norfolk Youth Forum"],
     "Parent carers and young people rewrote the short breaks eligibility criteria with commissioners; "
     "the new criteria were adopted in September 2025 and the Youth Forum was told at its next meeting."),
    ("Parent carer forum meeting on the annual review letter", date(2025, 11, 20), Stage.PARTICIPATION, [],
     ["Family Voice Norfolk", "SENsational Families"],
     "Forum members commented on a draft annual review letter; the council shortened it and added a named "
     "contact. The forum asked to see the final version before it is used."),
    ("Youth Forum session on transition to adult services", date(2026, 2, 5), Stage.CONSULTATION,
     ["space", "voice"], ["Norfolk Youth Forum"],
     "Young people described what worried them about moving to adult services. Their views went to the "
     "preparing for adulthood board, which has not yet replied."),
]


def _seed_co_design(wave: Survey, staff: User | None) -> None:
    forum = db.session.scalar(select(Organisation).where(Organisation.name == "Family Voice Norfolk"))
    youth = db.session.scalar(select(Organisation).where(Organisation.name == "Norfolk Youth Forum"))
    if forum is None or youth is None or not wave.questions:
        return
    lead = next((m.user for m in forum.memberships if m.role == "lead"), None)
    young = next((m.user for m in youth.memberships if m.role == "lead"), None)
    before = wave.opens_at - timedelta(days=30)
    questions = sorted(wave.questions, key=lambda q: q.position)
    db.session.add(DesignComment(survey_id=wave.id, question=questions[0], author=lead, organisation=forum,
                                 body="Many parents will not know what an EHCP is called locally.",
                                 created_at=before))
    db.session.add(DesignComment(survey_id=wave.id, author=young, organisation=youth,
                                 body="Can young people answer about themselves, not only parents?",
                                 created_at=before + timedelta(days=1)))
    db.session.add(WordingSuggestion(
        survey_id=wave.id, question=questions[2], author=lead, organisation=forum,
        original_text="The SEND service takes my views into account", suggested_text=questions[2].text,
        reason="Plainer words",
        status=SuggestionStatus.ACCEPTED, decided_by_id=staff.id if staff else None,
        decided_at=before + timedelta(days=3), created_at=before + timedelta(days=2)))
    db.session.add(WordingSuggestion(
        survey_id=wave.id, question=questions[5], author=young, organisation=youth,
        original_text=questions[5].text, suggested_text="Did anyone get back to you?", reason="Shorter",
        status=SuggestionStatus.DECLINED, decided_by_id=staff.id if staff else None,
        decided_at=before + timedelta(days=4), created_at=before + timedelta(days=2),
        decision_reason="The question has to match earlier waves so the results can be compared."))


def seed_demo_evidence():
    if db.session.scalar(select(Cohort.id).limit(1)) is not None:
        return
    staff = db.session.scalar(select(User).where(User.email == "staff@example.org"))
    waves = list(db.session.scalars(select(Survey).where(Survey.series_key == SERIES).order_by(Survey.wave_number)))
    if waves:
        _seed_co_design(waves[0], staff)
        for wave in waves:
            for partner in wave.partners:
                # The demo partners were invited when the data was made; date it before sign-off.
                if partner.signed_off_at and partner.invited_at > partner.signed_off_at:
                    partner.invited_at = wave.opens_at - timedelta(days=45)
            db.session.add(SurveyParticipation(
                survey_id=wave.id, stage=Stage.CO_PRODUCTION, lundy=["space", "voice", "audience", "influence"],
                note="Family Voice Norfolk and the Youth Forum wrote and signed off the questions with the council.",
                updated_by_id=staff.id if staff else None))
    organisations = {o.name: o for o in db.session.scalars(select(Organisation))}
    for title, happened_on, stage, lundy, groups, outcome in ACTIVITIES:
        db.session.add(Activity(title=title, happened_on=happened_on, stage=stage, lundy=lundy, outcome=outcome,
                                groups=[organisations[g] for g in groups if g in organisations],
                                created_by_id=staff.id if staff else None))
    cohort = Cohort(name=COHORT_NAME, source="School census and SEN2 return, January 2026 (illustrative figures)",
                    as_of=date(2026, 1, 15), created_by_id=staff.id if staff else None)
    for dimension, figures in (("locality", LOCALITY_FIGURES), ("age_band", AGE_FIGURES)):
        for key, count in figures.items():
            cohort.figures.append(CohortFigure(dimension=dimension, group_key=key, count=count))
    db.session.add(cohort)
    _seed_register(staff)
    db.session.commit()


# Who is responsible for each demo action, where it was published, and its dated progress
# (keyed by the start of what families said).
REGISTER = {
    "Nobody rings back": ("SEND casework team", "Local Offer newsletter, October 2025", [
        (date(2025, 6, 2), "planned", "in_progress", "Caseworkers recruited for every locality."),
        (date(2025, 9, 1), "in_progress", "done", "Every family has a named caseworker and the phone line is open 9 to 5."),
    ]),
    "You only find out about delays": ("EHC assessment team", "", [
        (date(2026, 2, 10), "planned", "in_progress", "Stage updates by email started; texts follow in the spring."),
    ]),
    "Letters are full of jargon": ("SEND service improvement team", "", []),
}


def _seed_register(staff) -> None:
    for action in db.session.scalars(select(Action)):
        for start, (owner, published_in, updates) in REGISTER.items():
            if action.you_said.startswith(start):
                action.owner, action.published_in = owner, published_in
                for happened_on, from_status, to_status, text in updates:
                    action.updates.append(ActionUpdate(
                        happened_on=happened_on, from_status=from_status, to_status=to_status, text=text,
                        created_by_id=staff.id if staff else None))

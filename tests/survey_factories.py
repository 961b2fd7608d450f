"""Build surveys for tests through the real services, as staff would."""

from datetime import datetime, timedelta, timezone

from feedback.models import Role
from feedback.surveys import services

from .conftest import make_organisation, make_user

EVERY_KIND = [
    dict(kind="single_choice", text="How do you prefer to hear from us?", options=["Email", "Phone", "Letter"], page=1,
         required=True, allow_prefer_not=True),
    dict(kind="multi_choice", text="Which services have you used?", options=["CAMHS", "Short breaks", "Transport"], page=1),
    dict(kind="likert5", text="I feel listened to", page=2, required=True, allow_dont_know=True, dimensions=["communication"]),
    dict(kind="yes_no", text="Did you get a reply?", page=2, required=True, dimensions=["communication"]),
    dict(kind="number", text="How many times did you chase?", page=3, min_value=0, max_value=50),
    dict(kind="rating", text="Rate communication overall", page=3),
    dict(kind="date", text="When did you last contact us?", page=4),
    dict(kind="free_text", text="What would make things better?", page=4, max_length=300),
]


def make_survey(staff=None, *, questions=EVERY_KIND, title="Communication with the SEND service", **overrides):
    staff = staff or make_user(Role.STAFF)
    now = datetime.now(timezone.utc)
    fields = dict(
        title=title, purpose="Tell us how we keep in touch.", audience="both", service_area="EHCP",
        wave_label="Autumn 2026", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30),
        anonymous=True, privacy_text="Your answers are anonymous.", estimated_minutes=5, retention_days=730,
    )
    fields.update(overrides)
    survey = services.create_survey(staff, **fields)
    for spec in questions:
        services.add_question(survey, staff, **spec)
    return survey


def make_open_survey(staff=None, **kwargs):
    staff = staff or make_user(Role.STAFF)
    survey = make_survey(staff, **kwargs)
    services.open_survey(survey, staff, override_reason="Testing without partners")
    return survey


def make_co_designed_survey(staff=None):
    """A survey in co-design with Family Voice Norfolk, led by a forum lead."""
    staff = staff or make_user(Role.STAFF)
    forum = make_organisation("Family Voice Norfolk", "parent_carer_forum")
    lead = make_user(Role.FORUM_MEMBER, organisation=forum, membership="lead", display_name="Fran Forum")
    survey = make_survey(staff)
    services.invite_partner(survey, staff, forum)
    services.send_for_co_design(survey, staff)
    return survey, forum, lead, staff

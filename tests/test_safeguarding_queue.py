"""The safeguarding queue works for any feature that registers where its text lives."""

from sqlalchemy import select

from feedback.extensions import db
from feedback.models import AuditEvent, Role, SafeguardingFlag
from feedback.safeguarding import services

from .conftest import make_user

TEXTS = {7: "My dad hits me when I get home. Email me at sam@example.org."}


@services.register_source("test_note", "Test note")
def note_text(note_id):
    return services.SourceText(TEXTS[note_id], "/somewhere") if note_id in TEXTS else None


def test_safe_text_is_not_flagged(app):
    assert services.flag_if_at_risk("test_note", 1, "More buses after school please.") is None
    db.session.commit()
    assert db.session.scalar(select(SafeguardingFlag)) is None


def test_a_registered_source_shows_redacted_in_the_queue_and_whole_to_the_lead(client, auth):
    flag = services.flag_if_at_risk("test_note", 7, TEXTS[7])
    db.session.commit()
    auth.sign_in_as(Role.STAFF)
    queue = client.get("/safeguarding")
    assert "Test note" in queue.text and "[email]" in queue.text and "sam@example.org" not in queue.text
    auth.sign_out()
    lead = make_user(Role.STAFF, safeguarding_lead=True)
    auth.sign_in(lead.email)
    detail = client.get(f"/safeguarding/{flag.id}")
    assert "sam@example.org" in detail.text and 'href="/somewhere"' in detail.text
    assert db.session.scalar(select(AuditEvent.action)) == "safeguarding.flag_viewed"


def test_a_flag_reopens_when_the_text_is_flagged_again(app):
    lead = make_user(Role.STAFF, safeguarding_lead=True)
    flag = services.flag_if_at_risk("test_note", 7, TEXTS[7])
    db.session.commit()
    services.mark_actioned(flag, lead, "Spoke to the family.")
    again = services.flag_if_at_risk("test_note", 7, "I want to kill myself")
    db.session.commit()
    assert again.id == flag.id and again.is_open and again.category_list == ["suicide_self_harm"]


def test_the_audit_log_is_for_admins_and_newest_first(client, auth):
    from feedback.audit import record_audit

    record_audit(None, "first.thing", "test", 1)
    record_audit(None, "second.thing", "test", 2, {"why": "testing"})
    db.session.commit()
    auth.sign_in_as(Role.ADMIN)
    page = client.get("/admin/audit").text
    assert page.index("second.thing") < page.index("first.thing")
    assert "{&#34;why&#34;: &#34;testing&#34;}" in page

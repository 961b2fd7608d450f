"""Youth Forum ideas: what young people and staff notice when they put forward, check,
support, discuss, report and answer ideas."""

import pytest
from sqlalchemy import func, select

from feedback.extensions import db
from feedback.ideas import services
from feedback.models import (
    AuditEvent,
    Idea,
    IdeaComment,
    Notification,
    IdeaReport,
    IdeaStatus,
    IdeaSupport,
    Role,
    SafeguardingFlag,
    User,
)
from feedback.models.ideas import AlreadySupported, IdeaNotEditable, InvalidTransition
from feedback.privacy import services as privacy

from .conftest import csrf_token, make_user


def submit_through_forms(client, title="Quiet rooms in school", body="Lunch is too loud.", category="Something else"):
    page = client.get("/ideas/new")
    response = client.post("/ideas/new", data={
        "title": title, "body": body, "category": category, "csrf_token": csrf_token(page.text),
    })
    assert response.status_code == 302, response.text
    check = client.get("/ideas/new/check")
    return client.post("/ideas/new/check", data={"csrf_token": csrf_token(check.text)})


def published_idea(author=None, title="Quiet rooms in school", body="Lunch is too loud.", category="Something else"):
    author = author or make_user(Role.YOUTH_MEMBER, display_name="Riley")
    idea = services.submit_idea(author, title, body, category)
    services.publish_idea(idea, make_user(Role.STAFF))
    return idea


def post(client, url, page_url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client.get(page_url).text), **data})


def test_youth_member_checks_their_idea_before_sending_it(client, auth):
    member = auth.sign_in_as(Role.YOUTH_MEMBER)
    page = client.get("/ideas/new")
    assert "Help with putting an idea forward (easy read)" in page.text
    assert "Transition to adulthood" in page.text and "Something else" in page.text
    response = client.post("/ideas/new", data={
        "title": "Quiet rooms", "body": "Somewhere calm at lunch.", "category": "School place and provision",
        "csrf_token": csrf_token(page.text),
    })
    check = client.get(response.headers["Location"])
    assert "Check your idea before you send it" in check.text
    assert "Somewhere calm at lunch." in check.text
    # Change goes back to the form with what they typed.
    assert 'value="Quiet rooms"' in client.get("/ideas/new").text
    sent = client.post("/ideas/new/check", data={"csrf_token": csrf_token(check.text)}, follow_redirects=True)
    assert "Your idea has been sent" in sent.text
    idea = db.session.scalar(select(Idea))
    assert idea.author_id == member.id and idea.status == IdeaStatus.SUBMITTED
    assert "Waiting to be checked" in client.get("/ideas/mine").text


def test_idea_form_explains_what_is_missing_or_too_long(client, auth):
    auth.sign_in_as(Role.YOUTH_MEMBER)
    page = client.get("/ideas/new")
    response = client.post("/ideas/new", data={"title": "x" * 101, "csrf_token": csrf_token(page.text)})
    assert "There is a problem" in response.text
    assert "The title must be 100 characters or fewer" in response.text
    assert "Tell us what your idea is" in response.text
    assert "Choose what your idea is about" in response.text
    assert db.session.scalar(select(func.count(Idea.id))) == 0


def test_an_idea_of_only_spaces_is_missing(client, auth):
    auth.sign_in_as(Role.YOUTH_MEMBER)
    page = client.get("/ideas/new")
    response = client.post("/ideas/new", data={
        "title": "   ", "body": " \n ", "category": "Transport", "csrf_token": csrf_token(page.text)})
    assert "Give your idea a title" in response.text and "Tell us what your idea is" in response.text


def test_members_cannot_see_unpublished_ideas_of_others(client, auth):
    author = make_user(Role.YOUTH_MEMBER)
    held = services.submit_idea(author, "Later buses", "Buses after clubs.", "Transport")
    auth.sign_in_as(Role.YOUTH_MEMBER)
    assert client.get(f"/ideas/{held.id}").status_code == 404
    assert "Later buses" not in client.get("/ideas").text
    auth.sign_out()
    auth.sign_in_as(Role.FORUM_MEMBER)
    assert client.get(f"/ideas/{held.id}").status_code == 404
    auth.sign_out()
    auth.sign_in_as(Role.STAFF)
    assert "Later buses" in client.get(f"/ideas/{held.id}").text


def test_staff_publish_an_idea_and_the_author_is_notified(client, auth):
    author = make_user(Role.YOUTH_MEMBER, display_name="Jay Smith")
    services.submit_idea(author, "Later buses", "Buses after clubs.", "Transport")
    auth.sign_in_as(Role.STAFF)
    queue = client.get("/ideas/moderation")
    assert "Later buses" in queue.text and "From Jay," in queue.text
    idea = db.session.scalar(select(Idea))
    response = client.post(f"/ideas/{idea.id}/publish", data={"csrf_token": csrf_token(queue.text)}, follow_redirects=True)
    assert "is published" in response.text
    auth.sign_out()

    auth.sign_in(author.email)
    home = client.get("/")
    assert 'class="app-header-badge">1</span>' in home.text
    notifications = client.get("/ideas/notifications", follow_redirects=True)
    assert "Your idea has been published" in notifications.text
    assert "app-header-badge" not in client.get("/").text


def test_others_see_only_a_first_name_and_no_personal_details(client, auth):
    author = make_user(Role.YOUTH_MEMBER, display_name="Jay Smith")
    idea = published_idea(author, body="Ring me on 07700 900123 or email jay@example.org about it.")
    auth.sign_in_as(Role.YOUTH_MEMBER)
    page = client.get(f"/ideas/{idea.id}")
    assert "Put forward by Jay " in page.text
    assert "Smith" not in page.text
    assert "07700 900123" not in page.text and "jay@example.org" not in page.text
    assert "[phone]" in page.text


def test_member_supports_once_and_can_take_it_back(client, auth):
    idea = published_idea()
    member = auth.sign_in_as(Role.YOUTH_MEMBER)
    url = f"/ideas/{idea.id}"
    first = post(client, f"{url}/support", url)
    assert first.status_code == 302
    again = post(client, f"{url}/support", url)
    assert "You already support this idea" in client.get(again.headers["Location"]).text
    assert db.session.scalar(select(func.count(IdeaSupport.id))) == 1
    with pytest.raises(AlreadySupported):
        services.support_idea(idea, member)
    page = client.get(url)
    assert "1 supporter." in page.text and "Take back my support" in page.text
    post(client, f"{url}/support/remove", url)
    assert "0 supporters." in client.get(url).text


def test_member_cannot_change_or_withdraw_another_members_idea(client, auth):
    idea = published_idea()
    auth.sign_in_as(Role.YOUTH_MEMBER)
    assert client.get(f"/ideas/{idea.id}/change").status_code == 403
    token = csrf_token(client.get("/ideas").text)
    response = client.post(f"/ideas/{idea.id}/change", data={
        "title": "Hijacked", "body": "x", "category": "Transport", "csrf_token": token,
    })
    assert response.status_code == 403
    assert client.post(f"/ideas/{idea.id}/withdraw", data={"csrf_token": token}).status_code == 403
    db.session.refresh(idea)
    assert idea.title == "Quiet rooms in school" and idea.status == IdeaStatus.PUBLISHED


def test_author_changes_their_idea_until_the_council_answers(client, auth):
    author = auth.sign_in_as(Role.YOUTH_MEMBER)
    idea = published_idea(author)
    page = client.get(f"/ideas/{idea.id}/change")
    response = client.post(f"/ideas/{idea.id}/change", data={
        "title": "Quiet rooms in every school", "body": "Lunch is too loud.", "category": "Something else",
        "csrf_token": csrf_token(page.text),
    }, follow_redirects=True)
    assert "We will check your idea again" in response.text
    db.session.refresh(idea)
    assert idea.title == "Quiet rooms in every school" and idea.status == IdeaStatus.SUBMITTED

    services.publish_idea(idea, make_user(Role.STAFF))
    services.respond_to_idea(idea, make_user(Role.STAFF), IdeaStatus.UNDER_CONSIDERATION, "We are looking at it.")
    follow = client.get(f"/ideas/{idea.id}/change", follow_redirects=True)
    assert "You cannot change this idea now the council has answered it" in follow.text
    with pytest.raises(IdeaNotEditable):
        services.withdraw_idea(idea, author)


def test_author_withdraws_an_idea(client, auth):
    author = auth.sign_in_as(Role.YOUTH_MEMBER)
    idea = published_idea(author)
    page = client.get(f"/ideas/{idea.id}/withdraw")
    assert "Are you sure you want to withdraw your idea?" in page.text
    done = client.post(f"/ideas/{idea.id}/withdraw", data={"csrf_token": csrf_token(page.text)}, follow_redirects=True)
    assert "You have withdrawn" in done.text and "Withdrawn" in done.text
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.WITHDRAWN
    assert "Quiet rooms" not in client.get("/ideas").text


def test_staff_respond_and_everyone_sees_the_update(client, auth):
    author = make_user(Role.YOUTH_MEMBER)
    idea = published_idea(author)
    auth.sign_in_as(Role.STAFF)
    page = client.get(f"/ideas/{idea.id}/respond")
    assert "Not taken forward" in page.text
    empty = client.post(f"/ideas/{idea.id}/respond", data={"csrf_token": csrf_token(page.text)})
    assert "Choose what is happening with this idea" in empty.text and "Write your update" in empty.text
    client.post(f"/ideas/{idea.id}/respond", data={
        "status": "accepted", "text": "Four schools will open a quiet room.", "csrf_token": csrf_token(page.text),
    })
    auth.sign_out()
    auth.sign_in_as(Role.FORUM_MEMBER)
    shown = client.get(f"/ideas/{idea.id}")
    assert "Four schools will open a quiet room." in shown.text and "Accepted" in shown.text
    assert "Support this idea" not in shown.text and "Add a comment" not in shown.text
    db.session.refresh(idea)
    assert idea.first_response_at is not None
    assert db.session.scalar(select(Notification.message).where(Notification.user_id == author.id)
                             .order_by(Notification.id.desc()).limit(1)).endswith("accepted.")


def test_state_machine_refuses_moves_that_make_no_sense():
    idea = Idea(status=IdeaStatus.SUBMITTED)
    with pytest.raises(InvalidTransition):
        idea.respond(IdeaStatus.ACCEPTED, None)
    idea.status = IdeaStatus.DONE
    with pytest.raises(InvalidTransition):
        idea.respond(IdeaStatus.IN_PROGRESS, None)
    with pytest.raises(InvalidTransition):
        idea.publish(None)
    with pytest.raises(IdeaNotEditable):
        idea.withdraw(None)


def test_comments_are_checked_then_shown_and_can_be_reported_and_removed(client, auth):
    author = make_user(Role.YOUTH_MEMBER)
    idea = published_idea(author)
    commenter = make_user(Role.YOUTH_MEMBER, display_name="Priya")
    auth.sign_in(commenter.email)
    url = f"/ideas/{idea.id}"
    response = post(client, f"{url}/comments", url, body="Our school has one and it helps.")
    assert "will show once someone has checked it" in client.get(response.headers["Location"]).text
    auth.sign_out()

    auth.sign_in_as(Role.YOUTH_MEMBER)
    assert "Our school has one" not in client.get(url).text
    comment = db.session.scalar(select(IdeaComment))
    services.publish_comment(comment, make_user(Role.STAFF))
    assert "Our school has one" in client.get(url).text
    report_page = client.get(f"{url}/comments/{comment.id}/report")
    assert "Report a comment" in report_page.text
    client.post(f"{url}/comments/{comment.id}/report", data={
        "reason": "unkind", "details": "It is mean", "csrf_token": csrf_token(report_page.text),
    })
    again = client.post(f"{url}/comments/{comment.id}/report", data={
        "reason": "unkind", "csrf_token": csrf_token(report_page.text),
    })
    assert "You have already reported this" in again.text
    auth.sign_out()

    auth.sign_in_as(Role.STAFF)
    queue = client.get("/ideas/moderation")
    assert "It is unkind or rude: It is mean" in queue.text
    remove = client.get(f"/ideas/comments/{comment.id}/remove")
    client.post(f"/ideas/comments/{comment.id}/remove", data={
        "reason": "Please keep comments kind.", "csrf_token": csrf_token(remove.text),
    })
    assert "No open reports" in client.get("/ideas/moderation").text
    assert db.session.scalar(select(IdeaReport.outcome)) == "removed"
    assert "Our school has one" not in client.get(url).text


def test_removed_idea_tells_the_author_why(client, auth):
    author = make_user(Role.YOUTH_MEMBER)
    idea = services.submit_idea(author, "Delete homework", "It is pointless.", "Something else")
    auth.sign_in_as(Role.STAFF)
    page = client.get(f"/ideas/{idea.id}/remove")
    blank = client.post(f"/ideas/{idea.id}/remove", data={"csrf_token": csrf_token(page.text)})
    assert "Enter why it is being removed" in blank.text
    client.post(f"/ideas/{idea.id}/remove", data={
        "reason": "Schools decide homework, not the council.", "csrf_token": csrf_token(page.text),
    })
    auth.sign_out()
    auth.sign_in(author.email)
    mine = client.get("/ideas/mine")
    assert "Removed" in mine.text and "Schools decide homework, not the council." in mine.text


def test_safeguarding_concerns_go_to_the_queue_and_only_the_lead_reads_them(client, auth):
    author = make_user(Role.YOUTH_MEMBER, display_name="Sam")
    idea = services.submit_idea(author, "Help", "My dad hits me when I get home. Ring 07700 900123.", "Something else")
    flag = db.session.scalar(select(SafeguardingFlag))
    assert (flag.source_type, flag.source_id, flag.status) == ("idea", idea.id, "open")
    assert idea.moderation_note == services.SAFEGUARDING_NOTE

    auth.sign_in_as(Role.STAFF)
    queue = client.get("/safeguarding")
    assert "Youth Forum idea" in queue.text and "[phone]" in queue.text and "07700" not in queue.text
    assert client.get(f"/safeguarding/{flag.id}").status_code == 403
    auth.sign_out()

    lead = make_user(Role.STAFF, safeguarding_lead=True)
    auth.sign_in(lead.email)
    detail = client.get(f"/safeguarding/{flag.id}")
    assert "My dad hits me when I get home. Ring 07700 900123." in detail.text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "safeguarding.flag_viewed"))
    assert event.actor_id == lead.id and event.subject_id == flag.id
    blank = client.post(f"/safeguarding/{flag.id}", data={"csrf_token": csrf_token(detail.text)})
    assert "Enter what you did about this flag" in blank.text
    spaces = client.post(f"/safeguarding/{flag.id}", data={"note": "   ", "csrf_token": csrf_token(detail.text)})
    assert "Enter what you did about this flag" in spaces.text
    db.session.refresh(flag)
    assert flag.status == "open"
    client.post(f"/safeguarding/{flag.id}", data={
        "note": "Referred to CADS.", "csrf_token": csrf_token(detail.text),
    })
    db.session.refresh(flag)
    assert flag.status == "actioned" and flag.actioned_by_id == lead.id
    assert "There are no open flags" in client.get("/safeguarding").text
    auth.sign_out()

    auth.sign_in_as(Role.ADMIN)
    log = client.get("/admin/audit")
    assert "safeguarding.flag_viewed" in log.text and "safeguarding.flag_actioned" in log.text


def test_safeguarding_comments_are_flagged_too(app):
    idea = published_idea()
    comment = services.add_comment(idea, make_user(Role.YOUTH_MEMBER), "Sometimes I think about hurting myself.")
    flag = db.session.scalar(select(SafeguardingFlag).where(SafeguardingFlag.source_type == "idea_comment"))
    assert flag is not None and flag.source_id == comment.id


def test_without_premoderation_clean_ideas_show_at_once_but_rude_ones_wait(app, client, auth):
    app.config["IDEAS_PREMODERATION"] = False
    auth.sign_in_as(Role.YOUTH_MEMBER)
    submit_through_forms(client, title="Better buses", body="More buses after school clubs please.")
    submit_through_forms(client, title="Rubbish", body="This is shit and the drivers are fucking idiots.")
    clean, rude = db.session.scalars(select(Idea).order_by(Idea.id)).all()
    assert clean.status == IdeaStatus.PUBLISHED
    assert rude.status == IdeaStatus.SUBMITTED and rude.moderation_note == services.OFFENSIVE_NOTE
    listing = client.get("/ideas")
    assert "Better buses" in listing.text and "Rubbish" not in listing.text


def test_browse_sorts_filters_and_searches(client, auth):
    popular = published_idea(title="Quiet rooms", category="School place and provision")
    newer = published_idea(title="Later buses", body="Buses after clubs.", category="Transport")
    for _ in range(2):
        services.support_idea(popular, make_user(Role.YOUTH_MEMBER))
    services.respond_to_idea(newer, make_user(Role.STAFF), IdeaStatus.ACCEPTED, "Yes.")
    auth.sign_in_as(Role.FORUM_MEMBER)
    by_support = client.get("/ideas?sort=supported").text
    assert by_support.index("Quiet rooms") < by_support.index("Later buses")
    by_newest = client.get("/ideas?sort=newest").text
    assert by_newest.index("Later buses") < by_newest.index("Quiet rooms")
    transport = client.get("/ideas?category=Transport").text
    assert "Later buses" in transport and "Quiet rooms" not in transport
    accepted = client.get("/ideas?status=accepted").text
    assert "Later buses" in accepted and "Quiet rooms" not in accepted
    found = client.get("/ideas?q=clubs").text
    assert "Later buses" in found and "Quiet rooms" not in found and "1 idea" in found
    assert "No ideas match" in client.get("/ideas?q=100%25_").text


def test_summary_shows_categories_themes_and_time_to_first_response(client, auth):
    idea = published_idea(title="Travel training", body="Practice bus journeys before college.", category="Transport")
    published_idea(title="Quiet rooms")
    services.respond_to_idea(idea, make_user(Role.STAFF), IdeaStatus.UNDER_CONSIDERATION, "Looking at it.")
    auth.sign_in_as(Role.STAFF)
    page = client.get("/ideas/summary")
    assert "Half of all answered ideas got their first council response within" in page.text
    assert "Not answered yet" in page.text
    assert "Transport" in page.text and "Under consideration" in page.text
    summary = services.summary()
    assert summary.table["Transport"]["under_consideration"] == 1
    assert dict(summary.themes)["Transport"] >= 1
    assert summary.median_days == 0.0


def test_youth_member_deletes_their_account_and_their_ideas_stay_without_a_name(client, auth):
    member = auth.sign_in_as(Role.YOUTH_MEMBER)
    member_id, email = member.id, member.email
    idea = published_idea(member)
    other = published_idea()
    services.support_idea(other, member)
    page = client.get("/ideas/delete-my-account")
    response = client.post("/ideas/delete-my-account", data={"csrf_token": csrf_token(page.text)}, follow_redirects=True)
    assert "Your account has been deleted" in response.text
    db.session.expire_all()
    assert db.session.get(User, member_id) is None
    kept = db.session.get(Idea, idea.id)
    assert kept is not None and kept.author_id is None
    assert db.session.scalar(select(func.count(IdeaSupport.id)).where(IdeaSupport.idea_id == other.id)) == 1
    assert auth.sign_in(email).status_code == 200  # cannot sign in any more
    auth.sign_in_as(Role.YOUTH_MEMBER)
    assert services.FORMER_MEMBER in client.get(f"/ideas/{idea.id}").text


def test_a_deleted_account_goes_the_way_an_erased_one_does_and_is_audited(app, monkeypatch):
    member = make_user(Role.YOUTH_MEMBER, display_name="Riley")
    member_id = member.id
    idea = published_idea(member)  # publishing notifies the author
    other = published_idea()
    reported = services.report(other, member, "Unkind")
    forgotten = []
    forget_user = privacy.forget_user
    monkeypatch.setattr(privacy, "forget_user", lambda user_id: (forgotten.append(user_id), forget_user(user_id)))
    services.delete_member_account(member)
    assert forgotten == [member_id]  # one code path with erasure requests
    db.session.expire_all()
    assert db.session.get(User, member_id) is None
    assert db.session.get(Idea, idea.id).author_id is None
    assert db.session.get(IdeaReport, reported.id).reporter_id is None
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == member_id)) == 0
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.deleted"))
    assert event is not None and event.subject_id == member_id and "Riley" not in event.detail


def test_sending_ideas_is_rate_limited(client, auth):
    auth.sign_in_as(Role.YOUTH_MEMBER)
    for _ in range(10):
        assert submit_through_forms(client).status_code == 302
    assert submit_through_forms(client).status_code == 429


def test_seed_demo_adds_ideas_in_every_status_once(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    statuses = set(db.session.scalars(select(Idea.status)))
    assert statuses >= {s.value for s in IdeaStatus} - {IdeaStatus.WITHDRAWN}
    assert db.session.scalar(select(func.count(IdeaSupport.id))) > 5
    assert db.session.scalar(select(func.count(IdeaComment.id))) >= 3
    count = db.session.scalar(select(func.count(Idea.id)))
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert db.session.scalar(select(func.count(Idea.id))) == count

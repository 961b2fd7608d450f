"""The "You said, we did" register records everything that was heard: an action links to
several waves, themes and Youth Forum ideas, staff tick them on the form (no JavaScript), and
every reader shows all of them: the action page, the public list, the Local Offer
publication, the evidence pack, the tracking page, the API, webhooks, and the young person's
idea. The migration keeps the links an action had before."""

import re
from datetime import date, timedelta

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from feedback.actions.services import action_event, save_action
from feedback.api.services import create_token
from feedback.extensions import db
from feedback.ideas import services as idea_services
from feedback.models import Action, Idea, Notification, Role, Theme
from feedback.results.services import set_public

from .conftest import csrf_token, make_user
from .survey_factories import make_open_survey
from .test_evidence import closed_wave
from .test_local_offer import flat
from .test_tracking import answered, lookup

TODAY = date.today()


def themes(*names):
    found = [Theme(name=name) for name in names]
    db.session.add_all(found)
    db.session.commit()
    return found


def test_staff_tick_several_waves_themes_and_ideas_and_every_reader_shows_them(app, client, auth):
    staff = make_user(Role.STAFF)
    breaks = closed_wave(staff, {"Norwich": 23}, title="Short breaks survey")
    transport = closed_wave(staff, {"Norwich": 21}, title="Transport survey")
    for wave in (breaks, transport):
        set_public(wave, staff, True)
    communication, letters = themes("Communication", "Letters")
    author = make_user(Role.YOUTH_MEMBER)
    idea = idea_services.submit_idea(author, "Text updates", "Send a text when something changes.", "Something else")
    idea_services.publish_idea(idea, staff)

    auth.sign_in(staff.email)
    form = client.get("/you-said-we-did/new")
    assert form.text.count('type="checkbox"') >= 5 and 'name="surveys"' in form.text and 'name="themes"' in form.text
    saved = client.post("/you-said-we-did/new", data={
        "csrf_token": csrf_token(form.text), "you_said": "Nobody tells us what is happening",
        "we_did": "We text families at each stage", "status": "planned",
        "surveys": [str(breaks.id), str(transport.id)], "themes": [str(communication.id), str(letters.id)],
        "ideas": [str(idea.id)]})
    assert saved.status_code == 302
    action = db.session.scalar(select(Action))
    assert sorted(s.id for s in action.surveys) == sorted([breaks.id, transport.id])
    page = client.get(saved.headers["Location"]).text
    for words in ("Short breaks survey", "Transport survey", "Communication, Letters", "Text updates"):
        assert words in page
    edit = client.get(f"/you-said-we-did/{action.id}/edit").text  # both stay ticked when changing it
    assert edit.count(" checked") >= 6  # two waves, two themes, the idea and the status
    pack_page = flat(client.get("/evidence/pack", query_string={
        "start": [TODAY.day, TODAY.month, TODAY.year - 1], "end": [TODAY.day, TODAY.month, TODAY.year]}).text)
    assert "Short breaks survey" in pack_page and "Communication, Letters" in pack_page
    assert re.search(r"Heard in Short breaks survey \([^)]+\); Transport survey", pack_page)
    assert "Youth Forum ideas Text updates" in pack_page
    _, token = create_token(staff, "BI")
    auth.sign_out()

    public = flat(client.get("/you-said-we-did/").text)
    assert "Heard in: Short breaks survey; Transport survey; Communication; Letters" in public
    offer = flat(client.get(f"/evidence/local-offer/{TODAY.year}").text)
    assert re.search(r"Heard in Short breaks survey \([^)]+\); Transport survey", offer)
    assert "Themes Communication, Letters" in offer and "Youth Forum ideas Text updates" in offer

    found = client.get("/api/v1/actions", headers={"Authorization": f"Bearer {token}"}).get_json()["actions"]
    assert found[0]["survey_ids"] == [breaks.id, transport.id] and found[0]["themes"] == ["Communication", "Letters"]
    assert found[0]["survey_id"] == breaks.id and found[0]["theme"] == "Communication"  # as in 1.2
    assert found[0]["idea_ids"] == [idea.id]
    by_second_wave = client.get("/api/v1/actions", query_string={"survey_id": transport.id},
                                headers={"Authorization": f"Bearer {token}"}).get_json()["actions"]
    assert [a["id"] for a in by_second_wave] == [action.id]
    ideas = client.get("/api/v1/ideas", headers={"Authorization": f"Bearer {token}"}).get_json()["ideas"]
    assert ideas[0]["action_ids"] == [action.id] and ideas[0]["action_id"] == action.id
    with app.test_request_context():
        event = action_event(action)
    assert event["survey_ids"] == [breaks.id, transport.id] and event["theme_ids"] == [communication.id, letters.id]
    assert event["idea_ids"] == [idea.id] and event["survey_id"] == breaks.id


def test_a_family_who_answered_the_second_wave_sees_the_action(client):
    staff = make_user(Role.STAFF)
    first = closed_wave(staff, {"Norwich": 12}, title="Short breaks survey")
    second = make_open_survey(staff, title="Transport survey")
    reference = answered(second)
    save_action(staff, None, you_said="Buses are late", we_did="A new bus timetable", due_on=None, status="planned",
                survey_ids=[first.id, second.id], theme_ids=[], idea_ids=[])
    assert "A new bus timetable" in lookup(client, reference).text


def test_a_young_person_sees_every_action_their_idea_led_to(client, auth):
    staff = make_user(Role.STAFF)
    author = auth.sign_in_as(Role.YOUTH_MEMBER)
    idea = idea_services.submit_idea(author, "Quiet rooms", "Somewhere calm at lunch.", "Something else")
    idea_services.publish_idea(idea, staff)
    for we_did in ("Two quiet rooms open", "Quiet bus seats"):
        save_action(staff, None, you_said="Lunch is loud", we_did=we_did, due_on=TODAY + timedelta(days=30),
                    status="planned", survey_ids=[], theme_ids=[], idea_ids=[idea.id])
    page = client.get(f"/ideas/{idea.id}").text
    assert "This idea led to 2 actions" in page
    assert "Two quiet rooms open" in page and "Quiet bus seats" in page
    mine = client.get("/ideas/mine").text
    assert "Two quiet rooms open" in mine and "Quiet bus seats" in mine
    told = db.session.scalars(select(Notification.message).where(Notification.user_id == author.id)).all()
    assert told.count(idea_services.ACTION_LINKED) == 2


def test_the_migration_copies_each_actions_wave_theme_and_ideas_and_idea_news(app):
    staff = make_user(Role.STAFF)
    wave = closed_wave(staff, {"Norwich": 3})
    (theme,) = themes("Transport")
    author = make_user(Role.YOUTH_MEMBER)
    ideas = [idea_services.submit_idea(author, f"Idea {n}", "Words.", "Something else") for n in (1, 2)]
    action = save_action(staff, None, you_said="Buses are late", we_did="New timetable", due_on=None,
                         status="planned", survey_ids=[], theme_ids=[], idea_ids=[])
    bare = save_action(staff, None, you_said="Nothing linked", we_did="Still recorded", due_on=None,
                       status="planned", survey_ids=[], theme_ids=[], idea_ids=[])
    ids = {"action": action.id, "bare": bare.id, "wave": wave.id, "theme": theme.id,
           "ideas": [i.id for i in ideas], "author": author.id}
    db.session.remove()

    downgrade(revision="0018_i18n")
    with db.engine.begin() as connection:  # the old shape: one wave, one theme, ideas pointing at the action
        connection.execute(text("DELETE FROM idea_notification"))
        connection.execute(text("UPDATE action SET survey_id = :wave, theme_id = :theme WHERE id = :action"), ids)
        connection.execute(text("UPDATE idea SET action_id = :action"), ids)
        connection.execute(text("INSERT INTO idea_notification (user_id, idea_id, message, created_at) "
                                "VALUES (:author, :idea, 'Your idea has been published.', CURRENT_TIMESTAMP)"),
                           {"author": ids["author"], "idea": ids["ideas"][0]})
    upgrade()

    found = db.session.get(Action, ids["action"])
    assert [s.id for s in found.surveys] == [ids["wave"]] and [t.id for t in found.themes] == [ids["theme"]]
    assert sorted(i.id for i in found.ideas) == ids["ideas"]
    assert db.session.get(Action, ids["bare"]).surveys == []
    [note] = db.session.scalars(select(Notification).where(Notification.user_id == ids["author"])).all()
    assert (note.idea_id, note.message, note.read_at) == (ids["ideas"][0], "Your idea has been published.", None)
    db.session.remove()

    downgrade(revision="0018_i18n")  # and back: the first of each returns to the old columns
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT survey_id, theme_id FROM action WHERE id = :action"), ids).one() == (
            ids["wave"], ids["theme"])
        assert connection.execute(text("SELECT COUNT(*) FROM idea WHERE action_id = :action"), ids).scalar() == 2
        assert connection.execute(text("SELECT COUNT(*) FROM idea_notification")).scalar() == 1
    upgrade()
    assert db.session.scalar(select(Idea).where(Idea.id == ids["ideas"][1])).actions[0].id == ids["action"]

"""The migration that links an idea to its "You said, we did" action keeps everything
young people wrote, on SQLite (which copies the table to add the link) and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from feedback.actions.services import save_action
from feedback.extensions import db
from feedback.ideas import services
from feedback.models import (
    Action,
    Idea,
    IdeaComment,
    Notification,
    IdeaReport,
    IdeaSupport,
    IdeaUpdate,
    Role,
)

from .conftest import make_user

CHILDREN = (IdeaSupport, IdeaComment, IdeaUpdate, IdeaReport, Notification)


def row_counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in CHILDREN}


def test_linking_ideas_to_actions_keeps_what_was_written_and_unlinks_missing_actions(app):
    author, member, staff = (make_user(role) for role in (Role.YOUTH_MEMBER, Role.YOUTH_MEMBER, Role.STAFF))
    acted_on = services.submit_idea(author, "Quiet rooms", "Somewhere calm at lunch.", "Something else")
    services.publish_idea(acted_on, staff)
    services.support_idea(acted_on, member)
    services.add_comment(acted_on, member, "Our school has one.")
    services.report(acted_on, member, "Unkind")
    services.respond_to_idea(acted_on, staff, "accepted", "Two schools will try it.")
    action = save_action(staff, None, you_said="Lunch is too loud", we_did="Quiet rooms", due_on=None,
                         status="planned", survey_ids=[], theme_ids=[], idea_ids=[acted_on.id])
    orphan = services.submit_idea(author, "Later buses", "Buses after clubs finish.", "Transport")
    ids = acted_on.id, orphan.id, action.id
    before = row_counts()
    assert all(before.values())
    db.session.remove()

    downgrade(revision="0005_results")
    with db.engine.begin() as connection:  # a link the old schema could not refuse
        connection.execute(text("UPDATE idea SET action_id = 999 WHERE id = :id"), {"id": ids[1]})
    upgrade()

    assert row_counts() == before
    assert [a.id for a in db.session.get(Idea, ids[0]).actions] == [ids[2]]
    assert db.session.get(Idea, ids[1]).actions == []
    db.session.delete(db.session.get(Action, ids[2]))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Idea, ids[0]).actions == []  # the database unlinks a deleted action
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []

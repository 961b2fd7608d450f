from sqlalchemy import func, select

from feedback.extensions import db
from feedback.models import Organisation, Role, User


def test_seed_demo_creates_groups_and_one_user_per_role_once(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "admin@example.org" in first.output
    names = set(db.session.scalars(select(Organisation.name)))
    assert {"Norfolk SEND team", "Family Voice Norfolk", "SENsational Families", "Norfolk Youth Forum"} <= names
    roles = set(db.session.scalars(select(User.role)))
    assert roles == set(Role)
    count = db.session.scalar(select(func.count()).select_from(User))
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(User)) == count


def test_demo_passwords_printed_work(runner, client, auth):
    output = runner.invoke(args=["seed-demo"]).output
    line = next(line for line in output.splitlines() if "staff@example.org" in line)
    password = line.split()[-1]
    assert auth.sign_in("staff@example.org", password).status_code == 302


def test_seed_demo_refuses_in_production(app, runner):
    app.config["FEEDBACK_ENV"] = "production"
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "production" in result.output


def test_create_admin(runner, auth):
    result = runner.invoke(args=["create-admin", "--email", "Boss@Example.org", "--name", "Boss"],
                           input="long enough password\nlong enough password\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "boss@example.org"))
    assert user.role == Role.ADMIN
    assert auth.sign_in("boss@example.org", "long enough password").status_code == 302


def test_create_admin_refuses_a_short_password(runner):
    result = runner.invoke(args=["create-admin", "--email", "a@example.org", "--name", "A"], input="short\nshort\n")
    assert result.exit_code != 0 and "at least 12" in result.output


def test_seed_demo_builds_every_feature_s_demo_data_in_order(runner):
    """The seeders are listed in cli.demo_seeders (no feature registers itself on import):
    the same demo data as when they registered themselves."""
    from feedback.cli import demo_seeders
    from feedback.models import (
        Action, ContactRequest, Idea, Question, Response, ResponseStatus, Survey, SurveyStatus, TextAnalysis,
    )

    assert [seeder.__name__ for seeder in demo_seeders()] == [
        "seed_demo_ideas", "seed_demo_surveys", "seed_demo_results", "seed_demo_contact_requests",
        "seed_demo_evidence", "analyse_demo_comments",
    ]
    assert runner.invoke(args=["seed-demo"]).exit_code == 0

    def count(model, *where):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))

    assert sorted(db.session.execute(select(Survey.wave_label, Survey.status)).all()) == [
        ("Autumn 2025 (wave 2)", SurveyStatus.CLOSED), ("Autumn 2026 (wave 4)", SurveyStatus.OPEN),
        ("Spring 2025 (wave 1)", SurveyStatus.CLOSED), ("Spring 2026 (wave 3)", SurveyStatus.CLOSED),
    ]
    assert count(Question) == 56  # 14 questions in each of the 4 waves
    assert count(Response, Response.status == ResponseStatus.SUBMITTED) == 830
    assert count(Idea) == 9 and count(Action) == 3 and count(ContactRequest) == 3
    assert count(TextAnalysis) > 0  # analysed after the surveys exist

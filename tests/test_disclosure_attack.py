"""The attacker's test: download everything a role can see, run the linear programme the
outside test ran (hidden counts at least 1, zeros as published) and fail if any sensitive
hidden count can be narrowed below its protection interval. For a crafted wave, for
randomised waves (hypothesis) and for the demo data."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Role, Survey, User
from feedback.results import access, build, services

from .conftest import PASSWORD, make_user
from .disclosure_reader import (
    attack,
    attack_padded,
    attack_releases,
    download_everything,
    indicator_labels,
    model,
    unprotected_tables,
)
from .survey_factories import make_co_designed_survey, make_open_survey
from .test_results import LIKERT, add_responses, mixed_people


@pytest.fixture(autouse=True)
def fresh_results(app):
    """Every attack is on releases protected as in production: against 5 known responses
    (threshold 10), whatever the signs of padding (other tests use 1, see conftest)."""
    app.config["RESULTS_REFRESH_SECONDS"] = 0
    app.config["RESULTS_KNOWN_RESPONSES"] = 5


def read_and_attack(client, survey, monkeypatch, public=False, token=None):
    got = download_everything(client, survey.id, public=public, token=token)
    truth, payload = unprotected_tables(survey, monkeypatch, [k for k, _, _ in got["views"]])
    return attack(got, truth, indicator_labels(payload), payload=payload)


def assert_protected(result):
    findings = result["findings"]
    assert not findings, "\n".join(f"{f.key}: true {f.value}, could be {f.low:g} to {f.high:g}" for f in findings[:10])


def test_the_attack_finds_what_the_old_rules_gave_away(client, auth, monkeypatch):
    """The reader is real: with zeros shown and only the old cycle rule, two hidden 1s in a
    line of known total are both pinned."""
    staff = make_user(Role.STAFF)
    survey = make_open_survey(staff)
    add_responses(survey, [{"locality": "Norwich", "answers": {4: "yes", 3: "agree"}}] * 20
                  + [{"locality": "Norwich", "answers": {4: "no", 3: "disagree"}}]
                  + [{"locality": "Norwich", "answers": {3: "strongly_disagree"}}])
    monkeypatch.setattr(build, "secure", lambda relations, values, hidden, **kwargs: set(hidden))
    auth.sign_in(staff.email)
    got = download_everything(client, survey.id)
    monkeypatch.undo()
    truth, payload = unprotected_tables(survey, monkeypatch, [k for k, _, _ in got["views"]])
    result = attack(got, truth, indicator_labels(payload))
    assert any(f.pinned for f in result["findings"]), "the reader should pin a hidden count of the old rules"


@pytest.mark.parametrize("seed", [1, 2])
def test_a_forum_member_cannot_narrow_any_hidden_count(client, auth, monkeypatch, seed):
    survey, forum, lead, staff = make_co_designed_survey()
    from feedback.surveys import services as surveys

    surveys.open_survey(survey, staff, override_reason="Testing")
    add_responses(survey, mixed_people(seed, 70))
    auth.sign_in(lead.email)
    result = read_and_attack(client, survey, monkeypatch)
    assert result["sensitive"] > 0, "the test data should produce hidden small counts"
    assert_protected(result)


EXAMPLES = itertools.count()
person = st.fixed_dictionaries({
    "locality": st.sampled_from(["Norwich", "Norwich", "Breckland", "Broadland", None]),
    "respondent_type": st.sampled_from(["parent_carer", "parent_carer", "young_person", None]),
    "channel": st.sampled_from(["online", "online", "phone"]),
    "answers": st.fixed_dictionaries({
        1: st.sampled_from(["Email", "Phone", "Letter", "prefer_not"]),
        3: st.sampled_from(LIKERT + ["dont_know"]),
        4: st.sampled_from(["yes", "no"]),
    }),
})
people = st.lists(person, min_size=12, max_size=60)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(crowd=people)
def test_randomised_waves_keep_every_hidden_count_protected(client, auth, monkeypatch, crowd):
    number = next(EXAMPLES)  # one database for every example: names must differ
    staff = make_user(Role.STAFF, email=f"staff{number}@example.org")
    survey = make_open_survey(staff, title=f"Random wave {number}")
    add_responses(survey, crowd)
    auth.sign_in(staff.email)
    from feedback.api.services import create_token

    _, token = create_token(staff, f"Reporting {number}")
    try:
        assert_protected(read_and_attack(client, survey, monkeypatch, token=token))
    finally:
        auth.sign_out()


def test_the_demo_waves_hold_against_a_forum_member(client, auth, runner, monkeypatch):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    forum = db.session.scalar(select(User).where(User.email == "forum@example.org"))
    forum.set_password(PASSWORD)
    db.session.commit()
    auth.sign_in(forum.email)
    waves = db.session.scalars(select(Survey).where(Survey.status == "closed").order_by(Survey.wave_number)).all()
    assert len(waves) == 3
    figures = []
    for wave in waves:
        result = read_and_attack(client, wave, monkeypatch)
        figures.append((wave.wave_number, result["hidden"], result["sensitive"]))
        assert_protected(result)
    assert all(sensitive > 0 for _, _, sensitive in figures), figures
    # Anyone at all, once staff make a wave's summary public: its page, CSV and XLSX.
    auth.sign_out()
    staff = db.session.scalar(select(User).where(User.role == Role.STAFF))
    services.set_public(waves[-1], staff, True)
    result = read_and_attack(client, waves[-1], monkeypatch, public=True)
    assert result["hidden"] > 0, result  # (whole-wave counts: hidden ones protect others)
    assert_protected(result)


def reader_model(client, survey, monkeypatch, tag):
    got = download_everything(client, survey.id)
    truth, payload = unprotected_tables(survey, monkeypatch, [k for k, _, _ in got["views"]])
    return model(got, truth, indicator_labels(payload), tag=tag, payload=payload)


def difference_releases(client, survey, monkeypatch, batches) -> list:
    """The forum lead's attack: download everything, wait for each new batch of responses,
    download again, and put every release so far together (each with every one before it:
    the 1st with the 3rd as well as the 2nd with the 3rd). A release whose audit leaves
    findings is withheld: the reader gets the same again. Returns the attacks made (one per
    new release, each over every release so far)."""
    got = download_everything(client, survey.id)
    models = [reader_model(client, survey, monkeypatch, "r1")]
    number, attacks = services.latest_release(survey).number, []
    for batch in batches:
        add_responses(survey, batch)
        again = download_everything(client, survey.id)
        latest = services.latest_release(survey)
        if latest.number == number:
            assert again == got, "no new release: every download is the same as before"
            continue
        assert latest.number == number + 1
        number, got = latest.number, again
        models.append(reader_model(client, survey, monkeypatch, f"r{number}"))
        attacks.append(attack_releases(models))
        assert_protected(attacks[-1])
    return attacks


@pytest.mark.parametrize("seed", [3, 4])
def test_two_consecutive_releases_put_together_narrow_no_hidden_count(client, auth, app, monkeypatch, seed):
    """Each release is protected with the one before; one that cannot be is withheld, however
    many times (before, the third attempt was released with what it gave away)."""
    app.config["RESULTS_RELEASE_MIN_SECONDS"] = 0
    survey, forum, lead, staff = make_co_designed_survey()
    from feedback.surveys import services as surveys

    surveys.open_survey(survey, staff, override_reason="Testing")
    add_responses(survey, mixed_people(seed, 40))
    auth.sign_in(lead.email)
    # Nine new responses are not a release (every download is the same as before); ten are.
    batches = [mixed_people(seed + 100, 9)] + [mixed_people(seed + 200 + i, 10 if i else 1) for i in range(4)]
    attacks = difference_releases(client, survey, monkeypatch, batches)
    latest = services.latest_release(survey)
    if latest.number == 1:
        assert latest.audit["put_off"]["unresolved"] > 0
    assert all(a["sensitive"] > 0 for a in attacks)


def put_together(client, auth, app, first, batches, monkeypatch) -> list:
    """An open wave's every release (1st, 2nd, ... nth) downloaded and put together."""
    app.config["RESULTS_RELEASE_MIN_SECONDS"] = 0
    number = next(EXAMPLES)
    staff = make_user(Role.STAFF, email=f"staff{number}@example.org")
    survey = make_open_survey(staff, title=f"Random wave {number}")
    add_responses(survey, first)
    auth.sign_in(staff.email)
    try:
        services.current_results(survey)  # the first release, unless it is put off
        if services.latest_release(survey) is None:
            return []
        return difference_releases(client, survey, monkeypatch, batches)
    finally:
        auth.sign_out()


# A known gap, written in docs/results.md ("Limits"): the gap of options and indicator sums is
# closed (the seed-2 wave above is a fixed test), but on some randomised waves a reader who
# puts releases together still narrows a profile count (locality by who answered: true 4, could
# be 4 to 10). The test runs the attack; it is not strict because whether hypothesis finds
# such a wave in four examples depends on the seed.
@pytest.mark.xfail(reason="known gap: releases put together can narrow a profile count (docs/results.md, Limits)",
                   strict=False)
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(first=people, batches=st.lists(st.lists(person, min_size=10, max_size=25), min_size=2, max_size=4))
def test_randomised_releases_put_together_narrow_no_hidden_count(client, auth, app, monkeypatch, first, batches):
    """Every release of a randomised open wave downloaded and put together: the joint
    programme over all of them narrows no hidden count of any."""
    put_together(client, auth, app, first, batches, monkeypatch)


def people_from(rows) -> list[dict]:
    return [{"locality": locality, "respondent_type": respondent, "channel": channel,
             "answers": {1: first, 3: third, 4: fourth}}
            for locality, respondent, channel, first, third, fourth in rows]


def test_the_wave_whose_releases_put_together_once_narrowed_a_count_narrows_nothing(client, auth, app,
                                                                                     monkeypatch):
    """The wave hypothesis found with --hypothesis-seed=2 while the indicator sums were
    audited with their own release only: releases 1 to 4 put together narrowed a hidden
    "Don't know" of 1 (Breckland) to between 0 and 3. Now every release's sums are in the
    joint audit, and nothing is narrowed."""
    import json
    from pathlib import Path

    wave = json.loads((Path(__file__).parent / "data" / "disclosure_releases_seed2.json").read_text())
    attacks = put_together(client, auth, app, people_from(wave["first"]),
                           [people_from(batch) for batch in wave["batches"]], monkeypatch)
    assert attacks, "a second release at least, put together with the first"
    assert all(a["sensitive"] > 0 for a in attacks)


@pytest.mark.xfail(reason="known gap: releases put together narrow this wave's profile count (docs/results.md, Limits)",
                   strict=True, raises=AssertionError)
def test_the_wave_whose_releases_put_together_narrow_a_profile_count(client, auth, app, monkeypatch):
    """The wave the full suite found: releases 1 and 2 put together narrow release 2's
    "Locality: Not stated" by "Parent carers" (true 4) to 4 to 10. A known gap, kept as a
    fixed example: the day the audit closes it, this test passes and must lose its mark."""
    import json
    from pathlib import Path

    wave = json.loads((Path(__file__).parent / "data" / "disclosure_releases_profile_gap.json").read_text())
    put_together(client, auth, app, people_from(wave["first"]), [people_from(batch) for batch in wave["batches"]],
                 monkeypatch)


def pad(app, survey, known: int) -> set[int]:
    """Someone sends ``known`` responses with answers they know, each from a new browser (so
    no device is seen twice) on one internet address. Returns their response ids."""
    from feedback.models import Response

    from .test_responses import Family

    before = set(db.session.scalars(select(Response.id).where(Response.survey_id == survey.id)))
    for _ in range(known):
        family = Family(app.test_client(), survey)
        family.answer_everything()
        assert family.submit().status_code == 302
    return set(db.session.scalars(select(Response.id).where(Response.survey_id == survey.id))) - before


@pytest.mark.parametrize("known", [1, 2, 5])
def test_a_padder_who_knows_up_to_5_responses_narrows_no_hidden_count(client, auth, app, monkeypatch, known):
    """The padder sends responses with answers they know, then subtracts them from every
    download (before, five known responses turned a hidden 2 into a shown 7)."""
    survey, forum, lead, staff = make_co_designed_survey()
    from feedback.surveys import services as surveys

    surveys.open_survey(survey, staff, override_reason="Testing")
    add_responses(survey, mixed_people(61 + known, 30))
    padded = pad(app, survey, known)
    assert len(padded) == known
    add_responses(survey, mixed_people(71 + known, 12))
    auth.sign_in(lead.email)
    got = download_everything(client, survey.id)
    release = services.latest_release(survey)
    assert release.n == 42 + known, "the padding is in the release"
    assert release.audit["padding"]["known_responses"] == 5, "5 known responses, however many are seen"
    views = [k for k, _, _ in got["views"]]
    truth, payload = unprotected_tables(survey, monkeypatch, views)
    others, others_payload = unprotected_tables(survey, monkeypatch, views, without=padded)
    result = attack_padded(got, truth, others, indicator_labels(payload), payload, others_payload)
    assert result["sensitive"] > 0
    assert_protected(result)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(before=people, padder=person, known=st.integers(1, 5), others=st.lists(person, max_size=4),
       after=st.lists(person, max_size=15))
def test_a_padder_nobody_sees_who_knows_up_to_5_responses_narrows_no_hidden_count(
        client, auth, app, monkeypatch, before, padder, known, others, after):
    """The padder's 1 to 5 responses (mostly the same answers, to push one count up) leave
    no sign (no device or address seen twice: here they are not marked at all), so only the
    default protection stands between them and everyone else's counts: they download
    everything, subtract their own answers, and the programme over everyone else's counts
    finds nothing narrowed."""
    from feedback.models import Response

    padding = ([padder] * known + others)[:known]

    number = next(EXAMPLES)
    staff = make_user(Role.STAFF, email=f"staff{number}@example.org")
    survey = make_open_survey(staff, title=f"Padded wave {number}")
    add_responses(survey, before)
    known = set(db.session.scalars(select(Response.id).where(Response.survey_id == survey.id)))
    add_responses(survey, padding)
    padded = set(db.session.scalars(select(Response.id).where(Response.survey_id == survey.id))) - known
    add_responses(survey, after)
    auth.sign_in(staff.email)
    try:
        got = download_everything(client, survey.id)
        release = services.latest_release(survey)
        assert release.n == len(before) + len(padding) + len(after), "the padding is in the release"
        assert release.audit["padding"]["repeated_devices"] == release.audit["padding"]["repeated_addresses"] == 0
        views = [k for k, _, _ in got["views"]]
        truth, payload = unprotected_tables(survey, monkeypatch, views)
        others, others_payload = unprotected_tables(survey, monkeypatch, views, without=padded)
        assert_protected(attack_padded(got, truth, others, indicator_labels(payload), payload, others_payload))
    finally:
        auth.sign_out()


def test_a_release_needs_new_responses_from_enough_devices_and_addresses(client, auth, app):
    """Ten new responses from one address are one source, not ten: no release until ten
    come from different devices and addresses."""
    app.config["RESULTS_RELEASE_MIN_SECONDS"] = 0
    survey, forum, lead, staff = make_co_designed_survey()
    from feedback.surveys import services as surveys

    surveys.open_survey(survey, staff, override_reason="Testing")
    add_responses(survey, mixed_people(81, 20))
    auth.sign_in(staff.email)
    assert services.current_results(survey).release.number == 1
    pad(app, survey, 10)
    release = services.latest_release(survey)
    assert not services.release_due(survey, release)
    assert services.current_results(survey).release.number == 1
    padding = services.padding_signs(survey.id)
    assert padding["repeated_addresses"] == 10 and padding["repeated_devices"] == 0 and padding["looks_padded"]
    page = client.get(f"/results/{survey.id}").text
    assert "10 came from an internet address that sent more than one" in page
    add_responses(survey, mixed_people(82, 9))
    assert services.release_due(survey, release)


def test_a_withheld_release_is_not_tried_again_on_every_view_of_older_rules(app):
    """A release by older rules is replaced at once, but if the new one had to be withheld
    (its audit with the old one), views do not rebuild it each time."""
    survey, forum, lead, staff = make_co_designed_survey()
    from feedback.surveys import services as surveys

    surveys.open_survey(survey, staff, override_reason="Testing")
    add_responses(survey, mixed_people(91, 20))
    release = services.current_results(survey).release
    release.build_version = "results-0"
    db.session.commit()
    assert services.release_due(survey, release)
    release.audit = {**release.audit, "next_release_at": 30}
    db.session.commit()
    assert not services.release_due(survey, release)


def test_a_wave_a_group_may_not_see_leaks_nothing_through_the_next_wave(client, auth, app):
    """The group was refused wave 1; wave 2's "change since last wave" must not give wave 1's
    theme counts (or any other of its numbers) back."""
    app.config["RESULTS_KNOWN_RESPONSES"] = 1  # who sees what: small waves whose themes are shown
    from feedback.surveys import services as surveys

    from .test_results import add_analysis

    staff = make_user(Role.STAFF)
    first, theme = closed_wave_with_a_theme(staff)
    services.wave_results(first)
    second, forum, lead, _ = make_co_designed_survey(staff)
    second.series_key, second.wave_number = first.series_key, 2
    db.session.commit()
    surveys.open_survey(second, staff, override_reason="Testing")
    add_responses(second, mixed_people(42, 12))
    for _ in range(6):
        add_analysis(second, theme, "negative")
    auth.sign_in(lead.email)
    assert client.get(f"/results/{first.id}").status_code == 403
    themes = csv_rows(client.get(f"/results/{second.id}/download.csv?table=themes").text)
    assert themes[1][5] == "" and themes[1][6] == "", "no change from a wave the group may not see"
    # Staff may see both, so they get the change.
    auth.sign_out()
    auth.sign_in(staff.email)
    themes = csv_rows(client.get(f"/results/{second.id}/download.csv?table=themes").text)
    assert themes[1][5] != ""


def closed_wave_with_a_theme(staff):
    """A closed wave of 12 responses with 9 negative comments on one theme."""
    from feedback.models import Theme
    from feedback.surveys import services as surveys

    from .test_results import add_analysis

    first = make_open_survey(staff)
    theme = Theme(name="Communication")
    db.session.add(theme)
    db.session.commit()
    add_responses(first, mixed_people(41, 12))
    for _ in range(9):
        add_analysis(first, theme, "negative")
    surveys.close_survey(first, staff)
    return first, theme


def two_waves_with_themes(client, auth):
    """Wave 1 (closed) and wave 2 (closed) of one series, each with comments on one theme."""
    from feedback.surveys import services as surveys

    from .test_results import add_analysis

    staff = make_user(Role.STAFF)
    first, theme = closed_wave_with_a_theme(staff)
    second = make_open_survey(staff, title="Second wave")
    second.series_key, second.wave_number = first.series_key, 2
    db.session.commit()
    add_responses(second, mixed_people(42, 12))
    for _ in range(6):
        add_analysis(second, theme, "negative")
    surveys.close_survey(second, staff)
    return first, second, staff


CHANGE = "<td class=\"govuk-table__cell govuk-table__cell--numeric\">−3</td>"


def test_the_public_summary_compares_only_with_a_public_wave(client, auth, app):
    app.config["RESULTS_PUBLIC_OPEN_WAVES"] = 0
    app.config["RESULTS_KNOWN_RESPONSES"] = 1  # who sees what: small waves whose themes are shown
    first, second, staff = two_waves_with_themes(client, auth)
    services.set_public(second, staff, True)
    for fmt in ("csv",):
        themes = csv_rows(client.get(f"/results/public/{second.id}/download.{fmt}?table=themes").text)
        assert themes[1][5] == "" and themes[1][6] == "", "no change from a wave that is not public"
    page = client.get(f"/results/public/{second.id}").text
    services.set_public(first, staff, True)
    themes = csv_rows(client.get(f"/results/public/{second.id}/download.csv?table=themes").text)
    assert themes[1][5] == "-3"
    compared = client.get(f"/results/public/{second.id}").text
    assert CHANGE in compared and CHANGE not in page


def test_an_api_token_compares_only_with_a_wave_its_maker_may_see(client, app, monkeypatch):
    """Tokens read as the staff member who made them; the comparison asks the same question
    as every page does (here the rule is made to refuse wave 1, to show that it is asked)."""
    app.config["RESULTS_KNOWN_RESPONSES"] = 1  # who sees what: small waves whose themes are shown
    from feedback.api.services import create_token

    first, second, staff = two_waves_with_themes(client, None)
    _, token = create_token(staff, "Reporting")
    headers = {"Authorization": f"Bearer {token}"}
    body = client.get(f"/api/v1/surveys/{second.id}/themes", headers=headers).get_json()
    assert body["themes"][0]["change_in_comments"] == -3
    allowed = access.can_view_results
    monkeypatch.setattr(access, "can_view_results", lambda user, survey: survey.id != first.id and allowed(user, survey))
    body = client.get(f"/api/v1/surveys/{second.id}/themes", headers=headers).get_json()
    assert body["themes"][0]["change_in_comments"] is None
    assert body["themes"][0]["comments"] == 6


def test_comparing_with_an_earlier_wave_names_the_reader():
    with pytest.raises(ValueError):
        services.previous_wave(None)


def csv_rows(text):
    import csv
    import io

    return list(csv.reader(io.StringIO(text)))


def test_summaries_never_call_a_hidden_or_zero_group_the_largest():
    from feedback.results.build import QuestionTable
    from feedback.results.tables import largest, question_summary

    rows = [["Norwich", 0, 0], ["Breckland", None, None], ["Other", None, None]]
    assert largest(rows, 9) is None
    question = QuestionTable.from_dict({"id": 1, "position": 1, "text": "Were you listened to?", "kind": "likert5", "rows": [
        {"key": "agree", "label": "Agree", "special": False},
        {"key": "neither", "label": "Neither agree nor disagree", "special": False},
        {"key": "disagree", "label": "Disagree", "special": False},
        {"key": "__blank__", "label": "No answer", "special": True}]})
    rows = [["Agree", None, None], ["Neither agree nor disagree", 0, 0], ["Disagree", None, None],
            ["No answer", 0, 0]]
    assert "most common" not in question_summary(question, rows, 9)
    # A shown 6 of 20 with 8 hidden elsewhere: a hidden count could be larger, so say nothing.
    rows = [["Agree", 6, 30], ["Neither agree nor disagree", None, None], ["Disagree", None, None],
            ["No answer", 6, 30]]
    assert "most common" not in question_summary(question, rows, 20)
    rows = [["Agree", 12, 60], ["Neither agree nor disagree", None, None], ["Disagree", None, None],
            ["No answer", 2, 10]]
    assert "The most common answer was ‘Agree’: 12 of 20" in question_summary(question, rows, 20)


def test_staff_are_told_when_a_release_looks_padded(client, auth):
    """Twelve online responses within minutes of each other: staff see a warning, forum
    members never do (the warning itself says nothing about the answers)."""
    survey, forum, lead, staff = make_co_designed_survey()
    from feedback.surveys import services as surveys

    surveys.open_survey(survey, staff, override_reason="Testing")
    add_responses(survey, mixed_people(51, 12))
    auth.sign_in(staff.email)
    page = client.get(f"/results/{survey.id}").text
    import re

    found = re.search(r"(\d+) of the (\d+) online responses to this wave arrived within 10 minutes", page)
    assert found and found.group(1) == found.group(2) and int(found.group(1)) >= 5
    auth.sign_out()
    auth.sign_in(lead.email)
    assert "arrived within 10 minutes" not in client.get(f"/results/{survey.id}").text


def test_without_a_setting_releases_are_protected_against_5_known_responses(client, auth, app):
    """The production default: no sign of padding at all, yet the release's threshold is
    10 (5 + 5 known responses) and no count from 1 to 9 is published."""
    from .test_results import results_survey

    app.config.pop("RESULTS_KNOWN_RESPONSES")
    survey, staff = results_survey(seed=5, n=40)
    release = services.current_results(survey).release
    assert release.audit["padding"]["repeated_devices"] == release.audit["padding"]["repeated_addresses"] == 0
    assert release.audit["padding"]["known_responses"] == 5
    assert release.audit["threshold"] == release.payload["threshold"] == 10
    shown = [n for view in release.payload["views"].values() for cells in view["questions"].values()
             for n in cells if n is not None]
    assert shown and not [n for n in shown if 0 < n < 10]


def test_a_first_release_with_findings_is_put_off_and_staff_are_told(client, auth, app, monkeypatch):
    """A first release whose own audit leaves findings is not made: nobody sees figures,
    staff are told why and when the next attempt comes, and no view tries again before."""
    from feedback.results import releases
    from feedback.surveys import services as surveys

    survey, forum, lead, staff = make_co_designed_survey()
    surveys.open_survey(survey, staff, override_reason="Testing")
    add_responses(survey, mixed_people(6, 20))
    build = releases._build
    monkeypatch.setattr(releases, "_build", lambda *args: (built := build(*args)).__class__(
        built.result, built.state, {**built.figures, "unresolved": 3}))
    assert services.current_results(survey).release is None
    assert services.latest_release(survey) is None
    assert not services.release_due(survey, None), "no new attempt before 10 more responses"
    auth.sign_in(staff.email)
    page = client.get(f"/results/{survey.id}").text
    assert "The first release was put off at 20 responses" in page and "after 30 responses" in page
    assert "No results have been released for this wave yet" in page
    assert "Release 0" not in page
    auth.sign_out()
    auth.sign_in(lead.email)
    page = client.get(f"/results/{survey.id}").text
    assert "No results have been released for this wave yet" in page and "put off" not in page
    auth.sign_out()
    monkeypatch.setattr(releases, "_build", build)
    add_responses(survey, mixed_people(7, 10))
    release = services.current_results(survey).release
    assert release is not None and release.number == 1 and release.n == 30

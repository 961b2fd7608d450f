"""Reaching every family: the open surveys are listed on the home page and at /surveys for
everyone, a closed wave points to the newer open wave and to public results, the pages carry
the council's own icons (no GOV.UK crown, no missing assets), everything is in a landmark,
one service navigation entry is current, and optional questions say so."""

import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from feedback.extensions import db
from feedback.models import Role
from feedback.models.base import utcnow
from feedback.results import services as results_services
from feedback.surveys import services

from .conftest import csrf_token, make_organisation, make_user
from .survey_factories import make_open_survey, make_survey

ONE_QUESTION = [dict(kind="yes_no", text="Did you get a reply?", page=1, required=True)]


@pytest.fixture
def staff():
    return make_user(Role.STAFF)


def co_designed_open_survey(staff, title="How we keep in touch", **fields):
    """Open, signed off by the forum; the Youth Forum was invited but did not sign off."""
    forum = make_organisation("Family Voice Norfolk", "parent_carer_forum")
    youth = make_organisation("Norfolk Youth Forum", "youth_forum")
    lead = make_user(Role.FORUM_MEMBER, organisation=forum, membership="lead")
    survey = make_survey(staff, title=title, questions=ONE_QUESTION, **fields)
    services.invite_partner(survey, staff, forum)
    services.invite_partner(survey, staff, youth)
    services.send_for_co_design(survey, staff)
    services.sign_off(survey, lead, forum)
    services.open_survey(survey, staff, override_reason="The Youth Forum is meeting next month")
    return survey


def closed_wave_with_open_successor(staff, public_results: bool):
    """Wave 1 closed (results public or not) and wave 2 of the same series open."""
    first = make_open_survey(staff, title="Short breaks", questions=ONE_QUESTION, wave_label="Spring 2026")
    services.close_survey(first, staff)
    now = utcnow()
    second = services.new_wave(first, staff, "Autumn 2026", now - timedelta(hours=1), now + timedelta(days=20))
    services.open_survey(second, staff, override_reason="Same questions as spring")
    if public_results:
        results_services.set_public(first, staff, True)
    return first, second


def test_home_page_lists_every_open_survey_with_who_how_long_closing_and_partners(client, staff):
    survey = co_designed_open_survey(staff, audience="young_people", estimated_minutes=7)
    make_survey(staff, title="A draft nobody should see", questions=ONE_QUESTION)
    closed = make_open_survey(staff, title="An old closed survey", questions=ONE_QUESTION)
    services.close_survey(closed, staff)
    later = make_open_survey(staff, title="Not open until next week", questions=ONE_QUESTION,
                             opens_at=utcnow() + timedelta(days=7), closes_at=utcnow() + timedelta(days=30))

    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert f'href="/surveys/{survey.slug}"' in html
    section = html[html.index(">Have your say</h2>"):]
    assert "Young people" in section
    assert "About 7 minutes" in section
    assert survey.closes_at.strftime("%-d %B %Y") in section
    assert "Family Voice Norfolk" in section
    # Invited but not signed off: not credited.
    assert "Norfolk Youth Forum" not in section.split("All surveys")[0]
    for hidden in ("A draft nobody should see", "An old closed survey", later.title):
        assert hidden not in html


def test_home_page_says_when_nothing_is_open(client):
    assert "There are no surveys open at the moment" in client.get("/").text


def test_surveys_page_links_closed_waves_to_public_results_and_the_newer_open_wave(client, staff):
    first, second = closed_wave_with_open_successor(staff, public_results=True)
    html = client.get("/surveys").text
    closed_part = html[html.index("Closed surveys"):]
    assert f'href="/surveys/{second.slug}"' in html[:html.index("Closed surveys")]
    assert f'href="/surveys/{second.slug}"' in closed_part
    assert f'href="/results/public/{first.id}"' in closed_part


def test_surveys_page_does_not_link_results_that_are_not_public(client, staff):
    first, _ = closed_wave_with_open_successor(staff, public_results=False)
    first.results_published = True  # published to forum members only: still not public
    db.session.commit()
    html = client.get("/surveys").text
    assert f"/results/public/{first.id}" not in html
    assert "the results are not published yet" in html


def test_short_link_of_a_closed_wave_leads_to_the_newer_wave_and_its_results(client, staff):
    first, second = closed_wave_with_open_successor(staff, public_results=True)
    response = client.get(f"/s/{first.short_code}", follow_redirects=True)
    assert response.status_code == 410
    assert "This survey is closed" in response.text
    assert f'href="/surveys/{second.slug}"' in response.text
    assert f'href="/results/public/{first.id}"' in response.text
    assert client.get(f"/results/public/{first.id}").status_code == 200
    assert client.get(f"/surveys/{second.slug}").status_code == 200


def test_closed_page_without_a_newer_wave_or_public_results_offers_neither(client, staff):
    survey = make_open_survey(staff, questions=ONE_QUESTION)
    services.close_survey(survey, staff)
    response = client.get(f"/surveys/{survey.slug}")
    assert response.status_code == 410
    assert "A newer survey is open" not in response.text
    assert "/results/public/" not in response.text
    assert 'href="/surveys"' in response.text


def test_a_newer_wave_that_is_not_open_yet_is_not_offered(client, staff):
    first = make_open_survey(staff, questions=ONE_QUESTION)
    services.close_survey(first, staff)
    now = utcnow()
    services.new_wave(first, staff, "Next year", now + timedelta(days=100), now + timedelta(days=130))
    response = client.get(f"/surveys/{first.slug}")
    assert "A newer survey is open" not in response.text


class Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])
        if tag in ("script", "img") and attrs.get("src"):
            self.urls.append(attrs["src"])


def referenced_assets(client, html: str) -> set[str]:
    parser = Assets()
    parser.feed(html)
    urls = set(parser.urls)
    for url in list(urls):
        if url.endswith(".css"):
            urls |= set(re.findall(r'url\("?([^")]+)"?\)', client.get(url).text))
        if url.endswith(".json"):
            urls |= {icon["src"] for icon in client.get(url).get_json()["icons"]}
    return {u for u in urls if not u.startswith("data:")}


@pytest.mark.parametrize("path", ["/", "/surveys", "/results/public", "/sign-in"])
def test_every_asset_a_page_references_is_served(client, path):
    urls = referenced_assets(client, client.get(path).text)
    assert any("favicon" in u for u in urls) and any("apple-touch" in u or "icon-180" in u for u in urls)
    for url in urls:
        response = client.get(urlsplit(url).path)
        assert response.status_code == 200, url
    assert client.get("/favicon.ico").status_code == 200


def test_no_crown_crest_or_crown_copyright_on_the_page(client):
    html = client.get("/").text
    for mark in ("govuk-logo", "govuk-footer__crown", "crown-copyright", "Crown copyright", "govuk-crest",
                 "govuk-icon", "govuk-footer__licence-logo", "Open Government Licence"):
        assert mark not in html, mark


def test_footer_and_phase_banner_are_inside_landmarks(client):
    html = client.get("/").text
    header = html[html.index("<header"):html.index("</header>")]
    assert "govuk-phase-banner" in header
    footer = html[html.index("<footer"):html.index("</footer>")]
    assert "govuk-footer" in footer and "Privacy notice" in footer


def current_items(html: str) -> list[str]:
    return re.findall(r'govuk-service-navigation__item--active">\s*<a[^>]*>\s*<strong[^>]*>([^<]+)<', html)


@pytest.mark.parametrize("role, path, expected", [
    (Role.STAFF, "/manage/comments", "Comments"),
    (Role.STAFF, "/manage/contact-requests", "Contact requests"),
    (Role.STAFF, "/manage/surveys/", "Surveys"),
    (Role.ADMIN, "/admin/privacy/", "Data requests"),
    (Role.ADMIN, "/admin/users", "People"),
])
def test_one_service_navigation_entry_is_current(client, auth, role, path, expected):
    auth.sign_in_as(role)
    response = client.get(path)
    assert response.status_code == 200
    assert current_items(response.text) == [expected]


def test_everyone_sees_have_your_say_and_it_is_current_only_on_its_pages(client, staff):
    survey = make_open_survey(staff, questions=ONE_QUESTION)
    # Visited in this order, the cached header for people not signed in must follow the page.
    assert current_items(client.get("/surveys").text) == ["Have your say"]
    home = client.get("/").text
    assert 'href="/surveys"' in home and current_items(home) == []
    assert current_items(client.get(f"/surveys/{survey.slug}").text) == ["Have your say"]
    assert 'aria-current="page"' in client.get("/surveys").text


def test_optional_questions_say_so_and_required_ones_do_not(client, staff):
    survey = make_open_survey(staff, questions=[
        dict(kind="yes_no", text="Did you get a reply?", page=1, required=True),
        dict(kind="free_text", text="Anything else?", page=1),
        dict(kind="number", text="How many calls?", page=1),
        dict(kind="multi_choice", text="Which services?", options=["CAMHS", "Transport"], page=1),
    ])
    page = client.get(f"/surveys/{survey.slug}")
    first = client.post(f"/surveys/{survey.slug}", data={"csrf_token": csrf_token(page.text)}, follow_redirects=True)
    html = first.text
    assert re.search(r"Did you get a reply\?\s*</legend>", html)
    for text in ("Anything else? (optional)", "How many calls? (optional)", "Which services? (optional)"):
        assert text in html


def test_closed_waves_of_one_series_are_listed_together_with_the_open_wave_offered_once(client, staff):
    first = make_open_survey(staff, title="Transport to school", questions=ONE_QUESTION, wave_label="2025")
    services.close_survey(first, staff)
    now = utcnow()
    first.closes_at = now - timedelta(days=100)
    db.session.commit()
    second = services.new_wave(first, staff, "Spring 2026", now - timedelta(days=3), now - timedelta(days=2, hours=1))
    services.open_survey(second, staff, override_reason="Same questions")
    services.close_survey(second, staff)
    third = services.new_wave(first, staff, "Autumn 2026", now - timedelta(hours=1), now + timedelta(days=20))
    services.open_survey(third, staff, override_reason="Same questions")
    results_services.set_public(second, staff, True)

    html = client.get("/surveys").text
    closed_part = html[html.index("Closed surveys"):]
    assert closed_part.count(">Transport to school</h3>") == 1
    assert closed_part.count(f'href="/surveys/{third.slug}"') == 1
    assert f'href="/results/public/{second.id}"' in closed_part
    assert f"/results/public/{first.id}" not in closed_part
    # Newest first.
    assert closed_part.index("Spring 2026, closed") < closed_part.index("2025, closed")


def test_an_archived_wave_is_listed_only_with_public_results(client, staff):
    kept = make_open_survey(staff, title="Archived with a public summary", questions=ONE_QUESTION)
    quiet = make_open_survey(staff, title="Archived quietly", questions=ONE_QUESTION)
    for survey in (kept, quiet):
        services.close_survey(survey, staff)
        services.archive_survey(survey, staff)
    results_services.set_public(kept, staff, True)
    html = client.get("/surveys").text
    assert "Archived with a public summary" in html and f'href="/results/public/{kept.id}"' in html
    assert "Archived quietly" not in html

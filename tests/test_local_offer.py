"""The annual Local Offer publication ("You said, we did" for the year): a public page and a
PDF, from published results and the register; no suppressed count, no name."""

import re
from datetime import date

from sqlalchemy import select

from feedback.actions.services import post_update, save_action
from feedback.extensions import db
from feedback.models import Role, Survey
from feedback.results.services import set_public

from .conftest import make_user
from .test_evidence import closed_wave, pdf_text

YEAR = date.today().year


def flat(text: str) -> str:
    """Words only, one space apart (tags of a page dropped)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


def test_the_publication_shows_published_waves_and_the_register_and_hides_small_counts(client):
    staff = make_user(Role.STAFF)
    author = make_user(Role.YOUTH_MEMBER, display_name="Robin Author")
    big = closed_wave(staff, {"Norwich": 23}, title="Short breaks survey")
    small = closed_wave(staff, {"Norwich": 3}, title="Transport survey")
    unpublished = closed_wave(staff, {"Norwich": 17}, title="Unpublished survey")
    for wave in (big, small):
        set_public(wave, staff, True)
    action = save_action(staff, None, you_said="Robin Author said nobody rings back", we_did="A named caseworker",
                         due_on=None, status="planned", survey_ids=[big.id], theme_ids=[], idea_ids=[],
                         owner="SEND casework team", published_in="Local Offer newsletter")
    post_update(staff, action, status="done", text="Every family now has a caseworker", happened_on=date.today())
    save_action(staff, None, you_said="Buses are late", we_did="New bus contract", due_on=None,
                status="not_possible", survey_ids=[], theme_ids=[], idea_ids=[], reason="The contract runs to 2030")
    page = client.get(f"/evidence/local-offer/{YEAR}")
    assert page.status_code == 200  # public: nobody is signed in
    pdf = client.get(f"/evidence/local-offer/{YEAR}.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    for text in (flat(page.text), flat(pdf_text(pdf.data))):
        assert re.search(r"Short breaks survey \([^)]+\) \d+ \w+ \d{4} 23 ", text)
        assert re.search(r"Transport survey \([^)]+\) \d+ \w+ \d{4} Too few to show Not shown Not shown", text)
        assert "Unpublished survey" not in text and " 17 " not in text
        assert "A named caseworker" in text and "SEND casework team" in text and "Local Offer newsletter" in text
        assert "Every family now has a caseworker" in text
        assert "The contract runs to 2030" in text and "Not possible" in text
        assert "Robin" not in text and "[name] said nobody rings back" in text
    assert db.session.scalar(select(Survey.id).where(Survey.title == "Unpublished survey")) == unpublished.id


def test_a_year_outside_the_register_is_not_found(client):
    assert client.get("/evidence/local-offer/1999").status_code == 404
    assert client.get(f"/evidence/local-offer/{YEAR + 1}.pdf").status_code == 404

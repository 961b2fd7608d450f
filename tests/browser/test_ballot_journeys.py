"""A Youth Forum priority ballot in a real browser, with axe-core on every page: a young
person consents and ranks ideas (without JavaScript too), staff close the ballot and publish
its results, which everyone can read with small counts hidden."""

import uuid

from playwright.sync_api import expect

from feedback.ballots import services as ballots
from feedback.ideas import services as idea_services
from feedback.models import Role

from ..conftest import make_user
from .conftest import follow
from .test_evidence_journeys import check, sign_in


def test_a_youth_ballot(page, no_js_page, live_app, live_url, axe):
    tag = uuid.uuid4().hex[:6]
    titles = [f"Quiet rooms {tag}", f"Later buses {tag}", f"Free swimming {tag}"]
    with live_app.app_context():
        staff = make_user(Role.STAFF)
        author = make_user(Role.YOUTH_MEMBER)
        ideas = []
        for title in titles:
            idea = idea_services.submit_idea(author, title, "Because it matters.", "Something else")
            idea_services.publish_idea(idea, staff)
            ideas.append(idea.id)
        ballot = ballots.create_ballot(staff, f"Our priorities {tag}", ideas)
        # Eleven members have voted already (6 and 5 first choices); two more vote below.
        for first in [0] * 6 + [2] * 5:
            member = make_user(Role.YOUTH_MEMBER, consent=False)
            ballots.give_consent(member, "13_or_over")
            ballots.vote(ballot, member, [ballot.options[first].id, None, None])
        young = make_user(Role.YOUTH_MEMBER, consent=False)  # gives consent on the page below
        no_js = make_user(Role.YOUTH_MEMBER, consent=False)
        ballots.give_consent(no_js, "13_or_over")
        ballot_id, staff_email, young_email, no_js_email = ballot.id, staff.email, young.email, no_js.email
    sign_in(page, live_url, young_email)
    follow(page.get_by_role("link", name="Ballots").first)
    check(page, axe)
    follow(page.get_by_role("link", name="Taking part in the Youth Forum"))
    check(page, axe)
    follow(page.get_by_role("button", name="Continue"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose how old you are")
    check(page, axe)
    page.get_by_label("13 or over").check()
    page.get_by_label("I have read this and I want to take part").check()
    follow(page.get_by_role("button", name="Continue"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You can now vote")
    follow(page.get_by_role("link", name=f"Our priorities {tag}"))
    check(page, axe)
    page.get_by_label("Your first choice").select_option(label=titles[1])
    page.get_by_label("Your second choice").select_option(label=titles[1])
    follow(page.get_by_role("button", name="Send my vote"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a different idea for each choice")
    check(page, axe)
    page.get_by_label("Your second choice").select_option(label=titles[2])
    follow(page.get_by_role("button", name="Send my vote"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your vote has been counted")
    expect(page.locator("main")).to_contain_text("You have voted in this ballot")
    check(page, axe)
    # Without JavaScript: the drop-downs are an ordinary form.
    sign_in(no_js_page, live_url, no_js_email)
    no_js_page.goto(f"{live_url}/youth-forum/ballots/{ballot_id}")
    no_js_page.get_by_label("Your first choice").select_option(label=titles[1])
    follow(no_js_page.get_by_role("button", name="Send my vote"))
    expect(no_js_page.locator("main")).to_contain_text("You have voted in this ballot")
    # Staff close and publish; everyone reads the results.
    page.context.clear_cookies()
    sign_in(page, live_url, staff_email)
    page.goto(f"{live_url}/youth-forum/ballots/{ballot_id}")
    follow(page.get_by_role("button", name="Close the ballot"))
    check(page, axe)
    follow(page.get_by_role("button", name="Publish the results"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Results published")
    page.context.clear_cookies()
    page.goto(f"{live_url}/youth-forum/ballots/{ballot_id}/results")
    expect(page.locator("main")).to_contain_text("13 members voted")
    expect(page.locator("tr", has_text=titles[0])).to_contain_text("6")
    expect(page.locator("tr", has_text=titles[1])).to_contain_text("Hidden")  # 2 first choices
    expect(page.locator("tr", has_text=titles[2])).to_contain_text("Hidden")  # 5, else 2 = 13 - 6 - 5
    check(page, axe)

"""What each event tells whom. Each adds to the caller's transaction (see `services.notify`)."""

from __future__ import annotations

from ..text import N_
from .services import members_of, notify, staff


def invited(survey, organisations) -> None:
    """Every member of each group: their group is asked to co-design a survey."""
    for organisation in organisations:
        notify(members_of(organisation), "co_design.invited",
               N_("%(group)s is invited to co-design “%(survey)s” (%(wave)s)."), "co_design.survey",
               params={"group": organisation.name, "survey": survey.title, "wave": survey.wave_label},
               survey_id=survey.id)


def suggestion_decided(suggestion) -> None:
    """Who suggested the wording and their group's leads: accepted (with credit) or declined (with the reason)."""
    survey = suggestion.survey
    people = [suggestion.author] + (members_of(suggestion.organisation, leads_only=True) if suggestion.organisation else [])
    if suggestion.status == "accepted":
        message = N_("Your group’s suggestion for “%(survey)s” was accepted: %(change)s.")
    else:
        message = N_("Your group’s suggestion for “%(survey)s” (%(change)s) was declined. The reason: %(reason)s")
    notify(people, f"co_design.suggestion_{suggestion.status}", message, "co_design.survey",
           params={"survey": survey.title, "change": suggestion.change, "reason": suggestion.decision_reason or ""},
           survey_id=survey.id)


def sign_off_cleared(survey, organisations, what: str) -> None:
    """The leads of each group whose sign-off an accepted change cleared."""
    for organisation in organisations:
        notify(members_of(organisation, leads_only=True), "co_design.sign_off_cleared",
               N_("“%(survey)s” changed (%(change)s), so %(group)s needs to sign it off again."), "co_design.survey",
               params={"survey": survey.title, "change": what, "group": organisation.name}, survey_id=survey.id)


def contact_request_arrived(request) -> None:
    """Staff: a family asked to be contacted (the survey only, never their name or words)."""
    notify(staff(), "contact_request.new", N_("A family asked to be contacted about “%(survey)s”."),
           "responses.contact_requests", params={"survey": request.survey.title})


def flag_arrived(flag) -> None:
    """Safeguarding leads: a new flag is waiting (never what was written)."""
    notify(staff(safeguarding_leads_only=True), "safeguarding.flag",
           N_("A new safeguarding flag is waiting in the queue."), "safeguarding.flag", flag_id=flag.id)

"""The access matrix: for every route, what each role gets.

Every route in the app must be listed here (a test fails otherwise), so each new blueprint
extends this table. Outcomes: ok (2xx), login (redirect to sign-in), redirect (elsewhere),
forbidden (403), gone (410).
"""

ROLES = ("anonymous", "youth_member", "forum_member", "staff", "admin")


def outcomes(anonymous, youth, forum, staff, admin):
    return dict(zip(ROLES, (anonymous, youth, forum, staff, admin)))


PUBLIC = outcomes("ok", "ok", "ok", "ok", "ok")
SIGNED_IN = outcomes("login", "ok", "ok", "ok", "ok")
STAFF_ONLY = outcomes("login", "forbidden", "forbidden", "ok", "ok")
ADMIN_ONLY = outcomes("login", "forbidden", "forbidden", "forbidden", "ok")
ADMIN_ACTION = outcomes("login", "forbidden", "forbidden", "forbidden", "redirect")
ANONYMOUS_ONLY = outcomes("ok", "redirect", "redirect", "redirect", "redirect")
ALWAYS_REDIRECTS = outcomes("redirect", "redirect", "redirect", "redirect", "redirect")
STAFF_ACTION = outcomes("login", "forbidden", "forbidden", "redirect", "redirect")
CO_DESIGNERS = outcomes("login", "forbidden", "forbidden", "ok", "ok")
CO_DESIGN_ACTION = outcomes("login", "forbidden", "forbidden", "redirect", "redirect")
LEADS_ONLY = outcomes("login", "forbidden", "forbidden", "forbidden", "forbidden")

# A download of a table that cannot be made (the matrix's wave has nothing released): people
# who may not see the wave are refused first; staff are told there is no such table.
STAFF_ONLY_NOTHING_TO_DOWNLOAD = outcomes("login", "forbidden", "forbidden", "not_found", "not_found")

YOUTH_ONLY = outcomes("login", "ok", "forbidden", "forbidden", "forbidden")
# Routes for the author of an idea; the matrix's youth member is not its author.
AUTHOR_ONLY = outcomes("login", "forbidden", "forbidden", "forbidden", "forbidden")
YOUTH_ACTION = outcomes("login", "redirect", "forbidden", "forbidden", "forbidden")
# The API takes tokens, not sessions: everyone without a token is refused.
API_TOKEN_ONLY = outcomes("401", "401", "401", "401", "401")
# Only staff who are safeguarding leads open a flag; the matrix's users are not.
SAFEGUARDING_LEAD_ONLY = outcomes("login", "forbidden", "forbidden", "forbidden", "forbidden")

# The code step of sign-in needs a password first; signed-in people are sent home.
TWO_FACTOR_STEP = outcomes("login", "redirect", "redirect", "redirect", "redirect")
# Sign-in with the council's identity provider exists only when it is configured (it is
# not here; tests/test_oidc.py signs in through a real provider).
NOT_CONFIGURED = outcomes("not_found", "not_found", "not_found", "not_found", "not_found")
# A link from a message whose token names nothing (real links: tests/test_invitations.py).
UNKNOWN_LINK = outcomes("not_found", "not_found", "not_found", "not_found", "not_found")

# endpoint -> (method, URL template, expected outcomes). The templates are filled from the
# `ids` fixture in tests/test_access_matrix.py, which makes a record for every placeholder.
MATRIX = {
    "main.home": ("GET", "/", PUBLIC),
    "main.surveys": ("GET", "/surveys", PUBLIC),
    "main.favicon": ("GET", "/favicon.ico", PUBLIC),
    "main.privacy": ("GET", "/privacy", PUBLIC),
    "main.accessibility": ("GET", "/accessibility", PUBLIC),
    "main.cookies": ("GET", "/cookies", PUBLIC),
    "main.health": ("GET", "/health", PUBLIC),
    "main.live": ("GET", "/health/live", PUBLIC),
    "observability.ready": ("GET", "/health/ready", PUBLIC),
    # Access and erasure requests; a POST without an email address goes back to the search.
    "privacy.find_person": ("GET", "/admin/privacy/", ADMIN_ONLY),
    "privacy.export_person": ("POST", "/admin/privacy/export", ADMIN_ACTION),
    "privacy.erase_person": ("POST", "/admin/privacy/erase", ADMIN_ACTION),
    "accounts.sign_in": ("GET", "/sign-in", ANONYMOUS_ONLY),
    "accounts.sign_out": ("POST", "/sign-out", ALWAYS_REDIRECTS),
    "accounts.set_password": ("GET", "/set-password/{invite_token}", PUBLIC),
    "accounts.reset_password": ("GET", "/reset-password", PUBLIC),
    "accounts.account": ("GET", "/account", SIGNED_IN),
    "two_factor.challenge": ("GET", "/sign-in/two-factor", TWO_FACTOR_STEP),
    "two_factor.set_up": ("GET", "/two-factor/set-up", STAFF_ONLY),
    "two_factor.turn_off": ("POST", "/two-factor/turn-off", STAFF_ACTION),
    "two_factor.reset": ("POST", "/admin/users/{user_id}/two-factor/reset", ADMIN_ACTION),
    "oidc.start": ("GET", "/sign-in/council", NOT_CONFIGURED),
    "oidc.callback": ("GET", "/sign-in/council/callback", NOT_CONFIGURED),
    "admin.users": ("GET", "/admin/users", ADMIN_ONLY),
    "admin.invite": ("GET", "/admin/users/invite", ADMIN_ONLY),
    "admin.user": ("GET", "/admin/users/{user_id}", ADMIN_ONLY),
    "admin.create_link": ("POST", "/admin/users/{user_id}/link", ADMIN_ONLY),
    "admin.organisations_page": ("GET", "/admin/organisations", ADMIN_ONLY),
    "ideas.browse": ("GET", "/ideas", SIGNED_IN),
    "ideas.idea": ("GET", "/ideas/{idea_id}", SIGNED_IN),
    "ideas.new": ("GET", "/ideas/new", YOUTH_ONLY),
    "ideas.check": ("GET", "/ideas/new/check", YOUTH_ACTION),
    "ideas.sent": ("GET", "/ideas/{idea_id}/sent", AUTHOR_ONLY),
    "ideas.change": ("GET", "/ideas/{idea_id}/change", AUTHOR_ONLY),
    "ideas.withdraw": ("GET", "/ideas/{idea_id}/withdraw", AUTHOR_ONLY),
    "ideas.support": ("POST", "/ideas/{idea_id}/support", YOUTH_ACTION),
    "ideas.unsupport": ("POST", "/ideas/{idea_id}/support/remove", YOUTH_ACTION),
    "ideas.comment": ("POST", "/ideas/{idea_id}/comments", YOUTH_ONLY),
    "ideas.report": ("GET", "/ideas/{idea_id}/report", YOUTH_ONLY),
    "ideas.mine": ("GET", "/ideas/mine", YOUTH_ONLY),
    "ideas.notifications": ("GET", "/ideas/notifications", outcomes("login", "redirect", "redirect", "redirect", "redirect")),
    "ideas.consent_needed": ("GET", "/ideas/consent-needed", YOUTH_ONLY),
    "ideas.delete_account": ("GET", "/ideas/delete-my-account", YOUTH_ONLY),
    "ideas.moderation": ("GET", "/ideas/moderation", STAFF_ONLY),
    "ideas.publish": ("POST", "/ideas/{held_idea_id}/publish", STAFF_ACTION),
    "ideas.remove": ("GET", "/ideas/{idea_id}/remove", STAFF_ONLY),
    "ideas.publish_comment": ("POST", "/ideas/comments/{idea_comment_id}/publish", STAFF_ACTION),
    "ideas.remove_comment": ("GET", "/ideas/comments/{idea_comment_id}/remove", STAFF_ONLY),
    "ideas.keep": ("POST", "/ideas/reports/{idea_report_id}/keep", STAFF_ACTION),
    "ideas.respond": ("GET", "/ideas/{idea_id}/respond", STAFF_ONLY),
    "ideas.summary": ("GET", "/ideas/summary", STAFF_ONLY),
    "safeguarding.queue": ("GET", "/safeguarding", STAFF_ONLY),
    "safeguarding.flag": ("GET", "/safeguarding/{flag_id}", SAFEGUARDING_LEAD_ONLY),
    "safeguarding.audit_log": ("GET", "/admin/audit", ADMIN_ONLY),
    # Surveys (staff). Partner access through membership is tested in tests/test_co_design.py.
    "surveys.index": ("GET", "/manage/surveys/", STAFF_ONLY),
    "surveys.create": ("GET", "/manage/surveys/new", STAFF_ONLY),
    "surveys.overview": ("GET", "/manage/surveys/{survey_id}", STAFF_ONLY),
    "surveys.edit": ("GET", "/manage/surveys/{survey_id}/edit", STAFF_ONLY),
    "surveys.add_question": ("GET", "/manage/surveys/{survey_id}/questions/new", STAFF_ONLY),
    "surveys.edit_question": ("GET", "/manage/surveys/{survey_id}/questions/{question_id}/edit", STAFF_ONLY),
    "surveys.change_question": ("POST", "/manage/surveys/{survey_id}/questions/{question_id}/down", STAFF_ACTION),
    "surveys.bank": ("GET", "/manage/surveys/{survey_id}/bank", STAFF_ONLY),
    "surveys.page_routes": ("GET", "/manage/surveys/{survey_id}/pages/{route_page}/routes", STAFF_ONLY),
    "surveys.delete_route": ("POST", "/manage/surveys/{survey_id}/routes/{route_id}/delete", STAFF_ACTION),
    "surveys.invite_partner": ("POST", "/manage/surveys/{survey_id}/partners", STAFF_ACTION),
    "surveys.change_status": ("POST", "/manage/surveys/{survey_id}/archive", STAFF_ACTION),
    "surveys.open_survey": ("POST", "/manage/surveys/{survey_id}/open", STAFF_ACTION),
    "surveys.decline_suggestion": ("GET", "/manage/surveys/{survey_id}/suggestions/{suggestion_id}/decline", STAFF_ONLY),
    "surveys.new_wave": ("GET", "/manage/surveys/{survey_id}/new-wave", STAFF_ONLY),
    # Versions of a wave in other languages and Easy Read (tests/test_languages.py).
    "versions.index": ("GET", "/manage/surveys/{survey_id}/versions", STAFF_ONLY),
    "versions.edit": ("GET", "/manage/surveys/{survey_id}/versions/cy", STAFF_ONLY),
    "versions.add_picture": ("POST", "/manage/surveys/{survey_id}/versions/easy-read/questions/{question_id}/picture",
                             STAFF_ACTION),
    "easy_read.review": ("GET", "/co-design/{survey_id}/easy-read", CO_DESIGNERS),
    "easy_read.translation": ("GET", "/co-design/{survey_id}/versions/cy", CO_DESIGNERS),
    "easy_read.suggest_translation": ("GET", "/co-design/{survey_id}/versions/cy/suggest?part=title", CO_DESIGNERS),
    "responses.easy_read_picture": ("GET", "/easy-read/pictures/{picture_id}", PUBLIC),
    "surveys.history": ("GET", "/manage/surveys/{survey_id}/history", STAFF_ONLY),
    "surveys.qr_code": ("GET", "/manage/surveys/{open_survey_id}/qr.png", STAFF_ONLY),
    "surveys.assisted_entry": ("GET", "/manage/surveys/{open_survey_id}/enter", STAFF_ONLY),
    "co_design.index": ("GET", "/co-design/", SIGNED_IN),
    "co_design.survey": ("GET", "/co-design/{survey_id}", CO_DESIGNERS),
    "co_design.comment": ("GET", "/co-design/{survey_id}/comments", CO_DESIGNERS),
    "co_design.suggest": ("GET", "/co-design/{survey_id}/questions/{question_id}/suggest", CO_DESIGNERS),
    "co_design.history": ("GET", "/co-design/{survey_id}/history", CO_DESIGNERS),
    "co_design.suggest_option": ("GET", "/co-design/{survey_id}/questions/{question_id}/suggest-option", CO_DESIGNERS),
    "preview.start": ("GET", "/co-design/{survey_id}/preview/en/", CO_DESIGNERS),
    "preview.page": ("GET", "/co-design/{survey_id}/preview/en/pages/1", CO_DESIGNERS),
    "preview.about_you": ("GET", "/co-design/{survey_id}/preview/en/about-you", CO_DESIGNERS),
    "preview.end": ("GET", "/co-design/{survey_id}/preview/en/end", CO_DESIGNERS),
    "co_design.resolve": ("POST", "/co-design/{survey_id}/comments/{comment_id}/resolve", CO_DESIGN_ACTION),
    "co_design.sign_off": ("POST", "/co-design/{survey_id}/sign-off/{organisation_id}", LEADS_ONLY),
    "surveys.accept_suggestion": ("POST", "/manage/surveys/{survey_id}/suggestions/{suggestion_id}/accept", STAFF_ACTION),
    "surveys.remove_partner": ("POST", "/manage/surveys/{survey_id}/partners/{partner_id}/remove", STAFF_ACTION),
    # Comments and themes (staff).
    "comments.index": ("GET", "/manage/comments", STAFF_ONLY),
    "comments.comment": ("GET", "/manage/comments/{analysis_id}", STAFF_ONLY),
    "comments.themes": ("GET", "/manage/themes", STAFF_ONLY),
    "comments.theme": ("GET", "/manage/themes/{theme_id}", STAFF_ONLY),
    "comments.emerging": ("GET", "/manage/themes/emerging", STAFF_ONLY),
    "comments.names": ("GET", "/manage/redaction-names", STAFF_ONLY),
    "comments.remove_theme": ("POST", "/manage/comments/{analysis_id}/themes/{theme_id}/remove", STAFF_ACTION),
    "comments.redact_fragment": ("POST", "/manage/comments/{analysis_id}/redact", STAFF_ACTION),
    "comments.remove_name": ("POST", "/manage/redaction-names/{name_id}/remove", STAFF_ACTION),
    # Answering a survey needs no account; pages without a response in the session go to the start.
    "responses.short_link": ("GET", "/s/{short_code}", ALWAYS_REDIRECTS),
    "responses.start": ("GET", "/surveys/{slug}", PUBLIC),
    "responses.page": ("GET", "/surveys/{slug}/pages/1", ALWAYS_REDIRECTS),
    "responses.about_you": ("GET", "/surveys/{slug}/about-you", ALWAYS_REDIRECTS),
    "responses.check": ("GET", "/surveys/{slug}/check", ALWAYS_REDIRECTS),
    "responses.submit": ("POST", "/surveys/{slug}/submit", ALWAYS_REDIRECTS),
    "responses.confirmation": ("GET", "/surveys/{slug}/confirmation", ALWAYS_REDIRECTS),
    "responses.save": ("GET", "/surveys/{slug}/save", ALWAYS_REDIRECTS),
    "responses.resume": ("GET", "/resume", PUBLIC),
    # Only a browser that has just submitted its answers may ask to be contacted.
    "responses.contact_me": ("GET", "/surveys/{slug}/contact", ALWAYS_REDIRECTS),
    "responses.contact_requests": ("GET", "/manage/contact-requests", STAFF_ONLY),
    "responses.contacted": ("POST", "/manage/contact-requests/{contact_request_id}/contacted", STAFF_ACTION),
    "responses.shared_answers": ("GET", "/manage/contact-requests/{shared_contact_request_id}/answers", STAFF_ONLY),
    "responses.delete_contact_request": ("POST", "/manage/contact-requests/{contact_request_id}/delete", STAFF_ACTION),
    # A resume link only shows what continuing will do; the switch is a POST from that page.
    "responses.resume_link": ("GET", "/resume/{resume_code}", PUBLIC),
    "responses.saved": ("GET", "/surveys/{slug}/saved", ALWAYS_REDIRECTS),
    "responses.email_code": ("POST", "/surveys/{slug}/saved/email", ALWAYS_REDIRECTS),
    # Results. The matrix's forum and youth members belong to no partner group and the open
    # survey is not published; membership and publishing rules are in tests/test_results.py.
    "results.index": ("GET", "/results/", SIGNED_IN),
    "results.dashboard": ("GET", "/results/{open_survey_id}", STAFF_ONLY),
    "results.comments": ("GET", "/results/{open_survey_id}/comments", STAFF_ONLY),
    "results.indicator": ("GET", "/results/{open_survey_id}/indicator", STAFF_ONLY),
    "results.method": ("GET", "/results/indicator-method", PUBLIC),
    "results.download": ("GET", "/results/{open_survey_id}/download.csv", STAFF_ONLY),
    "results.download_long": ("GET", "/results/{open_survey_id}/download-long.csv", STAFF_ONLY),
    "results.crosstab": ("GET", "/results/{open_survey_id}/cross-tab", STAFF_ONLY),
    "results.crosstab_download": ("GET", "/results/{open_survey_id}/cross-tab.csv?rows={question_id}&columns=0",
                                  STAFF_ONLY_NOTHING_TO_DOWNLOAD),
    "results.across_waves": ("GET", "/results/{open_survey_id}/across-waves", STAFF_ONLY),
    "results.across_waves_download": ("GET", "/results/{open_survey_id}/across-waves.xlsx?question=0",
                                      STAFF_ONLY_NOTHING_TO_DOWNLOAD),
    "results.responses_csv": ("GET", "/results/{open_survey_id}/responses.csv", STAFF_ONLY),
    "results.publish": ("POST", "/results/{open_survey_id}/publish", STAFF_ACTION),
    "results.public_index": ("GET", "/results/public", PUBLIC),
    "results.public_summary": ("GET", "/results/public/{public_survey_id}", PUBLIC),
    "results.public_download": ("GET", "/results/public/{public_survey_id}/download.xlsx", PUBLIC),
    "results.public_download_long": ("GET", "/results/public/{public_survey_id}/download-long.csv", PUBLIC),
    "actions.index": ("GET", "/you-said-we-did/", PUBLIC),
    "actions.action": ("GET", "/you-said-we-did/{action_id}", PUBLIC),
    "actions.new": ("GET", "/you-said-we-did/new", STAFF_ONLY),
    "actions.edit": ("GET", "/you-said-we-did/{action_id}/edit", STAFF_ONLY),
    "actions.update": ("GET", "/you-said-we-did/{action_id}/updates/new", STAFF_ONLY),
    "api.openapi": ("GET", "/api/v1/openapi.json", PUBLIC),
    "api.surveys": ("GET", "/api/v1/surveys", API_TOKEN_ONLY),
    "api.wave_results": ("GET", "/api/v1/surveys/{public_survey_id}/results", API_TOKEN_ONLY),
    "api.wave_themes": ("GET", "/api/v1/surveys/{public_survey_id}/themes", API_TOKEN_ONLY),
    "api.indicator": ("GET", "/api/v1/series/{series_key}/indicator", API_TOKEN_ONLY),
    "api.question_results": ("GET", "/api/v1/surveys/{public_survey_id}/questions/1", API_TOKEN_ONLY),
    "api.actions": ("GET", "/api/v1/actions", API_TOKEN_ONLY),
    "api.feed_csv": ("GET", "/api/v1/surveys/{public_survey_id}/feed.csv", API_TOKEN_ONLY),
    "api.ideas": ("GET", "/api/v1/ideas", API_TOKEN_ONLY),
    "api_tokens.index": ("GET", "/manage/api-tokens/", STAFF_ONLY),
    "webhooks.index": ("GET", "/manage/webhooks/", STAFF_ONLY),
    "webhooks.endpoint": ("GET", "/manage/webhooks/{webhook_endpoint_id}", STAFF_ONLY),
    "webhooks.toggle": ("POST", "/manage/webhooks/{webhook_endpoint_id}/disable", STAFF_ACTION),
    "api_tokens.revoke": ("POST", "/manage/api-tokens/{api_token_id}/revoke", STAFF_ACTION),
    # Evidence: the log lists each person's own groups' entries; a survey's log is for staff and
    # its partner groups (the matrix's forum member is in none); reach of an open wave, the
    # cohorts and the evidence pack are for staff.
    "evidence.index": ("GET", "/evidence/", SIGNED_IN),
    "evidence.survey": ("GET", "/evidence/surveys/{survey_id}", CO_DESIGNERS),
    "evidence.stage": ("GET", "/evidence/surveys/{survey_id}/stage", STAFF_ONLY),
    "evidence.new_activity": ("GET", "/evidence/activities/new", STAFF_ONLY),
    "evidence.edit_activity": ("GET", "/evidence/activities/{activity_id}/edit", STAFF_ONLY),
    "evidence.reach_index": ("GET", "/evidence/reach", STAFF_ONLY),
    "evidence.new_cohort": ("GET", "/evidence/cohorts/new", STAFF_ONLY),
    "evidence.wave_reach": ("GET", "/evidence/reach/{open_survey_id}", STAFF_ONLY),
    "evidence.pack_page": ("GET", "/evidence/pack", STAFF_ONLY),
    "evidence.pack_pdf": ("GET", "/evidence/pack.pdf", STAFF_ONLY),
    # Youth Forum consent and ballots. The matrix's ballot is open, so its results are for staff.
    "ballots.consent": ("GET", "/youth-forum/consent", YOUTH_ONLY),
    "ballots.parent_consent": ("GET", "/youth-forum/consent/parent/{parent_token}", PUBLIC),
    "ballots.index": ("GET", "/youth-forum/ballots/", SIGNED_IN),
    "ballots.new": ("GET", "/youth-forum/ballots/new", STAFF_ONLY),
    "ballots.ballot": ("GET", "/youth-forum/ballots/{ballot_id}", SIGNED_IN),
    "ballots.results": ("GET", "/youth-forum/ballots/{ballot_id}/results", STAFF_ONLY),
    "ballots.ballot_step": ("POST", "/youth-forum/ballots/{ballot_id}/close", STAFF_ACTION),
    "notifications.index": ("GET", "/notifications", SIGNED_IN),
    # Self-serve tracking by reference is for families, who have no account.
    "tracking.track": ("GET", "/track", PUBLIC),
    # The annual Local Offer publication is public, like "You said, we did".
    "evidence.local_offer_page": ("GET", "/evidence/local-offer/2026", PUBLIC),
    "evidence.local_offer_pdf": ("GET", "/evidence/local-offer/2026.pdf", PUBLIC),
    "surveys.paper_pdf": ("GET", "/manage/surveys/{survey_id}/paper.pdf", STAFF_ONLY),
    # Invitations and the contact list (docs/invitations.md).
    "invitations.manage": ("GET", "/manage/surveys/{open_survey_id}/invitations", STAFF_ONLY),
    "invitations.add_contacts": ("POST", "/manage/surveys/{open_survey_id}/invitations/contact-list", STAFF_ACTION),
    "invitations.send": ("POST", "/manage/surveys/{open_survey_id}/invitations/send", STAFF_ACTION),
    "invitations.remind": ("POST", "/manage/surveys/{open_survey_id}/invitations/remind", STAFF_ACTION),
    "invitations.invited": ("GET", "/i/1-aaaaaaaaaaaaaaaa", UNKNOWN_LINK),
    "invitations.unsubscribe": ("GET", "/unsubscribe/i/1-aaaaaaaaaaaaaaaa", PUBLIC),
    "invitations.keep_in_touch": ("GET", "/keep-in-touch", PUBLIC),
    "invitations.sign_up": ("GET", "/keep-in-touch/parent_carer", PUBLIC),
    "invitations.check_messages": ("GET", "/keep-in-touch/young_person/check", PUBLIC),
    "invitations.confirm_contact": ("GET", "/keep-in-touch/confirm/1-aaaaaaaaaaaaaaaa", UNKNOWN_LINK),
    "invitations.leave": ("GET", "/keep-in-touch/leave", PUBLIC),
}
